package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbook, in order.
const (
	sheetSummary    = "Summary"
	sheetChanges    = "Changes"
	sheetFindings   = "Findings"
	sheetChecklist  = "Checklist"
	sheetMonitoring = "Monitoring"
	sheetEvidence   = "Evidence"
	sheetAudit      = "Audit log"
)

// WriteXLSX renders m as an Excel workbook at path, atomically: a failed or
// cancelled export leaves no file (and an existing file at path untouched).
// Registers are streamed, so memory stays flat however many rows they hold.
// Like WritePDF it then writes <path>.sha256 and logs the report.
func WriteXLSX(ctx context.Context, m *Model, path string) error {
	if m == nil {
		return fmt.Errorf("write xlsx %s: no report model", path)
	}
	if err := writeAtomic(ctx, path, func(w io.Writer) error { return renderXLSX(ctx, m, ctxWriter{ctx, w}) }); err != nil {
		return err
	}
	return m.publish(ctx, path, "xlsx")
}

// xlsxDoc is one workbook being written.
type xlsxDoc struct {
	f      *excelize.File
	m      *Model
	ctx    context.Context
	styles xlsxStyles
	rows   int // rows written, for progress
	total  int
}

func renderXLSX(ctx context.Context, m *Model, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxDoc{f: f, m: m, ctx: ctx}
	x.total = len(m.Changes) + x.findingRows() + len(m.Checklist) + len(m.Monitoring) + len(m.Evidence) + len(m.Audit)
	x.progress()
	if err := x.newStyles(); err != nil {
		return fmt.Errorf("xlsx styles: %w", err)
	}
	if err := f.SetSheetName("Sheet1", sheetSummary); err != nil {
		return fmt.Errorf("xlsx summary sheet: %w", err)
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{sheetChanges, x.changes}, {sheetFindings, x.findings}, {sheetChecklist, x.checklist},
		{sheetMonitoring, x.monitoring}, {sheetEvidence, x.evidence}, {sheetAudit, x.audit}, {sheetSummary, x.summary},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.name != sheetSummary {
			if _, err := f.NewSheet(s.name); err != nil {
				return fmt.Errorf("xlsx sheet %s: %w", s.name, err)
			}
		}
		if err := s.fn(); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", s.name, err)
		}
	}
	f.SetActiveSheet(0)
	created := m.GeneratedAt.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Created: created, Modified: created, Creator: "PolicyWatch " + m.AppVersion,
		LastModifiedBy: "PolicyWatch " + m.AppVersion, Title: m.Title + " — " + m.Organisation,
		Subject: "Changes to platform policies, " + m.Period, Description: "Database fingerprint " + m.Fingerprint + ". Not legal advice.",
		Keywords: "policywatch", Language: "en"}); err != nil {
		return fmt.Errorf("xlsx properties: %w", err)
	}
	x.progress()
	if m.Deterministic {
		// excelize writes the zip entries in map order; sort them so the same
		// content gives the same bytes.
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
		return sortedZip(buf.Bytes(), w)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// progress reports rows written, if asked.
func (x *xlsxDoc) progress() {
	if x.m.progress != nil {
		x.m.progress("xlsx", min(x.rows, x.total), x.total)
	}
}

// register streams one sheet: a frozen header row, column widths, rows,
// and an Excel table (with its autofilter) over them.
type register struct {
	x     *xlsxDoc
	sw    *excelize.StreamWriter
	sheet string
	cols  []xcol
	row   int
	buf   []interface{}
	table string
}

// xcol is one column of a register.
type xcol struct {
	title string
	width float64
	style int // default cell style, 0 for none
}

// register starts a sheet of rows data rows under cols.
func (x *xlsxDoc) register(sheet, table string, cols []xcol, rows int) (*register, error) {
	// The streamed sheet declares its used range up front: the header row
	// and rows data rows (at least one, as the table needs).
	last, err := excelize.CoordinatesToCellName(len(cols), max(rows, 1)+1)
	if err != nil {
		return nil, err
	}
	if err := x.f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		return nil, err
	}
	sw, err := x.f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	r := &register{x: x, sw: sw, sheet: sheet, cols: cols, row: 1, buf: make([]interface{}, len(cols)), table: table}
	// excelize puts each new column definition first; set them from the
	// last so that the sheet lists them in column order.
	for i := len(cols) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, cols[i].width); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	head := make([]interface{}, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: x.styles.header, Value: c.title}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 30}); err != nil {
		return nil, err
	}
	return r, nil
}

// add writes one row; values are strings (always written as text, never as
// formulas), numbers, booleans or times (written as date cells).
func (r *register) add(values ...interface{}) error {
	r.row++
	for i, v := range values {
		style := r.cols[i].style
		switch t := v.(type) {
		case excelize.Cell:
			r.buf[i] = t
		case time.Time:
			if t.IsZero() {
				r.buf[i] = nil
				continue
			}
			if style == 0 {
				style = r.x.styles.dateTime
			}
			r.buf[i] = excelize.Cell{StyleID: style, Value: t.UTC()}
		case string:
			if t == "" {
				r.buf[i] = nil
				continue
			}
			r.buf[i] = excelize.Cell{StyleID: style, Value: t}
		default:
			r.buf[i] = excelize.Cell{StyleID: style, Value: v}
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, r.row)
	if err != nil {
		return err
	}
	if err := r.sw.SetRow(cell, r.buf); err != nil {
		return err
	}
	r.x.rows++
	if r.x.rows%2000 == 0 {
		if err := r.x.ctx.Err(); err != nil {
			return err
		}
		r.x.progress()
	}
	return nil
}

// lastRow is the last row the register's data reaches (at least 2, as a
// table needs one data row).
func (r *register) lastRow() int { return max(r.row, 2) }

// colRange is a column's data range, e.g. "I2:I101".
func (r *register) colRange(col int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("%s2:%s%d", name, name, r.lastRow())
}

// close adds the table and flushes the sheet.
func (r *register) close() error {
	last, _ := excelize.CoordinatesToCellName(len(r.cols), r.lastRow())
	no := false
	if err := r.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: r.table, StyleName: "TableStyleLight9", ShowRowStripes: &no}); err != nil {
		return err
	}
	return r.sw.Flush()
}

// exposureFormats colours an exposure column by level.
func (r *register) exposureFormats(col int) error {
	s := r.x.styles
	return r.x.f.SetConditionalFormat(r.sheet, r.colRange(col), []excelize.ConditionalFormatOptions{
		{Type: "cell", Criteria: "==", Value: `"high"`, Format: &s.cfHigh},
		{Type: "cell", Criteria: "==", Value: `"medium"`, Format: &s.cfMedium},
		{Type: "cell", Criteria: "==", Value: `"low"`, Format: &s.cfLow},
	})
}
