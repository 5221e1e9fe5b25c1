package report

// maxCellChars caps a table cell's text so that no row outgrows a page.
const maxCellChars = 1500

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
			lines[ci] = d.wrap(d.txt(clip(row[ci], maxCellChars)), w-p.GetCellMargin())
			p.SetFont(fontName, "", size)
			if len(lines[ci]) > n {
				n = len(lines[ci])
			}
		}
		h := float64(n)*lh + 2*pad
		var noteLines []string
		if ri < len(notes) && notes[ri] != "" {
			p.SetFont(fontName, "", 6.6)
			noteLines = d.wrap(d.txt(notes[ri]), tableWidth(cols)-2*pad)
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
