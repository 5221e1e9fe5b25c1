package tracker

import (
	"context"
	"fmt"
	"time"
)

// A full check round is shared by every process checking the archive: the
// one that takes the check lock puts the round's documents in a queue (in
// the same transaction), and it and every other worker that finds the lock
// taken — the `policywatch watch` workers of a team on other machines —
// claim documents from the queue until it is empty. The claim is made by
// the store in a transaction of its own (PostgreSQL: SELECT … FOR UPDATE
// SKIP LOCKED, so claimers never wait for each other), a document is marked
// done in the transaction that stores its check, and a claim older than
// claimLease (its worker died) is taken over. So no document is checked
// twice in a round, and a round goes as fast as its workers together.

// claimLease is how long a claimed document stays its worker's: well over
// the longest a check takes (fetch and render deadlines).
const claimLease = 10 * time.Minute

// queueWait is how often the process that started a round looks whether
// the documents other workers claimed are done.
const queueWait = time.Second

// QueueTx keeps the queue of a shared check round's documents.
type QueueTx interface {
	// QueueRound replaces the queue with a round's documents, none claimed.
	QueueRound(round time.Time, docIDs []int64) error
	// FinishQueued marks a queued document checked.
	FinishQueued(docID int64, at time.Time) error
	// QueueState counts the queue's documents.
	QueueState() (QueueState, error)
}

// QueueState is the state of the check queue's round.
type QueueState struct {
	Round   time.Time // when the round started (zero: no round queued)
	Waiting int       // not claimed yet, or claimed longer ago than the lease
	Claimed int       // being checked
	Done    int
}

// QueueClaimer is implemented by stores that hand out queued documents to
// workers; both stores do. The claim runs in a transaction of its own that
// does not queue behind the archive's writers.
type QueueClaimer interface {
	// ClaimQueued claims for worker up to n documents that are not done
	// and not claimed since staleBefore, marking them claimed at at, and
	// returns their ids. Two workers never get the same document.
	ClaimQueued(ctx context.Context, worker string, n int, at, staleBefore time.Time) ([]int64, error)
}

// sharedRounds reports whether the store can share rounds between workers.
func (s *Service) sharedRounds() (QueueClaimer, bool) {
	q, ok := s.store.(QueueClaimer)
	return q, ok
}

// queueRound puts every tracked document in the queue for a round started
// at round, inside the transaction that takes the check lock.
func queueRound(tx Tx, round time.Time) error {
	docs, err := tx.ListDocuments(DocumentFilter{})
	if err != nil {
		return err
	}
	var ids []int64
	for _, d := range docs {
		if d.Tracked && d.URL != "" {
			ids = append(ids, d.ID)
		}
	}
	return tx.QueueRound(round, ids)
}

// QueueStatus returns the state of the shared round's queue (for display:
// how far a round that several workers share has come).
func (s *Service) QueueStatus(ctx context.Context) (QueueState, error) {
	var st QueueState
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		st, err = tx.QueueState()
		return err
	})
	return st, err
}

// checkQueued checks documents claimed from the queue until it has none to
// hand out, and returns what this worker checked.
func (s *Service) checkQueued(ctx context.Context, q QueueClaimer, opts CheckOptions, worker string) (CheckSummary, error) {
	st, err := s.QueueStatus(ctx)
	if err != nil {
		return CheckSummary{}, err
	}
	total := st.Waiting + st.Claimed + st.Done
	return s.runChecks(ctx, opts, total, true, func(ctx context.Context, ready <-chan struct{}, jobs chan<- DocumentSummary) (bool, error) {
		for {
			// Claim a document only when a goroutine is free to check it,
			// so that the others stay in the queue for other workers.
			select {
			case <-ready:
			case <-ctx.Done():
				return true, nil
			}
			now := s.now()
			ids, err := q.ClaimQueued(ctx, worker, 1, now, now.Add(-claimLease))
			if err != nil || len(ids) == 0 {
				return false, err
			}
			docs, err := s.documentsByID(ctx, ids)
			if err != nil {
				return false, err
			}
			for _, d := range docs {
				select {
				case jobs <- d:
				case <-ctx.Done():
					return true, nil
				}
			}
		}
	})
}

// documentsByID reads the given documents with their platforms.
func (s *Service) documentsByID(ctx context.Context, ids []int64) ([]DocumentSummary, error) {
	var out []DocumentSummary
	err := s.store.View(ctx, func(tx Tx) error {
		for _, id := range ids {
			d, err := tx.DocumentByID(id)
			if err != nil {
				return err
			}
			p, err := tx.PlatformByID(d.PlatformID)
			if err != nil {
				return err
			}
			out = append(out, DocumentSummary{Document: d, PlatformSlug: p.Slug, PlatformName: p.Name})
		}
		return nil
	})
	return out, err
}

// checkRound checks the queued round this process started: its share of
// the documents, then, while other workers still hold claims, waits and
// takes over the claims whose lease ran out. It returns what this process
// checked; the round is over when every document is done.
func (s *Service) checkRound(ctx context.Context, q QueueClaimer, opts CheckOptions, worker string) (CheckSummary, error) {
	sum, err := s.checkQueued(ctx, q, opts, worker)
	for err == nil && ctx.Err() == nil {
		st, serr := s.QueueStatus(ctx)
		if serr != nil {
			return sum, serr
		}
		if st.Claimed == 0 && st.Waiting == 0 {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(queueWait):
		}
		var more CheckSummary
		more, err = s.checkQueued(ctx, q, opts, worker)
		sum.add(more)
	}
	if ctx.Err() != nil {
		sum.Cancelled = true
	}
	return sum, err
}

// helpRound joins a round another process started and holds the lock for:
// it checks documents from its queue. The round's documents are queued in
// the transaction that takes the lock, a moment after the lock is taken
// elsewhere, so it looks a few times before it concludes that the holder
// is not sharing a round (a check of some documents only) and reports false.
func (s *Service) helpRound(ctx context.Context, q QueueClaimer, opts CheckOptions, worker string) (CheckSummary, bool, error) {
	for look := 0; ; look++ {
		st, err := s.QueueStatus(ctx)
		if err != nil {
			return CheckSummary{}, false, err
		}
		if st.Waiting > 0 {
			break
		}
		if look == helpLooks || ctx.Err() != nil {
			return CheckSummary{}, false, ctx.Err()
		}
		select {
		case <-ctx.Done():
		case <-time.After(helpLookEvery):
		}
	}
	sum, err := s.checkQueued(ctx, q, opts, worker)
	return sum, true, err
}

// How long helpRound looks for a round's documents to be queued.
const (
	helpLooks     = 20
	helpLookEvery = 50 * time.Millisecond
)

// add adds another run's counts to s.
func (s *CheckSummary) add(o CheckSummary) {
	s.Checked += o.Checked
	s.Changed += o.Changed
	s.Unchanged += o.Unchanged
	s.Failed += o.Failed
	s.NewChanges = append(s.NewChanges, o.NewChanges...)
	s.Cancelled = s.Cancelled || o.Cancelled
	if o.Seal != "" {
		s.Seal = o.Seal
	}
}

// workerName names this process in the queue's claims.
func workerName(holder string) string {
	p := thisProcess(holder)
	return fmt.Sprintf("%s@%s:%d", p.holder, p.host, p.pid)
}
