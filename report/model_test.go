package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"testing"
	"time"

	"policywatch/tracker"
)

// reportDay is the fixed report date of the tests: after every due date.
var reportDay = time.Date(2025, 4, 15, 12, 0, 0, 0, time.UTC)

func build(t *testing.T, svc *tracker.Service, f Filter, opts Options) *Model {
	t.Helper()
	if opts.GeneratedAt.IsZero() && !opts.Deterministic {
		opts.GeneratedAt = reportDay
	}
	m, err := Build(context.Background(), svc, f, opts)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return m
}

func TestBuildModel(t *testing.T) {
	fx := newFixture(t)
	var stages []string
	m := build(t, fx.svc, Filter{}, Options{GeneratedAt: reportDay, Progress: func(stage string, done, total int) {
		if done > total {
			t.Errorf("progress %s %d/%d", stage, done, total)
		}
		stages = append(stages, stage)
	}})
	if len(stages) == 0 || stages[0] != "read" {
		t.Errorf("progress stages %v, want read first", stages)
	}
	if m.Organisation != "Acme Données SAS" || m.AppVersion != "1.2.3-test" {
		t.Errorf("organisation %q version %q", m.Organisation, m.AppVersion)
	}
	if got := len(m.Changes); got != 3 {
		t.Fatalf("%d changes, want 3", got)
	}
	var names []string
	for _, p := range m.Platforms {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "Lakeside Forum,Northwind Chat,Pixel Snap" {
		t.Errorf("platform sections %v", names)
	}
	if m.Totals.Findings == 0 || m.Totals.High == 0 || len(m.Top) == 0 {
		t.Errorf("totals %+v, top %d", m.Totals, len(m.Top))
	}
	// Evidence: both sides of every change, once each; the fingerprint
	// recomputes from their hashes.
	if len(m.Evidence) != 6 {
		t.Errorf("%d versions cited, want 6", len(m.Evidence))
	}
	var hashes []string
	for _, v := range m.Evidence {
		if len(v.SHA256) != 64 || v.URL == "" || v.FetchedAt.IsZero() || len(v.CitedBy) != 1 {
			t.Errorf("evidence %+v", v)
		}
		hashes = append(hashes, v.SHA256)
	}
	sort.Strings(hashes)
	sum := sha256.Sum256([]byte(strings.Join(hashes, "\n") + "\n"))
	if m.Fingerprint != hex.EncodeToString(sum[:]) {
		t.Errorf("fingerprint %s does not recompute from the cited hashes", m.Fingerprint)
	}
	// Checklist: the fixture set one item done and one in progress; the
	// overdue count is that of the items marked overdue, and most of the
	// fixture's items (due 14, 30 or 60 days after March 2025) are.
	overdue := 0
	for _, it := range m.Checklist {
		if it.Overdue {
			overdue++
		}
	}
	if m.Totals.DoneItems != 1 || m.Totals.InProgressItems != 1 || m.Totals.OverdueItems != overdue || overdue < m.Totals.Items/2 {
		t.Errorf("checklist totals %+v (%d items marked overdue)", m.Totals, overdue)
	}
	for _, it := range m.Checklist {
		if it.Status == tracker.StatusDone && it.Overdue {
			t.Errorf("done item %d marked overdue", it.ID)
		}
		if it.Due.IsZero() {
			t.Errorf("item %d has no due date", it.ID)
		}
	}
	// Monitoring: four documents, the blocked one failing every time.
	if len(m.Monitoring) != 4 {
		t.Fatalf("%d monitored documents, want 4", len(m.Monitoring))
	}
	for _, mon := range m.Monitoring {
		if mon.Checks != 3 {
			t.Errorf("%s: %d checks, want 3", mon.URL, mon.Checks)
		}
		if strings.HasSuffix(mon.URL, "/acme/terms") {
			if mon.Failures != 3 || mon.Reasons != "blocked ×3" || mon.FirstHash != "" {
				t.Errorf("blocked document: %+v", mon)
			}
		} else if mon.Failures != 0 || mon.FirstHash == "" || mon.LastHash == "" || mon.FirstHash == mon.LastHash {
			t.Errorf("healthy document: failures %d first %q last %q", mon.Failures, mon.FirstHash, mon.LastHash)
		}
	}
	// Peers: Northwind Chat and Pixel Snap both engage ai-training.
	found := false
	for _, c := range m.Changes {
		for _, p := range c.Peers {
			if p.Platform == c.PlatformName {
				t.Errorf("change %d compares with its own platform", c.ID)
			}
			found = true
		}
	}
	if !found {
		t.Error("no change notes how other platforms' changes engage its categories")
	}
	// Comparables: quotes from other platforms' latest archived documents.
	quoted := false
	for _, c := range m.Changes {
		for _, cm := range c.Comparables {
			if cm.PlatformSlug == c.PlatformSlug || cm.VersionID == 0 || len(cm.SHA256) != 64 {
				t.Errorf("change %d: comparable %+v", c.ID, cm)
			}
			quoted = quoted || len(cm.Excerpts) > 0
		}
	}
	if !quoted {
		t.Error("no change quotes how other tracked platforms handle its categories")
	}
	if len(m.Audit) == 0 || !m.AuditVerified || m.AuditEntries != len(m.Audit) {
		t.Errorf("audit: %d in period, %d verified, ok %v", len(m.Audit), m.AuditEntries, m.AuditVerified)
	}
	for _, c := range m.Changes {
		if c.View == nil || len(c.View.Passages) == 0 || c.DocumentURL == "" {
			t.Fatalf("change %d: view %v, url %q", c.ID, c.View, c.DocumentURL)
		}
		if len(c.View.Findings) != len(c.Record.Findings) {
			t.Errorf("change %d: %d findings in the view, %d in the record", c.ID, len(c.View.Findings), len(c.Record.Findings))
		}
		for _, f := range c.View.Findings {
			if f.CategoryName == f.Category {
				t.Errorf("change %d: finding shows the category id %q, not its name", c.ID, f.Category)
			}
			if len(f.After) == 0 && len(f.Before) == 0 {
				t.Errorf("change %d: finding %s has no evidence sentence", c.ID, f.Category)
			}
		}
	}
}

func TestBuildFilter(t *testing.T) {
	fx := newFixture(t)
	ctx := context.Background()
	m := build(t, fx.svc, Filter{Platforms: []string{"lakeside-forum"}}, Options{})
	if len(m.Changes) != 1 || m.Changes[0].PlatformSlug != "lakeside-forum" || len(m.Monitoring) != 1 || len(m.Evidence) != 2 {
		t.Errorf("platform filter: %d changes, %d monitored, %d evidence", len(m.Changes), len(m.Monitoring), len(m.Evidence))
	}
	if m = build(t, fx.svc, Filter{Jurisdictions: []string{"JP"}}, Options{}); len(m.Changes) != 0 {
		t.Errorf("JP is not in the profile, yet %d changes engage it", len(m.Changes))
	}
	if m = build(t, fx.svc, Filter{Jurisdictions: []string{"EU"}}, Options{}); len(m.Changes) != 3 {
		t.Errorf("EU filter kept %d changes, want 3", len(m.Changes))
	}
	if m = build(t, fx.svc, Filter{Since: time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)}, Options{}); len(m.Changes) != 0 ||
		m.Totals.Checks != 4 || m.Period != "from 2025-03-11" {
		t.Errorf("since filter: %d changes, %d checks, period %q", len(m.Changes), m.Totals.Checks, m.Period)
	}
	m = build(t, fx.svc, Filter{Since: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}, Options{})
	if m.Period != "2025-03-01 to 2025-03-31" || len(m.Changes) != 3 {
		t.Errorf("period %q, %d changes", m.Period, len(m.Changes))
	}
	for _, bad := range []Filter{
		{Platforms: []string{"no-such-platform"}},
		{Jurisdictions: []string{"XX"}},
		{MinExposure: "severe"},
		{Since: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := Build(ctx, fx.svc, bad, Options{}); err == nil {
			t.Errorf("filter %+v accepted", bad)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Build(cancelled, fx.svc, Filter{}, Options{}); err == nil {
		t.Error("build with a cancelled context succeeded")
	}
}

func TestDeterministicDate(t *testing.T) {
	fx := newFixture(t)
	a := build(t, fx.svc, Filter{}, Options{Deterministic: true})
	b := build(t, fx.svc, Filter{}, Options{Deterministic: true})
	if !a.GeneratedAt.Equal(b.GeneratedAt) || a.GeneratedAt.IsZero() {
		t.Errorf("deterministic report dates %v and %v", a.GeneratedAt, b.GeneratedAt)
	}
}

func TestExcerptsOption(t *testing.T) {
	fx := newFixture(t)
	if m := build(t, fx.svc, Filter{}, Options{}); m.Excerpts != ExcerptsFlagged {
		t.Errorf("default excerpts = %q, want flagged", m.Excerpts)
	}
	if m := build(t, fx.svc, Filter{}, Options{Excerpts: ExcerptsAll}); m.Excerpts != ExcerptsAll {
		t.Errorf("excerpts = %q, want all", m.Excerpts)
	}
}
