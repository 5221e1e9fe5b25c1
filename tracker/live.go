package tracker

import (
	"context"
	"errors"
	"time"
)

// ChangeNotifier is implemented by stores that announce new log entries
// the moment they commit (PostgreSQL, through LISTEN/NOTIFY). Stores
// without it (an SQLite file) are polled.
type ChangeNotifier interface {
	// NotifyChanges returns a channel that receives a value, coalesced,
	// whenever entries may have been appended to the archive's log by any
	// process; it is closed when ctx ends.
	NotifyChanges(ctx context.Context) (<-chan struct{}, error)
}

// Live-update timing: a store without notifications is read this often;
// one with them is read on every notification and, in case one was lost
// (a dropped connection), at least this often.
const (
	livePoll         = 2 * time.Second
	liveSafetyPoll   = 30 * time.Second
	liveBatch        = 1000
	liveRetryBackoff = 5 * time.Second
)

// Subscribe calls fn with the entries appended to the archive's log from
// now on — by this process, another desktop or a `watch` worker — in log
// order, a batch at a time, until ctx ends. Every change, review, checklist
// edit, check and setting is logged, so the entries say what to show
// anew (Action and Subject: "checklist.update", "checklist:12"). fn runs
// on Subscribe's goroutine; a slow fn delays later batches, never loses
// them. Subscribe returns when ctx ends; it returns an error only when it
// cannot start.
func (s *Service) Subscribe(ctx context.Context, fn func([]AuditEntry)) error {
	head, err := s.LogHead(ctx)
	if err != nil {
		return err
	}
	return s.Follow(ctx, head, fn)
}

// Follow is Subscribe from the entry after the one with id after (a head
// read earlier with LogHead): nothing appended since then is missed.
func (s *Service) Follow(ctx context.Context, after int64, fn func([]AuditEntry)) error {
	last := after
	var err error
	poll := livePoll
	var wake <-chan struct{}
	if n, ok := s.store.(ChangeNotifier); ok {
		if wake, err = n.NotifyChanges(ctx); err != nil {
			return err
		}
		poll = liveSafetyPoll
	}
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	// Read once at once: entries committed before the store listened are
	// announced to nobody.
	first := true
	for {
		if !first {
			select {
			case <-ctx.Done():
				return nil
			case _, open := <-wake:
				if !open {
					wake = nil // ctx is ending, or the store gave up: poll
				}
			case <-ticker.C:
			}
		}
		first = false
		for ctx.Err() == nil {
			var batch []AuditEntry
			err := s.store.View(ctx, func(tx Tx) error {
				var err error
				batch, err = tx.ListAudit(last, liveBatch)
				return err
			})
			if err != nil {
				// The archive is unreachable for now: the next wake-up or
				// tick tries again from the same entry.
				select {
				case <-ctx.Done():
				case <-time.After(liveRetryBackoff):
				}
				break
			}
			if len(batch) == 0 {
				break
			}
			last = batch[len(batch)-1].ID
			fn(batch)
			if len(batch) < liveBatch {
				break
			}
		}
	}
}

// LogHead returns the id of the newest log entry (0 for an empty log).
func (s *Service) LogHead(ctx context.Context) (int64, error) {
	var id int64
	err := s.store.View(ctx, func(tx Tx) error {
		e, err := tx.LastAudit()
		if err == nil {
			id = e.ID
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		return nil
	})
	return id, err
}
