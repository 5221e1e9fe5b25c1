package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"policywatch/internal/sharedtest"
)

// changeHalves are the two halves of the second change-level set
// (bench/eval/changes): rules may be tuned on "tune"; "heldout" is only
// ever scored.
var changeHalves = []string{"tune", "heldout"}

// TestCommittedChangeSets checks the committed change-level labels: every
// record well formed (categories known, an exposure level exactly on the
// substantive pairs), the halves' platforms apart, and, when ../shared is
// present, every pair two consecutive versions of one corpus document that
// the dev set does not already label.
func TestCommittedChangeSets(t *testing.T) {
	_, known := projectRules(t)
	platformHalf := map[string]string{}
	var pairs [][2]string
	for _, half := range changeHalves {
		raw, err := os.ReadFile(filepath.Join("changes", half+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var labels []label
		if err := json.Unmarshal(raw, &labels); err != nil {
			t.Fatalf("%s: %v", half, err)
		}
		if len(labels) < 12 {
			t.Errorf("%s: %d pairs, want a real half", half, len(labels))
		}
		cosmetic := 0
		for _, l := range labels {
			where := half + ": " + l.Old
			if !l.Substantive {
				cosmetic++
				if len(l.Must) > 0 || l.Exposure != "" {
					t.Errorf("%s: a cosmetic pair with must-sets or an exposure", where)
				}
			} else if !slices.Contains([]string{"low", "medium", "high"}, l.Exposure) {
				t.Errorf("%s: exposure %q, want low, medium or high", where, l.Exposure)
			}
			for _, set := range l.Must {
				for id := range expand(set) {
					if !known[id] {
						t.Errorf("%s: unknown category %q", where, id)
					}
				}
			}
			for id := range expand(l.May) {
				if !known[id] {
					t.Errorf("%s: unknown may-category %q", where, id)
				}
			}
			dir := filepath.Dir(l.Old)
			if filepath.Dir(l.New) != dir || l.New <= l.Old {
				t.Errorf("%s: %s is not a later version of the same document", where, l.New)
			}
			platform := strings.Split(dir, "/")[1]
			if h, ok := platformHalf[platform]; ok && h != half {
				t.Errorf("platform %s in both halves", platform)
			}
			platformHalf[platform] = half
			pairs = append(pairs, [2]string{l.Old, l.New})
		}
		if cosmetic == 0 || cosmetic == len(labels) {
			t.Errorf("%s: %d cosmetic pairs of %d, want some of each kind", half, cosmetic, len(labels))
		}
	}

	corpus := sharedtest.Corpus(t)
	var dev []label
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(corpus), "..", "eval", "dev-labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &dev); err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		for _, d := range dev {
			if d.Old == p[0] && d.New == p[1] {
				t.Errorf("%s is also in the dev set", p[0])
			}
		}
		entries, err := os.ReadDir(filepath.Join(filepath.Dir(corpus), filepath.Dir(p[0])))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		k := slices.Index(names, filepath.Base(p[0]))
		if k < 0 || k+1 >= len(names) || names[k+1] != filepath.Base(p[1]) {
			t.Errorf("%s → %s: not two consecutive versions in the corpus", p[0], filepath.Base(p[1]))
		}
	}
}
