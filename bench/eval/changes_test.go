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

// TestOutsideChangeSet checks the change-level labels of platforms outside
// the corpus (bench/eval/outside): every record well formed, with its two
// versions' source commits, in file names that carry those commits, and
// from no company of a clause tune half (the set is only ever scored).
func TestOutsideChangeSet(t *testing.T) {
	_, known := projectRules(t)
	labels := readArchivePairs(t, filepath.Join("outside", "labels.json"))
	tuned := map[string]bool{}
	for _, r := range clauseRounds {
		if !slices.Contains(r.halves, "tune") {
			continue
		}
		items, err := loadClauses(filepath.Join(r.dir, "tune.json"), known)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			tuned[strings.ToLower(it.Company)] = true
		}
	}
	// Open Terms Archive's collections, and the archives that feed or
	// mirror them (ToS;DR's, and ToSBack's through its bridge)
	archive := func(repo string) bool {
		return strings.HasPrefix(repo, "OpenTermsArchive/") || slices.Contains([]string{"tosdr/tosdr-versions", "tosdr/tosback-versions", "TosbackCgusBridge-Bot/CGUs-versions"}, repo)
	}
	hex40 := func(s string) bool {
		return len(s) == 40 && strings.Trim(s, "0123456789abcdef") == ""
	}
	substantive := 0
	for _, l := range labels {
		where := l.Old
		if l.Substantive {
			substantive++
			if !slices.Contains([]string{"low", "medium", "high"}, l.Exposure) {
				t.Errorf("%s: exposure %q, want low, medium or high", where, l.Exposure)
			}
		} else if len(l.Must) > 0 || l.Exposure != "" {
			t.Errorf("%s: a cosmetic pair with must-sets or an exposure", where)
		}
		for _, set := range append(slices.Clone(l.Must), l.May) {
			for id := range expand(set) {
				if !known[id] {
					t.Errorf("%s: unknown category %q", where, id)
				}
			}
		}
		s := l.Source
		if !archive(s.Repo) || s.Path == "" || !hex40(s.OldCommit) || !hex40(s.NewCommit) || s.OldCommit == s.NewCommit {
			t.Errorf("%s: source %+v lacks a collection, a path or two distinct commits", where, s)
		}
		if filepath.Base(l.Old) != s.OldCommit+".md" || filepath.Base(l.New) != s.NewCommit+".md" || filepath.Dir(l.Old) != filepath.Dir(l.New) {
			t.Errorf("%s → %s: file names do not carry the source commits of one document", l.Old, l.New)
		}
		if parts := strings.Split(l.Old, "/"); len(parts) < 4 || tuned[strings.ToLower(parts[1])] {
			t.Errorf("%s: not <analyst>/<company>/<document>/<commit>.md, or a company rules were tuned on", where)
		}
	}
	if len(labels) < 20 || substantive < 10 || substantive == len(labels) {
		t.Errorf("%d pairs, %d substantive: want a real set with some cosmetic pairs", len(labels), substantive)
	}
}

// TestChromeSet checks the page-chrome pairs (chrome/labels.json): real
// versions from the archives that differ only in menus, banners, footers
// or tracking-pixel URLs, a tune set for the cosmetic gate. Every pair is
// cosmetic, names its source commits in its file names, and belongs to no
// company of the outside set, which stays held out.
func TestChromeSet(t *testing.T) {
	company := func(p string) string { return strings.ToLower(strings.Split(p, "/")[1]) }
	held := map[string]bool{}
	for _, l := range readArchivePairs(t, filepath.Join("outside", "labels.json")) {
		held[company(l.Old)] = true
	}
	chrome := readArchivePairs(t, filepath.Join("chrome", "labels.json"))
	if len(chrome) < 5 {
		t.Fatalf("%d chrome pairs, want a real set", len(chrome))
	}
	for _, l := range chrome {
		s := l.Source
		if l.Substantive || len(l.Must) > 0 || l.Exposure != "" || l.Note == "" {
			t.Errorf("%s: a chrome pair must be cosmetic and say what differs", l.Old)
		}
		if filepath.Base(l.Old) != s.OldCommit+".md" || filepath.Base(l.New) != s.NewCommit+".md" || s.OldCommit == s.NewCommit {
			t.Errorf("%s → %s: file names do not carry two source commits", l.Old, l.New)
		}
		if held[company(l.Old)] {
			t.Errorf("%s: a company of the held-out outside set", l.Old)
		}
	}
}

// archivePair is a labelled pair of stored versions with the archive it
// comes from: the records of outside/labels.json and chrome/labels.json.
type archivePair struct {
	label
	Source struct {
		Repo      string `json:"repo"`
		Path      string `json:"path"`
		OldCommit string `json:"old_commit"`
		NewCommit string `json:"new_commit"`
	} `json:"source"`
}

// readArchivePairs reads a file of archivePair records.
func readArchivePairs(t *testing.T, name string) []archivePair {
	t.Helper()
	raw, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var ps []archivePair
	if err := json.Unmarshal(raw, &ps); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ps
}
