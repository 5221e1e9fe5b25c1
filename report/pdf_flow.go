package report

import "strings"

// flow prints runs of kept, added and removed text as one wrapped
// paragraph starting at x0: added text green and marked "+", removed text
// red, struck through with a drawn line and marked "-".
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
