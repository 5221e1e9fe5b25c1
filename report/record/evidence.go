package record

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"policywatch/tracker/analysis"
)

// locator finds the passage and sentences a finding's evidence quotes.
type locator struct {
	passages []Passage
	// units are each passage's sentences, split finer for whole added or
	// removed blocks, with their search keys.
	units [][]unit
}

// unit is one sentence of a passage as the locator searches it.
type unit struct {
	before, after []Span
	changed       bool
	oldKey        string
	newKey        string
}

func newLocator(ps []Passage) *locator {
	l := &locator{passages: ps, units: make([][]unit, len(ps))}
	return l
}

// unitsOf returns passage i's units, computing them once.
func (l *locator) unitsOf(i int) []unit {
	if l.units[i] != nil {
		return l.units[i]
	}
	p := l.passages[i]
	var us []unit
	for _, s := range p.Sentences {
		switch {
		case s.Before == nil && s.After != nil:
			for _, a := range splitSentences(s.After) {
				us = append(us, unit{after: a, changed: true, newKey: key(Plain(a))})
			}
		case s.After == nil && s.Before != nil:
			for _, b := range splitSentences(s.Before) {
				us = append(us, unit{before: b, changed: true, oldKey: key(Plain(b))})
			}
		default:
			us = append(us, unit{before: s.Before, after: s.After, changed: s.Changed,
				oldKey: key(Plain(s.Before)), newKey: key(Plain(s.After))})
		}
	}
	if us == nil {
		us = []unit{}
	}
	l.units[i] = us
	return us
}

// locate sets a finding's passage and its before and after sentences:
// the sentences the analysis recorded, when it did, with the words that
// differ between them marked; else the sentence pair of the passage that
// holds the evidence.
func (l *locator) locate(fd *Finding, f analysis.Finding) {
	if f.Before != "" || f.After != "" {
		fd.Before, fd.After = sentencePair(f.Before, f.After)
		probe := key(f.After)
		removed := f.After == ""
		if removed {
			probe = key(f.Before)
		}
		fd.Passage = l.find(probe, f.Heading, removed)
		return
	}
	removed := f.Direction == analysis.OpRemoved
	var frags []string
	for _, fr := range strings.Split(f.Evidence, " … ") {
		if k := key(fr); len(k) >= 8 {
			frags = append(frags, k)
		}
	}
	fallback := func() {
		s := unmark(Markdown(f.Evidence))
		if removed {
			fd.Before = s
		} else {
			fd.After = s
		}
	}
	if len(frags) == 0 {
		fallback()
		return
	}
	probe := frags[0]
	if len(probe) > 120 {
		probe = probe[:120]
	}
	found := -1
	for pass := 0; pass < 2 && found < 0; pass++ {
		for i, p := range l.passages {
			if !p.Substantive || (pass == 0) != (p.Heading == f.Heading) {
				continue
			}
			for _, u := range l.unitsOf(i) {
				k := u.newKey
				if removed {
					k = u.oldKey
				}
				if overlaps(k, probe) {
					found = i
					break
				}
			}
			if found >= 0 {
				break
			}
		}
	}
	if found < 0 {
		fallback()
		return
	}
	fd.Passage = found
	var before, after []Span
	for _, u := range l.unitsOf(found) {
		k := u.newKey
		if removed {
			k = u.oldKey
		}
		hit := false
		for _, fr := range frags {
			if overlaps(k, fr) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		before = joinSpans(before, u.before)
		after = joinSpans(after, u.after)
	}
	fd.Before, fd.After = before, after
}

// find returns the substantive passage (under heading first) whose
// sentences hold the text with key probe, or -1.
func (l *locator) find(probe, heading string, removed bool) int {
	if len(probe) < 8 {
		return -1
	}
	for pass := 0; pass < 2; pass++ {
		for i, p := range l.passages {
			if !p.Substantive || (pass == 0) != (p.Heading == heading) {
				continue
			}
			for _, u := range l.unitsOf(i) {
				k := u.newKey
				if removed {
					k = u.oldKey
				}
				if overlaps(k, probe) {
					return i
				}
			}
		}
	}
	return -1
}

// sentencePair renders a sentence before and after a change with the
// words that differ marked (a word diff by longest common subsequence).
func sentencePair(before, after string) ([]Span, []Span) {
	switch {
	case before == "":
		return nil, markAll(after, MarkAdded)
	case after == "":
		return markAll(before, MarkRemoved), nil
	}
	a, b := strings.Fields(before), strings.Fields(after)
	// lcs[i][j] is the common length of a[i:] and b[j:]
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []analysis.WordOp
	add := func(op, w string) {
		if n := len(ops); n > 0 && ops[n-1].Op == op {
			ops[n-1].Text += " " + w
			return
		}
		ops = append(ops, analysis.WordOp{Op: op, Text: w})
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			add(analysis.OpEqual, a[i])
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			add(analysis.OpAdded, b[j])
			j++
		default:
			add(analysis.OpRemoved, a[i])
			i++
		}
	}
	var bs, as []Span
	for _, s := range wordSentences(ops) {
		bs = joinSpans(bs, s.Before)
		as = joinSpans(as, s.After)
	}
	return bs, as
}

// overlaps reports whether a sentence key and an evidence fragment key
// name the same text: one holds the other (a long one by its first 120
// letters).
func overlaps(sentence, frag string) bool {
	if sentence == "" || frag == "" {
		return false
	}
	probe := frag
	if len(probe) > 120 {
		probe = probe[:120]
	}
	if strings.Contains(sentence, probe) {
		return true
	}
	return len(sentence) >= 8 && strings.Contains(frag, sentence)
}

// joinSpans appends b to a with a space between.
func joinSpans(a, b []Span) []Span {
	if len(b) == 0 {
		return a
	}
	if len(a) > 0 {
		a = append(a, Span{Text: " "})
	}
	return append(a, b...)
}

// key keeps the letters and digits of s, lower-cased: what two renderings
// of the same sentence share whatever their markup, spacing and quotes.
func key(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// splitSentences cuts spans into sentences at a full stop, question or
// exclamation mark followed by a space and a capital or digit.
func splitSentences(spans []Span) [][]Span {
	var out [][]Span
	var cur []Span
	for i := 0; i < len(spans); i++ {
		s := spans[i]
		text := s.Text
		for {
			cut := sentenceCut(text, i+1 < len(spans) && strings.HasPrefix(spans[i+1].Text, " "))
			if cut < 0 {
				break
			}
			head := s
			head.Text = text[:cut]
			cur = appendSpan(cur, head)
			out = append(out, trimSpans(cur))
			cur = nil
			text = strings.TrimLeft(text[cut:], " ")
		}
		if text != "" {
			s.Text = text
			cur = appendSpan(cur, s)
		}
	}
	if cur = trimSpans(cur); len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// sentenceCut returns the offset just after the first sentence end in text
// that is followed by a space and a capital or digit, or -1.
func sentenceCut(text string, _ bool) int {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(text) && strings.IndexByte("\"')]”’", text[j]) >= 0 {
			j++
		}
		if j >= len(text) || text[j] != ' ' {
			continue
		}
		k := j
		for k < len(text) && text[k] == ' ' {
			k++
		}
		if k >= len(text) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			continue
		}
		word := text[:i+1]
		if sp := strings.LastIndexByte(word, ' '); sp >= 0 {
			word = word[sp+1:]
		}
		if abbreviations[strings.ToLower(word)] {
			continue
		}
		return j
	}
	return -1
}
