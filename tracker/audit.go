package tracker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// genesisHash is the previous-hash of the first audit entry.
var genesisHash = strings.Repeat("0", 64)

// auditTimeLayout is the precision audit times are hashed (and stored) at.
const auditTimeLayout = "2006-01-02T15:04:05.000Z"

// AuditHash returns the hash that seals an entry: SHA-256 over the previous
// entry's hash and every field of this one, including its id, so an edited,
// deleted or reordered row breaks the chain.
func AuditHash(e AuditEntry) string {
	h := sha256.New()
	for _, field := range []string{e.PrevHash, strconv.FormatInt(e.ID, 10), e.At.UTC().Format(auditTimeLayout),
		e.Actor, e.Action, e.Subject, e.Detail} {
		h.Write([]byte(strconv.Itoa(len(field))))
		h.Write([]byte{':'})
		h.Write([]byte(field))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// appendAudit seals and appends an entry inside tx.
func appendAudit(tx Tx, at time.Time, actor, action, subject, detail string) error {
	e := AuditEntry{At: at.UTC().Truncate(time.Millisecond), Actor: actor, Action: action, Subject: subject, Detail: detail,
		PrevHash: genesisHash, ID: 1}
	last, err := tx.LastAudit()
	switch {
	case err == nil:
		e.PrevHash, e.ID = last.Hash, last.ID+1
	case !errors.Is(err, ErrNotFound):
		return err
	}
	e.Hash = AuditHash(e)
	return tx.InsertAudit(&e)
}

// AuditBreak describes where a verified audit chain is broken.
type AuditBreak struct {
	EntryID int64
	Reason  string
}

// Error describes the break.
func (b *AuditBreak) Error() string {
	return fmt.Sprintf("audit log broken at entry %d: %s", b.EntryID, b.Reason)
}

// VerifyAudit recomputes the audit chain. It returns the number of entries
// checked and an *AuditBreak naming the first broken entry, if any.
func (s *Service) VerifyAudit(ctx context.Context) (int, error) {
	checked := 0
	prev := AuditEntry{Hash: genesisHash}
	err := s.store.View(ctx, func(tx Tx) error {
		after := int64(0)
		for {
			batch, err := tx.ListAudit(after, 1000)
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				return nil
			}
			for _, e := range batch {
				if e.ID != prev.ID+1 {
					return &AuditBreak{EntryID: e.ID, Reason: fmt.Sprintf("entry %d is missing (deleted?)", prev.ID+1)}
				}
				if e.PrevHash != prev.Hash {
					return &AuditBreak{EntryID: e.ID, Reason: "its previous-hash does not match the entry before it (edited, deleted or reordered rows)"}
				}
				if AuditHash(e) != e.Hash {
					return &AuditBreak{EntryID: e.ID, Reason: "its content does not match its hash (edited)"}
				}
				prev = e
				checked++
			}
			after = batch[len(batch)-1].ID
		}
	})
	return checked, err
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
