package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policywatch/tracker/analysis"
)

// A second analyst's change label reads as an analysis that flags every
// category of its must-sets at the analyst's level.
func TestRaterLabelAsResult(t *testing.T) {
	l := label{Substantive: true, Exposure: "medium", Must: [][]string{{"retention"}, {"third-party-sharing", "sale-targeted-ads"}, {"retention"}}}
	res := l.asResult()
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Category)
	}
	if strings.Join(got, ",") != "retention,third-party-sharing,sale-targeted-ads" || res.Exposure != analysis.LevelMedium || !res.Substantive {
		t.Errorf("asResult = %v %s %v", got, res.Exposure, res.Substantive)
	}
	if res := (label{}).asResult(); res.Substantive || res.Exposure != analysis.LevelNone || len(res.Findings) != 0 {
		t.Errorf("a cosmetic label reads as %+v", res)
	}
	path := filepath.Join(t.TempDir(), "second.json")
	if err := os.WriteFile(path, []byte(`[{"old":"a.md","new":"b.md","substantive":true,"must":[["children"]],"exposure":"low"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	pairs, err := loadRaterPairs(path)
	if err != nil || len(pairs) != 1 || pairs[[2]string{"a.md", "b.md"}].Exposure != "low" {
		t.Fatalf("loadRaterPairs = %v, %v", pairs, err)
	}
	if _, err := loadRaterPairs(filepath.Join(t.TempDir(), "none.json")); err == nil {
		t.Error("a missing file was read")
	}
}

// Scored as a second analyst, the first analyst's own labels agree
// perfectly, and an analyst who misses a category loses recall, on the
// sentences both labelled only.
func TestRaterClauseScoring(t *testing.T) {
	rules, known := projectRules(t)
	items, err := loadClauses(filepath.Join("clauses", "tune.json"), known)
	if err != nil {
		t.Fatal(err)
	}
	same := map[string][]string{}
	for _, it := range items[:40] {
		same[it.Text] = it.Categories
	}
	var out bytes.Buffer
	if err := runClauses(&out, "clauses", "tune", rules, same, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), ": 40 sentences") || !strings.Contains(out.String(), "micro: precision 1.000") || !strings.Contains(out.String(), "recall 1.000") {
		t.Errorf("the first analyst scored as the second:\n%s", out.String())
	}
	for text, cats := range same {
		if len(cats) > 0 {
			same[text] = nil // misses every category of one sentence
			break
		}
	}
	out.Reset()
	if err := runClauses(&out, "clauses", "tune", rules, same, false); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "recall 1.000") {
		t.Errorf("a missed category left recall at 1:\n%s", out.String())
	}
}

// The committed second analyst's labels are of pairs and sentences the
// first analyst labelled, in the same half.
func TestCommittedSecondRater(t *testing.T) {
	_, known := projectRules(t)
	for half, file := range map[string]string{"tune": "changes-tune.json", "heldout": "changes-heldout.json"} {
		second, err := loadRaterPairs(filepath.Join("secondrater", file))
		if err != nil {
			t.Fatal(err)
		}
		first, err := loadRaterPairs(filepath.Join("changes", half+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(second) != 30 {
			t.Errorf("%s: %d pairs, want 30", file, len(second))
		}
		for k, l := range second {
			if _, ok := first[k]; !ok {
				t.Errorf("%s: %s → %s is not in the %s half", file, k[0], k[1], half)
			}
			for _, set := range l.Must {
				for _, id := range set {
					if !known[id] {
						t.Errorf("%s: unknown category %q", file, id)
					}
				}
			}
		}
	}
	items, err := loadClauses(filepath.Join("secondrater", "clauses.json"), known)
	if err != nil {
		t.Fatal(err)
	}
	firstIDs := map[string]bool{}
	for _, f := range []string{filepath.Join("clauses", "round17", "tune.json"), filepath.Join("clauses", "round18", "heldout.json")} {
		its, err := loadClauses(f, known)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range its {
			firstIDs[it.ID+"\x00"+it.Text] = true
		}
	}
	for _, it := range items {
		if !firstIDs[it.ID+"\x00"+it.Text] {
			t.Errorf("second analyst's sentence %s is not a sentence of rounds 17 (tune) or 18", it.ID)
		}
	}
	if len(items) != 320 {
		t.Errorf("%d second-analyst sentences, want 320", len(items))
	}
}
