package tracker_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"

	"policywatch/tracker"
	"policywatch/tracker/sqlite"
)

const siteFooter = `<footer>
	<a href="/legal/privacy">Privacy Policy</a> · <a href="/legal/terms">Terms of Service</a>
	<a href="/legal/cookies">Cookie Policy</a> · <a href="/legal/ai-terms">Generative AI Terms</a>
	<a href="https://partners.example.net/dpa.pdf">Data Processing Addendum</a>
	<a href="/privacy-choices">Your Privacy Choices</a> · <a href="/careers">Careers</a>
	<a href="/legal/community-guidelines"><img alt=""></a>
</footer>`

// A site's governance documents are found from its rel links, its footer
// and other links named like them, in one look at its home page; a page
// built by scripts is looked at in the browser; found documents are added
// in one step.
func TestDiscoverFindsASitesDocuments(t *testing.T) {
	ctx := context.Background()
	svc, _ := newTestService(t)
	s, srv := newSite(t)
	s.html("/", `<html><head><title>Acme Cloud – Home</title><link rel="privacy-policy" href="/privacy-notice">
		<link rel="terms-of-service" href="/legal/terms"></head><body><main><h1>Acme Cloud</h1>
		<p>Read our <a href="/legal/acceptable-use">acceptable use policy</a>.</p></main>`+siteFooter+`</body></html>`)
	s.html("/js", `<html><head><title>Script Co</title></head><body><div id="root"></div><script>
		document.getElementById('root').innerHTML = '<footer><a href="/p">Privacy</a> <a href="/t">Terms</a></footer>';
	</script></body></html>`)
	d, err := svc.Discover(ctx, srv.URL+"/")
	if err != nil {
		t.Fatal(err)
	}
	if d.Platform != "Acme Cloud" || d.CapturedWith != tracker.RenderHTTP {
		t.Errorf("discovery: platform %q via %s", d.Platform, d.CapturedWith)
	}
	want := map[string]string{ // url → kind, source
		srv.URL + "/privacy-notice":            "privacy-policy rel",
		srv.URL + "/legal/privacy":             "privacy-policy footer",
		srv.URL + "/legal/terms":               "terms-of-service rel",
		srv.URL + "/legal/cookies":             "cookie-policy footer",
		srv.URL + "/legal/ai-terms":            "ai-terms footer",
		"https://partners.example.net/dpa.pdf": "data-processing-agreement footer",
		srv.URL + "/legal/acceptable-use":      "acceptable-use-policy link",
	}
	got := map[string]string{}
	best := map[string]string{}
	for _, doc := range d.Documents {
		got[doc.URL] = doc.Kind + " " + doc.Source
		if doc.Best {
			best[doc.Kind] = doc.URL
		}
	}
	for u, w := range want {
		if got[u] != w {
			t.Errorf("%s: got %q, want %q", u, got[u], w)
		}
	}
	for _, u := range []string{srv.URL + "/privacy-choices", srv.URL + "/careers"} {
		if _, ok := got[u]; ok {
			t.Errorf("%s is not a governance document: %q", u, got[u])
		}
	}
	if got[srv.URL+"/legal/community-guidelines"] != "community-guidelines footer" {
		t.Errorf("an image link is known by its address: %q", got[srv.URL+"/legal/community-guidelines"])
	}
	if best[tracker.KindPrivacyPolicy] != srv.URL+"/privacy-notice" || len(best) != 7 {
		t.Errorf("best of each kind: %v", best)
	}

	// Add the best of each kind in one step; discovering again shows them tracked.
	var add []tracker.DiscoveredDocument
	for _, doc := range d.Documents {
		if doc.Best {
			add = append(add, doc)
		}
	}
	ids, err := svc.AddDiscovered(ctx, d.Platform, add)
	if err != nil || len(ids) != len(add) {
		t.Fatalf("add: %v %v", ids, err)
	}
	again, _ := svc.Discover(ctx, srv.URL+"/")
	for _, doc := range again.Documents {
		if doc.Tracked != doc.Best {
			t.Errorf("%s: tracked %t", doc.URL, doc.Tracked)
		}
	}

	js, err := svc.Discover(ctx, srv.URL+"/js")
	if err != nil || js.CapturedWith != tracker.RenderBrowser || len(js.Documents) != 2 {
		t.Fatalf("script-built footer: %+v %v", js, err)
	}
}

// A site the catalog knows brings the catalog's documents, with their
// selectors and render mode (a catalog of the test's own, on loopback).
func TestDiscoverUsesTheCatalog(t *testing.T) {
	ctx := context.Background()
	s, srv := newSite(t)
	s.html("/", `<html><head><title>Cat</title></head><body><footer><a href="/terms">Terms</a></footer></body></html>`)
	cat, err := tracker.ParseCatalog([]byte(fmt.Sprintf(`{"platforms":[{"slug":"catco","name":"Cat Co","category":"social",
		"documents":[{"kind":"privacy-policy","title":"Privacy","url":%q,"select":"main","render":"browser"}]}]}`, srv.URL+"/privacy")))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := tracker.NewService(ctx, db, cat, tracker.WithBrowser(browser(t)))
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.Discover(ctx, srv.URL+"/")
	if err != nil || d.CatalogSlug != "catco" || d.Platform != "Cat Co" || len(d.Documents) != 2 {
		t.Fatalf("catalog discovery: %+v %v", d, err)
	}
	if doc := d.Documents[0]; doc.Source != tracker.SourceCatalog || doc.Select != "main" || doc.Render != tracker.RenderBrowser || !doc.Best {
		t.Errorf("catalog document: %+v", doc)
	}
	_ = http.StatusOK
}
