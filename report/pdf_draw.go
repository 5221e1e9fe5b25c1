package report

import (
	"strconv"
	"strings"

	"policywatch/tracker"
)

// bottom is the lowest y body content may reach.
const bottom = pageH - marginB - 4

// ensure starts a new page unless h millimetres fit below the cursor.
func (d *pdfDoc) ensure(h float64) {
	if d.pdf.GetY()+h > bottom {
		d.pdf.AddPage()
	}
}

// chapter starts a top-level section on a new page, with a bookmark and its
// contents entry.
func (d *pdfDoc) chapter(title string) {
	d.section = title
	d.pdf.AddPage()
	d.anchor(title, 0)
	p := d.pdf
	p.SetFont(fontName, "B", 18)
	d.color(colAccent)
	p.CellFormat(contentW, 10, d.txt(title), "", 1, "L", false, 0, "")
	d.draw(colAccent)
	p.SetLineWidth(0.6)
	p.Line(marginL, p.GetY()+1, marginL+30, p.GetY()+1)
	p.Ln(5)
	d.body()
}

// anchor bookmarks the cursor's position and, when the next contents entry
// has this title and level, points it here.
func (d *pdfDoc) anchor(title string, level int) {
	d.pdf.Bookmark(d.txt(title), level, -1)
	if d.tocNext < len(d.toc) && d.toc[d.tocNext].title == title && d.toc[d.tocNext].level == level {
		e := &d.toc[d.tocNext]
		e.page = d.pdf.PageNo()
		d.pdf.SetLink(e.link, d.pdf.GetY(), -1)
		d.tocNext++
	}
}

// heading prints a second-level heading (bookmarked at level).
func (d *pdfDoc) heading(title string, level int) {
	d.ensure(22)
	d.pdf.Ln(2)
	d.anchor(title, level)
	d.pdf.SetFont(fontName, "B", 13)
	d.color(colAccent)
	d.multiAt(marginL, contentW, 6.5, title)
	d.pdf.Ln(1.5)
	d.body()
}

// label prints a small bold caption above a block.
func (d *pdfDoc) label(s string) {
	d.ensure(16) // keep the caption with the start of its block
	d.pdf.Ln(1.2)
	d.pdf.SetFont(fontName, "B", 8.5)
	d.color(colAccent)
	d.pdf.CellFormat(contentW, 4.8, d.txt(strings.ToUpper(s)), "", 1, "L", false, 0, "")
	d.body()
}

// body selects the body font and colour.
func (d *pdfDoc) body() {
	d.pdf.SetFont(fontName, "", bodySize)
	d.color(colInk)
}

// para prints wrapped text at the left margin.
func (d *pdfDoc) para(s string) {
	d.multiAt(marginL, contentW, lineH, s)
}

// muted prints small grey wrapped text.
func (d *pdfDoc) muted(s string) {
	d.pdf.SetFont(fontName, "", smallSize+0.5)
	d.color(colMuted)
	d.multiAt(marginL, contentW, 3.8, s)
	d.body()
}

// bullets prints a list with hanging bullets.
func (d *pdfDoc) bullets(items []string) {
	p := d.pdf
	for _, it := range items {
		d.ensure(lineH)
		y := p.GetY()
		p.SetXY(marginL+1.5, y)
		p.CellFormat(4, lineH, "•", "", 0, "L", false, 0, "")
		d.multiAt(marginL+5.5, contentW-5.5, lineH, it)
	}
}

// keyValues prints aligned label/value lines.
func (d *pdfDoc) keyValues(rows [][2]string, keyW float64) {
	p := d.pdf
	for _, kv := range rows {
		d.ensure(lineH)
		y := p.GetY()
		p.SetXY(marginL, y)
		p.SetFont(fontName, "B", bodySize)
		d.color(colMuted)
		p.CellFormat(keyW, lineH, d.txt(kv[0]), "", 0, "L", false, 0, "")
		d.body()
		p.SetY(y)
		d.multiAt(marginL+keyW, contentW-keyW, lineH, kv[1])
	}
}

// badge draws an exposure level as a coloured label at (x, y); it returns its width.
func (d *pdfDoc) badge(x, y float64, level string) float64 {
	p := d.pdf
	if level == "" {
		level = tracker.ExposureNone
	}
	text := strings.ToUpper(level)
	p.SetFont(fontName, "B", 7)
	w := p.GetStringWidth(text) + 4
	d.fill(levelColor[level])
	p.RoundedRect(x, y, w, 4.4, 1.0, "1234", "F")
	d.color(colWhite)
	p.SetXY(x, y)
	p.CellFormat(w, 4.4, text, "", 0, "C", false, 0, "")
	d.body()
	return w
}

// statusBox draws a checklist status as a shape: an empty box (open), a
// half-filled box (in progress), a ticked box (done) or a box with a dash
// (not applicable). Noto Sans has no ballot-box glyphs.
func (d *pdfDoc) statusBox(x, y, s float64, status string) {
	p := d.pdf
	p.SetLineWidth(0.3)
	d.draw(colInk)
	switch status {
	case tracker.StatusDone:
		d.fill(colAdded)
		d.draw(colAdded)
		p.Rect(x, y, s, s, "FD")
		d.draw(colWhite)
		p.SetLineWidth(0.45)
		p.Line(x+s*0.2, y+s*0.55, x+s*0.42, y+s*0.78)
		p.Line(x+s*0.42, y+s*0.78, x+s*0.82, y+s*0.22)
	case tracker.StatusInProgress:
		d.fill(levelColor["medium"])
		p.Rect(x, y+s/2, s, s/2, "F")
		p.Rect(x, y, s, s, "D")
	case tracker.StatusNotApplicable:
		d.draw(colMuted)
		p.Rect(x, y, s, s, "D")
		p.Line(x+s*0.2, y+s/2, x+s*0.8, y+s/2)
	default:
		p.Rect(x, y, s, s, "D")
	}
	p.SetLineWidth(0.2)
	d.draw(colRule)
}

// plural writes a count with its noun: "1 change", "3 changes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
