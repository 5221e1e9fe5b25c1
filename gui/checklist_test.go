package gui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"policywatch/report"
	"policywatch/tracker"
)

func TestChecklistInlineEditsAreAudited(t *testing.T) {
	p, srv := policyServer(t)
	u, svc := newTestUI(t)
	ctx := context.Background()
	seedChange(t, u, svc, p, srv, "Example Corp")
	act(u, u.Start)
	eventually(t, u, "checklist items", func() bool { return len(u.checklist.items) > 0 })
	first := u.checklist.items[0]
	row := u.checklist.newRow().(*checklistRow)
	act(u, func() { u.checklist.updateRow(0, row) })
	if row.text.Text != first.Text || row.status.Selected != "Open" {
		t.Fatalf("row shows %q / %q", row.text.Text, row.status.Selected)
	}
	act(u, func() { row.status.SetSelected("Done") })
	eventually(t, u, "status saved", func() bool { return u.checklist.items[0].Status == tracker.StatusDone })
	if !auditHas(t, svc, "checklist.update", `status: "open" → "done"`) {
		t.Fatal("status change not in the audit log")
	}
	act(u, func() {
		test.Type(row.owner, "Dana")
		row.owner.FocusLost()
		row.due.SetText("2030-01-31")
		row.due.OnSubmitted(row.due.Text)
		test.Type(row.note, "asked vendor")
		row.note.FocusLost()
	})
	idle(t, u)
	items, _ := svc.Checklist(ctx, tracker.ChecklistFilter{ChangeID: first.ChangeID})
	var got tracker.ChecklistRow
	for _, it := range items {
		if it.ID == first.ID {
			got = it
		}
	}
	if got.Owner != "Dana" || got.DueDate != "2030-01-31" || got.Note != "asked vendor" {
		t.Fatalf("saved item %+v", got.ChecklistItem)
	}
	if !auditHas(t, svc, "checklist.update", `owner: "" → "Dana"`) {
		t.Error("owner edit not audit-logged")
	}
	// A malformed date is refused before it reaches the archive.
	act(u, func() {
		row.due.SetText("31/01/2030")
		row.due.OnSubmitted(row.due.Text)
	})
	idle(t, u)
	if auditHas(t, svc, "checklist.update", "31/01/2030") {
		t.Error("a malformed due date was saved")
	}
	// Selecting an item shows it in full with its evidence reference.
	act(u, func() { u.checklist.list.Select(0) })
	if !strings.Contains(u.checklist.detail.Text, first.Text) || !strings.Contains(u.checklist.detail.Text, "evidence: change #") {
		t.Errorf("item detail %q", u.checklist.detail.Text)
	}
	// Filters: status and overdue.
	act(u, func() { u.checklist.status.SetSelected("Done") })
	eventually(t, u, "done filter", func() bool { return len(u.checklist.items) == 1 })
	act(u, func() { u.checklist.status.SetSelected(statusOpenOrProgress) })
	idle(t, u)
	open := len(u.checklist.items)
	act(u, func() { u.checklist.overdue.SetChecked(true) })
	if len(u.checklist.items) != 0 {
		t.Errorf("%d overdue items on a fresh change", len(u.checklist.items))
	}
	if !strings.Contains(u.checklist.header.Text, "No item matches") && open > 0 {
		t.Errorf("header %q", u.checklist.header.Text)
	}
}

// The Checklist screen's import reads back a workbook exported from Reports
// and edited with excelize the way a user edits it in Excel.
func TestChecklistImportFromWorkbook(t *testing.T) {
	p, srv := policyServer(t)
	u, svc := newTestUI(t)
	ctx := context.Background()
	seedChange(t, u, svc, p, srv, "Example Corp")
	act(u, u.Start)
	eventually(t, u, "checklist items", func() bool { return len(u.checklist.items) > 0 })
	item := u.checklist.items[0]
	m, err := report.Build(ctx, svc, report.Filter{}, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(t.TempDir(), "checklist.xlsx")
	if err := report.WriteXLSX(ctx, m, book); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Checklist")
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i + 1
	}
	row := 0
	for r, cells := range rows[1:] {
		if cells[0] == strconv.FormatInt(item.ID, 10) {
			row = r + 2
		}
	}
	cell := func(h string) string { c, _ := excelize.CoordinatesToCellName(col[h], row); return c }
	f.SetCellValue("Checklist", cell("Status"), "done")
	f.SetCellValue("Checklist", cell("Owner"), "dpo@example.com")
	f.SetCellValue("Checklist", cell("Note"), "closed in the team's workbook")
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	f.Close()
	act(u, func() { u.checklist.importFrom(book) })
	eventually(t, u, "import", func() bool { return strings.Contains(u.checklist.lastImport, "1 item(s) updated") })
	items, _ := svc.Checklist(ctx, tracker.ChecklistFilter{ChangeID: item.ChangeID})
	for _, it := range items {
		if it.ID == item.ID && (it.Status != tracker.StatusDone || it.Owner != "dpo@example.com" || it.Note != "closed in the team's workbook") {
			t.Errorf("item after import: %+v", it.ChecklistItem)
		}
	}
	if !auditHas(t, svc, "checklist.update", "imported from checklist.xlsx") {
		t.Error("the import is not in the audit log")
	}
}
