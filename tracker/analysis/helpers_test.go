package analysis

import (
	"os"
	"sync"
	"testing"

	"policywatch/internal/sharedtest"
	"policywatch/internal/testpolicies"
)

var (
	rulesOnce sync.Once
	rulesVal  *Rules
	rulesErr  error
)

// testRules parses resources/rules.json once per test binary.
func testRules(tb testing.TB) *Rules {
	tb.Helper()
	rulesOnce.Do(func() {
		data, err := os.ReadFile("../../resources/rules.json")
		if err != nil {
			rulesErr = err
			return
		}
		rulesVal, rulesErr = ParseRules(data)
	})
	if rulesErr != nil {
		tb.Fatalf("load rules: %v", rulesErr)
	}
	return rulesVal
}

// testRulesWithoutModel returns the rules without the word model: the
// rules' own readings, as a user's rules file with no model would give.
func testRulesWithoutModel(tb testing.TB) *Rules {
	tb.Helper()
	r := *testRules(tb)
	r.WordModel = nil
	return &r
}

// corpusFile reads a corpus file relative to the dataset folder, skipping
// the test when the corpus is not present.
func corpusFile(tb testing.TB, rel string) string {
	tb.Helper()
	return string(sharedtest.CorpusFile(tb, rel))
}

// sampleDocs returns the project's own test policies (every version of
// internal/testpolicies) followed by the named corpus files when the corpus
// is present, and whether it was. Tests that hold a fast path to its plain
// reference run on both, so a clone without ../shared still covers them.
func sampleDocs(tb testing.TB, corpusRels ...string) ([]string, bool) {
	tb.Helper()
	var docs []string
	for _, d := range testpolicies.Documents() {
		for _, rel := range testpolicies.Versions(d) {
			text, err := testpolicies.File(rel)
			if err != nil {
				tb.Fatal(err)
			}
			docs = append(docs, text)
		}
	}
	if sharedtest.Path("corpus", "dataset") == "" {
		return docs, false
	}
	for _, rel := range corpusRels {
		docs = append(docs, corpusFile(tb, rel))
	}
	return docs, true
}

// statesCategory reports whether text states category id, as the engine
// reads a sentence: affirmed when a statement of it is not negated,
// negated when one is.
func statesCategory(r *Rules, id, text string) (affirmed, negated bool) {
	plain := plainText(text)
	for _, st := range r.read(plain, tokenize(plain), nil).stmts {
		if r.Categories[st.cat].ID != id {
			continue
		}
		if st.negated {
			negated = true
		} else {
			affirmed = true
		}
	}
	return affirmed, negated
}

// readsAs fails the test for each sentence the rules do not read as
// category id (affirmed or negated).
func readsAs(t *testing.T, r *Rules, id string, sentences ...string) {
	t.Helper()
	for _, s := range sentences {
		if affirmed, negated := statesCategory(r, id, s); !affirmed && !negated {
			t.Errorf("no %s reading: %q", id, s)
		}
	}
}

// notReadAs fails the test for each sentence the rules read as category id.
func notReadAs(t *testing.T, r *Rules, id string, sentences ...string) {
	t.Helper()
	for _, s := range sentences {
		if affirmed, negated := statesCategory(r, id, s); affirmed || negated {
			t.Errorf("%s read in %q", id, s)
		}
	}
}
