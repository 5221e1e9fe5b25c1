package sqlite

import (
	"context"
	"fmt"
	"time"

	"policywatch/tracker"
)

var _ tracker.QueueClaimer = (*DB)(nil)

// QueueRound replaces the queue with a round's documents.
func (t *tx) QueueRound(round time.Time, docIDs []int64) error {
	if _, err := t.exec(`DELETE FROM check_queue`); err != nil {
		return fmt.Errorf("empty the check queue: %w", err)
	}
	for _, id := range docIDs {
		if _, err := t.exec(`INSERT INTO check_queue (document_id, round) VALUES (?, ?)`, id, formatTime(round)); err != nil {
			return fmt.Errorf("queue document %d: %w", id, err)
		}
	}
	return nil
}

// FinishQueued marks a queued document checked.
func (t *tx) FinishQueued(docID int64, at time.Time) error {
	if _, err := t.exec(`UPDATE check_queue SET done_at = ? WHERE document_id = ? AND done_at = ''`, formatTime(at), docID); err != nil {
		return fmt.Errorf("finish queued document %d: %w", docID, err)
	}
	return nil
}

// QueueState counts the queue's documents. Waiting counts those no live
// claim holds, which is what ClaimQueued hands out (with the same lease).
func (t *tx) QueueState() (tracker.QueueState, error) {
	var st tracker.QueueState
	var round nullString
	err := t.queryRow(`SELECT MIN(round),
			COALESCE(SUM(CASE WHEN done_at = '' AND claimed_at = '' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN done_at = '' AND claimed_at <> '' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN done_at <> '' THEN 1 ELSE 0 END), 0)
		FROM check_queue`).Scan(&round, &st.Waiting, &st.Claimed, &st.Done)
	st.Round = parseTime(round.String)
	if err != nil {
		return st, fmt.Errorf("read the check queue: %w", err)
	}
	return st, nil
}

// ClaimQueued claims up to n documents that are neither done nor claimed
// since staleBefore, in one write transaction (writers queue on SQLite's
// write lock, so two workers never get the same document).
func (d *DB) ClaimQueued(ctx context.Context, worker string, n int, at, staleBefore time.Time) ([]int64, error) {
	var ids []int64
	t, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	defer t.Rollback()
	rows, err := t.QueryContext(ctx, `UPDATE check_queue SET claimed_by = ?, claimed_at = ?
		WHERE document_id IN (SELECT document_id FROM check_queue
			WHERE done_at = '' AND (claimed_at = '' OR claimed_at < ?) ORDER BY document_id LIMIT ?)
		RETURNING document_id`, worker, formatTime(at), formatTime(staleBefore), n)
	if err != nil {
		return nil, fmt.Errorf("claim queued documents: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("claim queued documents: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim queued documents: %w", err)
	}
	if err := t.Commit(); err != nil {
		return nil, commitError(ctx, err)
	}
	return ids, nil
}
