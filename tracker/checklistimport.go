package tracker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ChecklistEdit is one row of a checklist a team edited outside the app
// (the Checklist sheet of an exported workbook): the item's id, the status,
// owner, due date and note the row now holds, and when the item was last
// updated as the export saw it.
type ChecklistEdit struct {
	// Row is where the edit came from (a sheet row), for messages.
	Row int
	ID  int64
	// Status, Owner, DueDate (YYYY-MM-DD or empty) and Note as edited.
	Status, Owner, DueDate, Note string
	// Exported is the item's last update when it was exported; an item
	// updated in the archive since then conflicts with the row.
	Exported time.Time
}

// ChecklistProblem is why one edited row cannot be applied.
type ChecklistProblem struct {
	Row   int
	ID    int64
	Field string // status, owner, due, note, or "" for the whole row
	// Problem is a sentence for the user.
	Problem string
	// Conflict is true when the archive changed the item since the export.
	Conflict bool
}

// ChecklistImport is the outcome of ImportChecklist.
type ChecklistImport struct {
	// Updated items, and rows whose values equal the archive's.
	Updated, Unchanged int
	// Problems found; when there are any, nothing was written.
	Problems []ChecklistProblem
}

// ChecklistImportError reports the problems that stopped an import; nothing
// was written.
type ChecklistImportError struct {
	Problems []ChecklistProblem
}

func (e *ChecklistImportError) Error() string {
	var b strings.Builder
	conflicts := 0
	for _, p := range e.Problems {
		if p.Conflict {
			conflicts++
		}
	}
	fmt.Fprintf(&b, "nothing imported: %d row problem(s), %d of them conflicts with changes made in the archive since the export", len(e.Problems), conflicts)
	for i, p := range e.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-20)
			break
		}
		fmt.Fprintf(&b, "; row %d (item %d): %s", p.Row, p.ID, p.Problem)
	}
	return b.String()
}

// NormaliseStatus reads a status as people type it ("In progress",
// "not applicable", "Done") as a status id, or "" when it is none.
func NormaliseStatus(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "_", " ")), "-"))
	if ValidStatus(s) {
		return s
	}
	return ""
}

// ImportChecklist validates every edited row against the archive and, only
// when all of them are valid and none conflicts with a change made in the
// archive since the export, writes them in one transaction with one audit
// entry per updated item (a checklist update naming its fields and "imported
// from" the source). Otherwise it
// writes nothing and returns a *ChecklistImportError listing every problem.
func (s *Service) ImportChecklist(ctx context.Context, source string, edits []ChecklistEdit) (ChecklistImport, error) {
	var res ChecklistImport
	type planned struct {
		id  int64
		upd ChecklistUpdate
	}
	seen := map[int64]int{}
	err := s.store.Update(ctx, func(tx Tx) error {
		var plan []planned
		for _, e := range edits {
			problem := func(field, msg string, conflict bool) {
				res.Problems = append(res.Problems, ChecklistProblem{Row: e.Row, ID: e.ID, Field: field, Problem: msg, Conflict: conflict})
			}
			if row, dup := seen[e.ID]; dup {
				problem("", fmt.Sprintf("item %d is also on row %d", e.ID, row), false)
				continue
			}
			seen[e.ID] = e.Row
			it, err := tx.ChecklistItemByID(e.ID)
			if errors.Is(err, ErrNotFound) {
				problem("", fmt.Sprintf("no checklist item %d in this archive (was the workbook exported from another one?)", e.ID), false)
				continue
			}
			if err != nil {
				return err
			}
			status := NormaliseStatus(e.Status)
			if status == "" {
				problem("status", fmt.Sprintf("status %q is not one of %s", e.Status, strings.Join(Statuses, ", ")), false)
			}
			due := strings.TrimSpace(e.DueDate)
			if due != "" {
				if _, err := time.Parse("2006-01-02", due); err != nil {
					problem("due", fmt.Sprintf("due date %q is not a date like 2025-12-31", e.DueDate), false)
				}
			}
			owner, note := strings.TrimSpace(e.Owner), strings.TrimSpace(e.Note)
			var u ChecklistUpdate
			var changed []string
			field := func(name string, cur, v string, dst **string) {
				if v != cur {
					v := v
					*dst = &v
					changed = append(changed, name)
				}
			}
			field("status", it.Status, status, &u.Status)
			field("owner", it.Owner, owner, &u.Owner)
			field("due", it.DueDate, due, &u.DueDate)
			field("note", it.Note, note, &u.Note)
			if len(changed) == 0 {
				res.Unchanged++
				continue
			}
			if e.Exported.IsZero() {
				problem("", "the row has no export time, so a change made in the archive since cannot be told apart: export the checklist again", false)
				continue
			}
			if it.UpdatedAt.Sub(e.Exported) > time.Millisecond { // the archive keeps milliseconds; a date cell about a microsecond
				problem(strings.Join(changed, ", "), fmt.Sprintf("the item was updated in the archive on %s, after this workbook was exported; its %s differ",
					it.UpdatedAt.UTC().Format("2006-01-02 15:04"), strings.Join(changed, ", ")), true)
				continue
			}
			plan = append(plan, planned{e.ID, u})
		}
		if len(res.Problems) > 0 {
			return &ChecklistImportError{Problems: res.Problems}
		}
		for _, p := range plan {
			if _, _, err := s.updateChecklist(tx, p.id, p.upd, "imported from "+source); err != nil {
				return err
			}
			res.Updated++
		}
		return nil
	})
	if err != nil {
		res.Updated = 0
		return res, err
	}
	return res, nil
}
