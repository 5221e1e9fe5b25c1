package report

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"policywatch/internal/builtintest"
	"policywatch/internal/testpolicies"
	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
	"policywatch/tracker/fetch"
	"policywatch/tracker/sqlite"
)

// Lines injected at the top of the new Northwind Chat version: a would-be
// spreadsheet formula and text the PDF font must carry.
const (
	injectedFormula = "=SUM(A1) We may sell your personal information to advertisers and data brokers."
	injectedUnicode = "Vos données — “quoted” — sont partagées avec nos partenaires."
)

// fixture is a realistic archive: three platforms checked over a month
// through an httptest server serving the project's own test policies
// (internal/testpolicies), so it needs nothing beside the checkout.
type fixture struct {
	svc   *tracker.Service
	dbDir string
	mu    sync.Mutex
	clock time.Time
}

func (fx *fixture) now() time.Time {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	fx.clock = fx.clock.Add(time.Second)
	return fx.clock
}

func (fx *fixture) setDay(t time.Time) {
	fx.mu.Lock()
	fx.clock = t
	fx.mu.Unlock()
}

// injectAfterTitle inserts lines after the document's first line.
func injectAfterTitle(doc string, lines ...string) string {
	first, rest, _ := strings.Cut(doc, "\n")
	return first + "\n\n" + strings.Join(lines, "\n\n") + "\n\n" + rest
}

var (
	fixtureOnce sync.Once
	fixtureDB   string // a template archive copied by each test
	fixtureErr  error
)

// newFixture returns a service over a fresh copy of the fixture archive.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	fixtureOnce.Do(func() { fixtureDB, fixtureErr = buildFixture() })
	if fixtureErr != nil {
		t.Fatalf("build fixture: %v", fixtureErr)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "pw.db")
	b, err := os.ReadFile(fixtureDB)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	fx := &fixture{dbDir: dir, clock: time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)}
	fx.svc = openService(t, path, fx.now)
	return fx
}

func openService(t *testing.T, path string, now func() time.Time) *tracker.Service {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, rules := builtintest.Load(t)
	svc, err := tracker.NewService(ctx, db, cat, tracker.WithRules(rules), tracker.WithClock(now),
		tracker.WithActor("tester"), tracker.WithVersion("1.2.3-test"),
		tracker.WithFetcher(fetch.New(fetch.Options{Retries: -1, Timeout: 10 * time.Second})))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// buildFixture creates the template archive once per test binary.
func buildFixture() (string, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "policywatch-report-fixture-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "pw.db")
	fx := &fixture{clock: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)}
	type doc struct{ old, new string }
	pairs := map[string][3]string{ // path → platform folder, old version, new version
		"/northwind/privacy": {"Northwind Chat", "2025-03-03T09-00-00Z.md", "2025-09-01T09-00-00Z.md"},
		"/lakeside/privacy":  {"Lakeside Forum", "2025-04-01T10-30-00Z.md", "2026-01-15T10-30-00Z.md"},
		"/pixelsnap/privacy": {"Pixel Snap", "2025-04-08T18-00-00Z.md", "2026-08-05T18-00-00Z.md"},
	}
	docs := map[string]doc{}
	for path, p := range pairs {
		old, err := testpolicies.File(p[0] + "/Privacy Policy/" + p[1])
		if err != nil {
			return "", err
		}
		newer, err := testpolicies.File(p[0] + "/Privacy Policy/" + p[2])
		if err != nil {
			return "", err
		}
		if path == "/northwind/privacy" {
			newer = injectAfterTitle(newer, injectedFormula, injectedUnicode)
		}
		docs[path] = doc{old, newer}
	}
	var phase int
	var pmu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/acme/terms" {
			http.Error(w, "Access denied", http.StatusForbidden)
			return
		}
		d, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		pmu.Lock()
		body := d.old
		if phase > 0 {
			body = d.new
		}
		pmu.Unlock()
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		w.Write([]byte(body))
	}))
	defer srv.Close()

	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		return "", err
	}
	rules, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		return "", err
	}
	svc, err := tracker.NewService(ctx, db, cat, tracker.WithRules(rules), tracker.WithClock(fx.now),
		tracker.WithActor("tester"), tracker.WithVersion("1.2.3-test"),
		tracker.WithFetcher(fetch.New(fetch.Options{Retries: -1, Timeout: 10 * time.Second})))
	if err != nil {
		return "", err
	}
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme Données SAS", Jurisdictions: []string{"EU", "UK", "US-CA"},
		Advertises: true, Role: "controller"}); err != nil {
		return "", err
	}
	for _, nd := range []tracker.NewDocument{
		{PlatformName: "Northwind Chat", URL: srv.URL + "/northwind/privacy", Kind: tracker.KindPrivacyPolicy},
		{PlatformName: "Lakeside Forum", URL: srv.URL + "/lakeside/privacy", Kind: tracker.KindPrivacyPolicy},
		{PlatformName: "Pixel Snap", URL: srv.URL + "/pixelsnap/privacy", Kind: tracker.KindPrivacyPolicy},
		{PlatformName: "Acme Chat", URL: srv.URL + "/acme/terms", Kind: tracker.KindTermsOfService},
	} {
		if _, err := svc.AddDocument(ctx, nd); err != nil {
			return "", err
		}
	}
	check := func(day time.Time, p int) error {
		fx.setDay(day)
		pmu.Lock()
		phase = p
		pmu.Unlock()
		sum, err := svc.Check(ctx, tracker.CheckOptions{Concurrency: 1})
		if err != nil {
			return err
		}
		if sum.Checked != 4 {
			return fmt.Errorf("checked %d documents, want 4: %+v", sum.Checked, sum)
		}
		return nil
	}
	if err := check(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC), 0); err != nil {
		return "", err
	}
	if err := check(time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC), 1); err != nil {
		return "", err
	}
	if err := check(time.Date(2025, 3, 11, 9, 0, 0, 0, time.UTC), 1); err != nil {
		return "", err
	}
	items, err := svc.Checklist(ctx, tracker.ChecklistFilter{})
	if err != nil {
		return "", err
	}
	if len(items) < 3 {
		return "", fmt.Errorf("only %d checklist items", len(items))
	}
	fx.setDay(time.Date(2025, 3, 12, 10, 0, 0, 0, time.UTC))
	done, progress, owner, note := tracker.StatusDone, tracker.StatusInProgress, "Zoë Ångström", "=HYPERLINK(\"http://evil\") checked with counsel"
	if _, err := svc.UpdateChecklistItem(ctx, items[0].ID, tracker.ChecklistUpdate{Status: &done, Owner: &owner, Note: &note}); err != nil {
		return "", err
	}
	if _, err := svc.UpdateChecklistItem(ctx, items[1].ID, tracker.ChecklistUpdate{Status: &progress, Owner: &owner}); err != nil {
		return "", err
	}
	changes, err := svc.Changes(ctx, tracker.ChangeFilter{})
	if err != nil {
		return "", err
	}
	if len(changes) != 3 {
		return "", fmt.Errorf("%d changes, want 3", len(changes))
	}
	if err := svc.MarkReviewed(ctx, changes[0].ID); err != nil {
		return "", err
	}
	return path, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dir := os.Getenv("REPORT_KEEP"); dir != "" && fixtureDB != "" { // keep the archive to try the CLI on
		if b, err := os.ReadFile(fixtureDB); err == nil {
			os.WriteFile(filepath.Join(dir, "fixture.db"), b, 0o600)
		}
	}
	if fixtureDB != "" {
		os.RemoveAll(filepath.Dir(fixtureDB))
	}
	os.Exit(code)
}
