package extract_test

import (
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"

	"policywatch/tracker/extract"
	"policywatch/tracker/fetch"
)

// The capture pipeline as a check runs it: fetch over HTTP, then extract.
// Every failure must come out as a recorded reason, never as a version.

const policyBody = `<h1>Example Terms of Service</h1><p>Last updated: March 3, 2025</p>
<p>These terms govern your access to and use of the service. By using the service you agree to be bound by them.
If you do not agree, do not use the service. We may change these terms; we will tell you before changes take effect.</p>
<h2>Your content</h2><p>You keep ownership of your content. You grant us a licence to host, store and display it in order to run the service.</p>`

func pipelineServer(t *testing.T) *httptest.Server {
	t.Helper()
	page := func(main string) string {
		return `<!DOCTYPE html><html><head><title>Example</title><script>var analytics = 1;</script></head><body>
<nav><a href="/">Home</a><a href="/jobs">Jobs at Example</a></nav><main class="legal">` + main +
			`</main><footer>Copyright Example Corp. Cookie settings.</footer></body></html>`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page(policyBody)))
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte(page(policyBody)))
		zw.Close()
	})
	mux.HandleFunc("/cp1252", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		w.Write([]byte(page(strings.ReplaceAll(policyBody, "Example", "Caf\xe9 \x93Example\x94"))))
	})
	mux.HandleFunc("/wall403", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>`))
	})
	mux.HandleFunc("/wall200", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={}</script>Enable JavaScript and cookies to continue</body></html>`))
	})
	mux.HandleFunc("/react", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html><head><title>Example</title><script src="/static/js/main.4f2a.js"></script>` +
			`<script>` + strings.Repeat("!function(e){var t={};}([]);", 400) + `</script></head><body>` +
			`<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>`))
	})
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		pdf := gofpdf.New("P", "mm", "A4", "")
		pdf.AddPage()
		pdf.SetFont("Helvetica", "", 11)
		pdf.MultiCell(0, 5, "Effective date: 2025-02-01. This Data Processing Addendum applies when we process personal data on your behalf as a processor. "+
			"We process it only on your documented instructions and keep it confidential, secure and deleted at the end of the services.", "", "L", false)
		w.Header().Set("Content-Type", "application/pdf")
		pdf.Output(w)
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})
	return httptest.NewServer(mux)
}

func TestPipeline(t *testing.T) {
	srv := pipelineServer(t)
	defer srv.Close()
	f := fetch.New(fetch.Options{Timeout: 5 * time.Second, BaseBackoff: time.Millisecond})

	cases := []struct {
		path, sel, remove string
		fetchReason       string // failure in fetch
		extractReason     string // failure in extract
		js                bool
		want              []string // in the text
		notWant           []string
	}{
		{path: "/ok", sel: "main.legal", want: []string{"# Example Terms of Service", "## Your content", "You keep ownership"},
			notWant: []string{"Jobs at Example", "Copyright", "analytics"}},
		{path: "/ok", sel: "", want: []string{"## Your content"}, notWant: []string{"Jobs at Example", "Cookie settings"}},
		{path: "/gzip", sel: "main", want: []string{"You keep ownership"}},
		{path: "/cp1252", sel: "main", want: []string{`# Café "Example" Terms of Service`}},
		{path: "/ok", sel: "#terms-body", extractReason: extract.ReasonSelectorMissing},
		// Open Terms Archive range selectors.
		{path: "/ok", sel: `{"startBefore": "h1", "endAfter": "main > p:last-child"}`, want: []string{"# Example Terms of Service", "You keep ownership"},
			notWant: []string{"Jobs at Example", "Copyright"}},
		{path: "/gzip", sel: "main", remove: `{"startBefore": "h2", "endAfter": "h2"}`, want: []string{"# Example Terms of Service", "You keep ownership"},
			notWant: []string{"## Your content"}},
		{path: "/ok", sel: `{"startBefore": "h1", "endAfter": "#terms-end"}`, extractReason: extract.ReasonSelectorMissing},
		{path: "/wall403", sel: "main", fetchReason: fetch.ReasonBlocked},
		{path: "/wall200", sel: "main", extractReason: extract.ReasonBlocked},
		{path: "/react", sel: "main", extractReason: extract.ReasonEmpty, js: true},
		{path: "/react", sel: "", extractReason: extract.ReasonEmpty, js: true},
		{path: "/pdf", want: []string{"documented instructions"}},
		{path: "/image", extractReason: extract.ReasonUnsupportedType},
	}
	for _, tc := range cases {
		t.Run(strings.TrimPrefix(tc.path, "/")+"/"+tc.sel, func(t *testing.T) {
			resp, err := f.Fetch(context.Background(), fetch.Request{URL: srv.URL + tc.path})
			if tc.fetchReason != "" {
				var fe *fetch.Error
				if !errors.As(err, &fe) || fe.Reason != tc.fetchReason {
					t.Fatalf("fetch: want %s, got %v", tc.fetchReason, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			res, err := extract.Extract(resp.Body, resp.ContentType, tc.sel, tc.remove)
			if tc.extractReason != "" {
				var xe *extract.Error
				if !errors.As(err, &xe) || xe.Reason != tc.extractReason || xe.JavaScript != tc.js {
					t.Fatalf("extract: want %s (js %v), got %#v", tc.extractReason, tc.js, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, res.Text)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(res.Text, w) {
					t.Errorf("text has noise %q:\n%s", w, res.Text)
				}
			}
			if res.StatedDate == "" || len(extract.Hash(res.Text)) != 64 {
				t.Errorf("stated date %q, hash %q", res.StatedDate, extract.Hash(res.Text))
			}
		})
	}

	// Same page twice: same hash; gzip and plain transfer give the same text.
	a, _ := f.Fetch(context.Background(), fetch.Request{URL: srv.URL + "/ok"})
	b, _ := f.Fetch(context.Background(), fetch.Request{URL: srv.URL + "/gzip"})
	ra, err1 := extract.Extract(a.Body, a.ContentType, "main", "")
	rb, err2 := extract.Extract(b.Body, b.ContentType, "main", "")
	if err1 != nil || err2 != nil || extract.Hash(ra.Text) != extract.Hash(rb.Text) {
		t.Errorf("same content, different hashes (%v, %v)", err1, err2)
	}
}
