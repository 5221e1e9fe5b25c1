package report

import (
	"fmt"
	"strconv"
	"strings"

	"policywatch/tracker"
)

// summary draws the executive summary: figures, charts, top items.
func (d *pdfDoc) summary() {
	m := d.m
	t := m.Totals
	d.chapter(titleSummary)
	d.para(fmt.Sprintf("In the period (%s), PolicyWatch detected %d changes to %d documents of %d platforms: %d substantive and %d cosmetic only. "+
		"%d carry high, %d medium and %d low exposure for %s; %d have no findings. The analysis produced %d findings and %d due-diligence items, "+
		"of which %d are open, %d in progress and %d overdue.",
		m.Period, t.Changes, t.Documents, t.Platforms, t.Substantive, t.Cosmetic, t.High, t.Medium, t.Low, m.Organisation, t.None,
		t.Findings, t.Items, t.OpenItems, t.InProgressItems, t.OverdueItems))
	d.para(fmt.Sprintf("Monitoring ran %d checks on the documents in scope, %d of which failed and archived nothing (see proof of monitoring).", t.Checks, t.FailedChecks))
	d.pdf.Ln(3)
	d.tiles([][2]string{
		{strconv.Itoa(t.Changes), "changes"},
		{strconv.Itoa(t.High), "high exposure"},
		{strconv.Itoa(t.OpenItems + t.InProgressItems), "open items"},
		{strconv.Itoa(t.OverdueItems), "overdue items"},
	})
	d.label("Changes by exposure")
	d.barChart(m.ByExposure)
	d.label("Changes by platform and exposure")
	d.platformChart()
	if len(m.ByJurisdiction) > 0 {
		d.label("Changes by jurisdiction flagged")
		d.barChart(m.ByJurisdiction)
	}
	d.ensure(40)
	d.label("Top high-exposure changes")
	if len(m.Top) == 0 {
		d.para("No change in this report carries high exposure.")
	} else {
		var rows [][]string
		for _, c := range m.Top {
			rows = append(rows, []string{"#" + strconv.FormatInt(c.ID, 10), c.DetectedAt.UTC().Format(dateLayout),
				c.PlatformName + " · " + tracker.KindTitle(c.Kind), categoryList(c.Categories, 6), clip(c.Summary, 220)})
		}
		d.table([]column{{"Change", 14, "L"}, {"Detected", 19, "L"}, {"Document", 34, "L"}, {"Categories", 38, "L"}, {"Summary", contentW - 105, "L"}}, rows, nil)
	}
	d.step()
}

// tiles draws key figures as boxes.
func (d *pdfDoc) tiles(figs [][2]string) {
	p := d.pdf
	d.ensure(22)
	gap := 4.0
	w := (contentW - gap*float64(len(figs)-1)) / float64(len(figs))
	y := p.GetY()
	for i, f := range figs {
		x := marginL + float64(i)*(w+gap)
		d.fill(colPanel)
		p.Rect(x, y, w, 18, "F")
		p.SetXY(x, y+2)
		p.SetFont(fontName, "B", 16)
		d.color(colAccent)
		p.CellFormat(w, 8, f[0], "", 0, "C", false, 0, "")
		p.SetXY(x, y+10.5)
		p.SetFont(fontName, "", 8)
		d.color(colMuted)
		p.CellFormat(w, 5, d.txt(f[1]), "", 0, "C", false, 0, "")
	}
	d.body()
	p.SetXY(marginL, y+22)
}

// barChart draws horizontal bars drawn with rectangles.
func (d *pdfDoc) barChart(bars []Count) {
	const barH, gap, labelW, max = 5.0, 1.6, 38.0, 14
	p := d.pdf
	if len(bars) > max {
		bars = bars[:max]
	}
	top := 1
	for _, b := range bars {
		if b.N > top {
			top = b.N
		}
	}
	d.ensure(float64(len(bars))*(barH+gap) + 4)
	scale := (contentW - labelW - 16) / float64(top)
	y := p.GetY()
	for _, b := range bars {
		p.SetFont(fontName, "", 8)
		d.color(colInk)
		p.SetXY(marginL, y)
		p.CellFormat(labelW, barH, d.txt(clip(b.Label, 28)), "", 0, "L", false, 0, "")
		c := colAccent
		if b.Level != "" {
			c = levelColor[b.Level]
		}
		d.fill(c)
		if b.N > 0 {
			p.Rect(marginL+labelW, y+0.6, float64(b.N)*scale, barH-1.2, "F")
		}
		p.SetXY(marginL+labelW+float64(b.N)*scale+1.5, y)
		p.CellFormat(14, barH, strconv.Itoa(b.N), "", 0, "L", false, 0, "")
		y += barH + gap
	}
	d.draw(colRule)
	p.Line(marginL+labelW, p.GetY(), marginL+labelW, y)
	d.body()
	p.SetXY(marginL, y+2)
}

// platformChart draws one stacked bar per platform, split by exposure.
func (d *pdfDoc) platformChart() {
	const barH, gap, labelW, max = 5.0, 1.6, 38.0, 14
	p := d.pdf
	levels := []string{tracker.ExposureHigh, tracker.ExposureMedium, tracker.ExposureLow, tracker.ExposureNone}
	type row struct {
		name   string
		counts map[string]int
		total  int
	}
	var rows []row
	for _, ps := range d.m.Platforms {
		r := row{name: ps.Name, counts: map[string]int{}}
		for _, c := range ps.Changes {
			lvl := c.Exposure
			if tracker.ExposureRank(lvl) <= 0 {
				lvl = tracker.ExposureNone
			}
			r.counts[lvl]++
			r.total++
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		d.para("No changes in this period.")
		return
	}
	more := 0
	if len(rows) > max {
		more = len(rows) - max
		rows = rows[:max]
	}
	top := 1
	for _, r := range rows {
		top = maxInt(top, r.total)
	}
	d.ensure(float64(len(rows))*(barH+gap) + 12)
	scale := (contentW - labelW - 16) / float64(top)
	y := d.pdf.GetY()
	for _, r := range rows {
		p.SetFont(fontName, "", 8)
		d.color(colInk)
		p.SetXY(marginL, y)
		p.CellFormat(labelW, barH, d.txt(clip(r.name, 28)), "", 0, "L", false, 0, "")
		x := marginL + labelW
		for _, lvl := range levels {
			if n := r.counts[lvl]; n > 0 {
				d.fill(levelColor[lvl])
				p.Rect(x, y+0.6, float64(n)*scale, barH-1.2, "F")
				x += float64(n) * scale
			}
		}
		p.SetXY(x+1.5, y)
		p.CellFormat(14, barH, strconv.Itoa(r.total), "", 0, "L", false, 0, "")
		y += barH + gap
	}
	// legend
	x := marginL + labelW
	p.SetFont(fontName, "", 7.5)
	for _, lvl := range levels {
		d.fill(levelColor[lvl])
		p.Rect(x, y+1.2, 3, 3, "F")
		p.SetXY(x+4, y)
		d.color(colMuted)
		p.CellFormat(18, 5.4, lvl, "", 0, "L", false, 0, "")
		x += 24
	}
	if more > 0 {
		p.SetXY(x+4, y)
		p.CellFormat(60, 5.4, fmt.Sprintf("and %d more platforms (see the contents)", more), "", 0, "L", false, 0, "")
	}
	d.body()
	p.SetXY(marginL, y+8)
}

// categoryList joins at most n categories, saying how many more there are.
func categoryList(cats []string, n int) string {
	if len(cats) <= n {
		return strings.Join(cats, ", ")
	}
	return strings.Join(cats[:n], ", ") + fmt.Sprintf(" and %d more", len(cats)-n)
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
