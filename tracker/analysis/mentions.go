package analysis

import "strings"

// mentionMax is the length, in bytes, an excerpt returned by Mentions is
// trimmed to (at a word boundary, with "…").
const mentionMax = 300

// Mentions finds how a whole document treats some categories: for each
// requested category id, up to perCategory excerpts (values below 1 mean
// 1), in document order. An excerpt is one sentence that matches a signal
// of the category without a negation cue ("we do not …") — the same
// sentence splitting, signals, exclusions and negation the classifier uses
// — trimmed to about 300 bytes. Headings, navigation blocks and pointer
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
	out := map[string][]string{}
	done := 0 // categories with perCategory excerpts
	var tri trigrams
	for _, b := range parseBlocks(text) {
		if b.kind == kindHeading {
			continue
		}
		for _, sent := range splitSentences(b.plain) {
			lower := strings.ToLower(sent.text)
			tri = trigrams{}
			tri.add(lower)
			var s *sideSentence // built when a prefilter passes
			for _, c := range cats {
				if len(out[c.ID]) >= perCategory || !c.pre.mayMatch(lower, &tri) {
					continue
				}
				if s == nil {
					if reLearnMore.MatchString(sent.text) {
						break
					}
					s = &sideSentence{sentence: sent, toks: tokenize(sent.text), lower: lower, tri: &tri}
				}
				if !c.mentions(&rules.Negation, s) {
					continue
				}
				if b.nav() {
					break
				}
				ex := shorten(sent.text, mentionMax)
				if containsString(out[c.ID], ex) {
					continue
				}
				out[c.ID] = append(out[c.ID], ex)
				if len(out[c.ID]) == perCategory {
					if done++; done == len(cats) {
						return out
					}
				}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// mentions reports whether a sentence states the category's practice: a
// signal matches outside any negation cue and no exclusion matches.
func (c *Category) mentions(neg *Negation, s *sideSentence) bool {
	if !c.statesSignal(neg, s) {
		return false
	}
	for _, re := range c.exclude {
		if re.MatchString(s.text) {
			return false
		}
	}
	return true
}

// statesSignal reports whether a signal matches outside a negation cue.
func (c *Category) statesSignal(neg *Negation, s *sideSentence) bool {
	for _, sig := range c.signals {
		if !sig.pre.mayMatch(s.lower, s.tri) {
			continue
		}
		for _, loc := range sig.re.FindAllStringIndex(s.text, -1) {
			first, last := tokenRange(s.toks, loc[0], loc[1])
			if first > last {
				continue
			}
			if c.Negatable && (neg.cueBefore(s.text, s.toks, first) >= 0 || neg.cueInside(s.text, s.toks, first, last)) {
				continue
			}
			return true
		}
	}
	return false
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
