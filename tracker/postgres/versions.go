package postgres

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"time"

	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

const versionColumns = `v.id, v.document_id, v.fetched_at, v.url, v.http_status, v.content_type, v.sha256,
	v.text, v.raw_gzip, v.stated_date, v.source, v.raw_sha256, v.origin_dataset, v.origin_release, v.origin_commit, v.origin_file,
	v.captured_with`

func scanVersion(s interface{ Scan(...any) error }) (tracker.Version, error) {
	var v tracker.Version
	var fetched time.Time
	var raw []byte
	if err := s.Scan(&v.ID, &v.DocumentID, &fetched, &v.URL, &v.HTTPStatus, &v.ContentType, &v.SHA256,
		&v.Text, &raw, &v.StatedDate, &v.Source, &v.RawSHA256, &v.Origin.Dataset, &v.Origin.Release, &v.Origin.Commit,
		&v.Origin.File, &v.CapturedWith); err != nil {
		return v, err
	}
	v.FetchedAt = fetched.UTC()
	if len(raw) > 0 {
		plain, err := gunzip(raw)
		if err != nil {
			return v, fmt.Errorf("raw bytes of version %d: %w", v.ID, err)
		}
		v.Raw = plain
	}
	return v, nil
}

// InsertVersion stores a version, compressing its raw bytes.
func (t *tx) InsertVersion(v *tracker.Version) error {
	var raw []byte
	if len(v.Raw) > 0 {
		var err error
		if raw, err = gzipBytes(v.Raw); err != nil {
			return fmt.Errorf("compress raw bytes: %w", err)
		}
	}
	if v.RawSHA256 == "" && len(v.Raw) > 0 {
		v.RawSHA256 = evidence.SHA256Hex(v.Raw)
	}
	err := t.queryRow(`INSERT INTO versions (document_id, fetched_at, url, http_status, content_type, sha256, text,
			raw_gzip, raw_size, stated_date, source, raw_sha256, origin_dataset, origin_release, origin_commit, origin_file,
			captured_with)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
		v.DocumentID, ts(v.FetchedAt), v.URL, v.HTTPStatus, v.ContentType, v.SHA256, v.Text,
		raw, len(v.Raw), v.StatedDate, v.Source, v.RawSHA256, v.Origin.Dataset, v.Origin.Release, v.Origin.Commit,
		v.Origin.File, v.CapturedWith).Scan(&v.ID)
	if err != nil {
		return fmt.Errorf("save version of document %d: %w", v.DocumentID, err)
	}
	return nil
}

// LatestVersion returns a document's newest version.
func (t *tx) LatestVersion(docID int64) (tracker.Version, error) {
	v, err := scanVersion(t.queryRow(`SELECT `+versionColumns+` FROM versions v WHERE v.document_id = $1
		ORDER BY v.fetched_at DESC, v.id DESC LIMIT 1`, docID))
	return v, notFound(err, fmt.Sprintf("latest version of document %d", docID))
}

// VersionByID finds a version.
func (t *tx) VersionByID(id int64) (tracker.Version, error) {
	v, err := scanVersion(t.queryRow(`SELECT `+versionColumns+` FROM versions v WHERE v.id = $1`, id))
	return v, notFound(err, fmt.Sprintf("version %d", id))
}

// VersionAt finds a document's version fetched at exactly at (to the millisecond).
func (t *tx) VersionAt(docID int64, at time.Time) (tracker.Version, error) {
	v, err := scanVersion(t.queryRow(`SELECT `+versionColumns+` FROM versions v WHERE v.document_id = $1 AND v.fetched_at = $2`,
		docID, ts(at)))
	return v, notFound(err, fmt.Sprintf("version of document %d at %s", docID, evidence.FormatTime(at)))
}

// versionInfoColumns select a version without its text and raw bytes;
// the size is the text's length in bytes.
const versionInfoColumns = `id, document_id, fetched_at, url, http_status, sha256, stated_date, source,
	octet_length(text), raw_sha256, origin_dataset, origin_release, origin_commit, origin_file, captured_with`

func scanVersionInfo(s interface{ Scan(...any) error }) (tracker.VersionInfo, error) {
	var v tracker.VersionInfo
	var fetched time.Time
	var o tracker.Origin
	err := s.Scan(&v.ID, &v.DocumentID, &fetched, &v.URL, &v.HTTPStatus, &v.SHA256, &v.StatedDate, &v.Source, &v.Bytes,
		&v.RawSHA256, &o.Dataset, &o.Release, &o.Commit, &o.File, &v.CapturedWith)
	v.FetchedAt = fetched.UTC()
	if o != (tracker.Origin{}) {
		v.Origin = &o
	}
	return v, err
}

// LatestVersionInfo returns a document's newest version without its text.
func (t *tx) LatestVersionInfo(docID int64) (tracker.VersionInfo, error) {
	v, err := scanVersionInfo(t.queryRow(`SELECT `+versionInfoColumns+` FROM versions WHERE document_id = $1
		ORDER BY fetched_at DESC, id DESC LIMIT 1`, docID))
	return v, notFound(err, fmt.Sprintf("latest version of document %d", docID))
}

// ListVersions lists a document's versions without their text, oldest first.
func (t *tx) ListVersions(docID int64) ([]tracker.VersionInfo, error) {
	rows, err := t.query(`SELECT `+versionInfoColumns+` FROM versions WHERE document_id = $1 ORDER BY fetched_at, id`, docID)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	defer rows.Close()
	var out []tracker.VersionInfo
	for rows.Next() {
		v, err := scanVersionInfo(rows)
		if err != nil {
			return nil, fmt.Errorf("list versions: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// InsertCheckEvent stores a check event.
func (t *tx) InsertCheckEvent(e *tracker.CheckEvent) error {
	var version any
	if e.VersionID != 0 {
		version = e.VersionID
	}
	err := t.queryRow(`INSERT INTO check_events (document_id, at, status, reason, detail, http_status, version_id, sha256)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		e.DocumentID, ts(e.At), e.Status, e.Reason, e.Detail, e.HTTPStatus, version, e.SHA256).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("save check of document %d: %w", e.DocumentID, err)
	}
	return nil
}

// ListCheckEvents lists a document's check events, oldest first.
func (t *tx) ListCheckEvents(docID int64) ([]tracker.CheckEvent, error) {
	rows, err := t.query(`SELECT id, document_id, at, status, reason, detail, http_status, version_id, sha256
		FROM check_events WHERE document_id = $1 ORDER BY at, id`, docID)
	if err != nil {
		return nil, fmt.Errorf("list checks: %w", err)
	}
	defer rows.Close()
	var out []tracker.CheckEvent
	for rows.Next() {
		var e tracker.CheckEvent
		var at time.Time
		var version *int64
		if err := rows.Scan(&e.ID, &e.DocumentID, &at, &e.Status, &e.Reason, &e.Detail, &e.HTTPStatus, &version, &e.SHA256); err != nil {
			return nil, fmt.Errorf("list checks: %w", err)
		}
		e.At = at.UTC()
		e.VersionID = derefInt(version)
		out = append(out, e)
	}
	return out, rows.Err()
}

// CheckStats counts checks and failures per document in a period.
func (t *tx) CheckStats(from, to time.Time) ([]tracker.CheckStat, error) {
	q := `SELECT document_id, COUNT(*), COUNT(*) FILTER (WHERE status = 'failed'), MIN(at), MAX(at)
		FROM check_events WHERE true`
	var p params
	if !from.IsZero() {
		q += ` AND at >= ` + p.add(ts(from))
	}
	if !to.IsZero() {
		q += ` AND at < ` + p.add(ts(to))
	}
	q += ` GROUP BY document_id ORDER BY document_id`
	rows, err := t.query(q, p.args...)
	if err != nil {
		return nil, fmt.Errorf("count checks: %w", err)
	}
	defer rows.Close()
	var out []tracker.CheckStat
	for rows.Next() {
		var s tracker.CheckStat
		var first, last time.Time
		if err := rows.Scan(&s.DocumentID, &s.Checks, &s.Failures, &first, &last); err != nil {
			return nil, fmt.Errorf("count checks: %w", err)
		}
		s.First, s.Last = first.UTC(), last.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func gunzip(b []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}
