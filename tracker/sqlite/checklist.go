package sqlite

import (
	"fmt"
	"strings"
	"time"

	"policywatch/tracker"
)

const checklistColumns = `i.id, i.change_id, i.category, i.seq, i.text, i.status, i.owner, i.due_date, i.note,
	i.evidence_ref, i.created_at, i.updated_at, i.version`

func scanChecklist(s interface{ Scan(...any) error }, extra ...any) (tracker.ChecklistItem, error) {
	var it tracker.ChecklistItem
	var created, updated string
	dest := append([]any{&it.ID, &it.ChangeID, &it.Category, &it.Seq, &it.Text, &it.Status, &it.Owner,
		&it.DueDate, &it.Note, &it.EvidenceRef, &created, &updated, &it.Version}, extra...)
	if err := s.Scan(dest...); err != nil {
		return it, err
	}
	it.CreatedAt, it.UpdatedAt = parseTime(created), parseTime(updated)
	return it, nil
}

// EnsureChecklistItem inserts an item unless its (change, category, seq) exists.
func (t *tx) EnsureChecklistItem(it *tracker.ChecklistItem) (bool, error) {
	res, err := t.exec(`INSERT INTO checklist_items (change_id, category, seq, text, status, owner, due_date, note,
			evidence_ref, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (change_id, category, seq) DO NOTHING`,
		it.ChangeID, it.Category, it.Seq, it.Text, it.Status, it.Owner, it.DueDate, it.Note, it.EvidenceRef,
		formatTime(it.CreatedAt), formatTime(it.UpdatedAt))
	if err != nil {
		return false, fmt.Errorf("save checklist item: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := t.queryRow(`SELECT id, version FROM checklist_items WHERE change_id = ? AND category = ? AND seq = ?`,
		it.ChangeID, it.Category, it.Seq).Scan(&it.ID, &it.Version); err != nil {
		return false, fmt.Errorf("save checklist item: %w", err)
	}
	return n > 0, nil
}

// ChecklistItemByID finds a checklist item.
func (t *tx) ChecklistItemByID(id int64) (tracker.ChecklistItem, error) {
	it, err := scanChecklist(t.queryRow(`SELECT `+checklistColumns+` FROM checklist_items i WHERE i.id = ?`, id))
	return it, notFound(err, fmt.Sprintf("checklist item %d", id))
}

// UpdateChecklistItem saves an item's editable fields if it is still at
// it.Version, and raises its version; otherwise it fails with
// tracker.ErrConflict (or ErrNotFound) and changes nothing.
func (t *tx) UpdateChecklistItem(it tracker.ChecklistItem) error {
	res, err := t.exec(`UPDATE checklist_items SET status = ?, owner = ?, due_date = ?, note = ?, evidence_ref = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, it.Status, it.Owner, it.DueDate, it.Note,
		it.EvidenceRef, formatTime(it.UpdatedAt), it.ID, it.Version)
	if err != nil {
		return fmt.Errorf("update checklist item %d: %w", it.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var current int64
		if err := t.queryRow(`SELECT version FROM checklist_items WHERE id = ?`, it.ID).Scan(&current); err != nil {
			return notFound(err, fmt.Sprintf("checklist item %d", it.ID))
		}
		return fmt.Errorf("checklist item %d is at version %d, not %d: %w", it.ID, current, it.Version, tracker.ErrConflict)
	}
	return nil
}

// ListChecklist lists matching items by due date.
func (t *tx) ListChecklist(f tracker.ChecklistFilter) ([]tracker.ChecklistRow, error) {
	q := `SELECT ` + checklistColumns + `, p.name, d.kind, c.exposure, c.detected_at
		FROM checklist_items i JOIN changes c ON c.id = i.change_id JOIN documents d ON d.id = c.document_id
		JOIN platforms p ON p.id = d.platform_id WHERE 1 = 1`
	var args []any
	if f.ChangeID != 0 {
		q += ` AND (i.change_id = ? OR i.id IN (SELECT item_id FROM checklist_links WHERE change_id = ?))`
		args = append(args, f.ChangeID, f.ChangeID)
	}
	if f.Status != "" {
		q += ` AND i.status = ?`
		args = append(args, f.Status)
	}
	if f.OpenOnly {
		q += ` AND i.status IN ('open', 'in-progress')`
	}
	if f.PlatformSlug != "" {
		q += ` AND p.slug = ?`
		args = append(args, f.PlatformSlug)
	}
	q += ` ORDER BY i.due_date = '', i.due_date, c.exposure_rank DESC, i.id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("list checklist: %w", err)
	}
	defer rows.Close()
	var out []tracker.ChecklistRow
	for rows.Next() {
		var r tracker.ChecklistRow
		var detected string
		it, err := scanChecklist(rows, &r.PlatformName, &r.Kind, &r.Exposure, &detected)
		if err != nil {
			return nil, fmt.Errorf("list checklist: %w", err)
		}
		r.ChecklistItem = it
		r.DetectedAt = parseTime(detected)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list checklist: %w", err)
	}
	rows.Close()
	if err := t.alsoRaisedBy(out); err != nil {
		return nil, err
	}
	return out, nil
}

// CountOpenChecklist counts open and overdue items.
func (t *tx) CountOpenChecklist(today string) (open, overdue int, err error) {
	err = t.queryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_date <> '' AND due_date < ? THEN 1 ELSE 0 END), 0)
		FROM checklist_items WHERE status IN ('open', 'in-progress')`, today).Scan(&open, &overdue)
	if err != nil {
		return 0, 0, fmt.Errorf("count checklist: %w", err)
	}
	return open, overdue, nil
}

// OpenChecklistItemFor returns the oldest open or in-progress item of a
// document's changes for a category and template position.
func (t *tx) OpenChecklistItemFor(docID int64, category string, seq int) (tracker.ChecklistItem, error) {
	it, err := scanChecklist(t.queryRow(`SELECT `+checklistColumns+` FROM checklist_items i JOIN changes c ON c.id = i.change_id
		WHERE c.document_id = ? AND i.category = ? AND i.seq = ? AND i.status IN ('open', 'in-progress')
		ORDER BY i.id LIMIT 1`, docID, category, seq))
	return it, notFound(err, fmt.Sprintf("open %s item of document %d", category, docID))
}

// LinkChecklistItem records that a change raises an existing item's concern.
func (t *tx) LinkChecklistItem(itemID, changeID int64, at time.Time) (bool, error) {
	res, err := t.exec(`INSERT INTO checklist_links (item_id, change_id, linked_at) VALUES (?, ?, ?)
		ON CONFLICT (item_id, change_id) DO NOTHING`, itemID, changeID, formatTime(at))
	if err != nil {
		return false, fmt.Errorf("link checklist item %d to change %d: %w", itemID, changeID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// alsoRaisedBy fills the changes linked to each row's item.
func (t *tx) alsoRaisedBy(rows []tracker.ChecklistRow) error {
	if len(rows) == 0 {
		return nil
	}
	byItem := map[int64]int{}
	ids := make([]any, 0, len(rows))
	marks := make([]string, 0, len(rows))
	for k, r := range rows {
		byItem[r.ID] = k
		ids = append(ids, r.ID)
		marks = append(marks, "?")
	}
	// in chunks: SQLite limits the number of parameters
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		q, err := t.query(`SELECT item_id, change_id FROM checklist_links WHERE item_id IN (`+strings.Join(marks[start:end], ",")+`)
			ORDER BY item_id, change_id`, ids[start:end]...)
		if err != nil {
			return fmt.Errorf("list checklist links: %w", err)
		}
		for q.Next() {
			var item, change int64
			if err := q.Scan(&item, &change); err != nil {
				q.Close()
				return fmt.Errorf("list checklist links: %w", err)
			}
			k := byItem[item]
			rows[k].AlsoRaisedBy = append(rows[k].AlsoRaisedBy, change)
		}
		if err := q.Close(); err != nil {
			return err
		}
	}
	return nil
}
