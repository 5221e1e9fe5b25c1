package sqlite

import (
	"encoding/json"
	"fmt"
	"strings"

	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

const auditColumns = `id, at, actor, action, subject, detail, data, prev_hash, hash`

func scanAudit(s interface{ Scan(...any) error }) (tracker.AuditEntry, error) {
	var e tracker.AuditEntry
	var at, data string
	err := s.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &e.Detail, &data, &e.PrevHash, &e.Hash)
	e.At = parseTime(at)
	if data != "" {
		e.Data = json.RawMessage(data)
	}
	return e, err
}

// LastAudit returns the newest audit entry.
func (t *tx) LastAudit() (tracker.AuditEntry, error) {
	e, err := scanAudit(t.queryRow(`SELECT ` + auditColumns + ` FROM audit_log ORDER BY id DESC LIMIT 1`))
	return e, notFound(err, "last audit entry")
}

// FindAudit returns the oldest (or newest) entry with the given action.
func (t *tx) FindAudit(action string, newest bool) (tracker.AuditEntry, error) {
	order := "ASC"
	if newest {
		order = "DESC"
	}
	e, err := scanAudit(t.queryRow(`SELECT `+auditColumns+` FROM audit_log WHERE action = ? ORDER BY id `+order+` LIMIT 1`, action))
	return e, notFound(err, "audit entry "+action)
}

// LastAuditAbout returns the newest entry about subject.
func (t *tx) LastAuditAbout(subject string) (tracker.AuditEntry, error) {
	e, err := scanAudit(t.queryRow(`SELECT `+auditColumns+` FROM audit_log WHERE subject = ? ORDER BY id DESC LIMIT 1`, subject))
	return e, notFound(err, "audit entry about "+subject)
}

// InsertAudit appends an entry exactly as given.
func (t *tx) InsertAudit(e *tracker.AuditEntry) error {
	q := `INSERT INTO audit_log (at, actor, action, subject, detail, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	args := []any{formatTime(e.At), e.Actor, e.Action, e.Subject, e.Detail, string(e.Data), e.PrevHash, e.Hash}
	if e.ID != 0 {
		q = `INSERT INTO audit_log (id, at, actor, action, subject, detail, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
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

// EachAudit calls fn with every entry after afterID, oldest first.
func (t *tx) EachAudit(afterID int64, fn func(tracker.AuditEntry) error) error {
	rows, err := t.query(`SELECT `+auditColumns+` FROM audit_log WHERE id > ? ORDER BY id`, afterID)
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return fmt.Errorf("read audit log: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

const checkpointColumns = `id, archive, entries, head, at, key_fingerprint, public_key, signature, tsa_url, tsa_token`

// InsertCheckpoint appends a signed checkpoint.
func (t *tx) InsertCheckpoint(c *evidence.Checkpoint) error {
	err := t.queryRow(`INSERT INTO checkpoints (archive, entries, head, at, key_fingerprint, public_key, signature, tsa_url, tsa_token)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.Archive, c.Entries, c.Head, formatTime(c.At), c.Key, c.PublicKey,
		c.Signature, c.TSA, c.Timestamp).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("save checkpoint: %w", err)
	}
	return nil
}

// ListCheckpoints lists every checkpoint, oldest first.
func (t *tx) ListCheckpoints() ([]evidence.Checkpoint, error) {
	rows, err := t.query(`SELECT ` + checkpointColumns + ` FROM checkpoints ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read checkpoints: %w", err)
	}
	defer rows.Close()
	var out []evidence.Checkpoint
	for rows.Next() {
		var c evidence.Checkpoint
		var at string
		if err := rows.Scan(&c.ID, &c.Archive, &c.Entries, &c.Head, &at, &c.Key, &c.PublicKey, &c.Signature, &c.TSA, &c.Timestamp); err != nil {
			return nil, fmt.Errorf("read checkpoints: %w", err)
		}
		c.At, c.Format = parseTime(at), evidence.CheckpointFormat
		out = append(out, c)
	}
	return out, rows.Err()
}

// EachVersion calls fn with every version, text and raw bytes included, by id.
func (t *tx) EachVersion(fn func(tracker.Version) error) error {
	rows, err := t.query(`SELECT ` + versionColumns + ` FROM versions v ORDER BY v.id`)
	if err != nil {
		return fmt.Errorf("read versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return fmt.Errorf("read versions: %w", err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

const changeEvidenceColumns = `c.id, c.document_id, c.from_version_id, c.to_version_id, c.detected_at, c.substantive,
	c.exposure, c.exposure_rank, c.summary, c.rationale, c.added_words, c.removed_words, c.record_json,
	c.reviewed_at, c.reviewed_by, c.review_note`

func scanChangeEvidence(s interface{ Scan(...any) error }) (tracker.ChangeEvidence, error) {
	var c tracker.ChangeEvidence
	var detected, reviewed, record string
	err := s.Scan(&c.ID, &c.DocumentID, &c.FromVersionID, &c.ToVersionID, &detected, &c.Substantive, &c.Exposure,
		&c.ExposureRank, &c.Summary, &c.Rationale, &c.AddedWords, &c.RemovedWords, &record, &reviewed, &c.ReviewedBy, &c.ReviewNote)
	c.DetectedAt, c.ReviewedAt, c.Record = parseTime(detected), parseTime(reviewed), []byte(record)
	return c, err
}

const findingEvidence = `SELECT f.change_id, f.category, f.direction, f.exposure, f.heading, f.evidence, f.rule,
		COALESCE((SELECT group_concat(code, ',') FROM finding_jurisdictions j WHERE j.finding_id = f.id), '')
	FROM findings f`

func scanFinding(s interface{ Scan(...any) error }) (int64, tracker.FindingRow, error) {
	var f tracker.FindingRow
	var changeID int64
	var codes string
	err := s.Scan(&changeID, &f.Category, &f.Direction, &f.Exposure, &f.Heading, &f.Evidence, &f.Rule, &codes)
	if codes != "" {
		f.Jurisdictions = strings.Split(codes, ",")
	}
	return changeID, f, err
}

// ChangeEvidence returns everything stored of one change's analysis.
func (t *tx) ChangeEvidence(id int64) (tracker.ChangeEvidence, error) {
	c, err := scanChangeEvidence(t.queryRow(`SELECT `+changeEvidenceColumns+` FROM changes c WHERE c.id = ?`, id))
	if err != nil {
		return c, notFound(err, fmt.Sprintf("change %d", id))
	}
	rows, err := t.query(findingEvidence+` WHERE f.change_id = ? ORDER BY f.seq, f.id`, id)
	if err != nil {
		return c, fmt.Errorf("read findings of change %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		_, f, err := scanFinding(rows)
		if err != nil {
			return c, fmt.Errorf("read findings of change %d: %w", id, err)
		}
		c.Findings = append(c.Findings, f)
	}
	return c, rows.Err()
}

// EachChangeEvidence calls fn with every change and its findings, by id. It
// walks changes and findings side by side in two ordered scans.
func (t *tx) EachChangeEvidence(fn func(tracker.ChangeEvidence) error) error {
	changes, err := t.query(`SELECT ` + changeEvidenceColumns + ` FROM changes c ORDER BY c.id`)
	if err != nil {
		return fmt.Errorf("read changes: %w", err)
	}
	defer changes.Close()
	findings, err := t.query(findingEvidence + ` ORDER BY f.change_id, f.seq, f.id`)
	if err != nil {
		return fmt.Errorf("read findings: %w", err)
	}
	defer findings.Close()
	var pendingID int64 = -1
	var pending tracker.FindingRow
	nextFinding := func() error {
		if !findings.Next() {
			pendingID = -1
			return findings.Err()
		}
		var err error
		pendingID, pending, err = scanFinding(findings)
		return err
	}
	if err := nextFinding(); err != nil {
		return fmt.Errorf("read findings: %w", err)
	}
	for changes.Next() {
		c, err := scanChangeEvidence(changes)
		if err != nil {
			return fmt.Errorf("read changes: %w", err)
		}
		for pendingID != -1 && pendingID <= c.ID {
			if pendingID == c.ID {
				c.Findings = append(c.Findings, pending)
			}
			if err := nextFinding(); err != nil {
				return fmt.Errorf("read findings: %w", err)
			}
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return changes.Err()
}

// EachChecklistItem calls fn with every checklist item, by id.
func (t *tx) EachChecklistItem(fn func(tracker.ChecklistItem) error) error {
	rows, err := t.query(`SELECT ` + checklistColumns + ` FROM checklist_items i ORDER BY i.id`)
	if err != nil {
		return fmt.Errorf("read checklist: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanChecklist(rows)
		if err != nil {
			return fmt.Errorf("read checklist: %w", err)
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return rows.Err()
}
