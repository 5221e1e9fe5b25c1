package analysis

import (
	"strings"
	"testing"
)

// The literal prefilter must never hide a match: over real sentences, every
// signal that matches must pass its prefilter and its category's.
func TestPrefilterHasNoFalseNegatives(t *testing.T) {
	r := testRules(t)
	var sentences []string
	for _, cc := range categoryCases {
		sentences = append(sentences, cc.sentence, cc.reworded, cc.negated)
	}
	docs, real := sampleDocs(t, goldenPairs[0].new, goldenPairs[1].new, goldenPairs[2].new)
	for _, doc := range docs {
		for _, b := range parseBlocks(doc) {
			for _, s := range splitSentences(b.plain()) {
				sentences = append(sentences, s.text)
			}
		}
	}
	matches := 0
	for _, text := range sentences {
		lower := strings.ToLower(text)
		tri := newTrigrams(lower)
		for _, c := range r.Categories {
			for _, sig := range c.signals {
				if !sig.re.MatchString(text) {
					continue
				}
				matches++
				if !sig.pre.mayMatch(lower, tri) || !c.pre.mayMatch(lower, tri) {
					t.Errorf("%s/%s matches %q but its prefilter (%q) rejects it", c.ID, sig.id, text, sig.pre.lits)
				}
			}
		}
	}
	if want := map[bool]int{false: 200, true: 500}[real]; matches < want {
		t.Errorf("only %d signal matches exercised", matches)
	}
}

func TestTriggers(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{`(?:out|off)`, []string{"out", "off"}},
		{`retain\w*|retention`, []string{"retain", "retention"}},
		{`personali[sz]ed ads`, []string{"personalised ads", "personalized ads"}},
		{`\w+`, nil},
		{`(?:a|\w+) cookies`, []string{" cookies"}},
	}
	for _, tc := range tests {
		got := minimalLiterals(triggers(`(?i)` + tc.expr))
		if tc.want == nil {
			if got != nil {
				t.Errorf("%s: %q, want none", tc.expr, got)
			}
			continue
		}
		for _, w := range tc.want {
			found := false
			for _, g := range got {
				found = found || strings.Contains(w, g)
			}
			if !found {
				t.Errorf("%s: triggers %q do not cover %q", tc.expr, got, w)
			}
		}
	}
}
