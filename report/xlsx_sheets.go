package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"policywatch/report/record"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

func (x *xlsxDoc) changes() error {
	s := x.styles
	r, err := x.register(sheetChanges, "Changes", []xcol{
		{"Change ID", 10, 0}, {"Detected", 17, s.dateTime}, {"Platform", 16, 0}, {"Document", 20, 0}, {"URL", 36, 0},
		{"From version", 11, 0}, {"To version", 11, 0}, {"Substantive", 11, 0}, {"Exposure", 10, 0},
		{"Categories", 30, s.wrap}, {"Jurisdictions", 18, s.wrap}, {"Summary", 60, s.wrap}, {"Rationale", 60, s.wrap},
		{"Added words", 10, 0}, {"Removed words", 10, 0}, {"Checklist items", 10, 0}, {"Reviewed at", 17, s.dateTime}, {"Reviewed by", 14, 0},
	}, len(x.m.Changes))
	if err != nil {
		return err
	}
	for _, c := range x.m.Changes {
		codes := make([]string, 0, len(c.Record.Flags))
		for _, fl := range c.Record.Flags {
			codes = append(codes, fl.Code)
		}
		if err := r.add(c.ID, c.DetectedAt, c.PlatformName, tracker.KindTitle(c.Kind), c.DocumentURL, c.FromVersionID, c.ToVersionID,
			yesNo(c.Substantive), orText(c.Exposure, tracker.ExposureNone), strings.Join(c.View.CategoryNames(), "; "), strings.Join(codes, ", "),
			c.Summary, c.Rationale, c.AddedWords, c.RemovedWords, len(c.Checklist), c.ReviewedAt, c.ReviewedBy); err != nil {
			return err
		}
	}
	if err := r.exposureFormats(9); err != nil {
		return err
	}
	return r.close()
}

// findingRows counts the Findings sheet's rows: one per finding and jurisdiction.
func (x *xlsxDoc) findingRows() int {
	n := 0
	for _, c := range x.m.Changes {
		for _, f := range c.Record.Findings {
			n += max(len(f.Jurisdictions), 1)
		}
	}
	return n
}

func (x *xlsxDoc) findings() error {
	s := x.styles
	r, err := x.register(sheetFindings, "Findings", []xcol{
		{"Change ID", 10, 0}, {"Detected", 17, s.dateTime}, {"Platform", 16, 0}, {"Document", 20, 0}, {"Category", 28, s.wrap},
		{"Direction", 10, 0}, {"Effect", 14, 0}, {"Exposure", 10, 0}, {"Jurisdiction", 11, 0}, {"Frameworks", 18, s.wrap},
		{"Citations", 40, s.wrap}, {"Heading", 30, s.wrap}, {"Before", 60, s.wrap}, {"After", 60, s.wrap}, {"Evidence", 60, s.wrap},
		{"Rule", 26, 0}, {"Rationale", 50, s.wrap},
	}, x.findingRows())
	if err != nil {
		return err
	}
	for _, c := range x.m.Changes {
		for fi, f := range c.Record.Findings {
			view := c.View.Findings[fi]
			before, after := x.richText(view.Before, "(not in the previous version)"), x.richText(view.After, "(removed)")
			js := f.Jurisdictions
			if len(js) == 0 {
				js = append(js, analysis.Jurisdiction{}) // keep the finding, with no jurisdiction
			}
			for _, j := range js {
				var frameworks, citations []string
				seen := map[string]bool{}
				for _, p := range j.Provisions {
					if !seen[p.Framework] {
						seen[p.Framework] = true
						frameworks = append(frameworks, p.Framework)
					}
					citations = append(citations, record.ProvisionLabel(p.Framework, p.Citation)+" ("+p.Title+")")
				}
				if err := r.add(c.ID, c.DetectedAt, c.PlatformName, tracker.KindTitle(c.Kind), view.CategoryName, f.Direction, f.Effect,
					f.Exposure, j.Code, strings.Join(frameworks, ", "), strings.Join(citations, "; "), f.Heading, before, after, f.Evidence,
					f.Rule, f.Rationale); err != nil {
					return err
				}
			}
		}
	}
	if err := r.exposureFormats(8); err != nil {
		return err
	}
	return r.close()
}

// Checklist sheet columns used by validation and formatting.
const (
	clStatusCol = 9
	clDueCol    = 11
)

func (x *xlsxDoc) checklist() error {
	s := x.styles
	r, err := x.register(sheetChecklist, "Checklist", []xcol{
		{"Item ID", 9, 0}, {"Change ID", 10, 0}, {"Detected", 12, s.date}, {"Platform", 16, 0}, {"Document", 20, 0},
		{"Change exposure", 11, 0}, {"Category", 20, 0}, {"Item", 70, s.wrap}, {"Status", 14, 0}, {"Owner", 16, 0},
		{"Due date", 12, s.date}, {"Overdue at report date", 12, 0}, {"Note", 40, s.wrap}, {"Evidence reference", 50, s.wrap},
		{"Last updated", 17, s.dateTime},
	}, len(x.m.Checklist))
	if err != nil {
		return err
	}
	for _, it := range x.m.Checklist {
		var due interface{} = it.DueDate // an unparsable date stays visible as text
		if !it.Due.IsZero() {
			due = it.Due
		}
		if err := r.add(it.ID, it.ChangeID, it.DetectedAt, it.PlatformName, tracker.KindTitle(it.Kind), it.Exposure, record.CategoryName(x.m.Rules, it.Category), it.Text,
			it.Status, it.Owner, due, yesNo(it.Overdue), it.Note, it.EvidenceRef, it.UpdatedAt); err != nil {
			return err
		}
	}
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(r.colRange(clStatusCol))
	if err := dv.SetDropList(tracker.Statuses); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "Unknown status", "Choose open, in-progress, done or not-applicable.")
	if err := x.f.AddDataValidation(sheetChecklist, dv); err != nil {
		return err
	}
	if err := x.f.SetConditionalFormat(sheetChecklist, r.colRange(clStatusCol), []excelize.ConditionalFormatOptions{
		{Type: "cell", Criteria: "==", Value: `"done"`, Format: &s.cfDone},
		{Type: "cell", Criteria: "==", Value: `"in-progress"`, Format: &s.cfProgress},
		{Type: "cell", Criteria: "==", Value: `"not-applicable"`, Format: &s.cfNA},
	}); err != nil {
		return err
	}
	// Overdue: a due date before today on an item not done, re-evaluated by Excel.
	overdue := `AND(ISNUMBER($K2),$K2<TODAY(),OR($I2="open",$I2="in-progress"))`
	if err := x.f.SetConditionalFormat(sheetChecklist, r.colRange(clDueCol), []excelize.ConditionalFormatOptions{
		{Type: "formula", Criteria: overdue, Format: &s.cfOverdue},
	}); err != nil {
		return err
	}
	if err := r.exposureFormats(6); err != nil {
		return err
	}
	return r.close()
}

func (x *xlsxDoc) monitoring() error {
	s := x.styles
	r, err := x.register(sheetMonitoring, "Monitoring", []xcol{
		{"Document ID", 10, 0}, {"Platform", 16, 0}, {"Document", 20, 0}, {"URL", 40, 0}, {"Tracked", 9, 0},
		{"Checks", 9, 0}, {"Failed", 9, 0}, {"Failure reasons", 26, s.wrap}, {"First check", 17, s.dateTime}, {"Last check", 17, s.dateTime},
		{"First SHA-256", 30, s.mono}, {"Last SHA-256", 30, s.mono},
	}, len(x.m.Monitoring))
	if err != nil {
		return err
	}
	for _, mon := range x.m.Monitoring {
		if err := r.add(mon.DocumentID, mon.PlatformName, tracker.KindTitle(mon.Kind), mon.URL, yesNo(mon.Tracked), mon.Checks, mon.Failures,
			mon.Reasons, mon.First, mon.Last, mon.FirstHash, mon.LastHash); err != nil {
			return err
		}
	}
	return r.close()
}

func (x *xlsxDoc) evidence() error {
	s := x.styles
	r, err := x.register(sheetEvidence, "Evidence", []xcol{
		{"Version ID", 10, 0}, {"Platform", 16, 0}, {"Document", 20, 0}, {"URL", 40, 0}, {"Fetched at", 17, s.dateTime},
		{"Stated date", 12, s.date}, {"HTTP status", 9, 0}, {"Source", 10, 0}, {"Text bytes", 11, 0}, {"SHA-256", 68, s.mono},
		{"Cited by changes", 18, 0}, {"Provenance", 60, 0},
	}, len(x.m.Evidence))
	if err != nil {
		return err
	}
	for _, v := range x.m.Evidence {
		stated := x.statedDate(v.StatedDate)
		ids := make([]string, len(v.CitedBy))
		for i, id := range v.CitedBy {
			ids[i] = strconv.FormatInt(id, 10)
		}
		if err := r.add(v.ID, v.PlatformName, tracker.KindTitle(v.Kind), v.URL, v.FetchedAt, stated, v.HTTPStatus, v.Source, v.Bytes,
			v.SHA256, strings.Join(ids, ", "), v.Provenance()); err != nil {
			return err
		}
	}
	return r.close()
}

func (x *xlsxDoc) audit() error {
	s := x.styles
	r, err := x.register(sheetAudit, "AuditLog", []xcol{
		{"Entry", 8, 0}, {"At", 17, s.dateTime}, {"Actor", 14, 0}, {"Action", 20, 0}, {"Subject", 20, 0},
		{"Detail", 60, s.wrap}, {"Previous hash", 30, s.mono}, {"Hash", 30, s.mono},
	}, len(x.m.Audit))
	if err != nil {
		return err
	}
	for _, e := range x.m.Audit {
		if err := r.add(e.ID, e.At, e.Actor, e.Action, e.Subject, e.Detail, e.PrevHash, e.Hash); err != nil {
			return err
		}
	}
	return r.close()
}

// summary writes the key figures, the breakdown by platform and a chart.
func (x *xlsxDoc) summary() error {
	f, m, s := x.f, x.m, x.styles
	sh := sheetSummary
	var err error
	set := func(cell string, v interface{}, style int) {
		if err != nil {
			return
		}
		switch t := v.(type) {
		case string:
			err = f.SetCellStr(sh, cell, t)
		default:
			err = f.SetCellValue(sh, cell, v)
		}
		if err == nil && style != 0 {
			err = f.SetCellStyle(sh, cell, cell, style)
		}
	}
	set("A1", m.Title, s.title)
	audit := fmt.Sprintf("hash chain verified (%d entries)", m.AuditEntries)
	if !m.AuditVerified {
		audit = "NOT verified: " + m.AuditProblem
	}
	info := []struct {
		k string
		v interface{}
	}{
		{"Organisation", m.Organisation}, {"Period", m.Period}, {"Filter", m.Scope}, {"Generated at", m.GeneratedAt.UTC()},
		{"Generator", "PolicyWatch " + m.AppVersion}, {"Database fingerprint", m.Fingerprint}, {"Audit log", audit},
		{"Note", "Not legal advice: flags changes for review by qualified people. See the PDF's methodology."},
	}
	info = append(info, m.sealInfo()...)
	row := 3
	for _, kv := range info {
		set(cellName(1, row), kv.k, s.bold)
		style := 0
		if _, ok := kv.v.(time.Time); ok {
			style = s.dateTime
		}
		set(cellName(2, row), kv.v, style)
		row++
	}
	t := m.Totals
	row++
	set(cellName(1, row), "Key figure", s.header)
	set(cellName(2, row), "Count", s.header)
	figures := []struct {
		k string
		n int
	}{
		{"Changes", t.Changes}, {"Substantive changes", t.Substantive}, {"Cosmetic changes", t.Cosmetic},
		{"High exposure", t.High}, {"Medium exposure", t.Medium}, {"Low exposure", t.Low}, {"No exposure (cosmetic)", t.None},
		{"Findings", t.Findings}, {"Platforms", t.Platforms}, {"Documents changed", t.Documents},
		{"Checks in period", t.Checks}, {"Failed checks", t.FailedChecks},
		{"Checklist items", t.Items}, {"Open", t.OpenItems}, {"In progress", t.InProgressItems}, {"Done", t.DoneItems},
		{"Not applicable", t.NotApplicable}, {"Overdue", t.OverdueItems}, {"Versions cited", t.VersionsCited},
		{"Reviewed changes", t.Reviewed}, {"Audit entries in period", t.AuditInPeriod},
	}
	for _, fig := range figures {
		row++
		set(cellName(1, row), fig.k, 0)
		set(cellName(2, row), fig.n, 0)
	}
	// Breakdown by platform and exposure, the chart's data.
	row += 2
	headRow := row
	for i, h := range []string{"Platform", "High", "Medium", "Low", "None", "Total"} {
		set(cellName(1+i, row), h, s.header)
	}
	for _, p := range m.Platforms {
		row++
		counts := map[string]int{}
		for _, c := range p.Changes {
			lvl := c.Exposure
			if tracker.ExposureRank(lvl) <= 0 {
				lvl = tracker.ExposureNone
			}
			counts[lvl]++
		}
		set(cellName(1, row), p.Name, 0)
		for i, lvl := range []string{tracker.ExposureHigh, tracker.ExposureMedium, tracker.ExposureLow, tracker.ExposureNone} {
			set(cellName(2+i, row), counts[lvl], 0)
		}
		set(cellName(6, row), len(p.Changes), 0)
	}
	// Jurisdictions flagged.
	jRow := headRow
	set(cellName(8, jRow), "Jurisdiction", s.header)
	set(cellName(9, jRow), "Changes flagged", s.header)
	for _, j := range m.ByJurisdiction {
		jRow++
		set(cellName(8, jRow), j.Label, 0)
		set(cellName(9, jRow), j.N, 0)
	}
	if err != nil {
		return err
	}
	for _, cw := range []struct {
		col string
		w   float64
	}{{"A", 26}, {"B", 70}, {"C", 10}, {"D", 10}, {"E", 10}, {"F", 10}, {"H", 14}, {"I", 16}} {
		if err := f.SetColWidth(sh, cw.col, cw.col, cw.w); err != nil {
			return err
		}
	}
	used := max(row, jRow)
	if len(m.Platforms) == 0 {
		used = row + 2
		if err := f.SetCellStr(sh, cellName(1, used), "No changes match the filter, so there is no chart."); err != nil {
			return err
		}
	}
	if err := f.SetSheetDimension(sh, "A1:"+cellName(9, used)); err != nil {
		return err
	}
	if len(m.Platforms) == 0 {
		return nil
	}
	colors := []string{"C0292B", "CC7000", "29629B", "868E96"}
	var series []excelize.ChartSeries
	for i := range colors {
		col, _ := excelize.ColumnNumberToName(2 + i)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("'%s'!$%s$%d", sh, col, headRow),
			Categories: fmt.Sprintf("'%s'!$A$%d:$A$%d", sh, headRow+1, row),
			Values:     fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sh, col, headRow+1, col, row),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colors[i]}},
		})
	}
	height := uint(max(280, 40+24*len(m.Platforms)))
	return f.AddChart(sh, "K3", &excelize.Chart{
		Type:      excelize.BarStacked,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Changes by platform and exposure"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 560, Height: height},
		YAxis:     excelize.ChartAxis{MajorGridLines: true},
	})
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// richText is spans as a rich-text cell: removed words red and struck
// through, added words green and underlined, so the change reads without
// colour too; links are followed by their address. empty stands in for no
// text.
func (x *xlsxDoc) richText(spans []record.Span, empty string) interface{} {
	if len(spans) == 0 {
		return empty
	}
	var runs []excelize.RichTextRun
	for i, s := range spans {
		text := s.Text
		if s.URL != "" && (i+1 == len(spans) || spans[i+1].URL != s.URL) {
			text += " <" + s.URL + ">"
		}
		f := &excelize.Font{Bold: s.Bold, Italic: s.Italic}
		switch s.Mark {
		case record.MarkAdded:
			f.Color, f.Underline = "006100", "single"
		case record.MarkRemoved:
			f.Color, f.Strike = "9C0006", true
		}
		runs = append(runs, excelize.RichTextRun{Text: text, Font: f})
	}
	return runs
}

// statedDate is a version's stated date as a date cell: a full date as is,
// a month alone ("2024-03") as the first of the month shown as yyyy-mm, so
// the column holds only dates; anything else stays text.
func (x *xlsxDoc) statedDate(s string) interface{} {
	if t, err := time.Parse(dateLayout, s); err == nil {
		return excelize.Cell{StyleID: x.styles.date, Value: t}
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		return excelize.Cell{StyleID: x.styles.month, Value: t}
	}
	return s
}
