package report

import (
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
	d.pdf.MultiCell(contentW, 6.5, d.txt(title), "", "L", false)
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
	d.pdf.SetX(marginL)
	d.pdf.MultiCell(contentW, lineH, d.txt(s), "", "L", false)
}

// muted prints small grey wrapped text.
func (d *pdfDoc) muted(s string) {
	d.pdf.SetFont(fontName, "", smallSize+0.5)
	d.color(colMuted)
	d.pdf.SetX(marginL)
	d.pdf.MultiCell(contentW, 3.8, d.txt(s), "", "L", false)
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
		p.SetXY(marginL+5.5, y)
		p.MultiCell(contentW-5.5, lineH, d.txt(it), "", "L", false)
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
		p.SetXY(marginL+keyW, y)
		p.MultiCell(contentW-keyW, lineH, d.txt(kv[1]), "", "L", false)
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

// column is one column of a table.
type column struct {
	title string
	w     float64
	align string
}

// cellStyle customises one cell: bold, colour, or a drawn status box.
type cellStyle struct {
	bold   bool
	color  *rgb
	status string // draw a status box before the text
	level  string // draw an exposure badge instead of the text
}

// table prints rows under a repeated header, wrapping cells and breaking
// pages between rows. style, if not nil, styles a cell.
func (d *pdfDoc) table(cols []column, rows [][]string, style func(r, c int) cellStyle) {
	d.tableNotes(cols, rows, nil, style)
}

// tableNotes is table with an optional full-width note under each row, in
// small grey type (notes[r] == "" for none).
func (d *pdfDoc) tableNotes(cols []column, rows [][]string, notes []string, style func(r, c int) cellStyle) {
	const pad, lh, size, noteLH, headH = 1.2, 3.7, 7.6, 3.2, 5.5
	p := d.pdf
	head := func() {
		p.SetFont(fontName, "B", size)
		d.fill(colPanel)
		d.color(colAccent)
		x := marginL
		y := p.GetY()
		for _, c := range cols {
			p.SetXY(x, y)
			p.CellFormat(c.w, headH, d.txt(c.title), "", 0, "L", true, 0, "")
			x += c.w
		}
		p.SetXY(marginL, y+headH)
	}
	headed := false // the header is printed with the first row of each page
	if len(rows) == 0 {
		d.ensure(12)
		head()
	}
	for ri, row := range rows {
		p.SetFont(fontName, "", size)
		lines := make([][]string, len(cols))
		n := 1
		for ci, c := range cols {
			if ci >= len(row) {
				continue
			}
			st := cellStyle{}
			if style != nil {
				st = style(ri, ci)
			}
			if st.level != "" {
				continue
			}
			w := c.w - 2*pad
			if st.status != "" {
				w -= 4
			}
			if st.bold {
				p.SetFont(fontName, "B", size)
			}
			lines[ci] = p.SplitText(d.txt(row[ci]), w+2*p.GetCellMargin())
			p.SetFont(fontName, "", size)
			if len(lines[ci]) > n {
				n = len(lines[ci])
			}
		}
		h := float64(n)*lh + 2*pad
		var noteLines []string
		if ri < len(notes) && notes[ri] != "" {
			p.SetFont(fontName, "", 6.6)
			noteLines = p.SplitText(d.txt(notes[ri]), tableWidth(cols)-2*pad+2*p.GetCellMargin())
			h += float64(len(noteLines)) * noteLH
		}
		need := h
		if !headed {
			need += headH
		}
		if p.GetY()+need > bottom {
			p.AddPage()
			headed = false
		}
		if !headed {
			head()
			headed = true
		}
		y := p.GetY()
		x := marginL
		for ci, c := range cols {
			st := cellStyle{}
			if style != nil {
				st = style(ri, ci)
			}
			tx := x + pad
			switch {
			case st.level != "":
				d.badge(tx, y+pad, st.level)
			case st.status != "":
				d.statusBox(tx, y+pad+0.3, 3, st.status)
				tx += 4
			}
			if st.level == "" {
				if st.bold {
					p.SetFont(fontName, "B", size)
				} else {
					p.SetFont(fontName, "", size)
				}
				if st.color != nil {
					d.color(*st.color)
				} else {
					d.color(colInk)
				}
				for li, line := range lines[ci] {
					p.SetXY(tx, y+pad+float64(li)*lh)
					p.CellFormat(c.w-(tx-x)-pad, lh, line, "", 0, c.align, false, 0, "")
				}
			}
			x += c.w
		}
		if len(noteLines) > 0 {
			p.SetFont(fontName, "", 6.6)
			d.color(colMuted)
			for li, line := range noteLines {
				p.SetXY(marginL+pad, y+h-pad-float64(len(noteLines)-li)*noteLH)
				p.CellFormat(tableWidth(cols)-2*pad, noteLH, line, "", 0, "L", false, 0, "")
			}
		}
		d.draw(colRule)
		p.SetLineWidth(0.15)
		p.Line(marginL, y+h, marginL+tableWidth(cols), y+h)
		p.SetXY(marginL, y+h)
	}
	d.body()
	p.Ln(2)
}

func tableWidth(cols []column) float64 {
	w := 0.0
	for _, c := range cols {
		w += c.w
	}
	return w
}

// flow prints runs of kept, added and removed text as one wrapped
// paragraph starting at x0: added text green and marked "+", removed text
// red, struck through with a drawn line and marked "−".
func (d *pdfDoc) flow(runs []Run, x0, width float64) {
	const lh = 4.3
	p := d.pdf
	p.SetFont(fontName, "", 8.8)
	right := x0 + width
	x, y := x0, p.GetY()
	newline := func() {
		x = x0
		y += lh
		if y+lh > bottom {
			p.AddPage()
			p.SetFont(fontName, "", 8.8)
			y = p.GetY()
		}
	}
	// segment prints text of one op on the current line.
	segment := func(op, s string) {
		if s == "" {
			return
		}
		w := p.GetStringWidth(s)
		switch op {
		case "added":
			d.color(colAdded)
		case "removed":
			d.color(colRemoved)
		default:
			d.color(colInk)
		}
		p.SetXY(x, y)
		p.CellFormat(w, lh, s, "", 0, "L", false, 0, "")
		if op == "removed" {
			trimmed := strings.TrimRight(s, " ")
			d.draw(colRemoved)
			p.SetLineWidth(0.25)
			p.Line(x, y+lh*0.52, x+p.GetStringWidth(trimmed), y+lh*0.52)
		}
		x += w
	}
	const gap = 1.0 // around added and removed runs
	for _, r := range runs {
		text := d.txt(r.Text)
		if r.Op != "equal" {
			text = strings.TrimLeft(text, " ")
			if text == "" {
				continue
			}
			mark, c := "+", colAdded
			if r.Op == "removed" {
				mark, c = "-", colRemoved
			}
			p.SetFont(fontName, "B", 8.8)
			d.color(c)
			mw := p.GetStringWidth(mark)
			if x > x0 {
				x += gap
			}
			if x+mw+4 > right {
				newline()
			}
			p.SetXY(x, y)
			p.CellFormat(mw, lh, mark, "", 0, "L", false, 0, "")
			x += mw + 0.3
			p.SetFont(fontName, "", 8.8)
		}
		var line strings.Builder
		lineW := 0.0
		flush := func() {
			segment(r.Op, line.String())
			line.Reset()
			lineW = 0
		}
		for _, para := range strings.SplitAfter(text, "\n") {
			hardBreak := strings.HasSuffix(para, "\n")
			para = strings.TrimSuffix(para, "\n")
			for _, word := range splitWords(para) {
				ww := p.GetStringWidth(word)
				if x+lineW+p.GetStringWidth(strings.TrimRight(word, " ")) > right {
					flush()
					if x > x0 {
						newline()
					}
					word = strings.TrimLeft(word, " ")
					ww = p.GetStringWidth(word)
					for ww > width { // a word longer than a line: break it
						cut := fitRunes(p.GetStringWidth, word, width)
						segment(r.Op, cut)
						newline()
						word = word[len(cut):]
						ww = p.GetStringWidth(word)
					}
				}
				line.WriteString(word)
				lineW += ww
			}
			flush()
			if hardBreak {
				newline()
			}
		}
		if r.Op != "equal" && x > x0 {
			x += gap
		}
	}
	d.body()
	p.SetXY(marginL, y+lh)
}

// splitWords splits s after each run of spaces, keeping the spaces.
func splitWords(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && (i+1 == len(s) || s[i+1] != ' ') {
			out = append(out, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// fitRunes returns the longest prefix of s no wider than w (at least one rune).
func fitRunes(width func(string) float64, s string, w float64) string {
	end := 0
	for i, r := range s {
		next := i + len(string(r))
		if width(s[:next]) > w && end > 0 {
			break
		}
		end = next
	}
	return s[:end]
}
