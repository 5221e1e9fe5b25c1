package tracker_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
	"policywatch/tracker/fetch"
	"policywatch/tracker/sqlite"

	"policywatch/internal/sharedtest"

	"policywatch/internal/testpolicies"
)

// corpusFile reads a file of the shared corpus, or skips the test.
func corpusFile(t testing.TB, rel string) string {
	t.Helper()
	return string(sharedtest.CorpusFile(t, rel))
}

// testPolicy reads a file of the project's own test policies.
func testPolicy(t testing.TB, rel string) string {
	t.Helper()
	text, err := testpolicies.File(rel)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// northwindOld and northwindNew are two versions of a test policy; the
// change adds AI training among other things.
const (
	northwindOld = "Northwind Chat/Privacy Policy/2025-03-03T09-00-00Z.md"
	northwindNew = "Northwind Chat/Privacy Policy/2025-09-01T09-00-00Z.md"
)

func rules(t testing.TB) *analysis.Rules {
	t.Helper()
	r, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// newTestService opens a fresh archive with the built-in catalog and rules,
// a ticking fixed clock and a fast fetcher.
func newTestService(t testing.TB, opts ...tracker.Option) (*tracker.Service, *sqlite.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	clock := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	base := []tracker.Option{tracker.WithActor("tester"), tracker.WithRules(rules(t)),
		tracker.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); clock = clock.Add(time.Second); return clock }),
		tracker.WithFetcher(fetch.New(fetch.Options{Timeout: 2 * time.Second, Retries: 1, BaseBackoff: time.Millisecond, MaxRetryAfter: 10 * time.Millisecond})),
		tracker.WithBrowser(browser(t))}
	svc, err := tracker.NewService(ctx, db, cat, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return svc, db
}

// site serves documents whose bodies the test can swap.
type site struct {
	mu    sync.Mutex
	pages map[string]func(w http.ResponseWriter, r *http.Request)
	hits  atomic.Int64
}

func newSite(t *testing.T) (*site, *httptest.Server) {
	s := &site{pages: map[string]func(http.ResponseWriter, *http.Request){}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		h := s.pages[r.URL.Path]
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *site) html(path, body string) {
	s.set(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	})
}

func (s *site) set(path string, h func(http.ResponseWriter, *http.Request)) {
	s.mu.Lock()
	s.pages[path] = h
	s.mu.Unlock()
}

const threadsOld = "Threads/Privacy Policy/2025-01-25T12-35-14Z.md"
const threadsNew = "Threads/Privacy Policy/2025-05-14T00-34-58Z.md"

func TestCheckArchivesVerifiesAndAnalyses(t *testing.T) {
	t.Run("test policy", func(t *testing.T) {
		checkArchivesVerifiesAndAnalyses(t, "Northwind Chat", testPolicy(t, northwindOld), testPolicy(t, northwindNew), "ai-training")
	})
	t.Run("corpus", func(t *testing.T) {
		// Threads' decoupling of its profiles from Instagram.
		checkArchivesVerifiesAndAnalyses(t, "Threads", corpusFile(t, threadsOld), corpusFile(t, threadsNew), "account-linkage")
	})
}

// checkArchivesVerifiesAndAnalyses checks a document through three checks
// (archived, verified, changed) and the analysis of the change, which must
// engage category.
func checkArchivesVerifiesAndAnalyses(t *testing.T, platform, oldText, newText, category string) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	s.html("/privacy", testpolicies.Page(oldText))
	id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: platform, URL: srv.URL + "/privacy", Kind: "privacy-policy", Select: "main"})
	if err != nil {
		t.Fatal(err)
	}

	sum, err := svc.Check(ctx, tracker.CheckOptions{})
	if err != nil || sum.Checked != 1 || sum.Changed != 1 || len(sum.NewChanges) != 0 {
		t.Fatalf("first check: %+v %v", sum, err)
	}
	// Same text again (the footer's timestamp is outside the selector): a verification event only.
	sum, err = svc.Check(ctx, tracker.CheckOptions{})
	if err != nil || sum.Unchanged != 1 {
		t.Fatalf("second check: %+v %v", sum, err)
	}
	s.html("/privacy", testpolicies.Page(newText))
	sum, err = svc.Check(ctx, tracker.CheckOptions{Platforms: []string{tracker.Slugify(platform)}})
	if err != nil || sum.Changed != 1 || len(sum.NewChanges) != 1 {
		t.Fatalf("third check: %+v %v", sum, err)
	}
	h, err := svc.DocumentHistory(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 2 || len(h.Checks) != 3 || h.Checks[1].Status != tracker.CheckUnchanged {
		t.Fatalf("history: %d versions, checks %+v", len(h.Versions), h.Checks)
	}
	if strings.Contains(mustVersion(t, svc, h.Versions[0].ID).Text, "Jobs") {
		t.Error("navigation outside the selector was archived")
	}
	raw := mustVersion(t, svc, h.Versions[1].ID).Raw
	if !strings.Contains(string(raw), "<main>") {
		t.Error("raw bytes as served were not archived")
	}
	d, err := svc.Change(ctx, sum.NewChanges[0])
	if err != nil {
		t.Fatal(err)
	}
	if !d.Substantive || len(d.Record.Findings) == 0 || len(d.Checklist) == 0 {
		t.Fatalf("change not analysed: substantive=%t findings=%d checklist=%d", d.Substantive, len(d.Record.Findings), len(d.Checklist))
	}
	found := false
	for _, f := range d.Record.Findings {
		found = found || f.Category == category
	}
	if !found {
		t.Errorf("%s's change not flagged as %s: %v", platform, category, d.Categories)
	}
	for _, it := range d.Checklist {
		if it.DueDate == "" || it.Status != tracker.StatusOpen || !strings.Contains(it.EvidenceRef, "sha256") {
			t.Errorf("checklist item lacks due date, status or evidence: %+v", it.ChecklistItem)
		}
	}
	// Re-analysing keeps checklist items (idempotent) and their edits.
	st := tracker.StatusDone
	if _, err := svc.UpdateChecklistItem(ctx, d.Checklist[0].ID, tracker.ChecklistUpdate{Status: &st}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Reanalyse(ctx, nil); err != nil {
		t.Fatal(err)
	}
	again, _ := svc.Change(ctx, d.ID)
	if len(again.Checklist) != len(d.Checklist) || again.Checklist[0].Status != tracker.StatusDone {
		t.Errorf("re-analysis changed the checklist: %d → %d items", len(d.Checklist), len(again.Checklist))
	}
}

func mustVersion(t *testing.T, svc *tracker.Service, id int64) tracker.Version {
	t.Helper()
	v, err := svc.Version(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCheckFailuresAreNeverVersions(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	policy := testpolicies.Page(testPolicy(t, northwindOld))
	s.html("/wall", `<html><head><title>Just a moment...</title></head><body>Checking your browser before accessing. Enable JavaScript and cookies to continue.<div id="cf-challenge"></div></body></html>`)
	s.set("/forbidden", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "Access denied", http.StatusForbidden) })
	s.html("/shell", `<html><head><script src="/app.js"></script></head><body><div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>`)
	s.html("/nosel", policy)
	s.set("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	s.set("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	cases := map[string]struct{ path, sel, reason string }{
		"bot wall":      {"/wall", "", "blocked"},
		"403":           {"/forbidden", "", "blocked"},
		"js shell":      {"/shell", "", "empty"},
		"selector miss": {"/nosel", "#policy-body", "selector-missing"},
		"http status":   {"/gone", "", "http-status"},
		"redirect loop": {"/loop", "", "redirect-loop"},
	}
	ids := map[string]int64{}
	for name, c := range cases {
		id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Site " + name, URL: srv.URL + c.path, Select: c.sel})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = id
	}
	dead, _ := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Dead", URL: "http://127.0.0.1:1/policy"})
	sum, err := svc.Check(ctx, tracker.CheckOptions{Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != len(cases)+1 || sum.Changed != 0 || sum.Checked != len(cases)+1 {
		t.Fatalf("summary %+v", sum)
	}
	docs, _ := svc.Documents(ctx, "")
	byID := map[int64]tracker.DocumentSummary{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	for name, c := range cases {
		d := byID[ids[name]]
		if d.Versions != 0 || d.LastCheck == nil || d.LastCheck.Status != tracker.CheckFailed || d.LastCheck.Reason != c.reason {
			t.Errorf("%s: versions %d, last check %+v (want reason %s)", name, d.Versions, d.LastCheck, c.reason)
		}
	}
	if d := byID[dead]; d.LastCheck == nil || d.LastCheck.Reason != "network" {
		t.Errorf("unreachable host: %+v", d.LastCheck)
	}
	if n, _ := svc.CountChanges(ctx, tracker.ChangeFilter{}); n != 0 {
		t.Errorf("failures produced %d changes", n)
	}
}

func TestCheckRefusesShrunkPage(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	long := testPolicy(t, northwindOld) + testPolicy(t, "Lakeside Forum/Privacy Policy/2025-04-01T10-30-00Z.md") +
		testPolicy(t, "Pixel Snap/Privacy Policy/2025-04-08T18-00-00Z.md")
	s.html("/p", testpolicies.Page(long))
	id, _ := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Shrinky", URL: srv.URL + "/p", Select: "main"})
	if _, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	// A page that now renders only its first section (partial load).
	s.html("/p", testpolicies.Page("# Privacy Policy\n\n"+strings.Repeat("This policy explains what information we collect and how we use it. ", 8)))
	sum, err := svc.Check(ctx, tracker.CheckOptions{})
	if err != nil || sum.Failed != 1 {
		t.Fatalf("shrunk page: %+v %v", sum, err)
	}
	h, _ := svc.DocumentHistory(ctx, id)
	if len(h.Versions) != 1 || h.Checks[1].Reason != tracker.ReasonShrunk {
		t.Fatalf("shrunk page archived or misreported: %d versions, %+v", len(h.Versions), h.Checks[1])
	}
}

func TestCheckConditionalAndRetry(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	body := testpolicies.Page(testPolicy(t, northwindOld))
	var calls atomic.Int64
	s.set("/etag", func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, body)
	})
	id, _ := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Etag", URL: srv.URL + "/etag", Select: "main"})
	if sum, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil || sum.Changed != 1 {
		t.Fatalf("429 then 200: %+v %v", sum, err)
	}
	if sum, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil || sum.Unchanged != 1 {
		t.Fatalf("304: %+v %v", sum, err)
	}
	h, _ := svc.DocumentHistory(ctx, id)
	if len(h.Versions) != 1 || h.Checks[1].VersionID != h.Versions[0].ID {
		t.Fatalf("conditional GET: %+v", h.Checks)
	}
}

func TestCheckCancelRecordsNothingFalse(t *testing.T) {
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	release := make(chan struct{})
	s.set("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	for i := 0; i < 3; i++ {
		if _, err := svc.AddDocument(context.Background(), tracker.NewDocument{PlatformName: fmt.Sprint("Slow ", i), URL: fmt.Sprintf("%s/slow?%d", srv.URL, i)}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for s.hits.Load() < 2 { // the fetcher allows two requests per host at once
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	sum, err := svc.Check(ctx, tracker.CheckOptions{Concurrency: 3})
	if err != nil || !sum.Cancelled || sum.Checked != 0 {
		t.Fatalf("cancelled check: %+v %v", sum, err)
	}
	docs, _ := svc.Documents(context.Background(), "")
	for _, d := range docs {
		if d.LastCheck != nil {
			t.Errorf("a cancelled fetch was recorded as a check: %+v", d.LastCheck)
		}
	}
}

func TestCheckSkipsExtractionOfIdenticalBytes(t *testing.T) {
	ctx := context.Background()
	svc, db := newTestService(t)
	s, srv := newSite(t)
	body := testpolicies.Page(testPolicy(t, northwindOld))
	s.set("/static", func(w http.ResponseWriter, r *http.Request) { // no ETag, no Last-Modified
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, body)
	})
	id, _ := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Static", URL: srv.URL + "/static", Select: "main"})
	if sum, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil || sum.Changed != 1 {
		t.Fatalf("first check: %+v %v", sum, err)
	}
	// Behind the service's back, give the document a selector that matches
	// nothing: identical bytes must be recognised without extracting again.
	err := db.Update(ctx, func(tx tracker.Tx) error {
		d, err := tx.DocumentByID(id)
		if err != nil {
			return err
		}
		if d.RawSHA256 == "" {
			t.Error("the raw-bytes digest of the fetch was not stored")
		}
		d.Select = "#nowhere"
		return tx.UpdateDocument(d)
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := svc.Check(ctx, tracker.CheckOptions{}); err != nil || sum.Unchanged != 1 {
		t.Fatalf("identical bytes: %+v %v", sum, err)
	}
	// Changing the selectors through the service forgets the digest, so the
	// next check extracts with them (and here finds nothing).
	if err := svc.UpdateSelectors(ctx, id, "#nowhere", ""); err != nil {
		t.Fatal(err)
	}
	sum, err := svc.Check(ctx, tracker.CheckOptions{})
	if err != nil || sum.Failed != 1 {
		t.Fatalf("after a selector change: %+v %v", sum, err)
	}
	h, _ := svc.DocumentHistory(ctx, id)
	if last := h.Checks[len(h.Checks)-1]; last.Reason != "selector-missing" || len(h.Versions) != 1 {
		t.Fatalf("after a selector change: %+v, %d versions", last, len(h.Versions))
	}
}

// An invalid select or remove setting is refused when it is saved, with
// nothing changed, rather than failing at the next check.
func TestInvalidSelectorsAreRefusedOnSave(t *testing.T) {
	ctx := context.Background()
	svc, db := newTestService(t)
	if _, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Acme", URL: "https://acme.example/privacy", Select: "main[", Kind: "privacy-policy"}); err == nil {
		t.Fatal("AddDocument accepted the select setting \"main[\"")
	}
	id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Acme", URL: "https://acme.example/privacy", Select: "main", Kind: "privacy-policy"})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][2]string{{"div >", ""}, {"main", `{"startBefore": "h1"`}} {
		if err := svc.UpdateSelectors(ctx, id, bad[0], bad[1]); err == nil || !strings.Contains(err.Error(), "select") && !strings.Contains(err.Error(), "remove") {
			t.Errorf("UpdateSelectors(%q, %q) = %v, want an error naming the setting", bad[0], bad[1], err)
		}
	}
	if err := svc.UpdateSelectors(ctx, id, `main, {"startBefore": "h1", "endBefore": "footer"}`, "nav"); err != nil {
		t.Errorf("a valid range selector was refused: %v", err)
	}
	err = db.View(ctx, func(tx tracker.Tx) error {
		d, err := tx.DocumentByID(id)
		if err == nil && d.Remove != "nav" {
			t.Errorf("saved remove = %q, want nav", d.Remove)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
