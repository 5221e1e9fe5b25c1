package analysis

import (
	"regexp/syntax"
	"sort"
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
		consider := func(set []string) {
			if len(set) == 0 {
				return
			}
			for _, s := range set {
				if s == "" {
					return
				}
			}
			if sc := score(set); sc > bestScore {
				best, bestScore = set, sc
			}
		}
		// runs of children with a small exact language are multiplied out,
		// so "o(?:ut|ff)" (the parser's prefix factoring) gives {out, off}
		var run []string
		inRun := false
		for _, sub := range re.Sub {
			if ex := exact(sub); ex != nil {
				if !inRun {
					run, inRun = ex, true
				} else if next := cross(run, ex); next != nil {
					run = next
				} else {
					consider(run)
					run = ex
				}
				continue
			}
			if inRun {
				consider(run)
				inRun = false
			}
			consider(necessary(sub))
		}
		if inRun {
			consider(run)
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

const maxExact = 64

// exact returns the complete, small set of lower-case strings an expression
// matches, or nil when it is unbounded or large.
func exact(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{strings.ToLower(string(re.Rune))}
	case syntax.OpEmptyMatch:
		return []string{""}
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		sub := exact(re.Sub[0])
		if sub == nil {
			return nil
		}
		return dedupe(append([]string{""}, sub...))
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 4 {
				return nil
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = append(out, strings.ToLower(string(r)))
			}
		}
		out = dedupe(out)
		if len(out) > 4 {
			return nil
		}
		return out
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			ex := exact(sub)
			if ex == nil {
				return nil
			}
			out = append(out, ex...)
		}
		if out = dedupe(out); len(out) > maxExact {
			return nil
		}
		return out
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			ex := exact(sub)
			if ex == nil {
				return nil
			}
			if out = cross(out, ex); out == nil {
				return nil
			}
		}
		return out
	}
	return nil
}

// cross returns every a+b, or nil when the product is too large.
func cross(as, bs []string) []string {
	if len(as)*len(bs) > maxExact {
		return nil
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return dedupe(out)
}

func dedupe(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// commonLiterals occur in almost every sentence of a policy; a trigger set
// containing one is nearly useless, so such sets score as if one letter long.
var commonLiterals = map[string]bool{
	"for": true, "you": true, "the": true, "and": true, "end": true, "own": true, "our": true,
	"opt": true, "day": true, "over": true, "under": true, "age": true, "with": true, "from": true,
	"your": true, "use": true, "ret": true, "fac": true, "aid": true, "id ": true, "turn": true,
	"call ": true, "phone": true, "contact": true, " consent": true, "consent": true,
}

// score prefers sets whose shortest literal is long and uncommon (fewer
// false triggers).
func score(set []string) int {
	min := 1 << 30
	for _, s := range set {
		l := len(s)
		if commonLiterals[s] || strings.TrimSpace(s) == "" {
			l = 1
		}
		if l < min {
			min = l
		}
	}
	return min
}

// prefilter is a union of signal triggers; always is true when some signal
// has no derivable trigger. A sentence's trigram set lets most literals be
// rejected with one bit test.
type prefilter struct {
	lits   []string
	short  []string // literals under three bytes
	always bool
}

func newPrefilter(exprs []string) prefilter {
	var p prefilter
	var all []string
	for _, e := range exprs {
		t := triggers(e)
		if t == nil {
			p.always = true
			return p
		}
		all = append(all, t...)
	}
	p.lits = minimalLiterals(all)
	for _, s := range p.lits {
		if len(s) < 3 {
			p.short = append(p.short, s)
		}
	}
	return p
}

// minimalLiterals drops duplicates and every literal that contains another
// one of the set ("cookies" when "cookie" is there): they add no recall.
func minimalLiterals(xs []string) []string {
	xs = dedupe(append([]string(nil), xs...))
	sort.Slice(xs, func(i, j int) bool {
		if len(xs[i]) != len(xs[j]) {
			return len(xs[i]) < len(xs[j])
		}
		return xs[i] < xs[j]
	})
	var out []string
	for _, x := range xs {
		redundant := false
		for _, y := range out {
			if strings.Contains(x, y) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, x)
		}
	}
	return out
}

// trigrams is a 4096-bit set of the hashed three-byte windows of a text.
type trigrams [64]uint64

func triHash(s string) uint32 {
	return (uint32(s[0])*31*31 + uint32(s[1])*31 + uint32(s[2])) & 4095
}

// newTrigrams indexes a lower-cased text.
func newTrigrams(lower string) *trigrams {
	var t trigrams
	t.add(lower)
	return &t
}

// add indexes the three-byte windows of a lower-cased text into t.
func (t *trigrams) add(lower string) {
	for i := 0; i+3 <= len(lower); i++ {
		h := triHash(lower[i : i+3])
		t[h>>6] |= 1 << (h & 63)
	}
}

func (t *trigrams) has(s string) bool {
	h := triHash(s)
	return t[h>>6]&(1<<(h&63)) != 0
}

// mayMatch reports whether a lower-cased text (with its trigram set) may
// match: a literal is only searched for when its first trigram occurs.
func (p *prefilter) mayMatch(lower string, tri *trigrams) bool {
	if p.always {
		return true
	}
	for _, s := range p.short {
		if strings.Contains(lower, s) {
			return true
		}
	}
	for _, s := range p.lits {
		if len(s) >= 3 && tri.has(s) && strings.Contains(lower, s) {
			return true
		}
	}
	return false
}
