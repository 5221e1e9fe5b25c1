package tracker_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"policywatch/internal/testpolicies"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

// checkThreeVersions serves a test policy that changes twice, both times
// about AI training, and returns a service that has checked all three
// versions, with its two changes, newest first.
func checkThreeVersions(t *testing.T) (*tracker.Service, []tracker.ChangeSummary) {
	t.Helper()
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	v1 := testPolicy(t, northwindOld)
	v2 := testPolicy(t, northwindNew)
	v3 := strings.Replace(v2, "We do not use the content of your private messages for advertising.",
		"We also use your voice recordings to train our speech recognition models.\n\nWe do not use the content of your private messages for advertising.", 1)
	if v3 == v2 {
		t.Fatal("test policy changed: the third version is not different")
	}
	if _, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Northwind Chat", URL: srv.URL + "/privacy", Kind: "privacy-policy", Select: "main"}); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{v1, v2, v3} {
		s.html("/privacy", testpolicies.Page(text))
		if sum, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil || sum.Changed != 1 {
			t.Fatalf("check: %+v %v", sum, err)
		}
	}
	changes, err := svc.Changes(ctx, tracker.ChangeFilter{})
	if err != nil || len(changes) != 2 {
		t.Fatalf("changes: %d %v", len(changes), err)
	}
	return svc, changes
}

// A later change raising a concern that already has an open item links to
// it instead of adding another; once the item is done, the concern raises
// a new one.
func TestChecklistOneOpenItemPerConcern(t *testing.T) {
	ctx := context.Background()
	svc, changes := checkThreeVersions(t)
	first, second := changes[1], changes[0] // newest first
	for _, c := range []tracker.ChangeSummary{first, second} {
		d, err := svc.Change(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if findingOf(d.Record.Findings, "ai-training") == nil {
			t.Fatalf("change %d has no ai-training finding: %v", c.ID, d.Categories)
		}
	}
	all, err := svc.Checklist(ctx, tracker.ChecklistFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ai := 0
	for _, it := range all {
		if it.Category != "ai-training" {
			continue
		}
		ai++
		if it.ChangeID != first.ID {
			t.Errorf("ai-training item %d belongs to change %d, want the first change %d", it.ID, it.ChangeID, first.ID)
		}
		if len(it.AlsoRaisedBy) != 1 || it.AlsoRaisedBy[0] != second.ID {
			t.Errorf("item %d: also raised by %v, want [%d]", it.ID, it.AlsoRaisedBy, second.ID)
		}
	}
	d, _ := svc.Change(ctx, second.ID)
	if ai == 0 || len(d.Checklist) == 0 {
		t.Fatalf("%d ai-training items; the second change lists %d", ai, len(d.Checklist))
	}
	// the second change's detail lists the first change's open items
	linked := 0
	for _, it := range d.Checklist {
		if it.Category == "ai-training" && it.ChangeID == first.ID {
			linked++
		}
	}
	if linked != ai {
		t.Errorf("the second change lists %d of the %d linked ai-training items", linked, ai)
	}
	if v, err := svc.VerifyArchive(ctx); err != nil || !v.OK() {
		t.Errorf("archive does not verify after linking: %+v %v", v.Problems, err)
	}

	// closing the items: a later change raises the concern afresh
	done := tracker.StatusDone
	for _, it := range all {
		if it.Category == "ai-training" {
			if _, err := svc.UpdateChecklistItem(ctx, it.ID, tracker.ChecklistUpdate{Status: &done}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := svc.Reanalyse(ctx, nil); err != nil {
		t.Fatal(err)
	}
	again, _ := svc.Checklist(ctx, tracker.ChecklistFilter{OpenOnly: true})
	for _, it := range again {
		if it.Category == "ai-training" && it.ChangeID == first.ID {
			t.Errorf("a done item came back open: %+v", it.ChecklistItem)
		}
	}
}

// History before the monitoring start raises no open items; items of later
// changes are due counting from the later of detection and the start.
func TestChecklistHistoryAndDueDates(t *testing.T) {
	ctx := context.Background()
	dataset, err := testpolicies.WriteDataset(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}

	// default: monitoring starts on the import day (the test clock's
	// 2025-06-01), so only changes dated after it raise items
	svc, _ := newTestService(t)
	if _, err := svc.ImportOTA(ctx, dataset, nil); err != nil {
		t.Fatal(err)
	}
	start, err := svc.MonitoringStart(ctx)
	if err != nil || start.Format("2006-01-02") != "2025-06-01" {
		t.Fatalf("monitoring start %v (%v), want the import day 2025-06-01", start, err)
	}
	items, _ := svc.Checklist(ctx, tracker.ChecklistFilter{})
	for _, it := range items {
		if it.DetectedAt.Before(start) {
			t.Errorf("item %d raised by history (change of %s)", it.ID, it.DetectedAt.Format("2006-01-02"))
		}
	}
	if n, _ := svc.CountChanges(ctx, tracker.ChangeFilter{}); n != 5 {
		t.Errorf("%d changes archived, want 5 analysed, history included", n)
	}

	// monitoring from after the whole dataset: nothing is open
	svcLate, _ := newTestService(t)
	if err := svcLate.SetMonitoringStart(ctx, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, err := svcLate.ImportOTA(ctx, dataset, nil); err != nil {
		t.Fatal(err)
	}
	if items, _ := svcLate.Checklist(ctx, tracker.ChecklistFilter{}); len(items) != 0 {
		t.Errorf("importing history raised %d items", len(items))
	}

	// monitoring from 2025-01-01: every change raises items, due from the
	// later of its date and the start
	svc2, _ := newTestService(t)
	since := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := svc2.SetMonitoringStart(ctx, since); err != nil {
		t.Fatal(err)
	}
	if _, err := svc2.ImportOTA(ctx, dataset, nil); err != nil {
		t.Fatal(err)
	}
	items, err = svc2.Checklist(ctx, tracker.ChecklistFilter{})
	if err != nil || len(items) == 0 {
		t.Fatalf("%d items after importing with an earlier start: %v", len(items), err)
	}
	for _, it := range items {
		if it.DetectedAt.Before(since) {
			t.Errorf("item %d raised by a change of %s, before the monitoring start", it.ID, it.DetectedAt.Format("2006-01-02"))
		}
		base := it.DetectedAt
		if since.After(base) {
			base = since
		}
		// due by the concern's own level: 14, 30 or 60 days on, never
		// later than a low concern's and never sooner than the change's level allows
		ok := false
		for _, days := range []int{14, 30, 60} {
			ok = ok || it.DueDate == base.AddDate(0, 0, days).Format("2006-01-02")
		}
		if !ok {
			t.Errorf("item %d (detected %s): due %s, not 14, 30 or 60 days after %s", it.ID, it.DetectedAt.Format("2006-01-02"), it.DueDate, base.Format("2006-01-02"))
		}
		if it.Exposure == "high" && it.DueDate < base.AddDate(0, 0, 14).Format("2006-01-02") {
			t.Errorf("item %d due before a high concern's 14 days", it.ID)
		}
	}
}

func findingOf(fs []analysis.Finding, category string) *analysis.Finding {
	for k := range fs {
		if fs[k].Category == category {
			return &fs[k]
		}
	}
	return nil
}
