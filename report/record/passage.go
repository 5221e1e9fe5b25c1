package record

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"policywatch/tracker/analysis"
)

// Passage is one changed block of a document (a paragraph, list item,
// heading or table row) as a reader sees it.
type Passage struct {
	// Index is the passage's position among the change's hunks.
	Index int
	// Op is added, removed, modified or moved.
	Op string
	// Heading is the " > " joined heading path the block sits under.
	Heading string
	// Substantive is false for cosmetic edits and moves; Reason says why.
	Substantive bool
	Reason      string
	// Flagged is true when a finding quotes the passage; Categories names
	// the categories of those findings.
	Flagged    bool
	Categories []string
	// Sentences are the passage sentence by sentence: an unchanged sentence
	// once, a changed one with its before and after, changed words marked.
	// An added block is one sentence with only an After, a removed block
	// one with only a Before.
	Sentences []Sentence
}

// Sentence is one sentence of a passage, or a run of sentences rewritten
// together.
type Sentence struct {
	// Before is the old text (nil when the sentence is new); After the new
	// text (nil when it was removed). An unchanged sentence has both, equal.
	Before, After []Span
	// Changed is false for a sentence both versions share.
	Changed bool
}

// Links lists the links of the passage's text, in order.
func (p Passage) Links() []Link {
	var all []Span
	for _, s := range p.Sentences {
		all = append(all, s.Before...)
		if s.Changed {
			all = append(all, s.After...)
		}
	}
	return Links(all)
}

// entry is one word of a word diff with its token on each side it belongs to.
type entry struct {
	mark     Mark
	old, new *token
}

// newPassage turns one hunk into a passage.
func newPassage(i int, h analysis.Hunk) Passage {
	p := Passage{Index: i, Op: h.Op, Heading: h.Heading, Substantive: h.Substantive, Reason: h.Reason}
	switch {
	case h.Op == analysis.OpAdded:
		p.Sentences = []Sentence{{After: markAll(h.New, MarkAdded), Changed: true}}
	case h.Op == analysis.OpRemoved:
		p.Sentences = []Sentence{{Before: markAll(h.Old, MarkRemoved), Changed: true}}
	case h.Op == analysis.OpMoved:
		s := Markdown(h.New)
		p.Sentences = []Sentence{{Before: s, After: s}}
	case len(h.Words) > 0:
		p.Sentences = wordSentences(h.Words)
	default:
		p.Sentences = []Sentence{{Before: markAll(h.Old, MarkRemoved), After: markAll(h.New, MarkAdded), Changed: h.Old != h.New}}
	}
	return p
}

// markAll renders a block with every span marked m.
func markAll(src string, m Mark) []Span {
	toks := fieldsOf(src, m)
	renderSide(src, toks)
	return sideSpans(toks)
}

// wordSentences renders a word diff sentence by sentence.
func wordSentences(words []analysis.WordOp) []Sentence {
	var entries []entry
	var olds, news []*token
	for _, w := range words {
		m := MarkEqual
		switch w.Op {
		case analysis.OpAdded:
			m = MarkAdded
		case analysis.OpRemoved:
			m = MarkRemoved
		}
		for _, f := range strings.Fields(w.Text) {
			e := entry{mark: m}
			if m != MarkAdded {
				e.old = &token{text: f, mark: m}
				olds = append(olds, e.old)
			}
			if m != MarkRemoved {
				e.new = &token{text: f, mark: m}
				news = append(news, e.new)
			}
			entries = append(entries, e)
		}
	}
	renderSide(joinSide(olds), olds)
	renderSide(joinSide(news), news)

	// Cut after a word where both sides end a sentence and the next word
	// starts one.
	var segs [][]entry
	oldEnd, newEnd := true, true
	start := 0
	for i, e := range entries {
		if e.old != nil {
			oldEnd = endsSentence(e.old)
		}
		if e.new != nil {
			newEnd = endsSentence(e.new)
		}
		if oldEnd && newEnd && (i+1 == len(entries) || startsSentence(entries[i+1])) {
			segs = append(segs, entries[start:i+1])
			start = i + 1
		}
	}
	if start < len(entries) {
		segs = append(segs, entries[start:])
	}
	// Sentences replaced without a shared word between them read as one
	// rewrite: merge runs of change-only segments.
	var merged [][]entry
	for _, s := range segs {
		if n := len(merged); n > 0 && changeOnly(s) && changeOnly(merged[n-1]) {
			merged[n-1] = append(merged[n-1][:len(merged[n-1]):len(merged[n-1])], s...)
			continue
		}
		merged = append(merged, s)
	}
	out := make([]Sentence, 0, len(merged))
	for _, s := range merged {
		var ot, nt []*token
		changed := false
		for _, e := range s {
			if e.old != nil {
				ot = append(ot, e.old)
			}
			if e.new != nil {
				nt = append(nt, e.new)
			}
			if e.mark != MarkEqual {
				changed = true
			}
		}
		before, after := sideSpans(ot), sideSpans(nt)
		if changed && Plain(before) == Plain(after) {
			// only markup changed (a link's address): the reader sees no difference
			before, after, changed = unmark(after), nil, false
		}
		if !changed {
			after = before
		}
		if len(before) == 0 && len(after) == 0 {
			continue
		}
		if len(before) == 0 {
			before = nil
		}
		if len(after) == 0 {
			after = nil
		}
		out = append(out, Sentence{Before: before, After: after, Changed: changed})
	}
	return out
}

// changeOnly reports whether a segment has no word both sides share.
func changeOnly(seg []entry) bool {
	for _, e := range seg {
		if e.mark == MarkEqual {
			return false
		}
	}
	return true
}

// unmark returns spans with every diff mark cleared.
func unmark(spans []Span) []Span {
	out := make([]Span, 0, len(spans))
	for _, s := range spans {
		s.Mark = MarkEqual
		out = appendSpan(out, s)
	}
	return out
}

// abbreviations end with a full stop without ending a sentence.
var abbreviations = map[string]bool{
	"e.g.": true, "i.e.": true, "etc.": true, "inc.": true, "ltd.": true, "llc.": true, "co.": true,
	"no.": true, "nos.": true, "art.": true, "arts.": true, "reg.": true, "s.": true, "ss.": true,
	"u.s.": true, "u.k.": true, "e.u.": true, "vs.": true, "cf.": true, "p.": true, "pp.": true,
	"mr.": true, "mrs.": true, "ms.": true, "dr.": true, "st.": true, "para.": true, "sec.": true,
}

// visible is the text a token shows.
func visible(t *token) string {
	if t == nil {
		return ""
	}
	return Plain(t.spans)
}

// endsSentence reports whether a word ends a sentence: a full stop,
// question or exclamation mark, before closing quotes or brackets, and not
// an abbreviation.
func endsSentence(t *token) bool {
	w := strings.TrimRight(visible(t), "\"'”’)]*_")
	if w == "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(w)
	if last != '.' && last != '!' && last != '?' {
		return false
	}
	return !abbreviations[strings.ToLower(strings.TrimLeft(w, "(\"'“‘["))]
}

// startsSentence reports whether the word of e starts a sentence: a
// capital letter or digit, after opening quotes or brackets.
func startsSentence(e entry) bool {
	t := e.new
	if t == nil {
		t = e.old
	}
	w := strings.TrimLeft(visible(t), "\"'“‘([*_•# ")
	if w == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}
