package postgres

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

const auditColumns = `id, at, actor, action, subject, detail, data, prev_hash, hash`

func scanAudit(s interface{ Scan(...any) error }) (tracker.AuditEntry, error) {
	var e tracker.AuditEntry
	var at time.Time
	var data string
	err := s.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &e.Detail, &data, &e.PrevHash, &e.Hash)
	e.At = at.UTC()
	if data != "" {
		e.Data = json.RawMessage(data)
	}
	return e, err
}

// LastAudit returns the newest audit entry. Inside Update the archive's
// write lock is already held, so the entry appended after it cannot race
// with another machine's.
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
	e, err := scanAudit(t.queryRow(`SELECT `+auditColumns+` FROM audit_log WHERE action = $1 ORDER BY id `+order+` LIMIT 1`, action))
	return e, notFound(err, "audit entry "+action)
}

// LastAuditAbout returns the newest entry about subject.
func (t *tx) LastAuditAbout(subject string) (tracker.AuditEntry, error) {
	e, err := scanAudit(t.queryRow(`SELECT `+auditColumns+` FROM audit_log WHERE subject = $1 ORDER BY id DESC LIMIT 1`, subject))
	return e, notFound(err, "audit entry about "+subject)
}

// InsertAudit appends an entry exactly as given (its id is part of its
// hash); an entry without an id gets the next one.
func (t *tx) InsertAudit(e *tracker.AuditEntry) error {
	args := []any{ts(e.At), e.Actor, e.Action, e.Subject, e.Detail, string(e.Data), e.PrevHash, e.Hash}
	q := `INSERT INTO audit_log (id, at, actor, action, subject, detail, data, prev_hash, hash)
		VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log), $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`
	if e.ID != 0 {
		q = `INSERT INTO audit_log (id, at, actor, action, subject, detail, data, prev_hash, hash)
			VALUES ($9, $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`
		args = append(args, e.ID)
	}
	if err := t.queryRow(q, args...).Scan(&e.ID); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	return nil
}

// ListAudit lists entries after afterID, oldest first.
func (t *tx) ListAudit(afterID int64, limit int) ([]tracker.AuditEntry, error) {
	q := `SELECT ` + auditColumns + ` FROM audit_log WHERE id > $1 ORDER BY id`
	args := []any{afterID}
	if limit > 0 {
		q += ` LIMIT $2`
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

// EachAudit calls fn with every entry after afterID, oldest first. Entries
// are read a page at a time, so that fn may use the transaction itself (a
// connection runs one query at a time).
func (t *tx) EachAudit(afterID int64, fn func(tracker.AuditEntry) error) error {
	return eachPage(afterID, 2000, func(after int64, n int) ([]tracker.AuditEntry, error) {
		return t.ListAudit(after, n)
	}, func(e tracker.AuditEntry) int64 { return e.ID }, fn)
}

// eachPage calls fn with every row that page returns, a page of n rows with
// ids above the last one at a time.
func eachPage[T any](after int64, n int, page func(after int64, n int) ([]T, error), id func(T) int64, fn func(T) error) error {
	for {
		batch, err := page(after, n)
		if err != nil {
			return err
		}
		for _, r := range batch {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(batch) < n {
			return nil
		}
		after = id(batch[len(batch)-1])
	}
}

const checkpointColumns = `id, archive, entries, head, at, key_fingerprint, public_key, signature, tsa_url, tsa_token`

// InsertCheckpoint appends a signed checkpoint.
func (t *tx) InsertCheckpoint(c *evidence.Checkpoint) error {
	err := t.queryRow(`INSERT INTO checkpoints (archive, entries, head, at, key_fingerprint, public_key, signature, tsa_url, tsa_token)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, c.Archive, c.Entries, c.Head, ts(c.At), c.Key, c.PublicKey,
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
		var at time.Time
		if err := rows.Scan(&c.ID, &c.Archive, &c.Entries, &c.Head, &at, &c.Key, &c.PublicKey, &c.Signature, &c.TSA, &c.Timestamp); err != nil {
			return nil, fmt.Errorf("read checkpoints: %w", err)
		}
		c.At, c.Format = at.UTC(), evidence.CheckpointFormat
		out = append(out, c)
	}
	return out, rows.Err()
}

// EachVersion calls fn with every version, text and raw bytes included, by
// id, a page of versions at a time.
func (t *tx) EachVersion(fn func(tracker.Version) error) error {
	return eachPage(0, 50, func(after int64, n int) ([]tracker.Version, error) {
		rows, err := t.query(`SELECT `+versionColumns+` FROM versions v WHERE v.id > $1 ORDER BY v.id LIMIT $2`, after, n)
		if err != nil {
			return nil, fmt.Errorf("read versions: %w", err)
		}
		defer rows.Close()
		var out []tracker.Version
		for rows.Next() {
			v, err := scanVersion(rows)
			if err != nil {
				return nil, fmt.Errorf("read versions: %w", err)
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}, func(v tracker.Version) int64 { return v.ID }, fn)
}

const changeEvidenceColumns = `c.id, c.document_id, c.from_version_id, c.to_version_id, c.detected_at, c.substantive,
	c.exposure, c.exposure_rank, c.summary, c.rationale, c.added_words, c.removed_words, c.record_json,
	c.reviewed_at, c.reviewed_by, c.review_note`

func scanChangeEvidence(s interface{ Scan(...any) error }) (tracker.ChangeEvidence, error) {
	var c tracker.ChangeEvidence
	var detected time.Time
	var reviewed *time.Time
	var record string
	err := s.Scan(&c.ID, &c.DocumentID, &c.FromVersionID, &c.ToVersionID, &detected, &c.Substantive, &c.Exposure,
		&c.ExposureRank, &c.Summary, &c.Rationale, &c.AddedWords, &c.RemovedWords, &record, &reviewed, &c.ReviewedBy, &c.ReviewNote)
	c.DetectedAt, c.ReviewedAt, c.Record = detected.UTC(), timeOf(reviewed), []byte(record)
	return c, err
}

const findingEvidence = `SELECT f.change_id, f.category, f.direction, f.exposure, f.heading, f.evidence, f.rule, ` +
	jurisdictionsOf + ` FROM findings f`

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
	c, err := scanChangeEvidence(t.queryRow(`SELECT `+changeEvidenceColumns+` FROM changes c WHERE c.id = $1`, id))
	if err != nil {
		return c, notFound(err, fmt.Sprintf("change %d", id))
	}
	rows, err := t.query(findingEvidence+` WHERE f.change_id = $1 ORDER BY f.seq, f.id`, id)
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

// EachChangeEvidence calls fn with every change and its findings, by id, a
// page of changes at a time.
func (t *tx) EachChangeEvidence(fn func(tracker.ChangeEvidence) error) error {
	return eachPage(0, 500, t.changeEvidencePage, func(c tracker.ChangeEvidence) int64 { return c.ID }, fn)
}

// changeEvidencePage reads up to n changes with ids above after, with their findings.
func (t *tx) changeEvidencePage(after int64, n int) ([]tracker.ChangeEvidence, error) {
	rows, err := t.query(`SELECT `+changeEvidenceColumns+` FROM changes c WHERE c.id > $1 ORDER BY c.id LIMIT $2`, after, n)
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	var out []tracker.ChangeEvidence
	index := map[int64]int{}
	for rows.Next() {
		c, err := scanChangeEvidence(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("read changes: %w", err)
		}
		index[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	frows, err := t.query(findingEvidence+` WHERE f.change_id > $1 AND f.change_id <= $2 ORDER BY f.change_id, f.seq, f.id`,
		after, out[len(out)-1].ID)
	if err != nil {
		return nil, fmt.Errorf("read findings: %w", err)
	}
	defer frows.Close()
	for frows.Next() {
		id, f, err := scanFinding(frows)
		if err != nil {
			return nil, fmt.Errorf("read findings: %w", err)
		}
		if i, ok := index[id]; ok {
			out[i].Findings = append(out[i].Findings, f)
		}
	}
	return out, frows.Err()
}

// EachChecklistItem calls fn with every checklist item, by id, a page at a time.
func (t *tx) EachChecklistItem(fn func(tracker.ChecklistItem) error) error {
	return eachPage(0, 2000, func(after int64, n int) ([]tracker.ChecklistItem, error) {
		rows, err := t.query(`SELECT `+checklistColumns+` FROM checklist_items i WHERE i.id > $1 ORDER BY i.id LIMIT $2`, after, n)
		if err != nil {
			return nil, fmt.Errorf("read checklist: %w", err)
		}
		defer rows.Close()
		var out []tracker.ChecklistItem
		for rows.Next() {
			it, err := scanChecklist(rows)
			if err != nil {
				return nil, fmt.Errorf("read checklist: %w", err)
			}
			out = append(out, it)
		}
		return out, rows.Err()
	}, func(it tracker.ChecklistItem) int64 { return it.ID }, fn)
}
