package analysis

import (
	"strings"
)

// Effects of a finding on the practice it describes.
const (
	EffectExpands        = "expands"
	EffectNarrows        = "narrows"
	EffectRemovesPromise = "removes-promise"
	EffectAddsPromise    = "adds-promise"
	EffectChanges        = "changes"
)

// sideText is one changed side (old or new) of a hunk, as sentences with
// the tokens that changed.
type sideSentence struct {
	sentence
	toks    []token
	changed []bool    // per token: inserted (new side) or deleted (old side)
	paired  bool      // matched with a similar sentence of the other version
	lower   string    // strings.ToLower(text), for the literal prefilter
	tri     *trigrams // trigram set of lower
	partner *sideSentence
	// elsewhere: the sentence exists verbatim (same key) in the other version
	elsewhere bool
}

// match is one signal match in a changed sentence.
type match struct {
	signal  string
	negated bool // a promise: a negated signal, or a protective signal
	s       *sideSentence
}

// categoryHits collects the counted matches of one category in one hunk.
type categoryHits struct {
	oldPos, oldNeg, newPos, newNeg []match
	narrowing                      bool
	both                           bool // a changed sentence's counterpart also engages the category
}

func joinKeys(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.key)
	}
	return b.String()
}

func bagOf(toks []token) map[string]int {
	m := make(map[string]int, len(toks))
	for _, t := range toks {
		m[t.key]++
	}
	return m
}

// scan matches one category's signals in changed sentences. A match counts
// only when it (with its negation cue) overlaps a changed token.
func (c *Category) scan(neg *Negation, sents []*sideSentence) (pos, negs []match, narrowing, both bool) {
	for _, s := range sents {
		if len(c.signals) == 0 || !c.pre.mayMatch(s.lower, s.tri) {
			continue
		}
		excluded := false
		for _, re := range c.exclude {
			if re.MatchString(s.text) {
				excluded = true
				break
			}
		}
		if excluded {
			continue
		}
		// collect every counted match of the sentence; the sentence is a
		// promise (negated) when any of them is negated
		var best *match
		for _, sig := range c.signals {
			if !sig.pre.mayMatch(s.lower, s.tri) {
				continue
			}
			for _, loc := range sig.re.FindAllStringIndex(s.text, -1) {
				first, last := tokenRange(s.toks, loc[0], loc[1])
				if first > last {
					continue
				}
				negated := false
				if c.Negatable {
					if cue := neg.cueBefore(s.text, s.toks, first); cue >= 0 {
						negated = true
						first = cue
					} else if neg.cueInside(s.text, s.toks, first, last) {
						negated = true
					}
				}
				if !anchorChanged(s.changed, first, last) {
					continue
				}
				// a protective signal's match is a promise unless negated
				promise := negated != sig.protective
				if best == nil || (promise && !best.negated) {
					best = &match{signal: sig.id, negated: promise, s: s}
				}
			}
		}
		counted := best != nil
		if counted && s.partner != nil && c.engages(s.partner) {
			both = true
		}
		if counted {
			if best.negated {
				negs = append(negs, *best)
			} else {
				pos = append(pos, *best)
			}
		}
		if counted {
			for _, re := range c.narrowing {
				for _, loc := range re.FindAllStringIndex(s.text, -1) {
					// "we may not always provide prior notice" does not narrow
					first, _ := tokenRange(s.toks, loc[0], loc[1])
					if first < len(s.toks) && neg.cueBefore(s.text, s.toks, first) < 0 {
						narrowing = true
					}
				}
			}
		}
	}
	return pos, negs, narrowing, both
}

// engages reports whether any signal of the category matches the sentence.
func (c *Category) engages(s *sideSentence) bool {
	if !c.pre.mayMatch(s.lower, s.tri) {
		return false
	}
	found := false
	for _, sig := range c.signals {
		if sig.pre.mayMatch(s.lower, s.tri) && sig.re.MatchString(s.text) {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	for _, re := range c.exclude {
		if re.MatchString(s.text) {
			return false
		}
	}
	return true
}

// tokenRange returns the indexes of the first and last tokens inside the
// byte span [a, b).
func tokenRange(toks []token, a, b int) (int, int) {
	first, last := len(toks), -1
	for i, t := range toks {
		if t.end > a && t.start < b {
			if i < first {
				first = i
			}
			last = i
		}
	}
	return first, last
}

// anchorChanged reports whether a match changed: any of its tokens for a
// short match, else one of its first or last three tokens — a long match
// spanning a gap ("retain … three years") does not count because of an
// edit in the middle of the gap.
func anchorChanged(ch []bool, first, last int) bool {
	if last-first < 6 {
		return anyChanged(ch, first, last)
	}
	return anyChanged(ch, first, first+2) || anyChanged(ch, last-2, last)
}

func anyChanged(ch []bool, first, last int) bool {
	for i := first; i <= last && i < len(ch); i++ {
		if ch[i] {
			return true
		}
	}
	return false
}

var clauseBreakChars = ",;:()"

// cueBefore returns the index of the token starting a negation cue within
// the window before token i, or -1. The look-back stops at clause
// punctuation and at break words ("but", "unless").
func (n *Negation) cueBefore(text string, toks []token, i int) int {
	breaks := map[string]bool{}
	for _, b := range n.Breaks {
		breaks[b] = true
	}
	lower := func(k int) string { return strings.ToLower(text[toks[k].start:toks[k].end]) }
	for k := i - 1; k >= 0 && k >= i-n.Window; k-- {
		if gap := text[toks[k].end:toks[k+1].start]; strings.ContainsAny(gap, clauseBreakChars) &&
			!(strings.TrimSpace(gap) == "," && listComma(toks, k+1, i, lower)) {
			return -1
		}
		w := lower(k)
		if breaks[w] {
			return -1
		}
		for _, cue := range n.cues {
			if len(cue) == 0 || k+len(cue) > i {
				continue
			}
			ok := true
			for x, cw := range cue {
				if lower(k+x) != cw {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			// "whether or not", "not only" are not negations
			if cue[0] == "not" && ((k > 0 && lower(k-1) == "or") || (k+1 < len(toks) && lower(k+1) == "only")) {
				continue
			}
			return k
		}
	}
	return -1
}

// listComma reports whether the comma before token j separates items of a
// short list ("audio, video or chat content") rather than clauses: an
// "and"/"or" follows within three words, before token end, with no pronoun
// (which would start a new clause: "…data, we and our partners share it").
func listComma(toks []token, j, end int, lower func(int) string) bool {
	for x := j; x < end && x <= j+3; x++ {
		switch w := lower(x); w {
		case "and", "or":
			return x > j
		case "we", "you", "they", "it", "he", "she", "i", "who", "which", "that", "this", "these":
			return false
		}
	}
	return false
}

// strongCues are negation words that negate a signal even inside its match
// ("we will not change these terms").
var strongCues = map[string]bool{
	"not": true, "never": true, "don't": true, "doesn't": true, "won't": true, "cannot": true,
	"can't": true, "isn't": true, "aren't": true, "wouldn't": true, "shouldn't": true,
}

// cueInside reports whether a strong negation cue sits inside the tokens
// first..last of a match.
func (n *Negation) cueInside(text string, toks []token, first, last int) bool {
	for k := first; k <= last && k < len(toks); k++ {
		w := strings.ToLower(text[toks[k].start:toks[k].end])
		if strongCues[w] {
			if w == "not" && ((k > 0 && strings.EqualFold(text[toks[k-1].start:toks[k-1].end], "or")) || (k+1 < len(toks) && strings.EqualFold(text[toks[k+1].start:toks[k+1].end], "only"))) {
				continue
			}
			return true
		}
	}
	return false
}

// classifyHunk returns the findings of one substantive hunk.
func classifyHunk(h *Hunk, rules *Rules, olds, news []*sideSentence) []Finding {
	if len(olds) == 0 && len(news) == 0 {
		return nil
	}
	var out []Finding
	for k := range rules.Categories {
		c := &rules.Categories[k]
		var hits categoryHits
		var nOld, nNew bool
		var bothOld, bothNew bool
		hits.oldPos, hits.oldNeg, _, bothOld = c.scan(&rules.Negation, olds)
		hits.newPos, hits.newNeg, hits.narrowing, bothNew = c.scan(&rules.Negation, news)
		hits.both = bothOld || bothNew
		nOld = len(hits.oldPos)+len(hits.oldNeg) > 0
		nNew = len(hits.newPos)+len(hits.newNeg) > 0
		if !nOld && !nNew {
			continue
		}
		f := Finding{Category: c.ID, Heading: h.Heading}
		switch {
		case hits.both:
			f.Direction = OpModified
		case nNew && !nOld:
			f.Direction = OpAdded
		case nOld && !nNew:
			f.Direction = OpRemoved
		default:
			f.Direction = OpModified
		}
		f.hits = hits
		f.Effect = effectOf(c, &hits)
		if c.CompareDurations && (f.Effect == EffectChanges || f.Effect == EffectExpands || f.Effect == EffectNarrows) {
			if e := durationEffect(hits); e != "" {
				f.Effect = e
			}
		}
		// evidence: new text for added and modified, old text for removed
		// (or when only the old side of a modified sentence matched)
		newEv := append(append([]match(nil), hits.newPos...), hits.newNeg...)
		oldEv := append(append([]match(nil), hits.oldNeg...), hits.oldPos...)
		ev := newEv
		if f.Direction == OpRemoved || len(ev) == 0 {
			ev = oldEv
		}
		f.Evidence = evidence(ev)
		f.Rule = c.ID + "/" + ev[0].signal
		if ev[0].negated {
			f.Rule += " (promise)"
		}
		out = append(out, f)
	}
	return out
}

// effectOf decides what the edit does to the category's practice.
func effectOf(c *Category, h *categoryHits) string {
	op, on, np, nn := len(h.oldPos) > 0, len(h.oldNeg) > 0, len(h.newPos) > 0, len(h.newNeg) > 0
	if c.Protective {
		// signals describe protections (rights, controls, security): adding
		// one narrows risk, removing one widens it, and a negated protection
		// ("you can no longer…", "we cannot guarantee security") weakens
		op, on, np, nn = on, op, nn, np
	}
	var e string
	switch {
	case on && !nn:
		e = EffectRemovesPromise
	case nn && !on && !np:
		e = EffectAddsPromise
	case np && !op:
		e = EffectExpands
	case op && !np && !nn:
		e = EffectNarrows
	default:
		e = EffectChanges
	}
	if c.Protective {
		switch e {
		case EffectExpands:
			e = EffectRemovesPromise
		case EffectNarrows:
			e = EffectAddsPromise
		}
	}
	if h.narrowing && (e == EffectExpands || e == EffectChanges) {
		e = EffectNarrows
	}
	return e
}

// evidence joins up to two distinct matched sentences, trimmed.
func evidence(ms []match) string {
	var parts []string
	seen := map[*sideSentence]bool{}
	for _, m := range ms {
		if seen[m.s] {
			continue
		}
		seen[m.s] = true
		parts = append(parts, shorten(m.s.text, 320))
		if len(parts) == 2 {
			break
		}
	}
	return strings.Join(parts, " … ")
}
