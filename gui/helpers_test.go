package gui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"policywatch/internal/builtintest"
	"policywatch/tracker"
	"policywatch/tracker/fetch"
	"policywatch/tracker/sqlite"
)

// newTestUI builds the main window on a fresh archive with the test driver
// and the built-in rules; opts are extra service options.
func newTestUI(t *testing.T, opts ...tracker.Option) (*UI, *tracker.Service) {
	t.Helper()
	test.NewTempApp(t)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gui.db"))
	if err != nil {
		t.Fatal(err)
	}
	cat, rules := builtintest.Load(t)
	opts = append([]tracker.Option{tracker.WithActor("tester"), tracker.WithRules(rules), tracker.WithVersion("test")}, opts...)
	svc, err := tracker.NewService(ctx, db, cat, opts...)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	u := NewUI(svc, w, Options{Version: "test", RulesPath: filepath.Join(t.TempDir(), "rules.json"), NoOnboarding: true})
	act(u, func() { w.SetContent(u.Build()) })
	t.Cleanup(func() {
		u.cancel()
		u.WaitIdle(10 * time.Second)
		db.Close()
	})
	return u, svc
}

// act runs a user action as the UI goroutine would: no task callback runs
// at the same time.
func act(u *UI, fn func()) {
	uiMu.Lock()
	defer uiMu.Unlock()
	fn()
}

// idle waits for every background task to finish.
func idle(t *testing.T, u *UI) {
	t.Helper()
	if !u.WaitIdle(20 * time.Second) {
		t.Fatal("background tasks did not finish within 20 s")
	}
}

// eventually waits for the UI to go idle until cond holds, or fails.
func eventually(t *testing.T, u *UI, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		idle(t, u)
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// page is a mutable HTML document served by an httptest server.
type page struct {
	mu   sync.Mutex
	body string
}

func (p *page) set(paragraphs ...string) {
	var b strings.Builder
	b.WriteString("<html><head><title>Privacy Policy</title></head><body><nav>Menu Home About</nav><main><h1>Privacy Policy</h1>")
	for _, para := range paragraphs {
		fmt.Fprintf(&b, "<p>%s</p>", para)
	}
	b.WriteString("</main><div class=\"cookie\">We use cookies banner</div></body></html>")
	p.mu.Lock()
	p.body = b.String()
	p.mu.Unlock()
}

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	body := p.body
	p.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

// Texts of a policy before and after a substantive change.
var (
	policyBefore = []string{
		"This policy explains how Example Corp collects, uses and shares personal information when you use our services and websites around the world.",
		"We collect the information you give us, such as your name, email address and payment details, and information about how you use the service.",
		"We do not sell your personal information to third parties, and we do not use your content to train artificial intelligence models.",
		"You can access, correct or delete your personal information at any time from your account settings or by contacting our privacy team.",
		"We keep personal information for as long as your account is open and for thirty days after you close it, unless the law requires longer.",
	}
	policyAfter = []string{
		"This policy explains how Example Corp collects, uses and shares personal information when you use our services and websites around the world.",
		"We collect the information you give us, such as your name, email address and payment details, and information about how you use the service.",
		"We may share your personal information with advertising partners, and we use your content and interactions to train our artificial intelligence models.",
		"You can access, correct or delete your personal information at any time from your account settings or by contacting our privacy team.",
		"We keep personal information for as long as necessary for our business purposes, including after you close your account.",
	}
)

// policyServer serves a page that starts with policyBefore.
func policyServer(t *testing.T) (*page, *httptest.Server) {
	t.Helper()
	p := &page{}
	p.set(policyBefore...)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv
}

// fakeFetcher answers every URL with the page's current body (catalog
// documents point at real sites, which tests must not reach).
type fakeFetcher struct{ p *page }

// Fetch returns the page as if served by url.
func (f fakeFetcher) Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	f.p.mu.Lock()
	body := f.p.body
	f.p.mu.Unlock()
	return &fetch.Response{URL: req.URL, Status: 200, Body: []byte(body), ContentType: "text/html; charset=utf-8"}, nil
}

// seedChange archives two versions of a custom document through a real
// check against srv and returns the change's id.
func seedChange(t *testing.T, u *UI, svc *tracker.Service, p *page, srv *httptest.Server, platform string) int64 {
	t.Helper()
	ctx := context.Background()
	p.set(policyBefore...)
	id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: platform, URL: srv.URL + "/" + tracker.Slugify(platform),
		Kind: tracker.KindPrivacyPolicy, Select: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Check(ctx, tracker.CheckOptions{DocumentIDs: []int64{id}}); err != nil {
		t.Fatal(err)
	}
	p.set(policyAfter...)
	sum, err := svc.Check(ctx, tracker.CheckOptions{DocumentIDs: []int64{id}})
	if err != nil || len(sum.NewChanges) != 1 {
		t.Fatalf("seed change: %+v %v", sum, err)
	}
	return sum.NewChanges[0]
}

// auditHas reports whether the audit log has an entry with action whose
// detail contains detail.
func auditHas(t *testing.T, svc *tracker.Service, action, detail string) bool {
	t.Helper()
	entries, err := svc.AuditLog(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == action && strings.Contains(e.Detail, detail) {
			return true
		}
	}
	return false
}
