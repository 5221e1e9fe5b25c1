package sqlite

import (
	"fmt"

	"policywatch/tracker"
)

const auditColumns = `id, at, actor, action, subject, detail, prev_hash, hash`

func scanAudit(s interface{ Scan(...any) error }) (tracker.AuditEntry, error) {
	var e tracker.AuditEntry
	var at string
	err := s.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &e.Detail, &e.PrevHash, &e.Hash)
	e.At = parseTime(at)
	return e, err
}

// LastAudit returns the newest audit entry.
func (t *tx) LastAudit() (tracker.AuditEntry, error) {
	e, err := scanAudit(t.queryRow(`SELECT ` + auditColumns + ` FROM audit_log ORDER BY id DESC LIMIT 1`))
	return e, notFound(err, "last audit entry")
}

// InsertAudit appends an entry exactly as given.
func (t *tx) InsertAudit(e *tracker.AuditEntry) error {
	q := `INSERT INTO audit_log (at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`
	args := []any{formatTime(e.At), e.Actor, e.Action, e.Subject, e.Detail, e.PrevHash, e.Hash}
	if e.ID != 0 {
		q = `INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
		args = append([]any{e.ID}, args...)
	}
	if err := t.queryRow(q, args...).Scan(&e.ID); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// ListAudit lists entries after afterID, oldest first.
func (t *tx) ListAudit(afterID int64, limit int) ([]tracker.AuditEntry, error) {
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE id > ? ORDER BY id`
	args := []any{afterID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []tracker.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("read audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
