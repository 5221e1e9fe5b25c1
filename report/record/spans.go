package record

import (
	"strings"
	"unicode"
)

// Mark says what a diff did to a span of text.
type Mark uint8

// Diff marks.
const (
	// MarkEqual is text both versions share.
	MarkEqual Mark = iota
	// MarkAdded is text only the new version has.
	MarkAdded
	// MarkRemoved is text only the old version had.
	MarkRemoved
)

// Style is how Markdown asked a span to look.
type Style struct {
	Bold, Italic, Code bool
	// URL is the address of a link ("" for none): renderers show the link's
	// text and note the address beside it.
	URL string
}

// Span is a stretch of text with one style and one diff mark. A span whose
// Text is "\n" is a line break.
type Span struct {
	Text string
	Mark Mark
	Style
}

// Plain is spans as plain text, without marks or styles.
func Plain(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Marked is spans as plain text with the diff marks spelled out:
// [-removed-] and {+added+}, as `policywatch diff` prints them.
func Marked(spans []Span) string {
	var b strings.Builder
	var cur Mark
	closeMark := func() {
		switch cur {
		case MarkAdded:
			b.WriteString("+}")
		case MarkRemoved:
			b.WriteString("-]")
		}
		cur = MarkEqual
	}
	for _, s := range spans {
		if s.Mark != cur {
			if s.Mark == MarkEqual && strings.TrimSpace(s.Text) == "" && s.Text != "\n" {
				// a space between two marked words stays inside the marks
				b.WriteString(s.Text)
				continue
			}
			closeMark()
			switch s.Mark {
			case MarkAdded:
				b.WriteString("{+")
			case MarkRemoved:
				b.WriteString("[-")
			}
			cur = s.Mark
		}
		b.WriteString(s.Text)
	}
	closeMark()
	return strings.ReplaceAll(strings.ReplaceAll(b.String(), " +}", "+} "), " -]", "-] ")
}

// Links lists the distinct links of spans, in order of appearance.
func Links(spans []Span) []Link {
	var out []Link
	seen := map[string]bool{}
	var cur *Link
	for _, s := range spans {
		if s.URL == "" {
			cur = nil
			continue
		}
		if cur != nil && cur.URL == s.URL {
			cur.Text += s.Text
			continue
		}
		if seen[s.URL] {
			cur = nil
			continue
		}
		seen[s.URL] = true
		out = append(out, Link{Text: s.Text, URL: s.URL})
		cur = &out[len(out)-1]
	}
	for i := range out {
		out[i].Text = strings.TrimSpace(out[i].Text)
	}
	return out
}

// Link is a link of a passage: its text and address.
type Link struct {
	Text, URL string
}

// token is one word of a diffed text, with where it sits in its side's
// source and the spans it shows.
type token struct {
	text       string
	mark       Mark
	start, end int
	spans      []Span
	// gapAfter is what shows between this token and the next of its side:
	// "", " " or "\n".
	gapAfter string
}

// fieldsOf splits src into word tokens with their offsets in src.
func fieldsOf(src string, mark Mark) []*token {
	var out []*token
	start := -1
	for i, r := range src {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, &token{text: src[start:i], mark: mark, start: start, end: i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, &token{text: src[start:], mark: mark, start: start, end: len(src)})
	}
	return out
}

// joinSide lays tokens out as one text joined by single spaces, setting
// their offsets, and returns that text.
func joinSide(toks []*token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		t.start = b.Len()
		b.WriteString(t.text)
		t.end = b.Len()
	}
	return b.String()
}

// renderSide renders the Markdown of src, whose words are toks in order,
// and hands each token the spans it shows and what shows between it and
// the next token.
func renderSide(src string, toks []*token) {
	pieces := parseInline(src)
	k := 0
	for i, t := range toks {
		t.spans = t.spans[:0]
		t.gapAfter = ""
		next := len(src)
		if i+1 < len(toks) {
			next = toks[i+1].start
		}
		for k < len(pieces) && before(pieces[k], t.start) {
			k++
		}
		for j := k; j < len(pieces) && pieces[j].start < next; j++ {
			p := pieces[j]
			if p.exact {
				if lo, hi := max(p.start, t.start), min(p.end, t.end); lo < hi {
					t.spans = appendSpan(t.spans, Span{Text: src[lo:hi], Mark: t.mark, Style: p.style})
				}
				if max(p.start, t.end) < min(p.end, next) && t.gapAfter == "" {
					t.gapAfter = " "
				}
				continue
			}
			switch {
			case p.start < t.end:
				t.spans = appendSpan(t.spans, Span{Text: p.text, Mark: t.mark, Style: p.style})
			case p.text == "\n":
				t.gapAfter = "\n"
			case p.text == " " && t.gapAfter == "":
				t.gapAfter = " "
			}
		}
	}
}

// before reports whether piece p lies wholly before offset at: an exact
// piece ends by it, a resolved one starts before it.
func before(p piece, at int) bool {
	if p.exact {
		return p.end <= at
	}
	return p.start < at
}

// appendSpan adds s to spans, merging it into the last span when they look
// the same.
func appendSpan(spans []Span, s Span) []Span {
	if s.Text == "" {
		return spans
	}
	if n := len(spans); n > 0 && spans[n-1].Mark == s.Mark && spans[n-1].Style == s.Style && s.Text != "\n" && spans[n-1].Text != "\n" {
		spans[n-1].Text += s.Text
		return spans
	}
	return append(spans, s)
}

// sideSpans joins the spans of a run of one side's tokens with the gaps
// between them (a gap between two tokens of the same mark takes the mark,
// so that a marked phrase reads as one).
func sideSpans(toks []*token) []Span {
	var out []Span
	lastBlank := true // at the start, or after a space or line break
	for i, t := range toks {
		if i > 0 && len(t.spans) > 0 {
			gap := toks[i-1].gapAfter
			switch {
			case gap == "\n" && len(out) > 0 && out[len(out)-1].Text != "\n":
				out[len(out)-1].Text = strings.TrimRight(out[len(out)-1].Text, " ")
				out = append(out, Span{Text: "\n"})
				lastBlank = true
			case gap == " " && !lastBlank:
				m := MarkEqual
				if toks[i-1].mark == t.mark {
					m = t.mark
				}
				st := Style{}
				if last := out[len(out)-1]; last.Style == t.spans[0].Style {
					st = last.Style
				}
				out = appendSpan(out, Span{Text: " ", Mark: m, Style: st})
				lastBlank = true
			}
		}
		for _, s := range t.spans {
			if lastBlank && s.Text != "\n" {
				s.Text = strings.TrimLeft(s.Text, " ")
			}
			if s.Text == "" {
				continue
			}
			out = appendSpan(out, s)
			lastBlank = strings.HasSuffix(s.Text, " ") || s.Text == "\n"
		}
	}
	return trimSpans(out)
}

// trimSpans drops spaces and line breaks at both ends.
func trimSpans(spans []Span) []Span {
	for len(spans) > 0 {
		s := &spans[0]
		t := strings.TrimLeft(s.Text, " \n")
		if t != "" {
			s.Text = t
			break
		}
		spans = spans[1:]
	}
	for len(spans) > 0 {
		s := &spans[len(spans)-1]
		t := strings.TrimRight(s.Text, " \n")
		if t != "" {
			s.Text = t
			break
		}
		spans = spans[:len(spans)-1]
	}
	return spans
}
