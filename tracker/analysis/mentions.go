package analysis

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// mentionMax is the length, in bytes, an excerpt returned by Mentions is
// trimmed to (at a word boundary, with "…").
const mentionMax = 300

// mentionMinWords is the fewest words a sentence needs to be an excerpt:
// shorter ones are titles or fragments ("Changes to these terms").
const mentionMinWords = 5

// Mentions finds how a whole document treats some categories: for each
// requested category id, up to perCategory excerpts (values below 1 mean
// 1). An excerpt is one sentence of at least five words that matches a
// signal of the category without a negation cue ("we do not …") — the same
// sentence splitting, signals, exclusions and negation the classifier uses
// — trimmed to about 300 bytes. Sentences matching more of the category's
// distinct signals are preferred (a sentence about training models beats a
// passing mention of "AI"), then earlier ones; the excerpts chosen are
// returned in document order. Headings, navigation blocks and pointer
// sentences ("Learn more about …") are never excerpts; identical excerpts
// are given once.
//
// The result holds only categories with at least one excerpt; category ids
// the rules do not define are ignored. A nil rules gives nil.
func Mentions(text string, rules *Rules, categories []string, perCategory int) map[string][]string {
	if rules == nil || len(categories) == 0 {
		return nil
	}
	if perCategory < 1 {
		perCategory = 1
	}
	var cats []*Category
	seen := map[string]bool{}
	for _, id := range categories {
		if c := rules.Category(id); c != nil && !seen[id] && len(c.signals) > 0 {
			seen[id] = true
			cats = append(cats, c)
		}
	}
	if len(cats) == 0 {
		return nil
	}
	best := make([][]mention, len(cats)) // per category, best first
	order := 0
	var tri trigrams
	for _, b := range parseBlocks(text) {
		if b.kind == kindHeading {
			continue
		}
		for _, sent := range splitSentences(b.plain()) {
			order++
			lower := strings.ToLower(sent.text)
			tri = trigrams{}
			tri.add(lower)
			var s *sideSentence // built when a prefilter passes
			for k, c := range cats {
				if !c.pre.mayMatch(lower, &tri) {
					continue
				}
				if s == nil {
					s = &sideSentence{sentence: sent, toks: tokenize(sent.text), lower: lower, tri: &tri}
					if len(s.toks) < mentionMinWords || reLearnMore.MatchString(sent.text) {
						break
					}
				}
				need := 1 // a full list is only displaced by a higher score
				if len(best[k]) == perCategory {
					need = best[k][perCategory-1].score + 1
				}
				score := c.mentionScore(&rules.Negation, s, need)
				if score == 0 || b.nav() {
					continue
				}
				best[k] = offerMention(best[k], mention{score: score, order: order, text: shorten(stripUnderscores(sent.text), mentionMax)}, perCategory)
			}
		}
	}
	out := map[string][]string{}
	for k, c := range cats {
		if len(best[k]) == 0 {
			continue
		}
		ms := best[k]
		sort.Slice(ms, func(i, j int) bool { return ms[i].order < ms[j].order })
		for _, m := range ms {
			out[c.ID] = append(out[c.ID], m.text)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// mention is a candidate excerpt.
type mention struct {
	score, order int
	text         string
}

// offerMention adds m to best (kept best first: higher score, then earlier)
// unless its text is already there, keeping at most n.
func offerMention(best []mention, m mention, n int) []mention {
	for _, b := range best {
		if b.text == m.text {
			return best
		}
	}
	i := len(best)
	for i > 0 && best[i-1].score < m.score {
		i--
	}
	if i >= n {
		return best
	}
	best = append(best, mention{})
	copy(best[i+1:], best[i:])
	best[i] = m
	if len(best) > n {
		best = best[:n]
	}
	return best
}

// mentions reports whether a sentence states the category's practice: a
// signal matches outside any negation cue and no exclusion matches.
func (c *Category) mentions(neg *Negation, s *sideSentence) bool {
	return c.mentionScore(neg, s, 1) > 0
}

// mentionScore counts the category's distinct signals that match a sentence
// outside any negation cue; 0 when an exclusion matches or the count is
// below need (which lets hopeless sentences skip the expressions).
func (c *Category) mentionScore(neg *Negation, s *sideSentence, need int) int {
	possible := 0
	for k := range c.signals {
		if c.signals[k].pre.mayMatch(s.lower, s.tri) {
			possible++
		}
	}
	if possible < need {
		return 0
	}
	n := 0
	for k := range c.signals {
		sig := &c.signals[k]
		if !sig.pre.mayMatch(s.lower, s.tri) {
			continue
		}
		if sig.statedIn(c.Negatable, neg, s) {
			n++
		} else if possible--; possible < need {
			return 0
		}
	}
	if n < need {
		return 0
	}
	for _, re := range c.exclude {
		if re.MatchString(s.text) {
			return 0
		}
	}
	return n
}

// statedIn reports whether the signal matches a sentence outside a
// negation cue (any match counts when the category is not negatable).
func (sig *compiledSignal) statedIn(negatable bool, neg *Negation, s *sideSentence) bool {
	if !negatable {
		return sig.re.MatchString(s.text)
	}
	for _, loc := range sig.re.FindAllStringIndex(s.text, -1) {
		first, last := tokenRange(s.toks, loc[0], loc[1])
		if first > last {
			continue
		}
		if negatable && (neg.cueBefore(s.text, s.toks, first) >= 0 || neg.cueInside(s.text, s.toks, first, last)) {
			continue
		}
		return true
	}
	return false
}

// stripUnderscores drops single-underscore emphasis ("_User Content:_"),
// which plain text keeps because underscores also join words: an
// underscore is dropped unless it sits between two letters or digits.
func stripUnderscores(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '_' {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if !(isWordRune(prev) && isWordRune(next)) {
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
