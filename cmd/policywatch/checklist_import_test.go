package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// importedArchive imports the small dataset of testdata/ota (a privacy
// policy of our own writing, two versions) and returns the database and
// the checklist items it raised.
func importedArchive(t *testing.T) (string, []checklistItemJSON) {
	t.Helper()
	db := tempDB(t)
	if code, _, errOut := cli(t, db, "profile", "set", "--organisation", "Northwind", "--jurisdictions", "EU,UK,US-CA"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := cli(t, db, "import-ota", "--since", "2000-01-01", filepath.Join("testdata", "ota")); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	return db, checklistJSON(t, db)
}

type checklistItemJSON struct {
	ID      int64  `json:"id"`
	Status  string `json:"status"`
	Owner   string `json:"owner"`
	DueDate string `json:"due_date"`
	Note    string `json:"note"`
}

func checklistJSON(t *testing.T, db string) []checklistItemJSON {
	t.Helper()
	code, out, errOut := cli(t, db, "checklist", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var items []checklistItemJSON
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatal(err)
	}
	return items
}

// sheetRows finds the Checklist sheet's columns by header and each item's row.
func sheetRows(t *testing.T, f *excelize.File) (map[string]string, map[int64]int) {
	t.Helper()
	rows, err := f.GetRows("Checklist")
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string]string{}
	for i, h := range rows[0] {
		cols[h], _ = excelize.ColumnNumberToName(i + 1)
	}
	byID := map[int64]int{}
	for r, row := range rows[1:] {
		id, _ := strconv.ParseInt(row[0], 10, 64)
		byID[id] = r + 2
	}
	return cols, byID
}

// TestChecklistExcelRoundTrip exports the workbook, edits it with excelize
// as a user edits it in Excel (picks a status from the list, types an
// owner, types a due date that Excel stores as a date, types a note, sorts
// nothing away), then imports it: the archive holds the edits, each with an
// audit entry; a conflicting or invalid row stops the whole import.
func TestChecklistExcelRoundTrip(t *testing.T) {
	db, items := importedArchive(t)
	if len(items) < 3 {
		t.Fatalf("%d checklist items, want at least 3", len(items))
	}
	book := filepath.Join(t.TempDir(), "team.xlsx")
	if code, _, errOut := cli(t, db, "report", "--xlsx", book); code != 0 {
		t.Fatalf("report: %s", errOut)
	}
	a, b, c := items[0].ID, items[1].ID, items[2].ID

	edit := func(fn func(f *excelize.File, cols map[string]string, row map[int64]int)) string {
		f, err := excelize.OpenFile(book)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cols, row := sheetRows(t, f)
		fn(f, cols, row)
		out := filepath.Join(t.TempDir(), "edited.xlsx")
		if err := f.SaveAs(out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	set := func(f *excelize.File, col string, row int, v any) {
		if err := f.SetCellValue("Checklist", col+strconv.Itoa(row), v); err != nil {
			t.Fatal(err)
		}
	}
	good := edit(func(f *excelize.File, cols map[string]string, row map[int64]int) {
		set(f, cols["Status"], row[a], "done")
		set(f, cols["Owner"], row[a], "data-protection-officer@northwind.example")
		set(f, cols["Due date"], row[a], time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)) // a date cell
		set(f, cols["Note"], row[a], "Vendor confirmed the opt-out in writing")
		set(f, cols["Status"], row[b], "In progress")  // as the title reads
		set(f, cols["Due date"], row[b], "2026-01-15") // typed as text
	})

	// A conflict: the archive changed item b after the export.
	if code, _, errOut := cli(t, db, "checklist", "set", strconv.FormatInt(b, 10), "--owner", "legal@northwind.example"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := cli(t, db, "checklist", "import", good)
	if code != 1 || !strings.Contains(out, "conflict") || !strings.Contains(errOut, "nothing written") {
		t.Fatalf("import over a conflict: exit %d\n%s\n%s", code, out, errOut)
	}
	after := checklistJSON(t, db)
	for _, it := range after {
		if it.ID == a && it.Status == "done" {
			t.Fatal("a row was applied although another conflicted: half-applied import")
		}
	}

	// Export again (the archive's current state), edit again: applied.
	if code, _, errOut := cli(t, db, "report", "--xlsx", book); code != 0 {
		t.Fatalf("report: %s", errOut)
	}
	good = edit(func(f *excelize.File, cols map[string]string, row map[int64]int) {
		set(f, cols["Status"], row[a], "done")
		set(f, cols["Owner"], row[a], "data-protection-officer@northwind.example")
		set(f, cols["Due date"], row[a], time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC))
		set(f, cols["Note"], row[a], "Vendor confirmed the opt-out in writing")
		set(f, cols["Status"], row[b], "In progress")
		set(f, cols["Due date"], row[b], "2026-01-15")
	})
	code, out, errOut = cli(t, db, "checklist", "import", good)
	if code != 0 || !strings.Contains(out, "2 item(s) updated") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	byID := map[int64]checklistItemJSON{}
	for _, it := range checklistJSON(t, db) {
		byID[it.ID] = it
	}
	if got := byID[a]; got.Status != "done" || got.Owner != "data-protection-officer@northwind.example" ||
		got.DueDate != "2025-12-31" || got.Note != "Vendor confirmed the opt-out in writing" {
		t.Errorf("item a after import: %+v", got)
	}
	if got := byID[b]; got.Status != "in-progress" || got.DueDate != "2026-01-15" || got.Owner != "legal@northwind.example" {
		t.Errorf("item b after import: %+v", got)
	}
	_, audit, _ := cli(t, db, "audit", "--json")
	if n := strings.Count(audit, "imported from"); n != 2 {
		t.Errorf("%d audit entries of imported edits, want 2", n)
	}
	if code, out, _ := cli(t, db, "audit", "verify"); code != 0 {
		t.Errorf("audit verify after import: %s", out)
	}

	// Importing the same workbook again changes nothing.
	if code, out, _ := cli(t, db, "checklist", "import", good); code != 0 || !strings.Contains(out, "0 item(s) updated") {
		t.Errorf("re-import: %d %s", code, out)
	}

	// Invalid values are reported by row and nothing is written.
	if code, _, errOut := cli(t, db, "report", "--xlsx", book); code != 0 {
		t.Fatal(errOut)
	}
	bad := edit(func(f *excelize.File, cols map[string]string, row map[int64]int) {
		set(f, cols["Note"], row[c], "valid on its own")
		set(f, cols["Status"], row[a], "finished")
		set(f, cols["Due date"], row[b], "next Tuesday")
	})
	code, out, _ = cli(t, db, "checklist", "import", bad)
	if code != 1 || !strings.Contains(out, `"finished"`) || !strings.Contains(out, `"next Tuesday"`) {
		t.Errorf("invalid rows: exit %d\n%s", code, out)
	}
	for _, it := range checklistJSON(t, db) {
		if it.ID == c && it.Note == "valid on its own" {
			t.Error("the valid row was applied although others were invalid")
		}
	}

	// Not a workbook, or no checklist sheet: a clear error, exit 1.
	if code, _, errOut := cli(t, db, "checklist", "import", filepath.Join("testdata", "ota", "Examplechat", "Privacy Policy", "2025-01-10T08-00-00Z.md")); code != 1 || errOut == "" {
		t.Errorf("import of a text file: %d %q", code, errOut)
	}
	if code, _, _ := cli(t, db, "checklist", "import"); code != 2 {
		t.Errorf("import without a file: exit %d, want 2", code)
	}
}
