package analysis

import (
	"regexp/syntax"
	"strings"
)

// This file speeds up signal matching. Go's regexp engine runs a large
// case-insensitive union of signals at a few MB/s; most sentences contain
// none of a category's key words. For every signal we derive a set of
// literal strings of which at least one must occur in any match (from the
// parsed expression); a sentence is only run through the regexes when its
// lower-cased text contains one of them.

// triggers returns lower-case literals one of which occurs in every match of
// the expression, or nil when no such set can be derived.
func triggers(expr string) []string {
	re, err := syntax.Parse(expr, syntax.Perl|syntax.FoldCase)
	if err != nil {
		return nil
	}
	return necessary(re.Simplify())
}

func necessary(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		s := strings.ToLower(string(re.Rune))
		if len(s) == 0 {
			return nil
		}
		return []string{s}
	case syntax.OpCapture:
		return necessary(re.Sub[0])
	case syntax.OpPlus:
		return necessary(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return necessary(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		var best []string
		bestScore := 0
		for _, sub := range re.Sub {
			set := necessary(sub)
			if set == nil {
				continue
			}
			if sc := score(set); sc > bestScore {
				best, bestScore = set, sc
			}
		}
		return best
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			set := necessary(sub)
			if set == nil {
				return nil
			}
			out = append(out, set...)
		}
		return out
	}
	return nil
}

// score prefers sets whose shortest literal is long (fewer false triggers).
func score(set []string) int {
	min := 1 << 30
	for _, s := range set {
		if len(s) < min {
			min = len(s)
		}
	}
	return min
}

// prefilter is the union of a category's signal triggers; always is true
// when some signal has no derivable trigger.
type prefilter struct {
	lits   []string
	always bool
}

func newPrefilter(exprs []string) prefilter {
	var p prefilter
	seen := map[string]bool{}
	for _, e := range exprs {
		t := triggers(e)
		if t == nil {
			p.always = true
			return p
		}
		for _, s := range t {
			if !seen[s] {
				seen[s] = true
				p.lits = append(p.lits, s)
			}
		}
	}
	return p
}

// mayMatch reports whether a lower-cased text may match.
func (p *prefilter) mayMatch(lower string) bool {
	if p.always {
		return true
	}
	for _, s := range p.lits {
		if strings.Contains(lower, s) {
			return true
		}
	}
	return false
}
