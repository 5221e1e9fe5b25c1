package gui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

func TestFilterChanges(t *testing.T) {
	p, srv := policyServer(t)
	u, svc := newTestUI(t)
	ctx := context.Background()
	seedChange(t, u, svc, p, srv, "Alpha Corp")
	seedChange(t, u, svc, p, srv, "Beta Corp")
	act(u, u.Start)
	eventually(t, u, "two changes", func() bool { return len(u.changes.changes) == 2 })
	if !strings.HasPrefix(u.changes.total.Text, "2 matching changes") {
		t.Errorf("total %q", u.changes.total.Text)
	}
	act(u, func() { u.changes.platform.SetSelected("Beta Corp") })
	eventually(t, u, "platform filter", func() bool { return len(u.changes.changes) == 1 })
	if u.changes.changes[0].PlatformName != "Beta Corp" {
		t.Fatalf("filtered to %s", u.changes.changes[0].PlatformName)
	}
	act(u, func() { u.changes.review.SetSelected(reviewDone) })
	eventually(t, u, "reviewed filter", func() bool { return len(u.changes.changes) == 0 })
	if !strings.Contains(u.changes.total.Text, "No change matches") {
		t.Errorf("empty filtered state %q", u.changes.total.Text)
	}
	act(u, func() { test.Tap(u.changes.reset) })
	eventually(t, u, "reset", func() bool { return len(u.changes.changes) == 2 })
	// Category and exposure filters agree with the store's count.
	d, err := svc.Change(ctx, u.changes.changes[0].ID)
	if err != nil || len(d.Categories) == 0 {
		t.Fatalf("seeded change has no categories: %+v %v", d.Categories, err)
	}
	act(u, func() {
		u.changes.category.SetSelected(svc.Rules().CategoryName(d.Categories[0])) // the filter shows names
		u.changes.exposure.SetSelected(d.Exposure)
		u.changes.kind.SetSelected(tracker.KindTitle(tracker.KindPrivacyPolicy))
		u.changes.period.SetSelected(periodOptions[1])
	})
	want, _ := svc.CountChanges(ctx, tracker.ChangeFilter{Category: d.Categories[0], MinExposure: d.Exposure})
	eventually(t, u, "category filter", func() bool { return u.changes.count == want && len(u.changes.changes) == want })
	act(u, func() {
		u.changes.period.SetSelected(periodCustom)
		u.changes.from.SetText("2001-02-30")
		u.changes.onFilter()
	})
	if !strings.Contains(u.changes.total.Text, "type a date like") {
		t.Errorf("bad date advice %q", u.changes.total.Text)
	}
}

func TestOpenChangeAnalysisDiffReviewAndCompare(t *testing.T) {
	p, srv := policyServer(t)
	u, svc := newTestUI(t)
	ctx := context.Background()
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme", Jurisdictions: []string{"EU", "US-CA"}}); err != nil {
		t.Fatal(err)
	}
	seedChange(t, u, svc, p, srv, "Other Corp")
	id := seedChange(t, u, svc, p, srv, "Example Corp")
	act(u, u.Start)
	eventually(t, u, "changes listed", func() bool { return len(u.changes.changes) == 2 })
	act(u, func() { u.showChange(id) })
	eventually(t, u, "detail", func() bool { return u.changes.detail.cur.ID == id })
	det := u.changes.detail
	eventually(t, u, "comparables", func() bool {
		return strings.Contains(blocksText(det.analysis.blocks), "Other Corp privacy policy (version #")
	})
	rec := blocksText(det.analysis.blocks)
	for _, section := range []string{"Summary", "Governance exposure", "Findings and evidence", "Regulatory landscape",
		"Jurisdiction flags", "Contract and vendor implications", "Compliance considerations", "Due-diligence checklist",
		"How other tracked platforms handle this"} {
		if !strings.Contains(rec, section) {
			t.Errorf("analysis record lacks %q", section)
		}
	}
	if !strings.Contains(rec, "Other Corp privacy policy (version #") {
		t.Errorf("no comparable from the other platform:\n%s", rec)
	}
	if !strings.Contains(rec, "GDPR") {
		t.Errorf("no GDPR citation in the landscape:\n%s", rec)
	}
	diff := blocksText(det.diff.blocks)
	if !strings.Contains(diff, "Before") || !strings.Contains(diff, "After") || !strings.Contains(diff, "advertising partners") {
		t.Fatalf("diff lacks before and after:\n%s", diff)
	}
	for _, id := range []string{"sale-targeted-ads", "third-party-sharing"} {
		if strings.Contains(rec, "["+id+"]") || strings.Contains(rec, id+" —") {
			t.Errorf("the record names category %s by its id", id)
		}
	}
	if u.tabs.SelectedIndex() != tabChanges {
		t.Error("showChange did not switch tabs")
	}
	act(u, func() { test.Tap(det.review) })
	eventually(t, u, "reviewed", func() bool { return !det.cur.ReviewedAt.IsZero() })
	if !auditHas(t, svc, "change.reviewed", "") {
		t.Error("review not audit-logged")
	}
	if !det.review.Disabled() {
		t.Error("Mark reviewed still enabled")
	}
	for _, c := range u.changes.changes {
		if c.ID == id && c.ReviewedBy != "tester" {
			t.Errorf("list row reviewed by %q", c.ReviewedBy)
		}
	}
	// Compare the two archived versions the other way round.
	act(u, func() {
		det.fromSel.SetSelectedIndex(1)
		det.toSel.SetSelectedIndex(0)
		test.Tap(det.compareBtn)
	})
	eventually(t, u, "comparison", func() bool { return strings.Contains(blocksText(det.compareOut.blocks), "Changed text") })
	if out := blocksText(det.compareOut.blocks); !strings.Contains(out, "advertising partners") {
		t.Errorf("comparison:\n%s", out)
	}
}

func TestHeatMapCellOpensFilteredChanges(t *testing.T) {
	p, srv := policyServer(t)
	var days atomic.Int64 // the clock runs this many days ahead
	clock := func() time.Time { return time.Now().AddDate(0, 0, int(days.Load())) }
	u, svc := newTestUI(t, tracker.WithClock(clock))
	ctx := context.Background()
	if err := svc.SetProfile(ctx, tracker.Profile{Jurisdictions: []string{"EU", "UK"}}); err != nil {
		t.Fatal(err)
	}
	seedChange(t, u, svc, p, srv, "Example Corp")
	act(u, u.Start)
	idle(t, u)
	cell := u.dashboard.heat.cells["example-corp|EU"]
	if cell == nil || cell.cell.Changes != 1 {
		t.Fatalf("heat map cells: %v", u.dashboard.heat.cells)
	}
	act(u, func() { test.Tap(cell) })
	idle(t, u)
	if u.tabs.SelectedIndex() != tabChanges || u.changes.jurisdiction.Selected != "EU" || u.changes.platform.Selected != "Example Corp" {
		t.Fatalf("tab %d, filters %q %q", u.tabs.SelectedIndex(), u.changes.jurisdiction.Selected, u.changes.platform.Selected)
	}
	if len(u.changes.changes) != 1 {
		t.Fatalf("%d changes after the cell tap", len(u.changes.changes))
	}
	// Half a year on, the map widens its period by itself to keep showing it.
	days.Store(200)
	act(u, u.dashboard.refresh)
	idle(t, u)
	if u.dashboard.period.Selected != heatPeriods[2] || u.dashboard.heat.cells["example-corp|EU"] == nil {
		t.Fatalf("period %q, cells %v", u.dashboard.period.Selected, u.dashboard.heat.cells)
	}
	// A period the user picks is kept, even when empty.
	act(u, func() { u.dashboard.period.SetSelected(heatPeriods[0]) })
	idle(t, u)
	if u.dashboard.period.Selected != heatPeriods[0] || len(u.dashboard.heat.cells) != 0 {
		t.Fatalf("period %q, %d cells", u.dashboard.period.Selected, len(u.dashboard.heat.cells))
	}
}

// The category filter lists the categories of the rules in use, by name:
// a user rules file's added category appears.
func TestCategoryFilterFollowsRules(t *testing.T) {
	base, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		t.Fatal(err)
	}
	user, err := analysis.ParseUserRules([]byte(`{
	  "lexicon": {"concepts": [{"id": "exclusive-provider", "kind": "object", "terms": ["exclusive provider"]}]},
	  "categories": [{"id": "vendor-lock-in", "name": "Vendor lock-in", "label": "vendor lock-in", "default_exposure": "low",
	    "frames": [{"id": "exclusive", "all": [["exclusive-provider"]]}],
	    "provisions": [], "checklist": ["Review exit terms."], "contract_implications": [], "compliance_considerations": []}]}`))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := analysis.MergeRules(base, user)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := newTestUI(t, tracker.WithRules(merged))
	opts := strings.Join(u.changes.category.Options, "|")
	if !strings.Contains(opts, "Vendor lock-in") {
		t.Errorf("the user's category is not offered: %s", opts)
	}
	if strings.Contains(opts, "|ai-training|") || !strings.Contains(opts, base.CategoryName("ai-training")) {
		t.Errorf("categories not by name: %s", opts)
	}
	act(u, func() { u.changes.category.SetSelected("Vendor lock-in") })
	if q := u.changes.query(); q.Category != "vendor-lock-in" {
		t.Errorf("query category %q, want the id", q.Category)
	}
}
