package report

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"policywatch/tracker"
)

func writeXLSX(t *testing.T, m *Model) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.xlsx")
	if err := WriteXLSX(context.Background(), m, path); err != nil {
		t.Fatalf("write xlsx: %v", err)
	}
	if dir := os.Getenv("REPORT_KEEP"); dir != "" { // keep a copy to look at
		if b, err := os.ReadFile(path); err == nil {
			os.WriteFile(filepath.Join(dir, t.Name()+".xlsx"), b, 0o644)
		}
	}
	return path
}

func openXLSX(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// header returns a sheet's column numbers by header title.
func header(t *testing.T, f *excelize.File, sheet string) map[string]int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: rows %v", sheet, err)
	}
	out := map[string]int{}
	for i, h := range rows[0] {
		out[h] = i + 1
	}
	return out
}

func TestXLSXReadBack(t *testing.T) {
	fx := newFixture(t)
	m := build(t, fx.svc, Filter{}, Options{})
	f := openXLSX(t, writeXLSX(t, m))

	want := []string{"Summary", "Changes", "Findings", "Checklist", "Monitoring", "Evidence", "Audit log"}
	if got := f.GetSheetList(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	// Registers: one row per record, frozen header, a table with autofilter.
	counts := map[string]int{"Changes": len(m.Changes), "Checklist": len(m.Checklist), "Monitoring": len(m.Monitoring),
		"Evidence": len(m.Evidence), "Audit log": len(m.Audit)}
	findings := 0
	for _, c := range m.Changes {
		for _, fd := range c.Record.Findings {
			findings += max(len(fd.Jurisdictions), 1)
		}
	}
	counts["Findings"] = findings
	for _, sheet := range want[1:] {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows)-1 != counts[sheet] || counts[sheet] == 0 {
			t.Errorf("%s: %d data rows, want %d", sheet, len(rows)-1, counts[sheet])
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v %v, want the header row frozen", sheet, panes, err)
		}
		tables, err := f.GetTables(sheet)
		if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:") || tables[0].StyleName == "" {
			t.Errorf("%s: tables %+v %v, want one styled table with its autofilter", sheet, tables, err)
		}
		if w, _ := f.GetColWidth(sheet, "A"); w < 8 || w > 12 {
			t.Errorf("%s: column A width %v", sheet, w)
		}
	}
	// Findings: one row per finding × jurisdiction, with framework and citation.
	fh := header(t, f, "Findings")
	rows, _ := f.GetRows("Findings")
	for _, r := range rows[1:] {
		get := func(col string) string {
			if i := fh[col] - 1; i < len(r) {
				return r[i]
			}
			return ""
		}
		if get("Jurisdiction") == "" || get("Frameworks") == "" || get("Citations") == "" || get("Category") == "" {
			t.Errorf("finding row %v lacks jurisdiction, framework or citation", r)
			break
		}
	}
	// Checklist: a status drop-down over every row, formats by status and
	// for overdue dates, due dates as real dates.
	dvs, err := f.GetDataValidations("Checklist")
	if err != nil || len(dvs) != 1 {
		t.Fatalf("checklist validations %v %v", dvs, err)
	}
	ch := header(t, f, "Checklist")
	statusCol, _ := excelize.ColumnNumberToName(ch["Status"])
	if dvs[0].Type != "list" || dvs[0].Sqref != statusCol+"2:"+statusCol+strconv.Itoa(len(m.Checklist)+1) ||
		dvs[0].Formula1 != `"open,in-progress,done,not-applicable"` {
		t.Errorf("status validation %+v", dvs[0])
	}
	cf, err := f.GetConditionalFormats("Checklist")
	if err != nil || len(cf) < 2 {
		t.Errorf("checklist conditional formats %v %v", cf, err)
	}
	dueCol, _ := excelize.ColumnNumberToName(ch["Due date"])
	overdue := false
	for ref, rules := range cf {
		for _, r := range rules {
			if strings.HasPrefix(ref, dueCol) && r.Type == "formula" && strings.Contains(r.Criteria, "TODAY()") {
				overdue = true
			}
		}
	}
	if !overdue {
		t.Errorf("no overdue rule on the due-date column %s: %v", dueCol, cf)
	}
	assertDateCell(t, f, "Checklist", dueCol+"2", m.Checklist[0].DueDate)
	assertDateCell(t, f, "Changes", "B2", m.Changes[0].DetectedAt.UTC().Format("2006-01-02"))
	assertDateCell(t, f, "Evidence", "E2", m.Evidence[0].FetchedAt.UTC().Format("2006-01-02"))
	statusCell := statusCol + "2"
	if v, _ := f.GetCellValue("Checklist", statusCell); !tracker.ValidStatus(v) {
		t.Errorf("status cell %s = %q", statusCell, v)
	}
	owners := strings.Join(colValues(t, f, "Checklist", ch["Owner"]), "|")
	if !strings.Contains(owners, "Zoë Ångström") {
		t.Errorf("owners %q lack the Unicode owner", owners)
	}

	// Document text is text: the injected formula stays a literal string,
	// and no cell anywhere holds a formula.
	formulaCells := 0
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("%s!%s holds formula %q", sheet, cell, formula)
				}
				if strings.HasPrefix(v, "=SUM(A1)") || strings.HasPrefix(v, "=HYPERLINK") {
					formulaCells++
					if typ, _ := f.GetCellType(sheet, cell); typ == excelize.CellTypeFormula || typ == excelize.CellTypeUnset {
						t.Errorf("%s!%s = %q has type %v, want a string", sheet, cell, v, typ)
					}
				}
			}
		}
	}
	if formulaCells < 2 {
		t.Errorf("found %d cells starting with the injected formulas, want the finding evidence and the checklist note", formulaCells)
	}

	// Summary: key figures and a native chart.
	if v, _ := f.GetCellValue("Summary", "B3"); v != "Acme Données SAS" {
		t.Errorf("summary organisation %q", v)
	}
	summary := strings.Join(colValues(t, f, "Summary", 2), "|")
	if !strings.Contains(summary, m.Fingerprint) || !strings.Contains(summary, "1.2.3-test") {
		t.Errorf("summary lacks fingerprint or version: %s", summary)
	}
	z, err := zip.OpenReader(filepath.Join(filepath.Dir(f.Path), filepath.Base(f.Path)))
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	charts := 0
	for _, zf := range z.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			charts++
		}
	}
	if charts != 1 {
		t.Errorf("%d charts in the workbook, want 1", charts)
	}
}

// assertDateCell checks that a cell is a number formatted as a date.
func assertDateCell(t *testing.T, f *excelize.File, sheet, cell, wantDay string) {
	t.Helper()
	raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strconv.ParseFloat(raw, 64); err != nil {
		t.Errorf("%s!%s raw value %q is not a date serial", sheet, cell, raw)
	}
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber && typ != excelize.CellTypeDate {
		t.Errorf("%s!%s has type %v, want a number", sheet, cell, typ)
	}
	shown, _ := f.GetCellValue(sheet, cell)
	if !strings.HasPrefix(shown, wantDay) {
		t.Errorf("%s!%s shows %q, want a date starting %s", sheet, cell, shown, wantDay)
	}
}

// colValues returns a sheet's values in column col (1-based).
func colValues(t *testing.T, f *excelize.File, sheet string, col int) []string {
	t.Helper()
	cols, err := f.GetCols(sheet)
	if err != nil || len(cols) < col {
		t.Fatalf("%s: columns %v", sheet, err)
	}
	return cols[col-1]
}

func TestXLSXDeterministic(t *testing.T) {
	fx := newFixture(t)
	pa, pb := writeXLSX(t, build(t, fx.svc, Filter{}, Options{Deterministic: true})), writeXLSX(t, build(t, fx.svc, Filter{}, Options{Deterministic: true}))
	ba, _ := os.ReadFile(pa)
	bb, _ := os.ReadFile(pb)
	if !bytes.Equal(ba, bb) || len(ba) == 0 {
		t.Errorf("two deterministic exports differ (%d and %d bytes)", len(ba), len(bb))
	}
	a, b := openXLSX(t, pa), openXLSX(t, pb)
	for _, sheet := range a.GetSheetList() {
		ra, _ := a.GetRows(sheet)
		rb, _ := b.GetRows(sheet)
		if !reflect.DeepEqual(ra, rb) {
			t.Errorf("%s differs between two deterministic exports", sheet)
		}
	}
	da, _ := a.GetDocProps()
	db, _ := b.GetDocProps()
	if !reflect.DeepEqual(da, db) || da.Created == "" {
		t.Errorf("document properties differ: %+v vs %+v", da, db)
	}
}

func TestXLSXEmptyReport(t *testing.T) {
	fx := newFixture(t)
	m := build(t, fx.svc, Filter{Jurisdictions: []string{"JP"}}, Options{})
	f := openXLSX(t, writeXLSX(t, m))
	rows, _ := f.GetRows("Changes")
	if len(rows) != 1 {
		t.Errorf("empty report has %d rows on Changes", len(rows))
	}
}
