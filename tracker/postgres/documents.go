package postgres

import (
	"fmt"
	"time"

	"policywatch/tracker"
)

const documentColumns = `d.id, d.platform_id, d.kind, d.title, d.url, d.select_css, d.remove_css, d.tracked,
	d.etag, d.last_modified, d.raw_sha256, d.created_at, d.render, d.churn`

func scanDocument(s interface{ Scan(...any) error }, extra ...any) (tracker.Document, error) {
	var d tracker.Document
	var created *time.Time
	var churn string
	dest := append([]any{&d.ID, &d.PlatformID, &d.Kind, &d.Title, &d.URL, &d.Select, &d.Remove,
		&d.Tracked, &d.ETag, &d.LastModified, &d.RawSHA256, &created, &d.Render, &churn}, extra...)
	if err := s.Scan(dest...); err != nil {
		return d, err
	}
	var err error
	if d.Churn, err = tracker.UnmarshalChurn(churn); err != nil {
		return d, fmt.Errorf("document %d: %w", d.ID, err)
	}
	d.CreatedAt = timeOf(created)
	return d, nil
}

// InsertDocument stores a new document.
func (t *tx) InsertDocument(d *tracker.Document) error {
	err := t.queryRow(`INSERT INTO documents (platform_id, kind, title, url, select_css, remove_css, tracked,
			etag, last_modified, raw_sha256, created_at, render, churn)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		d.PlatformID, d.Kind, d.Title, d.URL, d.Select, d.Remove, d.Tracked, d.ETag, d.LastModified,
		d.RawSHA256, ts(d.CreatedAt), tracker.StoredRender(d.Render), tracker.MarshalChurn(d.Churn)).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("save document %s: %w", d.URL, err)
	}
	return nil
}

// UpdateDocument saves a document's editable fields.
func (t *tx) UpdateDocument(d tracker.Document) error {
	_, err := t.exec(`UPDATE documents SET kind = $1, title = $2, url = $3, select_css = $4, remove_css = $5, tracked = $6,
		etag = $7, last_modified = $8, raw_sha256 = $9, render = $10, churn = $11 WHERE id = $12`,
		d.Kind, d.Title, d.URL, d.Select, d.Remove, d.Tracked, d.ETag, d.LastModified, d.RawSHA256,
		tracker.StoredRender(d.Render), tracker.MarshalChurn(d.Churn), d.ID)
	if err != nil {
		return fmt.Errorf("update document %d: %w", d.ID, err)
	}
	return nil
}

// DocumentByID finds a document.
func (t *tx) DocumentByID(id int64) (tracker.Document, error) {
	d, err := scanDocument(t.queryRow(`SELECT `+documentColumns+` FROM documents d WHERE d.id = $1`, id))
	return d, notFound(err, fmt.Sprintf("document %d", id))
}

// FindDocument finds a platform's document by kind and URL.
func (t *tx) FindDocument(platformID int64, kind, url string) (tracker.Document, error) {
	d, err := scanDocument(t.queryRow(`SELECT `+documentColumns+` FROM documents d
		WHERE d.platform_id = $1 AND d.kind = $2 AND d.url = $3`, platformID, kind, url))
	return d, notFound(err, "document "+url)
}

// PlatformDocuments lists a platform's documents by kind.
func (t *tx) PlatformDocuments(platformID int64) ([]tracker.Document, error) {
	rows, err := t.query(`SELECT `+documentColumns+` FROM documents d WHERE d.platform_id = $1
		ORDER BY d.kind COLLATE "C", d.id`, platformID)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var out []tracker.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, fmt.Errorf("list documents: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ListDocuments lists documents with platform, version count and last check.
func (t *tx) ListDocuments(f tracker.DocumentFilter) ([]tracker.DocumentSummary, error) {
	q := `SELECT ` + documentColumns + `, p.slug, p.name,
			(SELECT COUNT(*) FROM versions v WHERE v.document_id = d.id) AS nversions,
			c.id, c.at, c.status, c.reason, c.detail, c.http_status, c.version_id, c.sha256
		FROM documents d JOIN platforms p ON p.id = d.platform_id
		LEFT JOIN check_events c ON c.id = (SELECT MAX(id) FROM check_events WHERE document_id = d.id)
		WHERE true`
	var p params
	if f.PlatformSlug != "" {
		q += ` AND p.slug = ` + p.add(f.PlatformSlug)
	}
	if f.TrackedOrArchived {
		q += ` AND (d.tracked OR EXISTS (SELECT 1 FROM versions v WHERE v.document_id = d.id))`
	}
	q += ` ORDER BY lower(p.name) COLLATE "C", d.kind COLLATE "C", d.id`
	rows, err := t.query(q, p.args...)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var out []tracker.DocumentSummary
	for rows.Next() {
		var s tracker.DocumentSummary
		var cID, cVersion *int64
		var cHTTP *int32
		var cAt *time.Time
		var cStatus, cReason, cDetail, cSHA *string
		d, err := scanDocument(rows, &s.PlatformSlug, &s.PlatformName, &s.Versions,
			&cID, &cAt, &cStatus, &cReason, &cDetail, &cHTTP, &cVersion, &cSHA)
		if err != nil {
			return nil, fmt.Errorf("list documents: %w", err)
		}
		s.Document = d
		if cID != nil {
			s.LastCheck = &tracker.CheckEvent{ID: *cID, DocumentID: d.ID, At: timeOf(cAt),
				Status: deref(cStatus), Reason: deref(cReason), Detail: deref(cDetail),
				HTTPStatus: int(derefInt(cHTTP)), VersionID: derefInt(cVersion), SHA256: deref(cSHA)}
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetValidators stores the ETag, Last-Modified and raw-bytes digest of a
// document's last successful fetch.
func (t *tx) SetValidators(docID int64, etag, lastModified, rawSHA256 string) error {
	if _, err := t.exec(`UPDATE documents SET etag = $1, last_modified = $2, raw_sha256 = $3 WHERE id = $4`,
		etag, lastModified, rawSHA256, docID); err != nil {
		return fmt.Errorf("save validators of document %d: %w", docID, err)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt[T int32 | int64](v *T) int64 {
	if v == nil {
		return 0
	}
	return int64(*v)
}
