package record

import (
	"html"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// piece is a stretch of visible text of a Markdown source with the bytes
// of the source it shows. An exact piece shows src[start:end] as it is; a
// resolved one (an entity, a list bullet, a line break) shows other text.
type piece struct {
	start, end int
	text       string
	exact      bool
	style      Style
}

// parsers holds goldmark parsers for reuse across goroutines.
var parsers = sync.Pool{New: func() any { return goldmark.DefaultParser() }}

// parseInline renders one block of the archive's Markdown-like text (a
// paragraph, list item, heading or table row) into visible pieces, in
// source order: emphasis becomes bold or italic, links their text with the
// address kept in the style, escapes and entities their character, <br> a
// line break; list markers, heading marks and link targets disappear.
func parseInline(src string) []piece {
	if !strings.ContainsAny(src, "*_`[]<>&\\!#|-+0123456789") {
		if src == "" {
			return nil
		}
		return []piece{{start: 0, end: len(src), text: src, exact: true}}
	}
	p := parsers.Get().(parser.Parser)
	defer parsers.Put(p)
	source := []byte(src)
	doc := p.Parse(text.NewReader(source))
	var out []piece
	var st Style
	var stack []Style
	push := func() { stack = append(stack, st) }
	pop := func() { st = stack[len(stack)-1]; stack = stack[:len(stack)-1] }
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch x := n.(type) {
		case *ast.Emphasis:
			if entering {
				push()
				if x.Level >= 2 {
					st.Bold = true
				} else {
					st.Italic = true
				}
			} else {
				pop()
			}
		case *ast.Heading:
			if entering {
				push()
				st.Bold = true
			} else {
				pop()
			}
		case *ast.CodeSpan:
			if entering {
				push()
				st.Code = true
			} else {
				pop()
			}
		case *ast.Link:
			if entering {
				push()
				st.URL = string(x.Destination)
			} else {
				pop()
			}
		case *ast.Image:
			if entering {
				push()
				st.Italic = true
				st.URL = string(x.Destination)
			} else {
				pop()
			}
		case *ast.AutoLink:
			if entering {
				label := x.Label(source)
				at := strings.Index(src, string(label))
				if at < 0 {
					at = 0
				}
				s := st
				s.URL = string(x.URL(source))
				out = append(out, piece{start: at, end: at + len(label), text: string(label), exact: true, style: s})
			}
			return ast.WalkSkipChildren, nil
		case *ast.ListItem:
			if entering {
				bullet := "• "
				if l, ok := x.Parent().(*ast.List); ok && l.IsOrdered() {
					n := l.Start
					for c := l.FirstChild(); c != nil && c != n2a(x); c = c.NextSibling() {
						n++
					}
					bullet = itoa(n) + ". "
				}
				at := firstTextStart(x)
				out = append(out, piece{start: at, end: at, text: bullet, style: st})
			}
		case *ast.RawHTML:
			if entering {
				tag := strings.ToLower(string(rawValue(x, source)))
				if strings.HasPrefix(tag, "<br") {
					at := 0
					if x.Segments.Len() > 0 {
						at = x.Segments.At(0).Start
					}
					out = append(out, piece{start: at, end: at, text: "\n"})
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.String:
			if entering && len(x.Value) > 0 {
				at := 0
				if len(out) > 0 {
					at = out[len(out)-1].end
				}
				out = append(out, piece{start: at, end: at, text: string(x.Value), style: st})
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
			// indented text, fenced text and block HTML show as they are
			if entering {
				s := st
				if _, isHTML := n.(*ast.HTMLBlock); !isHTML {
					s.Code = true
				}
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					if i > 0 {
						out = append(out, piece{start: seg.Start, end: seg.Start, text: "\n"})
					}
					out = appendText(out, src, seg.Start, seg.Stop, s)
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.ThematicBreak:
			if entering && n.Lines().Len() > 0 {
				seg := n.Lines().At(0)
				out = append(out, piece{start: seg.Start, end: seg.Stop, text: "—"})
			}
		case *ast.Text:
			if entering {
				out = appendText(out, src, x.Segment.Start, x.Segment.Stop, st)
				if x.SoftLineBreak() || x.HardLineBreak() {
					brk := " "
					if x.HardLineBreak() {
						brk = "\n"
					}
					out = append(out, piece{start: x.Segment.Stop, end: x.Segment.Stop, text: brk, style: st})
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return out
}

// n2a is x as an ast.Node (for comparisons with siblings).
func n2a(x *ast.ListItem) ast.Node { return x }

// firstTextStart is the source offset of the first text under n.
func firstTextStart(n ast.Node) int {
	at := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			at = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if at < 0 {
		if n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
		return 0
	}
	return at
}

// rawValue is the source of an inline HTML node.
func rawValue(x *ast.RawHTML, source []byte) []byte {
	var b []byte
	for i := 0; i < x.Segments.Len(); i++ {
		s := x.Segments.At(i)
		b = append(b, s.Value(source)...)
	}
	return b
}

// appendText adds src[start:stop] as pieces, dropping the backslash of an
// escaped punctuation character and resolving character entities.
func appendText(out []piece, src string, start, stop int, st Style) []piece {
	run := start
	flush := func(end int) {
		if end > run {
			out = append(out, piece{start: run, end: end, text: src[run:end], exact: true, style: st})
		}
	}
	for i := start; i < stop; i++ {
		switch src[i] {
		case '\\':
			if i+1 < stop && isASCIIPunct(src[i+1]) {
				flush(i)
				run = i + 1
				i++ // keep the escaped character in the next run
			}
		case '&':
			if j := strings.IndexByte(src[i:stop], ';'); j > 1 && j < 12 {
				ent := src[i : i+j+1]
				if dec := html.UnescapeString(ent); dec != ent {
					flush(i)
					out = append(out, piece{start: i, end: i + j + 1, text: dec, style: st})
					run = i + j + 1
					i += j
				}
			}
		}
	}
	flush(stop)
	return out
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Markdown renders one block of Markdown-like text as spans (no diff marks).
func Markdown(src string) []Span {
	toks := fieldsOf(src, MarkEqual)
	renderSide(src, toks)
	return sideSpans(toks)
}
