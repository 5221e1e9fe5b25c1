package gui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"policywatch/tracker"
)

func TestTrackPlatformFromCatalog(t *testing.T) {
	u, svc := newTestUI(t)
	act(u, u.Start)
	idle(t, u)
	act(u, func() { test.Type(u.platforms.search, "revol") })
	if len(u.platforms.shown) != 1 {
		t.Fatalf("search: %d shown", len(u.platforms.shown))
	}
	act(u, func() { u.platforms.list.Select(0) })
	eventually(t, u, "documents of Revolut", func() bool { return len(u.platforms.docs) > 0 })
	if u.platforms.track.Text != "Track all documents" {
		t.Fatalf("button %q", u.platforms.track.Text)
	}
	act(u, func() { test.Tap(u.platforms.track) })
	eventually(t, u, "tracked", func() bool {
		docs, _ := svc.Documents(context.Background(), "revolut")
		return len(docs) > 0 && docs[0].Tracked
	})
	if !auditHas(t, svc, "platform.track", "document") {
		t.Error("tracking was not audit-logged")
	}
	eventually(t, u, "untrack button", func() bool { return u.platforms.track.Text == "Untrack all" })
	if !strings.Contains(u.platforms.facts.Text, "Revolut") && u.platforms.name.Text != "Revolut" {
		t.Errorf("platform header %q", u.platforms.name.Text)
	}
}

func TestAddCustomDocumentWithPreview(t *testing.T) {
	p, srv := policyServer(t)
	_ = p
	u, svc := newTestUI(t)
	act(u, u.Start)
	idle(t, u)
	act(u, u.platforms.onAddDocument)
	f := u.platforms.addForm
	if f == nil {
		t.Fatal("no form")
	}
	act(u, func() {
		test.Type(f.platform, "Example Corp")
		test.Type(f.url, srv.URL+"/privacy")
		test.Type(f.removeCSS, ".cookie")
		test.Tap(f.previewBtn)
	})
	eventually(t, u, "preview", func() bool { return f.preview.Text != "" })
	if !strings.Contains(f.preview.Text, "We do not sell your personal information") {
		t.Fatalf("preview text: %q", f.preview.Text)
	}
	if strings.Contains(f.preview.Text, "cookies banner") {
		t.Errorf("the remove selector was not applied: %q", f.preview.Text)
	}
	if !strings.Contains(f.status.Text, "HTTP 200") {
		t.Errorf("status %q", f.status.Text)
	}
	// A selector that matches nothing is explained, not shown as text.
	act(u, func() {
		f.selectCSS.SetText("#nothing-here")
		test.Tap(f.previewBtn)
	})
	eventually(t, u, "selector advice", func() bool { return strings.HasPrefix(f.status.Text, "No preview:") })
	act(u, func() {
		f.selectCSS.SetText("main")
		f.preview.SetText("")
		test.Tap(f.previewBtn)
	})
	eventually(t, u, "preview with main", func() bool { return f.preview.Text != "" })
	previewed := f.preview.Text
	act(u, func() {
		f.render.SetSelectedIndex(1) // HTTP only
		test.Tap(f.saveBtn)
	})
	idle(t, u)
	docs, err := svc.Documents(context.Background(), "example-corp")
	if err != nil || len(docs) != 1 || !docs[0].Tracked || docs[0].Select != "main" || docs[0].Remove != ".cookie" || docs[0].Render != tracker.RenderHTTP {
		t.Fatalf("saved document: %+v %v", docs, err)
	}
	// The preview is what a check archives, byte for byte.
	if sum, err := svc.Check(context.Background(), tracker.CheckOptions{DocumentIDs: []int64{docs[0].ID}}); err != nil || sum.Changed != 1 {
		t.Fatalf("check: %+v %v", sum, err)
	}
	h, _ := svc.DocumentHistory(context.Background(), docs[0].ID)
	v, err := svc.Version(context.Background(), h.Versions[0].ID)
	if err != nil || v.Text != previewed {
		t.Fatalf("the check archived other text than the preview showed:\npreview  %q\narchived %q", previewed, v.Text)
	}
	// Bad input is refused with advice, before any request.
	act(u, u.platforms.onAddDocument)
	g := u.platforms.addForm
	act(u, func() {
		test.Type(g.platform, "X")
		test.Type(g.url, "not a url")
	})
	if _, err := g.fields(); err == nil {
		t.Fatal("a malformed URL was accepted")
	}
}

func TestCheckNowRecordsChangeAndHistory(t *testing.T) {
	p, srv := policyServer(t)
	u, svc := newTestUI(t)
	ctx := context.Background()
	id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Example Corp", URL: srv.URL + "/privacy", Kind: tracker.KindPrivacyPolicy})
	if err != nil {
		t.Fatal(err)
	}
	act(u, u.Start)
	idle(t, u)
	act(u, func() { test.Tap(u.status.check) })
	eventually(t, u, "first check", func() bool { return !u.checker.running() })
	if !strings.Contains(u.status.label.Text, "1 of 1 documents checked — 1 changed") {
		t.Fatalf("status after first check: %q", u.status.label.Text)
	}
	p.set(policyAfter...)
	if err := svc.SetDesktopAlerts(ctx, tracker.ExposureLow); err != nil {
		t.Fatal(err)
	}
	// The new change raises one desktop notification (threshold: low),
	// delivered by the service's desktop alert channel.
	want := &fyne.Notification{}
	test.AssertNotificationSent(t, want, func() {
		act(u, u.onCheckNow)
		eventually(t, u, "second check", func() bool { return !u.checker.running() })
		list, _ := svc.Changes(ctx, tracker.ChangeFilter{})
		if len(list) == 1 {
			want.Title = "PolicyWatch: Example Corp privacy policy changed (" + list[0].Exposure + " exposure)"
			want.Content = "Example Corp privacy policy (" + list[0].Exposure + ")"
		}
	})
	eventually(t, u, "change in the list", func() bool { return len(u.changes.changes) == 1 })
	c := u.changes.changes[0]
	if c.DocumentID != id || !c.Substantive {
		t.Fatalf("change %+v", c)
	}
	if len(u.dashboard.changes) != 1 || u.dashboard.figures["Changes"].Text != "1" {
		t.Errorf("dashboard: %d recent, figure %q", len(u.dashboard.changes), u.dashboard.figures["Changes"].Text)
	}
	// The document's history lists both versions and a failure with its reason.
	p.set("too short")
	act(u, u.onCheckNow)
	eventually(t, u, "failing check", func() bool { return !u.checker.running() })
	act(u, func() {
		u.tabs.SelectIndex(tabPlatforms)
		u.platforms.search.SetText("example")
	})
	eventually(t, u, "platform shown", func() bool { return len(u.platforms.shown) == 1 })
	act(u, func() { u.platforms.list.Select(0) })
	eventually(t, u, "documents", func() bool { return len(u.platforms.docs) == 1 })
	act(u, func() { u.platforms.docList.Select(0) })
	eventually(t, u, "history", func() bool { return strings.Contains(diffText(u.platforms.history.Segments), "History:") })
	h := diffText(u.platforms.history.Segments)
	if strings.Count(h, "VERSION") != 2 || !strings.Contains(h, "FAILED check failed: empty") {
		t.Fatalf("history:\n%s", h)
	}
	if !strings.Contains(u.dashboard.failures.Text, "failed their last check") {
		t.Errorf("dashboard failures %q", u.dashboard.failures.Text)
	}
}

// A document whose page churns says so above its history, with the
// selector to add.
func TestHistoryShowsChurn(t *testing.T) {
	h := tracker.History{Document: tracker.DocumentSummary{Document: tracker.Document{ID: 3,
		Churn: &tracker.ChurnNote{Spans: []string{"Request reference 4f2a"}, SuggestRemove: "#req"}}}}
	var text strings.Builder
	for _, seg := range historySegments(h) {
		text.WriteString(seg.Textual())
	}
	if !strings.Contains(text.String(), "changes on every request (Request reference 4f2a)") || !strings.Contains(text.String(), "“#req”") {
		t.Fatalf("history: %q", text.String())
	}
}

// Discover a site's documents from its address and add them in one step.
func TestDiscoverAndAddInOneStep(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>Gadget Inc – Home</title><link rel="privacy-policy" href="/privacy"></head>
			<body><p>Hi</p><footer><a href="/terms">Terms of Service</a> <a href="/cookies">Cookies</a> <a href="/about">About</a></footer></body></html>`)
	}))
	defer srv.Close()
	u, svc := newTestUI(t)
	act(u, u.Start)
	idle(t, u)
	act(u, u.platforms.onDiscover)
	f := u.platforms.discover
	act(u, func() {
		test.Type(f.site, srv.URL)
		test.Tap(f.findBtn)
	})
	eventually(t, u, "documents found", func() bool { return len(f.checks) == 3 })
	if f.platform.Text != "Gadget Inc" || f.addBtn.Disabled() {
		t.Fatalf("platform %q, add disabled %t", f.platform.Text, f.addBtn.Disabled())
	}
	act(u, func() {
		f.checks[2].SetChecked(false) // leave the cookie policy out
		test.Tap(f.addBtn)
	})
	idle(t, u)
	docs, err := svc.Documents(context.Background(), "gadget-inc")
	if err != nil || len(docs) != 2 || !docs[0].Tracked {
		t.Fatalf("added documents: %+v %v", docs, err)
	}
}
