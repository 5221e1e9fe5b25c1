package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"policywatch/tracker"
)

// Checklist sheet headers the import reads.
const (
	hdrItemID  = "Item ID"
	hdrStatus  = "Status"
	hdrOwner   = "Owner"
	hdrDue     = "Due date"
	hdrNote    = "Note"
	hdrUpdated = "Last updated"
)

// ReadChecklistEdits reads the Checklist sheet of a workbook PolicyWatch
// exported and a team then edited: for every row with an item id, the
// status, owner, due date and note it now holds and when the item was last
// updated at export. Columns are found by their header, so a team may move
// or add columns; rows may be sorted or filtered. A due date may be a date
// cell or text like 2025-12-31. Validating the values against the archive
// is tracker.Service.ImportChecklist's job.
func ReadChecklistEdits(path string) ([]tracker.ChecklistEdit, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("open workbook %s: %w", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheetChecklist, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("read workbook %s: no %q sheet (export the checklist from PolicyWatch first): %w", path, sheetChecklist, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("read workbook %s: the %q sheet is empty", path, sheetChecklist)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	for _, h := range []string{hdrItemID, hdrStatus, hdrOwner, hdrDue, hdrNote} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("read workbook %s: the %q sheet has no %q column", path, sheetChecklist, h)
		}
	}
	cell := func(row []string, h string) string {
		i, ok := col[h]
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var out []tracker.ChecklistEdit
	for r, row := range rows[1:] {
		idText := cell(row, hdrItemID)
		if idText == "" {
			continue // a blank or total row
		}
		id, err := strconv.ParseInt(strings.TrimSuffix(idText, ".0"), 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("read workbook %s: row %d: item id %q is not a number", path, r+2, idText)
		}
		e := tracker.ChecklistEdit{Row: r + 2, ID: id, Status: cell(row, hdrStatus), Owner: cell(row, hdrOwner),
			Note: cell(row, hdrNote), DueDate: dateText(cell(row, hdrDue))}
		if v := cell(row, hdrUpdated); v != "" {
			if serial, err := strconv.ParseFloat(v, 64); err == nil && serial > 60 {
				e.Exported = serialTime(serial)
			} else if t, err := time.Parse(time.RFC3339, v); err == nil {
				e.Exported = t.UTC()
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// dateText turns a due-date cell into YYYY-MM-DD: a date serial as its
// day, text as typed (the service refuses what is not a date).
func dateText(v string) string {
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || serial < 1 {
		return v
	}
	t, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		return v
	}
	return t.Format(dateLayout)
}

// serialTime converts an Excel date serial (days since 1899-12-30, after
// Excel's 1900 leap-year bug) to a time, to the millisecond: excelize's own
// conversion rounds to the second, too coarse to tell an item updated just
// after an export.
func serialTime(serial float64) time.Time {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	ms := math.Round(serial * 24 * 60 * 60 * 1000)
	return epoch.Add(time.Duration(ms) * time.Millisecond)
}
