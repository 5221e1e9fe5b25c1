package report

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"policywatch/report/record"
)

// flowOpts tune how spans are printed.
type flowOpts struct {
	size, lh float64
	// markWords underlines added words and strikes removed ones; without
	// it marks only colour the text (a whole added or removed block, whose
	// label already says so).
	markWords bool
	// muted prints unmarked text in the muted colour (context sentences).
	muted bool
}

// flowWord is one word of a flow with its trailing spaces and its span.
type flowWord struct {
	text  string // the word and the spaces after it
	span  record.Span
	brk   bool // a line break
	link  int  // note number of the link this word ends, 0 for none
	style string
}

// flow prints spans as one wrapped paragraph from x0 over width, starting
// at the cursor: Markdown bold and italic, links in the accent colour with
// a note number whose address links collects, added text green (and
// underlined), removed text red (and struck through). A word longer than a
// line breaks after a slash, at-sign, dot or hyphen where it can. It leaves
// the cursor under the paragraph.
func (d *pdfDoc) flow(spans []record.Span, x0, width float64, o flowOpts, links *[]record.Link) {
	p := d.pdf
	words := d.flowWords(spans, links)
	right := x0 + width
	x, y := x0, p.GetY()
	newline := func() {
		x = x0
		y += o.lh
		if y+o.lh > bottom {
			p.AddPage()
			y = p.GetY()
		}
	}
	if y+o.lh > bottom {
		p.AddPage()
		y = p.GetY()
	}
	for i, w := range words {
		if w.brk {
			newline()
			continue
		}
		p.SetFont(fontName, w.style, o.size)
		word := strings.TrimRight(w.text, " ")
		ww := p.GetStringWidth(word)
		full := p.GetStringWidth(w.text)
		if x > x0 && x+ww > right {
			newline()
		}
		for x+ww > right && word != "" { // longer than the line: break it
			cut := breakWord(p.GetStringWidth, word, right-x)
			d.flowPiece(cut, w, x, y, o, false)
			newline()
			word = word[len(cut):]
			ww = p.GetStringWidth(word)
			full = ww + p.GetStringWidth(w.text[len(strings.TrimRight(w.text, " ")):])
		}
		nextSame := i+1 < len(words) && !words[i+1].brk && words[i+1].span.Mark == w.span.Mark
		d.flowPiece(word, w, x, y, o, nextSame && full > ww)
		x += full
		if w.link > 0 {
			p.SetFont(fontName, "", o.size*0.7)
			d.color(colAccent)
			note := "[" + strconv.Itoa(w.link) + "]"
			p.SetXY(x-(full-ww)-p.GetCellMargin()*0.5, y-o.lh*0.12)
			p.CellFormat(p.GetStringWidth(note), o.lh*0.6, note, "", 0, "L", false, 0, "")
			x += p.GetStringWidth(note) + 0.4
		}
	}
	d.body()
	p.SetXY(marginL, y+o.lh)
}

// flowPiece prints one word (or a piece of a broken word) at (x, y) in its
// style and mark; throughSpace extends the mark's line over the space after
// it, so a marked phrase reads as one.
func (d *pdfDoc) flowPiece(s string, w flowWord, x, y float64, o flowOpts, throughSpace bool) {
	p := d.pdf
	switch {
	case w.span.Mark == record.MarkAdded:
		d.color(colAdded)
	case w.span.Mark == record.MarkRemoved:
		d.color(colRemoved)
	case w.span.URL != "":
		d.color(colAccent)
	case o.muted:
		d.color(colMuted)
	default:
		d.color(colInk)
	}
	width := p.GetStringWidth(s)
	p.SetXY(x, y)
	p.CellFormat(width, o.lh, s, "", 0, "L", false, 0, "")
	if !o.markWords || w.span.Mark == record.MarkEqual {
		return
	}
	lineW := width
	if throughSpace {
		lineW = p.GetStringWidth(w.text)
	}
	x += p.GetCellMargin() // where CellFormat put the text
	p.SetLineWidth(0.25)
	if w.span.Mark == record.MarkRemoved {
		d.draw(colRemoved)
		p.Line(x, y+o.lh*0.52, x+lineW, y+o.lh*0.52)
	} else {
		d.draw(colAdded)
		p.Line(x, y+o.lh*0.86, x+lineW, y+o.lh*0.86)
	}
	p.SetLineWidth(0.2)
}

// flowWords splits spans into printable words, numbering links as notes.
func (d *pdfDoc) flowWords(spans []record.Span, links *[]record.Link) []flowWord {
	var out []flowWord
	for si, s := range spans {
		if s.Text == "\n" {
			out = append(out, flowWord{brk: true, span: s})
			continue
		}
		style := ""
		if s.Bold {
			style += "B"
		}
		if s.Italic {
			style += "I"
		}
		text := d.txt(s.Text)
		for _, line := range strings.SplitAfter(text, "\n") {
			brk := strings.HasSuffix(line, "\n")
			for _, w := range splitWords(strings.TrimSuffix(line, "\n")) {
				out = append(out, flowWord{text: w, span: s, style: style})
			}
			if brk {
				out = append(out, flowWord{brk: true, span: s})
			}
		}
		// a link's note number goes after its last word
		if s.URL != "" && links != nil && (si+1 == len(spans) || spans[si+1].URL != s.URL) && len(out) > 0 {
			n := 0
			for i, l := range *links {
				if l.URL == s.URL {
					n = i + 1
				}
			}
			if n == 0 {
				*links = append(*links, record.Link{Text: s.Text, URL: s.URL})
				n = len(*links)
			}
			for i := len(out) - 1; i >= 0; i-- {
				if !out[i].brk {
					out[i].link = n
					break
				}
			}
		}
	}
	return out
}

// linkNotes prints the addresses of a block's links under it, numbered as
// flow numbered them.
func (d *pdfDoc) linkNotes(links []record.Link, x0 float64) {
	if len(links) == 0 {
		return
	}
	p := d.pdf
	for i, l := range links {
		d.ensure(3.4)
		p.SetFont(fontName, "", 6.8)
		d.color(colMuted)
		// the address fills each line, broken after a slash, dot or ampersand
		w := pageW - marginR - x0 - 2*p.GetCellMargin()
		rest := "[" + strconv.Itoa(i+1) + "] " + d.txt(l.URL)
		for rest != "" {
			line := breakWord(p.GetStringWidth, rest, w)
			p.SetX(x0)
			p.CellFormat(pageW-marginR-x0, 3.2, line, "", 1, "L", false, 0, "")
			rest = rest[len(line):]
		}
	}
	d.body()
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

// breakWord returns the longest prefix of s no wider than w that ends
// after a slash, at-sign, dot, hyphen, underscore, question mark,
// ampersand or equals sign, else the longest prefix that fits (at least
// one rune).
func breakWord(width func(string) float64, s string, w float64) string {
	fit := fitRunes(width, s, w)
	if len(fit) == len(s) {
		return fit
	}
	for i := len(fit) - 1; i > len(fit)/3; i-- {
		if strings.IndexByte("/@.-_?&=,;", fit[i]) >= 0 {
			if fit[i] == '@' { // keep the address's parts whole: break before the @
				if i > 0 {
					return fit[:i]
				}
				continue
			}
			return fit[:i+1]
		}
	}
	return fit
}

// fitRunes returns the longest prefix of s no wider than w (at least one rune).
func fitRunes(width func(string) float64, s string, w float64) string {
	end := 0
	for i, r := range s {
		next := i + utf8.RuneLen(r)
		if width(s[:next]) > w && end > 0 {
			break
		}
		end = next
	}
	return s[:end]
}

// wrap splits text into lines no wider than w at the current font: at
// spaces, and inside a word longer than a line where breakWord says.
func (d *pdfDoc) wrap(text string, w float64) []string {
	p := d.pdf
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range splitWords(para) {
			if line != "" && p.GetStringWidth(line+strings.TrimRight(word, " ")) > w {
				lines = append(lines, strings.TrimRight(line, " "))
				line = ""
			}
			for line == "" && p.GetStringWidth(strings.TrimRight(word, " ")) > w {
				cut := breakWord(p.GetStringWidth, word, w)
				lines = append(lines, cut)
				word = word[len(cut):]
			}
			line += word
		}
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}
