package tracker_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"policywatch/tracker"
)

// reAITrainingWords is independent wording evidence that an excerpt is
// about training AI: what a reader would look for, not the rules' signals.
var reAITrainingWords = regexp.MustCompile(`(?i)\b(?:train(?:s|ed|ing)?|AIs?|artificial intelligence|machine learning|(?:language )?models?)\b`)

func TestComparablesAITrainingOnInstagram(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	if _, err := svc.ImportOTA(ctx, subsetDataset(t, "Instagram", "Meta AI", "Threads", "ChatGPT", "Zoom"), nil); err != nil {
		t.Fatal(err)
	}
	changes, err := svc.Changes(ctx, tracker.ChangeFilter{PlatformSlugs: []string{"instagram"}, Category: "ai-training"})
	if err != nil || len(changes) == 0 {
		t.Fatalf("no Instagram ai-training change after import: %v", err)
	}
	change := changes[0]
	got, err := svc.Comparables(ctx, change.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		for _, c := range got {
			t.Logf("%s | %s | %s | %q", c.Category, c.PlatformName, c.Kind, c.Excerpts)
		}
	}

	// Every comparable is another platform's latest version, cited exactly,
	// with 1..2 excerpts that really are sentences of that version.
	cats := map[string]bool{}
	for _, c := range change.Categories {
		cats[c] = true
	}
	for _, c := range got {
		if c.PlatformSlug == "instagram" {
			t.Errorf("the changed platform compares with itself: %+v", c)
		}
		if !cats[c.Category] {
			t.Errorf("category %s is not among the change's %v", c.Category, change.Categories)
		}
		if len(c.Excerpts) == 0 || len(c.Excerpts) > 2 {
			t.Errorf("%s/%s: %d excerpts", c.Category, c.PlatformSlug, len(c.Excerpts))
		}
		h, err := svc.DocumentHistory(ctx, c.DocumentID)
		if err != nil {
			t.Fatal(err)
		}
		latest := h.Versions[len(h.Versions)-1]
		if latest.ID != c.VersionID || latest.SHA256 != c.SHA256 || !latest.FetchedAt.Equal(c.FetchedAt) || h.Document.Kind != c.Kind {
			t.Errorf("%s/%s cites version %d (%s), latest is %d (%s)", c.Category, c.PlatformSlug, c.VersionID, c.SHA256, latest.ID, latest.SHA256)
		}
		v, err := svc.Version(ctx, c.VersionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range c.Excerpts {
			if f := shinglesIn(ex, v.Text); f < 0.6 {
				t.Errorf("%s/%s: excerpt %q is not from version %d (%.0f%% of its word triples found)", c.Category, c.PlatformSlug, ex, c.VersionID, 100*f)
			}
		}
	}

	// AI training: Meta AI's and ChatGPT's documents state it and the
	// excerpts say so; Threads' latest documents never mention AI.
	ai := map[string]tracker.Comparable{}
	for _, c := range got {
		if c.Category == "ai-training" {
			ai[c.PlatformSlug] = c
		}
	}
	for _, slug := range []string{"meta-ai", "chatgpt"} {
		c, ok := ai[slug]
		if !ok {
			t.Errorf("no ai-training comparable for %s (got %d comparables)", slug, len(got))
			continue
		}
		// the best excerpt comes first among equals, but excerpts are
		// returned in document order: one of them must say it
		said := false
		for _, ex := range c.Excerpts {
			said = said || reAITrainingWords.MatchString(ex)
		}
		if !said {
			t.Errorf("no %s ai-training excerpt has AI-training wording: %q", slug, c.Excerpts)
		}
	}
	if c, ok := ai["threads"]; ok {
		t.Errorf("Threads quoted for AI training: %q", c.Excerpts)
	}
	// ChatGPT has both kinds; the changed kind is quoted first.
	if c, ok := ai["chatgpt"]; ok && c.Kind != change.Kind {
		t.Errorf("ChatGPT's %s was quoted, not its %s", c.Kind, change.Kind)
	}

	// Deterministic order: category (finding order), platform name, kind.
	again, err := svc.Comparables(ctx, change.ID, 2)
	if err != nil || len(again) != len(got) {
		t.Fatalf("second call: %d comparables, %v", len(again), err)
	}
	findingOrder := categoriesInFindingOrder(t, svc, change.ID)
	for i := range got {
		if got[i].Category != again[i].Category || got[i].PlatformSlug != again[i].PlatformSlug || got[i].DocumentID != again[i].DocumentID {
			t.Errorf("order differs between calls at %d", i)
		}
	}
	if !sort.SliceIsSorted(got, func(i, j int) bool {
		a, b := got[i], got[j]
		if a.Category != b.Category {
			return findingOrder[a.Category] < findingOrder[b.Category]
		}
		return strings.ToLower(a.PlatformName) < strings.ToLower(b.PlatformName)
	}) {
		t.Error("comparables not sorted by category then platform name")
	}
	checkComparablesLimits(t, svc, change.ID)
	checkComparablesFollowLatest(t, svc, change.ID, got)
}

// A new latest version is quoted at once (nothing stale is kept): Threads'
// privacy policy gains an AI-training paragraph.
func checkComparablesFollowLatest(t *testing.T, svc *tracker.Service, changeID int64, before []tracker.Comparable) {
	t.Helper()
	ctx := context.Background()
	docs, err := svc.Documents(ctx, "threads")
	if err != nil {
		t.Fatal(err)
	}
	var latest string
	for _, d := range docs {
		if d.Kind == tracker.KindPrivacyPolicy {
			h, err := svc.DocumentHistory(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			v, err := svc.Version(ctx, h.Versions[len(h.Versions)-1].ID)
			if err != nil {
				t.Fatal(err)
			}
			latest = v.Text
		}
	}
	if latest == "" {
		t.Fatal("no Threads privacy policy")
	}
	const added = "We use the posts you share publicly on Threads to train and improve our generative AI models."
	dir := t.TempDir()
	path := filepath.Join(dir, "Threads", "Privacy Policy", "2027-01-05T10-00-00Z.md")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(latest+"\n\n## AI at Threads\n\n"+added+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ImportOTA(ctx, dir, nil); err != nil {
		t.Fatal(err)
	}
	after, err := svc.Comparables(ctx, changeID, 2)
	if err != nil {
		t.Fatal(err)
	}
	var quoted *tracker.Comparable
	for i, c := range after {
		if c.Category == "ai-training" && c.PlatformSlug == "threads" {
			quoted = &after[i]
		}
	}
	if quoted == nil || len(quoted.Excerpts) != 1 || quoted.Excerpts[0] != added || quoted.Kind != tracker.KindPrivacyPolicy {
		t.Fatalf("after a new Threads version, ai-training comparable %+v", quoted)
	}
	if len(after) != len(before)+1 {
		t.Errorf("%d comparables before, %d after adding one mention", len(before), len(after))
	}
}

// perPlatform limits the excerpts; a change without findings has no
// comparables.
func checkComparablesLimits(t *testing.T, svc *tracker.Service, changeID int64) {
	t.Helper()
	ctx := context.Background()
	one, err := svc.Comparables(ctx, changeID, 0)
	if err != nil || len(one) == 0 {
		t.Fatalf("perPlatform 0: %d comparables, %v", len(one), err)
	}
	for _, c := range one {
		if len(c.Excerpts) != 1 {
			t.Errorf("perPlatform 0 (means 1): %s/%s has %d excerpts", c.Category, c.PlatformSlug, len(c.Excerpts))
		}
	}
	all, err := svc.Changes(ctx, tracker.ChangeFilter{PlatformSlugs: []string{"instagram"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if len(c.Categories) > 0 {
			continue
		}
		got, err := svc.Comparables(ctx, c.ID, 2)
		if err != nil || len(got) != 0 {
			t.Errorf("change %d without findings: %d comparables, %v", c.ID, len(got), err)
		}
		return
	}
	t.Error("no Instagram change without findings to check")
}

func categoriesInFindingOrder(t *testing.T, svc *tracker.Service, changeID int64) map[string]int {
	t.Helper()
	d, err := svc.Change(context.Background(), changeID)
	if err != nil {
		t.Fatal(err)
	}
	order := map[string]int{}
	for _, f := range d.Record.Findings {
		if _, ok := order[f.Category]; !ok {
			order[f.Category] = len(order)
		}
	}
	return order
}

var reWord = regexp.MustCompile(`[\pL\pN]+`)

// shinglesIn returns the share of an excerpt's consecutive word triples
// (lower case) found in a document's text; links and markup in the
// document only break the triples that span them.
func shinglesIn(excerpt, doc string) float64 {
	triples := func(s string) []string {
		w := reWord.FindAllString(strings.ToLower(s), -1)
		var out []string
		for i := 0; i+3 <= len(w); i++ {
			out = append(out, strings.Join(w[i:i+3], " "))
		}
		return out
	}
	have := map[string]bool{}
	for _, t := range triples(doc) {
		have[t] = true
	}
	ex := triples(strings.TrimSuffix(excerpt, "…"))
	if len(ex) == 0 {
		return 0
	}
	n := 0
	for _, t := range ex {
		if have[t] {
			n++
		}
	}
	return float64(n) / float64(len(ex))
}

func TestComparablesEdgeCases(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	if _, err := svc.Comparables(ctx, 12345, 2); !errors.Is(err, tracker.ErrNotFound) {
		t.Errorf("unknown change: %v, want ErrNotFound", err)
	}
}
