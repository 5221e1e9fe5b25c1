package tracker_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"policywatch/tracker"

	"policywatch/internal/testpolicies"
)

// policyParagraphs is a policy as HTML paragraphs, for pages that build it with scripts.
func policyParagraphs(variant string) string {
	return testpolicies.Paragraphs(policyText(10, variant))
}

// jsPage is a client-rendered shell whose script builds the policy.
func jsPage(variant string) string {
	return `<html><head><title>Policy</title></head><body><div id="root"></div><script>
		document.getElementById('root').innerHTML = '<main id="policy">' + ` + "`" + policyParagraphs(variant) + "`" + ` + '</main>';
	</script></body></html>`
}

// Documents whose text exists only after scripts run are captured in the
// browser in auto mode, and refused as empty in http mode.
func TestAutoRendersScriptPagesInTheBrowser(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	s.html("/js", jsPage(noSale))
	var walls atomic.Int32
	s.set("/walled", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("cleared"); err != nil || c.Value != "yes" {
			walls.Add(1)
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<html><head><title>Just a moment...</title></head><body>Checking your browser before accessing the site.
				<script>setTimeout(() => { document.cookie = "cleared=yes; path=/"; location.reload(); }, 300);</script></body></html>`)
			return
		}
		fmt.Fprint(w, testpolicies.Page(policyText(10, noSale)))
	})
	s.set("/delayed", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("part") == "body" {
			fmt.Fprint(w, policyParagraphs(noSale))
			return
		}
		fmt.Fprint(w, `<html><body><nav>Home</nav><main id="policy"><p>Loading…</p></main><script>
			setTimeout(() => fetch('/delayed?part=body').then(r => r.text()).then(t => { document.getElementById('policy').innerHTML = t; }), 600);
		</script></body></html>`)
	})
	add := func(name, path, sel, render string) int64 {
		t.Helper()
		id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: name, URL: srv.URL + path, Kind: tracker.KindPrivacyPolicy, Select: sel, Render: render})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	jsAuto := add("JS auto", "/js", "", "")
	jsHTTP := add("JS http", "/js", "", tracker.RenderHTTP)
	walled := add("Walled", "/walled", "main", "")
	delayed := add("Delayed", "/delayed", "#policy", tracker.RenderBrowser)
	sum, err := svc.Check(ctx, tracker.CheckOptions{})
	if err != nil || sum.Changed != 3 || sum.Failed != 1 {
		t.Fatalf("check: %+v %v", sum, err)
	}
	for _, id := range []int64{jsAuto, walled, delayed} {
		h, _ := svc.DocumentHistory(ctx, id)
		if len(h.Versions) != 1 || h.Versions[0].CapturedWith != tracker.RenderBrowser {
			t.Fatalf("document %d (%s): versions %+v, checks %+v", id, h.Document.URL, h.Versions, h.Checks)
		}
		v := mustVersion(t, svc, h.Versions[0].ID)
		if !strings.Contains(v.Text, noSale) || strings.Contains(v.Text, "Loading") || strings.Contains(v.Text, "Just a moment") {
			t.Errorf("%s: archived text %q", h.Document.URL, v.Text)
		}
	}
	if walls.Load() < 2 { // the HTTP fetch and the browser's first visit
		t.Errorf("the wall was served %d times", walls.Load())
	}
	h, _ := svc.DocumentHistory(ctx, jsHTTP)
	if len(h.Versions) != 0 || h.Checks[0].Reason != "empty" || !strings.Contains(h.Checks[0].Detail, "render mode") {
		t.Fatalf("http mode on a script page: %+v", h.Checks)
	}
	docs, _ := svc.Documents(ctx, "js-http")
	if docs[0].Render != tracker.RenderHTTP {
		t.Errorf("render mode %q", docs[0].Render)
	}

	// Unchanged on the next check (the auto document goes straight to the
	// browser now), and a change made by the script is a change.
	s.html("/js", jsPage(sellData))
	sum, err = svc.Check(ctx, tracker.CheckOptions{DocumentIDs: []int64{jsAuto, walled}})
	if err != nil || sum.Changed != 1 || sum.Unchanged != 1 || len(sum.NewChanges) != 1 {
		t.Fatalf("second check: %+v %v", sum, err)
	}
	d, err := svc.Change(ctx, sum.NewChanges[0])
	if err != nil || !d.Substantive {
		t.Fatalf("the scripted change: %+v %v", d.ChangeSummary, err)
	}

	// The preview renders the same way and shows the text the check archived.
	pv, err := svc.Preview(ctx, tracker.NewDocument{URL: srv.URL + "/js"})
	if err != nil {
		t.Fatal(err)
	}
	h, _ = svc.DocumentHistory(ctx, jsAuto)
	if v := mustVersion(t, svc, h.Versions[len(h.Versions)-1].ID); pv.Text != v.Text || pv.CapturedWith != tracker.RenderBrowser {
		t.Fatalf("preview (%s) and check differ:\n%q\n%q", pv.CapturedWith, pv.Text, v.Text)
	}
}
