package tracker

import (
	"context"
	"fmt"
	"time"
)

// appendAudit seals and appends a plain event (no record facts) inside tx.
func appendAudit(tx Tx, at time.Time, actor, action, subject, detail string) error {
	return appendEntry(tx, at, actor, action, subject, detail, nil)
}

// AuditBreak describes the first problem verification found.
type AuditBreak struct {
	EntryID int64
	Reason  string
}

// Error describes the break.
func (b *AuditBreak) Error() string {
	if b.EntryID == 0 {
		return "archive verification failed: " + b.Reason
	}
	return fmt.Sprintf("audit log broken at entry %d: %s", b.EntryID, b.Reason)
}

// VerifyAudit verifies the archive against its log (see VerifyArchive) and
// returns the number of log entries and, when anything fails, an
// *AuditBreak describing the first problem.
func (s *Service) VerifyAudit(ctx context.Context) (int, error) {
	v, err := s.VerifyArchive(ctx)
	if err != nil {
		return 0, err
	}
	if len(v.Problems) > 0 {
		p := v.Problems[0]
		return int(v.Entries), &AuditBreak{EntryID: p.Entry, Reason: p.String()}
	}
	return int(v.Entries), nil
}

// AuditLog lists audit entries after afterID, oldest first (limit 0 = all).
func (s *Service) AuditLog(ctx context.Context, afterID int64, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.ListAudit(afterID, limit)
		return err
	})
	return out, err
}
