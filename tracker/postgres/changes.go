package postgres

import (
	"fmt"
	"strings"
	"time"

	"policywatch/tracker"
)

// SaveChange stores or re-analyses the change between two versions,
// keeping its review.
func (t *tx) SaveChange(c *tracker.Change, record []byte, findings []tracker.FindingRow) error {
	if len(record) == 0 {
		record = []byte("{}")
	}
	err := t.queryRow(`INSERT INTO changes (document_id, from_version_id, to_version_id, detected_at, substantive,
			exposure, exposure_rank, summary, rationale, added_words, removed_words, record_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (from_version_id, to_version_id) DO UPDATE SET substantive = excluded.substantive,
			exposure = excluded.exposure, exposure_rank = excluded.exposure_rank, summary = excluded.summary,
			rationale = excluded.rationale, added_words = excluded.added_words,
			removed_words = excluded.removed_words, record_json = excluded.record_json
		RETURNING id`,
		c.DocumentID, c.FromVersionID, c.ToVersionID, ts(c.DetectedAt), c.Substantive,
		c.Exposure, tracker.ExposureRank(c.Exposure), c.Summary, c.Rationale, c.AddedWords, c.RemovedWords,
		string(record)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("save change of document %d: %w", c.DocumentID, err)
	}
	if _, err := t.exec(`DELETE FROM findings WHERE change_id = $1`, c.ID); err != nil {
		return fmt.Errorf("replace findings of change %d: %w", c.ID, err)
	}
	for i, f := range findings {
		var fid int64
		if err := t.queryRow(`INSERT INTO findings (change_id, seq, category, direction, exposure, heading, evidence, rule)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			c.ID, i, f.Category, f.Direction, f.Exposure, f.Heading, f.Evidence, f.Rule).Scan(&fid); err != nil {
			return fmt.Errorf("save finding of change %d: %w", c.ID, err)
		}
		for _, code := range f.Jurisdictions {
			if _, err := t.exec(`INSERT INTO finding_jurisdictions (finding_id, code) VALUES ($1, $2)
				ON CONFLICT DO NOTHING`, fid, code); err != nil {
				return fmt.Errorf("save finding of change %d: %w", c.ID, err)
			}
		}
	}
	return nil
}

// categoriesOf lists a change's distinct finding categories in byte order,
// comma-separated.
const categoriesOf = `COALESCE((SELECT string_agg(DISTINCT f.category COLLATE "C", ',' ORDER BY f.category COLLATE "C") FROM findings f
		WHERE f.change_id = c.id), '')`

const changeColumns = `c.id, c.document_id, c.from_version_id, c.to_version_id, c.detected_at, c.substantive,
	c.exposure, c.summary, c.rationale, c.added_words, c.removed_words, c.reviewed_at, c.reviewed_by, c.review_note,
	p.slug, p.name, d.kind, ` + categoriesOf

const changeFrom = ` FROM changes c JOIN documents d ON d.id = c.document_id JOIN platforms p ON p.id = d.platform_id`

func scanChange(s interface{ Scan(...any) error }, extra ...any) (tracker.ChangeSummary, error) {
	var c tracker.ChangeSummary
	var detected time.Time
	var reviewed *time.Time
	var cats string
	dest := append([]any{&c.ID, &c.DocumentID, &c.FromVersionID, &c.ToVersionID, &detected, &c.Substantive,
		&c.Exposure, &c.Summary, &c.Rationale, &c.AddedWords, &c.RemovedWords, &reviewed, &c.ReviewedBy, &c.ReviewNote,
		&c.PlatformSlug, &c.PlatformName, &c.Kind, &cats}, extra...)
	if err := s.Scan(dest...); err != nil {
		return c, err
	}
	c.DetectedAt = detected.UTC()
	c.ReviewedAt = timeOf(reviewed)
	if cats != "" {
		c.Categories = strings.Split(cats, ",")
	}
	return c, nil
}

// ChangeByID returns a change and its analysis record.
func (t *tx) ChangeByID(id int64) (tracker.ChangeSummary, []byte, error) {
	var record string
	c, err := scanChange(t.queryRow(`SELECT `+changeColumns+`, c.record_json`+changeFrom+` WHERE c.id = $1`, id), &record)
	if err != nil {
		return c, nil, notFound(err, fmt.Sprintf("change %d", id))
	}
	return c, []byte(record), nil
}

// ChangeForPair returns the change between two versions.
func (t *tx) ChangeForPair(fromID, toID int64) (tracker.Change, error) {
	c, err := scanChange(t.queryRow(`SELECT `+changeColumns+changeFrom+` WHERE c.from_version_id = $1 AND c.to_version_id = $2`, fromID, toID))
	return c.Change, notFound(err, fmt.Sprintf("change %d→%d", fromID, toID))
}

func changeWhere(f tracker.ChangeFilter, p *params) string {
	var where []string
	if !f.Since.IsZero() {
		where = append(where, `c.detected_at >= `+p.add(ts(f.Since)))
	}
	if !f.Until.IsZero() {
		where = append(where, `c.detected_at < `+p.add(ts(f.Until)))
	}
	if len(f.PlatformSlugs) > 0 {
		where = append(where, `p.slug = ANY(`+p.add(f.PlatformSlugs)+`)`)
	}
	if f.DocumentID != 0 {
		where = append(where, `c.document_id = `+p.add(f.DocumentID))
	}
	if f.Kind != "" {
		where = append(where, `d.kind = `+p.add(f.Kind))
	}
	if f.Category != "" {
		where = append(where, `EXISTS (SELECT 1 FROM findings f WHERE f.change_id = c.id AND f.category = `+p.add(f.Category)+`)`)
	}
	if f.Jurisdiction != "" {
		where = append(where, `EXISTS (SELECT 1 FROM findings f JOIN finding_jurisdictions j ON j.finding_id = f.id
			WHERE f.change_id = c.id AND j.code = `+p.add(f.Jurisdiction)+`)`)
	}
	if r := tracker.ExposureRank(f.MinExposure); r > 0 {
		where = append(where, `c.exposure_rank >= `+p.add(r))
	}
	if f.Substantive != nil {
		where = append(where, `c.substantive = `+p.add(*f.Substantive))
	}
	if f.Reviewed != nil {
		if *f.Reviewed {
			where = append(where, `c.reviewed_at IS NOT NULL`)
		} else {
			where = append(where, `c.reviewed_at IS NULL`)
		}
	}
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

// ListChanges lists matching changes, newest first.
func (t *tx) ListChanges(f tracker.ChangeFilter) ([]tracker.ChangeSummary, error) {
	var p params
	q := `SELECT ` + changeColumns + changeFrom + changeWhere(f, &p) + ` ORDER BY c.detected_at DESC, c.id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ` + p.add(f.Limit) + ` OFFSET ` + p.add(f.Offset)
	}
	rows, err := t.query(q, p.args...)
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
	var p params
	var n int
	if err := t.queryRow(`SELECT COUNT(*)`+changeFrom+changeWhere(f, &p), p.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count changes: %w", err)
	}
	return n, nil
}

// jurisdictionsOf lists a finding's jurisdiction codes in byte order,
// comma-separated (as the SQLite store reads them through their key).
const jurisdictionsOf = `COALESCE((SELECT string_agg(j.code, ',' ORDER BY j.code COLLATE "C") FROM finding_jurisdictions j
		WHERE j.finding_id = f.id), '')`

// ListFindings lists a change's stored findings with their jurisdictions.
func (t *tx) ListFindings(changeID int64) ([]tracker.FindingRow, error) {
	rows, err := t.query(`SELECT f.category, f.direction, f.exposure, f.heading, f.evidence, f.rule, `+jurisdictionsOf+`
		FROM findings f WHERE f.change_id = $1 ORDER BY f.seq`, changeID)
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
	tag, err := t.exec(`UPDATE changes SET reviewed_at = $1, reviewed_by = $2, review_note = $3 WHERE id = $4`, ts(at), by, note, changeID)
	if err != nil {
		return fmt.Errorf("mark change %d reviewed: %w", changeID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("change %d: %w", changeID, tracker.ErrNotFound)
	}
	return nil
}
