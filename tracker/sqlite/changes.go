package sqlite

import (
	"fmt"
	"strings"
	"time"

	"policywatch/tracker"
)

// SaveChange stores or re-analyses the change between two versions.
func (t *tx) SaveChange(c *tracker.Change, record []byte, findings []tracker.FindingRow) error {
	if len(record) == 0 {
		record = []byte("{}")
	}
	err := t.queryRow(`INSERT INTO changes (document_id, from_version_id, to_version_id, detected_at, substantive,
			exposure, exposure_rank, summary, rationale, added_words, removed_words, record_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (from_version_id, to_version_id) DO UPDATE SET substantive = excluded.substantive,
			exposure = excluded.exposure, exposure_rank = excluded.exposure_rank, summary = excluded.summary,
			rationale = excluded.rationale, added_words = excluded.added_words,
			removed_words = excluded.removed_words, record_json = excluded.record_json
		RETURNING id`,
		c.DocumentID, c.FromVersionID, c.ToVersionID, formatTime(c.DetectedAt), boolInt(c.Substantive),
		c.Exposure, tracker.ExposureRank(c.Exposure), c.Summary, c.Rationale, c.AddedWords, c.RemovedWords,
		string(record)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("save change of document %d: %w", c.DocumentID, err)
	}
	if _, err := t.exec(`DELETE FROM findings WHERE change_id = ?`, c.ID); err != nil {
		return fmt.Errorf("replace findings of change %d: %w", c.ID, err)
	}
	for i, f := range findings {
		var fid int64
		if err := t.queryRow(`INSERT INTO findings (change_id, seq, category, direction, exposure, heading, evidence, rule)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ID, i, f.Category, f.Direction, f.Exposure, f.Heading, f.Evidence, f.Rule).Scan(&fid); err != nil {
			return fmt.Errorf("save finding of change %d: %w", c.ID, err)
		}
		for _, code := range f.Jurisdictions {
			if _, err := t.exec(`INSERT OR IGNORE INTO finding_jurisdictions (finding_id, code) VALUES (?, ?)`, fid, code); err != nil {
				return fmt.Errorf("save finding of change %d: %w", c.ID, err)
			}
		}
	}
	return nil
}

const changeColumns = `c.id, c.document_id, c.from_version_id, c.to_version_id, c.detected_at, c.substantive,
	c.exposure, c.summary, c.rationale, c.added_words, c.removed_words, c.reviewed_at, c.reviewed_by, c.review_note,
	p.slug, p.name, d.kind,
	COALESCE((SELECT group_concat(category, ',') FROM (SELECT DISTINCT category FROM findings f
		WHERE f.change_id = c.id ORDER BY category)), '')`

const changeFrom = ` FROM changes c JOIN documents d ON d.id = c.document_id JOIN platforms p ON p.id = d.platform_id`

func scanChange(s interface{ Scan(...any) error }, extra ...any) (tracker.ChangeSummary, error) {
	var c tracker.ChangeSummary
	var detected, reviewed, cats string
	dest := append([]any{&c.ID, &c.DocumentID, &c.FromVersionID, &c.ToVersionID, &detected, &c.Substantive,
		&c.Exposure, &c.Summary, &c.Rationale, &c.AddedWords, &c.RemovedWords, &reviewed, &c.ReviewedBy, &c.ReviewNote,
		&c.PlatformSlug, &c.PlatformName, &c.Kind, &cats}, extra...)
	if err := s.Scan(dest...); err != nil {
		return c, err
	}
	c.DetectedAt = parseTime(detected)
	c.ReviewedAt = parseTime(reviewed)
	if cats != "" {
		c.Categories = strings.Split(cats, ",")
	}
	return c, nil
}

// ChangeByID returns a change and its analysis record.
func (t *tx) ChangeByID(id int64) (tracker.ChangeSummary, []byte, error) {
	var record string
	c, err := scanChange(t.queryRow(`SELECT `+changeColumns+`, c.record_json`+changeFrom+` WHERE c.id = ?`, id), &record)
	if err != nil {
		return c, nil, notFound(err, fmt.Sprintf("change %d", id))
	}
	return c, []byte(record), nil
}

// ChangeForPair returns the change between two versions.
func (t *tx) ChangeForPair(fromID, toID int64) (tracker.Change, error) {
	c, err := scanChange(t.queryRow(`SELECT `+changeColumns+changeFrom+` WHERE c.from_version_id = ? AND c.to_version_id = ?`, fromID, toID))
	return c.Change, notFound(err, fmt.Sprintf("change %d→%d", fromID, toID))
}

func changeWhere(f tracker.ChangeFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if !f.Since.IsZero() {
		add(`c.detected_at >= ?`, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		add(`c.detected_at < ?`, formatTime(f.Until))
	}
	if len(f.PlatformSlugs) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?,", len(f.PlatformSlugs)), ",")
		cond := `p.slug IN (` + marks + `)`
		for _, s := range f.PlatformSlugs {
			args = append(args, s)
		}
		where = append(where, cond)
	}
	if f.DocumentID != 0 {
		add(`c.document_id = ?`, f.DocumentID)
	}
	if f.Kind != "" {
		add(`d.kind = ?`, f.Kind)
	}
	if f.Category != "" {
		add(`EXISTS (SELECT 1 FROM findings f WHERE f.change_id = c.id AND f.category = ?)`, f.Category)
	}
	if f.Jurisdiction != "" {
		// CROSS JOIN fixes the join order (findings of this change first, then
		// their jurisdiction by primary key); left to itself SQLite may scan
		// every finding of the jurisdiction for every change.
		add(`EXISTS (SELECT 1 FROM findings f CROSS JOIN finding_jurisdictions j
			WHERE f.change_id = c.id AND j.finding_id = f.id AND j.code = ?)`, f.Jurisdiction)
	}
	if r := tracker.ExposureRank(f.MinExposure); r > 0 {
		add(`c.exposure_rank >= ?`, r)
	}
	if f.Substantive != nil {
		add(`c.substantive = ?`, boolInt(*f.Substantive))
	}
	if f.Reviewed != nil {
		if *f.Reviewed {
			add(`c.reviewed_at <> ''`)
		} else {
			add(`c.reviewed_at = ''`)
		}
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ListChanges lists matching changes, newest first.
func (t *tx) ListChanges(f tracker.ChangeFilter) ([]tracker.ChangeSummary, error) {
	where, args := changeWhere(f)
	q := `SELECT ` + changeColumns + changeFrom + where + ` ORDER BY c.detected_at DESC, c.id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, f.Limit, f.Offset)
	}
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("list changes: %w", err)
	}
	defer rows.Close()
	var out []tracker.ChangeSummary
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, fmt.Errorf("list changes: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountChanges counts matching changes.
func (t *tx) CountChanges(f tracker.ChangeFilter) (int, error) {
	where, args := changeWhere(f)
	var n int
	if err := t.queryRow(`SELECT COUNT(*)`+changeFrom+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count changes: %w", err)
	}
	return n, nil
}

// ListFindings lists a change's stored findings with their jurisdictions.
func (t *tx) ListFindings(changeID int64) ([]tracker.FindingRow, error) {
	rows, err := t.query(`SELECT f.category, f.direction, f.exposure, f.heading, f.evidence, f.rule,
			COALESCE((SELECT group_concat(code, ',') FROM finding_jurisdictions j WHERE j.finding_id = f.id), '')
		FROM findings f WHERE f.change_id = ? ORDER BY f.seq`, changeID)
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	defer rows.Close()
	var out []tracker.FindingRow
	for rows.Next() {
		var f tracker.FindingRow
		var codes string
		if err := rows.Scan(&f.Category, &f.Direction, &f.Exposure, &f.Heading, &f.Evidence, &f.Rule, &codes); err != nil {
			return nil, fmt.Errorf("list findings: %w", err)
		}
		if codes != "" {
			f.Jurisdictions = strings.Split(codes, ",")
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// MarkReviewed records a review of a change, or clears it when at is zero.
func (t *tx) MarkReviewed(changeID int64, at time.Time, by, note string) error {
	res, err := t.exec(`UPDATE changes SET reviewed_at = ?, reviewed_by = ?, review_note = ? WHERE id = ?`, formatTime(at), by, note, changeID)
	if err != nil {
		return fmt.Errorf("mark change %d reviewed: %w", changeID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("change %d: %w", changeID, tracker.ErrNotFound)
	}
	return nil
}
