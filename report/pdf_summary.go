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
	d.para(fmt.Sprintf("In the period (%s), PolicyWatch detected %s to %s of %s: %d substantive and %d cosmetic only. "+
		"%d carry high, %d medium and %d low exposure for %s; %d %s no findings. The analysis produced %s and %s, "+
		"of which %d %s open, %d in progress and %d overdue.",
		m.Period, plural(t.Changes, "change"), plural(t.Documents, "document"), plural(t.Platforms, "platform"), t.Substantive, t.Cosmetic,
		t.High, t.Medium, t.Low, m.Organisation, t.None, isAre(t.None, "has", "have"), plural(t.Findings, "finding"),
		plural(t.Items, "due-diligence item"), t.OpenItems, isAre(t.OpenItems, "is", "are"), t.InProgressItems, t.OverdueItems))
	d.para(fmt.Sprintf("Monitoring ran %s on the documents in scope, %d of which failed and archived nothing (see proof of monitoring).",
		plural(t.Checks, "check"), t.FailedChecks))
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
				c.PlatformName + " · " + tracker.KindTitle(c.Kind), categoryList(c.View.CategoryNames(), 4), clip(c.Summary, 220)})
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
	const barH, gap, labelW = 5.0, 1.6, 38.0
	p := d.pdf
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

// platformChart draws one stacked bar per platform, split by exposure,
// every platform of the report (over as many pages as it takes), then a
// legend that wraps within the margins.
func (d *pdfDoc) platformChart() {
	const barH, gap, labelW = 5.0, 1.6, 38.0
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
	top := 1
	for _, r := range rows {
		top = max(top, r.total)
	}
	scale := (contentW - labelW - 16) / float64(top)
	d.ensure(min(float64(len(rows)), 8)*(barH+gap) + 12)
	y := p.GetY()
	for _, r := range rows {
		if y+barH+gap > bottom {
			p.AddPage()
			y = p.GetY()
		}
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
	p.SetXY(marginL, y)
	d.legend(levels, marginL+labelW)
}

// legend draws exposure levels as coloured squares with their names, from
// x0, wrapping at the right margin.
func (d *pdfDoc) legend(levels []string, x0 float64) {
	p := d.pdf
	d.ensure(7)
	x, y := x0, p.GetY()
	p.SetFont(fontName, "", 7.5)
	for _, lvl := range levels {
		name := lvl
		if lvl == tracker.ExposureNone {
			name = "none / cosmetic"
		}
		w := 4 + p.GetStringWidth(name) + 5
		if x+w > pageW-marginR {
			x = x0
			y += 5
		}
		d.fill(levelColor[lvl])
		p.Rect(x, y+1.2, 3, 3, "F")
		p.SetXY(x+4, y)
		d.color(colMuted)
		p.CellFormat(w-4, 5.4, name, "", 0, "L", false, 0, "")
		x += w
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

// isAre picks the singular or plural verb for n.
func isAre(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
