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
// 1). An excerpt is one sentence of at least five words that states the
// category's practice — a statement of the category that is not negated
// ("we do not …"), read the way the change analysis reads sentences —
// trimmed to about 300 bytes. Sentences that state it through more of its
// frames and concepts are preferred (a sentence about training models on
// posts beats a passing mention of "AI"), then earlier ones; the excerpts
// chosen are returned in document order. Headings, navigation blocks and
// pointer sentences ("Learn more about …") are never excerpts; identical
// excerpts are given once.
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
	want := map[int]int{} // category index → position in cats
	var cats []*Category
	for _, id := range categories {
		for k := range rules.Categories {
			c := &rules.Categories[k]
			if _, dup := want[k]; c.ID == id && !dup && len(c.Frames) > 0 {
				want[k] = len(cats)
				cats = append(cats, c)
			}
		}
	}
	if len(cats) == 0 {
		return nil
	}
	best := make([][]mention, len(cats)) // per category, best first
	order := 0
	blocks := parseBlocks(text)
	self := rules.selfTerms(firstHeading(blocks))
	for _, b := range blocks {
		if b.kind == kindHeading || b.nav() {
			continue
		}
		for _, sent := range splitSentences(b.plain()) {
			order++
			toks := tokenize(sent.text)
			if len(toks) < mentionMinWords {
				continue
			}
			scores := map[int]int{}
			for _, st := range rules.read(sent.text, toks, self).stmts {
				pos, ok := want[st.cat]
				if !ok || st.negated {
					continue
				}
				scores[pos] += 1 + len(st.concepts.members())
			}
			for pos, score := range scores {
				best[pos] = offerMention(best[pos], mention{score: score, order: order, text: shorten(stripUnderscores(sent.text), mentionMax)}, perCategory)
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
