package gui

import (
	"strings"
	"testing"
	"time"

	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

func TestDiffMarksAddedAndRemovedWithoutColour(t *testing.T) {
	hunks := []analysis.Hunk{
		{Op: analysis.OpModified, Heading: "Sharing", Substantive: true, Words: []analysis.WordOp{
			{Op: analysis.OpEqual, Text: "We "}, {Op: analysis.OpRemoved, Text: "do not sell"}, {Op: analysis.OpAdded, Text: "may sell"},
			{Op: analysis.OpEqual, Text: " your data."}}},
		{Op: analysis.OpAdded, Heading: "Sharing", New: "A new paragraph.", Substantive: true},
		{Op: analysis.OpRemoved, Heading: "Rights", Old: "An old promise.", Substantive: true},
		{Op: analysis.OpModified, Heading: "Intro", Old: "Hello", New: "Hello.", Reason: "punctuation"},
	}
	got := diffText(diffSegments(hunks))
	got = strings.ReplaceAll(got, "\u00a0", " ")
	for _, want := range []string{"We [-do not sell-] {+may sell+} your data.", "+ {+A new paragraph.+}", "- [-An old promise.-]",
		"Sharing\n", "Rights\n", "Cosmetic edits (1)"} {
		if !strings.Contains(got, want) {
			t.Errorf("diff lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "Sharing\n") != 1 {
		t.Errorf("heading repeated:\n%s", got)
	}
}

func TestChangeQueryFilter(t *testing.T) {
	q := changeQuery{Platform: "x", Review: reviewOpen, Substantive: true, Period: periodCustom, From: "2025-01-01", To: "2025-01-31"}
	f, err := q.filter(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if f.Reviewed == nil || *f.Reviewed || f.Substantive == nil || !*f.Substantive || f.PlatformSlugs[0] != "x" {
		t.Fatalf("filter %+v", f)
	}
	if f.Until.Format("2006-01-02") != "2025-02-01" {
		t.Errorf("until is exclusive: %v", f.Until)
	}
	if _, err := (changeQuery{Period: periodCustom, From: "yesterday"}).filter(time.Now()); err == nil {
		t.Error("a bad date was accepted")
	}
}

func TestAdviceNeverShowsRawErrors(t *testing.T) {
	_, advice, expected := adviceFor("load the changes", errorString("list changes: SQL logic error near \"SELECT\""))
	if expected || strings.Contains(advice, "SQL") || !strings.Contains(advice, "load the changes") {
		t.Errorf("advice %q (expected %v)", advice, expected)
	}
	title, advice, expected := adviceFor("x", tracker.ErrNotFound)
	if !expected || title != "Not found" || advice == "" {
		t.Errorf("not found advice %q %q", title, advice)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q", n, got)
		}
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestUsedJurisdictionsDropsEmptyColumns(t *testing.T) {
	m := tracker.ExposureMatrix{Jurisdictions: []string{"EU", "UK", "JP"},
		Platforms: []tracker.PlatformRef{{Slug: "a", Name: "A"}},
		Cells:     map[string]map[string]tracker.ExposureCell{"a": {"EU": {Exposure: "high", Changes: 2}, "JP": {Exposure: "low", Changes: 1}}}}
	if got := strings.Join(usedJurisdictions(m), ","); got != "EU,JP" {
		t.Fatalf("columns %s", got)
	}
}
