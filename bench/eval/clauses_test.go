package main

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"policywatch/internal/sharedtest"
	"policywatch/tracker/analysis"
)

// TestScoreClauses checks the counting on a hand-made set with a fixed
// classifier whose answers are known.
func TestScoreClauses(t *testing.T) {
	items := []clauseItem{
		// found both labels, plus a wrong one
		{ID: "a", Company: "X", Text: "s1", Categories: []string{"retention", "user-rights"}, Polarity: "positive"},
		// a promise, missed
		{ID: "b", Company: "X", Text: "s2", Categories: []string{"sale-targeted-ads"}, Polarity: "negative"},
		// hard negative given a finding
		{ID: "c", Company: "Y", Text: "s3", HardNegative: true},
		// plain negative, nothing flagged
		{ID: "d", Company: "Y", Text: "s4"},
		// flag on a may-category counts nowhere; the label is found
		{ID: "e", Company: "Z", Text: "s5", Categories: []string{"retention"}, May: []string{"third-party-sharing"}, Polarity: "mixed"},
	}
	answers := map[string][]string{
		"s1": {"retention", "user-rights", "tracking-cookies"},
		"s2": nil,
		"s3": {"tracking-cookies"},
		"s4": nil,
		"s5": {"third-party-sharing", "retention"},
	}
	s := scoreClauses(items, func(text, _ string) clauseReading { return clauseReading{categories: answers[text]} })

	if s.Items != 5 || s.Companies != 3 {
		t.Fatalf("items %d companies %d, want 5 and 3", s.Items, s.Companies)
	}
	want := map[string][3]int{ // TP, FP, FN
		"retention":           {2, 0, 0},
		"user-rights":         {1, 0, 0},
		"sale-targeted-ads":   {0, 0, 1},
		"tracking-cookies":    {0, 2, 0},
		"third-party-sharing": {0, 0, 0},
	}
	for c, w := range want {
		if got := [3]int{s.TP[c], s.FP[c], s.FN[c]}; got != w {
			t.Errorf("%s: TP/FP/FN %v, want %v", c, got, w)
		}
	}
	if s.Support["retention"] != 2 || s.Flagged["tracking-cookies"] != 2 || s.Flagged["third-party-sharing"] != 0 {
		t.Errorf("support/flagged: %v %v", s.Support, s.Flagged)
	}
	p, r, tp, fp, fn := s.micro()
	if tp != 3 || fp != 2 || fn != 1 {
		t.Fatalf("micro counts %d/%d/%d, want 3/2/1", tp, fp, fn)
	}
	if math.Abs(p-0.6) > 1e-9 || math.Abs(r-0.75) > 1e-9 {
		t.Errorf("micro precision %.3f recall %.3f, want 0.600 and 0.750", p, r)
	}
	if s.Exact != 2 { // d and e
		t.Errorf("exact %d, want 2", s.Exact)
	}
	if s.Empty != 2 || s.EmptyFlagged != 1 || s.Hard != 1 || s.HardFlagged != 1 {
		t.Errorf("empty %d/%d hard %d/%d, want 1/2 and 1/1", s.EmptyFlagged, s.Empty, s.HardFlagged, s.Hard)
	}
	if s.PolarityPairs["positive"] != 2 || s.PolarityFound["positive"] != 2 ||
		s.PolarityPairs["negative"] != 1 || s.PolarityFound["negative"] != 0 ||
		s.PolarityFound["mixed"] != 1 {
		t.Errorf("polarity: %v of %v", s.PolarityFound, s.PolarityPairs)
	}
	if got := s.Misses["b"]; len(got) != 1 || got[0] != "sale-targeted-ads" {
		t.Errorf("misses of b: %v", got)
	}
	if got := s.Extras["a"]; len(got) != 1 || got[0] != "tracking-cookies" {
		t.Errorf("extras of a: %v", got)
	}
	if s.PolarityJudged != 0 {
		t.Errorf("polarity judged %d times for a classifier that gives none", s.PolarityJudged)
	}
}

// The polarity of a category found is compared with its label's on
// positive and negative sentences only, liability aside.
func TestScoreClausesPolarity(t *testing.T) {
	items := []clauseItem{
		{ID: "a", Company: "X", Text: "s1", Categories: []string{"sale-targeted-ads"}, Polarity: "negative"},
		{ID: "b", Company: "X", Text: "s2", Categories: []string{"third-party-sharing"}, Polarity: "positive"},
		{ID: "c", Company: "X", Text: "s3", Categories: []string{"retention"}, Polarity: "negative"},
		{ID: "d", Company: "X", Text: "s4", Categories: []string{"liability"}, Polarity: "negative"},
		{ID: "e", Company: "X", Text: "s5", Categories: []string{"retention"}, Polarity: "mixed"},
	}
	reads := map[string]clauseReading{
		"s1": {categories: []string{"sale-targeted-ads"}, denied: map[string]bool{"sale-targeted-ads": true}},
		"s2": {categories: []string{"third-party-sharing"}, denied: map[string]bool{}},
		"s3": {categories: []string{"retention"}, denied: map[string]bool{}}, // read as a practice
		"s4": {categories: []string{"liability"}, denied: map[string]bool{}},
		"s5": {categories: []string{"retention"}, denied: map[string]bool{"retention": true}},
	}
	s := scoreClauses(items, func(text, _ string) clauseReading { return reads[text] })
	if s.PolarityJudged != 3 || s.PolarityAgree != 2 {
		t.Errorf("polarity %d of %d, want 2 of 3", s.PolarityAgree, s.PolarityJudged)
	}
	if got := s.PolarityOff["c"]; len(got) != 1 || got[0] != "retention" {
		t.Errorf("polarity off for c: %v", got)
	}
}

// The engine reads a promise not to sell as a denied sale, and a plain
// sale as an affirmed one.
func TestEngineClassifierReadsDenials(t *testing.T) {
	rules, _ := projectRules(t)
	classify := engineClassifier(rules)
	if r := classify("We will not sell, rent, or loan your personal information to anyone.", "Acme"); !r.denied["sale-targeted-ads"] {
		t.Errorf("promise: %+v, want a denied sale", r)
	}
	if r := classify("We may sell your personal information to data brokers.", "Acme"); !slices.Contains(r.categories, "sale-targeted-ads") || r.denied["sale-targeted-ads"] {
		t.Errorf("practice: %+v, want an affirmed sale", r)
	}
}

// TestLoadClausesRejects checks that malformed items are refused with the
// reason.
func TestLoadClausesRejects(t *testing.T) {
	known := map[string]bool{"retention": true}
	src := `"company":"X","kind":"privacy-policy","source":{"repo":"r","path":"p","commit":"","url":""},"text":"t"`
	cases := map[string]string{
		`[{"id":"a",` + src + `,"categories":["nope"],"polarity":"positive","hard_negative":false}]`:                                  "unknown category",
		`[{"id":"a",` + src + `,"categories":["retention"],"hard_negative":false}]`:                                                   "polarity must be",
		`[{"id":"a",` + src + `,"categories":[],"polarity":"positive","hard_negative":false}]`:                                        "polarity without categories",
		`[{"id":"a",` + src + `,"categories":["retention"],"polarity":"positive","hard_negative":true}]`:                              "hard negative has no categories",
		`[{"id":"a",` + src + `,"categories":[],"hard_negative":false},{"id":"a",` + src + `,"categories":[],"hard_negative":false}]`: "repeated id",
		`[{"id":"a",` + src + `,"categories":["retention"],"may":["retention"],"polarity":"mixed","hard_negative":false}]`:            "both a category and a may-category",
		`[{"id":"a",` + src + `,"categories":[],"hard_negative":false,"extra":1}]`:                                                    "unknown field",
	}
	dir := t.TempDir()
	for body, want := range cases {
		path := filepath.Join(dir, "set.json")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := loadClauses(path, known); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", body, err, want)
		}
	}
}

// TestCommittedClauseSet loads the committed halves against the project's
// rules: they must be well formed, keep their companies apart, carry hard
// negatives and cover every category (at least 15 labelled sentences in all
// and 5 in each half), and the report must run on them.
func TestCommittedClauseSet(t *testing.T) {
	rules, known := projectRules(t)
	companies := map[string]string{}
	total := map[string]int{}
	for _, half := range clauseHalves {
		items, err := loadClauses(filepath.Join("clauses", half+".json"), known)
		if err != nil {
			t.Fatal(err)
		}
		hard := 0
		perHalf := map[string]int{}
		for _, it := range items {
			for _, c := range it.Categories {
				perHalf[c]++
				total[c]++
			}
			if h, ok := companies[it.Company]; ok && h != half {
				t.Errorf("company %s in both halves", it.Company)
			}
			companies[it.Company] = half
			if it.HardNegative {
				hard++
			}
		}
		if len(items) < 100 || hard < 20 {
			t.Errorf("%s: %d sentences, %d hard negatives; want a real half", half, len(items), hard)
		}
		for id := range known {
			if perHalf[id] < 5 {
				t.Errorf("%s: %d sentences labelled %s, want at least 5", half, perHalf[id], id)
			}
		}
	}
	for id := range known {
		if total[id] < 15 {
			t.Errorf("%d sentences labelled %s in all, want at least 15", total[id], id)
		}
	}
	var out bytes.Buffer
	if err := runClauses(&out, "clauses", "both", rules, nil, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tune half", "heldout half", "micro: precision", "hard negatives among them"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if err := runClauses(&out, "clauses", "all", rules, nil, false); err == nil {
		t.Error("runClauses accepted -clauses all")
	}
}

// clauseRounds are the clause set's labelling rounds and their halves: the
// first (30 companies) and a second (15 more), each split into a tune and
// a held-out half; a third (12 more) that is held out whole: it was
// labelled to score the engine once, at the end of a pass; a fourth (12
// more), split like the first two; a fifth (12 more), held out whole
// like the third; a sixth to an eleventh (12 more each) a twelfth
// (10 more) and a thirteenth (12 more), split like the fourth; a
// fourteenth (12 more), held out whole like the third; a fifteenth (12
// more), split like the fourth; a sixteenth (12 more), held out whole;
// a seventeenth (24 more), split like the fourth; an eighteenth (23 more),
// held out whole; a nineteenth (21 more), split like the fourth; a
// twentieth (24 more), held out whole; a twenty-first (24 more), split
// like the fourth; a twenty-second (24 more) and a twenty-third (21 more),
// held out whole; a twenty-fourth (19 more), a twenty-fifth (24 more), a
// twenty-sixth (36 more), a twenty-seventh (36 more), a twenty-eighth
// (36 more), a twenty-ninth (35 more), a thirtieth (35 more), a
// thirty-first (35 more), a thirty-second (36 more), a thirty-third
// (33 more), a thirty-fourth (35 more) and a thirty-fifth (31 more), a
// thirty-sixth (35 more), a thirty-seventh (34 more), a thirty-eighth (36
// more), a thirty-ninth (30 more), a fortieth (31 more), a forty-first
// (31 more), a forty-second (32 more), a forty-third (24 more), a
// forty-fourth (25 more), a forty-fifth (24 more) and a forty-sixth (27
// more), split like the fourth.
var clauseRounds = []struct {
	dir    string
	halves []string
}{
	{"clauses", clauseHalves},
	{filepath.Join("clauses", "round2"), clauseHalves},
	{filepath.Join("clauses", "round3"), []string{"heldout"}},
	{filepath.Join("clauses", "round4"), clauseHalves},
	{filepath.Join("clauses", "round5"), []string{"heldout"}},
	{filepath.Join("clauses", "round6"), clauseHalves},
	{filepath.Join("clauses", "round7"), clauseHalves},
	{filepath.Join("clauses", "round8"), clauseHalves},
	{filepath.Join("clauses", "round9"), clauseHalves},
	{filepath.Join("clauses", "round10"), clauseHalves},
	{filepath.Join("clauses", "round11"), clauseHalves},
	{filepath.Join("clauses", "round12"), clauseHalves},
	{filepath.Join("clauses", "round13"), clauseHalves},
	{filepath.Join("clauses", "round14"), []string{"heldout"}},
	{filepath.Join("clauses", "round15"), clauseHalves},
	{filepath.Join("clauses", "round16"), []string{"heldout"}},
	{filepath.Join("clauses", "round17"), clauseHalves},
	{filepath.Join("clauses", "round18"), []string{"heldout"}},
	{filepath.Join("clauses", "round19"), clauseHalves},
	{filepath.Join("clauses", "round20"), []string{"heldout"}},
	{filepath.Join("clauses", "round21"), clauseHalves},
	{filepath.Join("clauses", "round22"), []string{"heldout"}},
	{filepath.Join("clauses", "round23"), []string{"heldout"}},
	{filepath.Join("clauses", "round24"), clauseHalves},
	{filepath.Join("clauses", "round25"), clauseHalves},
	{filepath.Join("clauses", "round26"), clauseHalves},
	{filepath.Join("clauses", "round27"), clauseHalves},
	{filepath.Join("clauses", "round28"), clauseHalves},
	{filepath.Join("clauses", "round29"), clauseHalves},
	{filepath.Join("clauses", "round30"), clauseHalves},
	{filepath.Join("clauses", "round31"), clauseHalves},
	{filepath.Join("clauses", "round32"), clauseHalves},
	{filepath.Join("clauses", "round33"), clauseHalves},
	{filepath.Join("clauses", "round34"), clauseHalves},
	{filepath.Join("clauses", "round35"), clauseHalves},
	{filepath.Join("clauses", "round36"), clauseHalves},
	{filepath.Join("clauses", "round37"), clauseHalves},
	{filepath.Join("clauses", "round38"), clauseHalves},
	{filepath.Join("clauses", "round39"), clauseHalves},
	{filepath.Join("clauses", "round40"), clauseHalves},
	{filepath.Join("clauses", "round41"), clauseHalves},
	{filepath.Join("clauses", "round42"), clauseHalves},
	{filepath.Join("clauses", "round43"), clauseHalves},
	{filepath.Join("clauses", "round44"), clauseHalves},
	{filepath.Join("clauses", "round45"), clauseHalves},
	{filepath.Join("clauses", "round46"), clauseHalves},
}

// clauseFiles lists every half of every round.
func clauseFiles() []string {
	var out []string
	for _, r := range clauseRounds {
		for _, half := range r.halves {
			out = append(out, filepath.Join(r.dir, half+".json"))
		}
	}
	return out
}

// TestClauseRoundsApart checks the second round like the first (valid
// records, a real half each) and keeps every company in one half of one
// round: a rule written from a tune half never meets its company again in
// a held-out half.
func TestClauseRoundsApart(t *testing.T) {
	rules, known := projectRules(t)
	where := map[string]string{}
	ids := map[string]string{}
	for _, file := range clauseFiles() {
		items, err := loadClauses(file, known)
		if err != nil {
			t.Fatal(err)
		}
		hard := 0
		for _, it := range items {
			if w, ok := where[it.Company]; ok && w != file {
				t.Errorf("company %s in %s and %s", it.Company, w, file)
			}
			where[it.Company] = file
			if w, ok := ids[it.ID]; ok {
				t.Errorf("id %s in %s and %s", it.ID, w, file)
			}
			ids[it.ID] = file
			if it.HardNegative {
				hard++
			}
		}
		if len(items) < 100 || hard < 20 {
			t.Errorf("%s: %d sentences, %d hard negatives; want a real half", file, len(items), hard)
		}
	}
	for _, r := range clauseRounds[1:] {
		var out bytes.Buffer
		if err := runClauses(&out, r.dir, "heldout", rules, nil, false); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), filepath.Join(r.dir, "heldout.json")) || !strings.Contains(out.String(), "micro: precision") {
			t.Errorf("%s: the report names no held-out half or has no figures:\n%s", r.dir, out.String())
		}
	}
}

// TestClauseSetOutsideCorpus checks, when ../shared is present, that the
// clause set is measured on text the rules were not written from: no company
// is a service of the corpus and no sentence occurs verbatim in a corpus
// document. Every run of eight words of the corpus is indexed by hash; a
// sentence whose runs are all indexed is then looked for as a whole.
func TestClauseSetOutsideCorpus(t *testing.T) {
	root := sharedtest.Corpus(t)
	const run = 8
	key := func(words []string) uint64 {
		h := fnv.New64a()
		for _, w := range words {
			h.Write([]byte(w))
			h.Write([]byte{' '})
		}
		return h.Sum64()
	}
	services := map[string]bool{}
	runs := map[uint64]bool{}
	var docs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && filepath.Dir(p) == root {
			services[strings.ToLower(d.Name())] = true
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			words := strings.Fields(strings.ToLower(string(data)))
			for k := 0; k+run <= len(words); k++ {
				runs[key(words[k:k+run])] = true
			}
			docs = append(docs, strings.Join(words, " "))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range clauseFiles() {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var items []clauseItem
		if err := json.Unmarshal(data, &items); err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if services[strings.ToLower(it.Company)] {
				t.Errorf("%s: company %s is a corpus service", it.ID, it.Company)
			}
			words := strings.Fields(strings.ToLower(it.Text))
			if len(words) < run {
				continue
			}
			all := true
			for k := 0; k+run <= len(words) && all; k++ {
				all = runs[key(words[k:k+run])]
			}
			if !all {
				continue
			}
			sentence := strings.Join(words, " ")
			for _, doc := range docs {
				if strings.Contains(doc, sentence) {
					t.Errorf("%s: sentence occurs verbatim in the corpus: %.80s", it.ID, it.Text)
					break
				}
			}
		}
	}
}

// projectRules parses the project's rules file and returns it with the set
// of its category ids.
func projectRules(t *testing.T) (*analysis.Rules, map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "resources", "rules.json"))
	if err != nil {
		t.Fatal(err)
	}
	rules, err := analysis.ParseRules(data)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, c := range rules.Categories {
		known[c.ID] = true
	}
	return rules, known
}

// The engine classifier reads each sentence as a policy of its company
// would be read: the platform's own name is no other service.
func TestEngineClassifierKnowsTheCompany(t *testing.T) {
	rules, _ := projectRules(t)
	classify := engineClassifier(rules)
	text := "You can sign in with your Slack account."
	if got := classify(text, "Acme").categories; !slices.Contains(got, "account-linkage") {
		t.Fatalf("as Acme's policy: %v, want account-linkage", got)
	}
	if got := classify(text, "Slack").categories; slices.Contains(got, "account-linkage") {
		t.Errorf("as Slack's own policy: %v, want no account-linkage", got)
	}
}
