package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"policywatch/tracker"
)

var (
	_ tracker.QueueClaimer  = (*DB)(nil)
	_ tracker.SessionLocker = (*DB)(nil)
)

// QueueRound replaces the queue with a round's documents.
func (t *tx) QueueRound(round time.Time, docIDs []int64) error {
	if _, err := t.exec(`DELETE FROM check_queue`); err != nil {
		return fmt.Errorf("empty the check queue: %w", err)
	}
	if len(docIDs) == 0 {
		return nil
	}
	if _, err := t.exec(`INSERT INTO check_queue (document_id, round) SELECT unnest($1::bigint[]), $2`, docIDs, ts(round)); err != nil {
		return fmt.Errorf("queue the round's documents: %w", err)
	}
	return nil
}

// FinishQueued marks a queued document checked.
func (t *tx) FinishQueued(docID int64, at time.Time) error {
	if _, err := t.exec(`UPDATE check_queue SET done_at = $1 WHERE document_id = $2 AND done_at IS NULL`, ts(at), docID); err != nil {
		return fmt.Errorf("finish queued document %d: %w", docID, err)
	}
	return nil
}

// QueueState counts the queue's documents.
func (t *tx) QueueState() (tracker.QueueState, error) {
	var st tracker.QueueState
	var round *time.Time
	err := t.queryRow(`SELECT MIN(round),
			COUNT(*) FILTER (WHERE done_at IS NULL AND claimed_at IS NULL),
			COUNT(*) FILTER (WHERE done_at IS NULL AND claimed_at IS NOT NULL),
			COUNT(*) FILTER (WHERE done_at IS NOT NULL)
		FROM check_queue`).Scan(&round, &st.Waiting, &st.Claimed, &st.Done)
	st.Round = timeOf(round)
	if err != nil {
		return st, fmt.Errorf("read the check queue: %w", err)
	}
	return st, nil
}

// ClaimQueued claims up to n documents that are neither done nor claimed
// since staleBefore. It runs in a transaction of its own that does not
// take the archive's write lock: SELECT … FOR UPDATE SKIP LOCKED gives
// concurrent claimers disjoint documents without their waiting for each
// other or for writers.
func (d *DB) ClaimQueued(ctx context.Context, worker string, n int, at, staleBefore time.Time) ([]int64, error) {
	rows, err := d.pool.Query(ctx, `UPDATE check_queue q SET claimed_by = $1, claimed_at = $2
		FROM (SELECT document_id FROM check_queue
			WHERE done_at IS NULL AND (claimed_at IS NULL OR claimed_at < $3)
			ORDER BY document_id LIMIT $4 FOR UPDATE SKIP LOCKED) free
		WHERE q.document_id = free.document_id
		RETURNING q.document_id`, worker, ts(at), ts(staleBefore), n)
	if err != nil {
		return nil, fmt.Errorf("claim queued documents: %w", mapError(err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("claim queued documents: %w", mapError(err))
	}
	return ids, nil
}

// TryLock takes the archive's advisory lock of that name on a connection
// of its own, held until release (or until this process's connection
// ends: a worker that dies, on whatever machine, frees it at once).
func (d *DB) TryLock(ctx context.Context, name string) (func(), bool, error) {
	conn, err := pgx.ConnectConfig(ctx, d.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, false, connectAdvice(err)
	}
	key := lockKey("session/"+name, d.schema)
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil || !got {
		conn.Close(context.WithoutCancel(ctx))
		return nil, false, err
	}
	release := func() {
		bg := context.Background()
		conn.Exec(bg, `SELECT pg_advisory_unlock($1)`, key)
		conn.Close(bg)
	}
	return release, true, nil
}
