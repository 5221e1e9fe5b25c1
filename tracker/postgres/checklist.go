package postgres

import (
	"fmt"
	"time"

	"policywatch/tracker"
)

const checklistColumns = `i.id, i.change_id, i.category, i.seq, i.text, i.status, i.owner, i.due_date, i.note,
	i.evidence_ref, i.created_at, i.updated_at, i.version`

func scanChecklist(s interface{ Scan(...any) error }, extra ...any) (tracker.ChecklistItem, error) {
	var it tracker.ChecklistItem
	var created, updated *time.Time
	dest := append([]any{&it.ID, &it.ChangeID, &it.Category, &it.Seq, &it.Text, &it.Status, &it.Owner,
		&it.DueDate, &it.Note, &it.EvidenceRef, &created, &updated, &it.Version}, extra...)
	if err := s.Scan(dest...); err != nil {
		return it, err
	}
	it.CreatedAt, it.UpdatedAt = timeOf(created), timeOf(updated)
	return it, nil
}

// EnsureChecklistItem inserts an item unless its (change, category, seq) exists.
func (t *tx) EnsureChecklistItem(it *tracker.ChecklistItem) (bool, error) {
	tag, err := t.exec(`INSERT INTO checklist_items (change_id, category, seq, text, status, owner, due_date, note,
			evidence_ref, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (change_id, category, seq) DO NOTHING`,
		it.ChangeID, it.Category, it.Seq, it.Text, it.Status, it.Owner, it.DueDate, it.Note, it.EvidenceRef,
		ts(it.CreatedAt), ts(it.UpdatedAt))
	if err != nil {
		return false, fmt.Errorf("save checklist item: %w", err)
	}
	if err := t.queryRow(`SELECT id, version FROM checklist_items WHERE change_id = $1 AND category = $2 AND seq = $3`,
		it.ChangeID, it.Category, it.Seq).Scan(&it.ID, &it.Version); err != nil {
		return false, fmt.Errorf("save checklist item: %w", err)
	}
	return tag.RowsAffected() > 0, nil
}

// ChecklistItemByID finds a checklist item.
func (t *tx) ChecklistItemByID(id int64) (tracker.ChecklistItem, error) {
	it, err := scanChecklist(t.queryRow(`SELECT `+checklistColumns+` FROM checklist_items i WHERE i.id = $1`, id))
	return it, notFound(err, fmt.Sprintf("checklist item %d", id))
}

// UpdateChecklistItem saves an item's editable fields if it is still at
// it.Version, and raises its version; otherwise it fails with
// tracker.ErrConflict (or ErrNotFound) and changes nothing.
func (t *tx) UpdateChecklistItem(it tracker.ChecklistItem) error {
	tag, err := t.exec(`UPDATE checklist_items SET status = $1, owner = $2, due_date = $3, note = $4, evidence_ref = $5,
		updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8`,
		it.Status, it.Owner, it.DueDate, it.Note, it.EvidenceRef, ts(it.UpdatedAt), it.ID, it.Version)
	if err != nil {
		return fmt.Errorf("update checklist item %d: %w", it.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return staleItem(t, it.ID, it.Version)
	}
	return nil
}

// staleItem says why an item could not be updated at version v.
func staleItem(t *tx, id, v int64) error {
	var current int64
	err := t.queryRow(`SELECT version FROM checklist_items WHERE id = $1`, id).Scan(&current)
	if err != nil {
		return notFound(err, fmt.Sprintf("checklist item %d", id))
	}
	return fmt.Errorf("checklist item %d is at version %d, not %d: %w", id, current, v, tracker.ErrConflict)
}

// ListChecklist lists matching items by due date.
func (t *tx) ListChecklist(f tracker.ChecklistFilter) ([]tracker.ChecklistRow, error) {
	q := `SELECT ` + checklistColumns + `, p.name, d.kind, c.exposure, c.detected_at
		FROM checklist_items i JOIN changes c ON c.id = i.change_id JOIN documents d ON d.id = c.document_id
		JOIN platforms p ON p.id = d.platform_id WHERE true`
	var p params
	if f.ChangeID != 0 {
		n := p.add(f.ChangeID)
		q += ` AND (i.change_id = ` + n + ` OR i.id IN (SELECT item_id FROM checklist_links WHERE change_id = ` + n + `))`
	}
	if f.Status != "" {
		q += ` AND i.status = ` + p.add(f.Status)
	}
	if f.OpenOnly {
		q += ` AND i.status IN ('open', 'in-progress')`
	}
	if f.PlatformSlug != "" {
		q += ` AND p.slug = ` + p.add(f.PlatformSlug)
	}
	q += ` ORDER BY i.due_date = '', i.due_date COLLATE "C", c.exposure_rank DESC, i.id`
	if f.Limit > 0 {
		q += ` LIMIT ` + p.add(f.Limit)
	}
	rows, err := t.query(q, p.args...)
	if err != nil {
		return nil, fmt.Errorf("list checklist: %w", err)
	}
	defer rows.Close()
	var out []tracker.ChecklistRow
	for rows.Next() {
		var r tracker.ChecklistRow
		var detected time.Time
		it, err := scanChecklist(rows, &r.PlatformName, &r.Kind, &r.Exposure, &detected)
		if err != nil {
			return nil, fmt.Errorf("list checklist: %w", err)
		}
		r.ChecklistItem = it
		r.DetectedAt = detected.UTC()
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list checklist: %w", err)
	}
	if err := t.alsoRaisedBy(out); err != nil {
		return nil, err
	}
	return out, nil
}

// CountOpenChecklist counts open and overdue items.
func (t *tx) CountOpenChecklist(today string) (open, overdue int, err error) {
	err = t.queryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE due_date <> '' AND due_date < $1 COLLATE "C")
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
		WHERE c.document_id = $1 AND i.category = $2 AND i.seq = $3 AND i.status IN ('open', 'in-progress')
		ORDER BY i.id LIMIT 1`, docID, category, seq))
	return it, notFound(err, fmt.Sprintf("open %s item of document %d", category, docID))
}

// LinkChecklistItem records that a change raises an existing item's concern.
func (t *tx) LinkChecklistItem(itemID, changeID int64, at time.Time) (bool, error) {
	tag, err := t.exec(`INSERT INTO checklist_links (item_id, change_id, linked_at) VALUES ($1, $2, $3)
		ON CONFLICT (item_id, change_id) DO NOTHING`, itemID, changeID, ts(at))
	if err != nil {
		return false, fmt.Errorf("link checklist item %d to change %d: %w", itemID, changeID, err)
	}
	return tag.RowsAffected() > 0, nil
}

// alsoRaisedBy fills the changes linked to each row's item.
func (t *tx) alsoRaisedBy(rows []tracker.ChecklistRow) error {
	if len(rows) == 0 {
		return nil
	}
	byItem := map[int64]int{}
	ids := make([]int64, 0, len(rows))
	for k, r := range rows {
		byItem[r.ID] = k
		ids = append(ids, r.ID)
	}
	q, err := t.query(`SELECT item_id, change_id FROM checklist_links WHERE item_id = ANY($1) ORDER BY item_id, change_id`, ids)
	if err != nil {
		return fmt.Errorf("list checklist links: %w", err)
	}
	defer q.Close()
	for q.Next() {
		var item, change int64
		if err := q.Scan(&item, &change); err != nil {
			return fmt.Errorf("list checklist links: %w", err)
		}
		k := byItem[item]
		rows[k].AlsoRaisedBy = append(rows[k].AlsoRaisedBy, change)
	}
	return q.Err()
}
