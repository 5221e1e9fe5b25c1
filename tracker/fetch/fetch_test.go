package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testOptions keep tests fast: tiny backoff and short timeouts.
func testOptions() Options {
	return Options{
		Timeout:        5 * time.Second,
		ConnectTimeout: 2 * time.Second,
		BaseBackoff:    time.Millisecond,
		MaxRetryAfter:  2 * time.Second,
	}
}

// recordSleeps replaces the fetcher's sleep with one that records waits.
func recordSleeps(f *Fetcher) *[]time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	f.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return &waits
}

func mustFail(t *testing.T, resp *Response, err error, reason string) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got response status %d", reason, resp.Status)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("want *Error with reason %s, got %T: %v", reason, err, err)
	}
	if fe.Reason != reason {
		t.Fatalf("reason = %q, want %q (%v)", fe.Reason, reason, err)
	}
	msg := err.Error()
	if msg != strings.ToLower(msg[:1])+msg[1:] || !strings.Contains(msg, reason) {
		t.Errorf("message not lower-case or lacks reason: %q", msg)
	}
	return fe
}

func TestFetchOK(t *testing.T) {
	var gotUA, gotAccept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 06 Jan 2025 10:00:00 GMT")
		fmt.Fprint(w, "<html><body><main>Café policy</main></body></html>")
	}))
	defer srv.Close()

	resp, err := New(testOptions()).Fetch(context.Background(), Request{URL: srv.URL + "/privacy"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || resp.URL != srv.URL+"/privacy" || resp.ETag != `"v1"` ||
		resp.LastModified != "Mon, 06 Jan 2025 10:00:00 GMT" || resp.Charset != "utf-8" || resp.NotModified {
		t.Errorf("unexpected response %+v", resp)
	}
	if !bytes.Contains(resp.Body, []byte("Café policy")) {
		t.Errorf("body = %q", resp.Body)
	}
	if gotUA != "PolicyWatch/dev (+compliance document monitor)" {
		t.Errorf("User-Agent = %q", gotUA)
	}
	if !strings.Contains(gotAccept, "text/html") {
		t.Errorf("Accept = %q", gotAccept)
	}
	if resp.Duration <= 0 {
		t.Errorf("duration not set")
	}
}

func TestFetchStatuses(t *testing.T) {
	cases := []struct {
		status int
		reason string
	}{
		{http.StatusForbidden, ReasonBlocked},
		{http.StatusUnauthorized, ReasonBlocked},
		{http.StatusNotFound, ReasonHTTPStatus},
		{http.StatusGone, ReasonHTTPStatus},
		{http.StatusInternalServerError, ReasonHTTPStatus},
		{http.StatusTooManyRequests, ReasonBlocked},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(tc.status)
				fmt.Fprint(w, "<html><title>Access Denied</title><body>You don't have permission</body></html>")
			}))
			defer srv.Close()
			f := New(testOptions())
			recordSleeps(f)
			resp, err := f.Fetch(context.Background(), Request{URL: srv.URL})
			fe := mustFail(t, resp, err, tc.reason)
			if fe.Status != tc.status {
				t.Errorf("status = %d, want %d", fe.Status, tc.status)
			}
			wantHits := int32(1)
			if tc.status >= 500 || tc.status == 429 {
				wantHits = DefaultRetries + 1
			}
			if hits.Load() != wantHits {
				t.Errorf("server hit %d times, want %d", hits.Load(), wantHits)
			}
		})
	}
}

func TestRetryAfterThenOK(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()

	// A real wait: Retry-After: 1 is honoured.
	start := time.Now()
	resp, err := New(testOptions()).Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != "ok" || hits.Load() != 2 {
		t.Fatalf("status %d body %q hits %d", resp.Status, resp.Body, hits.Load())
	}
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Errorf("Retry-After: 1 not honoured: retried after %v", elapsed)
	}
}

// Waits between retries are bounded in total by MaxRetryAfter: Retry-After
// is honoured while it fits, and a server asking for a longer wait than is
// left fails the fetch at once (a 503 with Retry-After: 100000 used to hold
// a check for minutes).
func TestRetryAfterCappedAndBackoff(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch hits.Add(1) {
		case 1:
			w.Header().Set("Retry-After", time.Now().Add(30*time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusBadGateway)
		case 3:
			w.Header().Set("Retry-After", "100000")
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	defer srv.Close()
	opts := testOptions()
	opts.BaseBackoff = 100 * time.Millisecond
	opts.MaxRetryAfter = 60 * time.Second
	f := New(opts)
	waits := recordSleeps(f)
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL})
	fe := mustFail(t, resp, err, ReasonHTTPStatus)
	if fe.Status != 503 || hits.Load() != 3 || !strings.Contains(fe.Advice, "asked to wait 27h46m40s") {
		t.Fatalf("after %d hits: %v", hits.Load(), fe)
	}
	w := *waits
	if len(w) != 2 {
		t.Fatalf("waits = %v", w)
	}
	if w[0] < 25*time.Second || w[0] > 30*time.Second {
		t.Errorf("Retry-After date: waited %v, want about 30s", w[0])
	}
	// Second retry: no Retry-After, backoff base<<1 = 200ms plus at most 25 % jitter.
	if w[1] < 200*time.Millisecond || w[1] > 250*time.Millisecond {
		t.Errorf("backoff wait %v, want 200-250ms", w[1])
	}
	// Within the budget, the retries reach the page.
	resp, err = f.Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil || resp.Status != 200 {
		t.Fatalf("fourth hit: %v %v", resp, err)
	}
	// A 429 asking for a wait longer than the budget is blocked, at once.
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv2.Close()
	resp, err = f.Fetch(context.Background(), Request{URL: srv2.URL})
	mustFail(t, resp, err, ReasonBlocked)
	if len(*waits) != 2 {
		t.Errorf("waited for a Retry-After beyond the budget: %v", *waits)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 5, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"5":                             5 * time.Second,
		"-3":                            0,
		"soon":                          0,
		"Sun, 05 Jan 2025 12:00:30 GMT": 30 * time.Second,
		"Sun, 05 Jan 2025 11:00:00 GMT": 0,
	}
	for in, want := range cases {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) })
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/chain/"), "%d", &n)
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/three", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/final", http.StatusFound) })
	mux.HandleFunc("/final", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "final") })
	mux.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := New(testOptions())

	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/a"})
	fe := mustFail(t, resp, err, ReasonRedirectLoop)
	if !strings.Contains(fe.Error(), "loop") {
		t.Errorf("message %q", fe.Error())
	}

	resp, err = f.Fetch(context.Background(), Request{URL: srv.URL + "/chain/0"})
	fe = mustFail(t, resp, err, ReasonRedirectLoop)
	if !strings.Contains(fe.Error(), "more than 10 redirects") {
		t.Errorf("message %q", fe.Error())
	}

	resp, err = f.Fetch(context.Background(), Request{URL: srv.URL + "/file"})
	mustFail(t, resp, err, ReasonBadURL)

	resp, err = f.Fetch(context.Background(), Request{URL: srv.URL + "/three"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.URL != srv.URL+"/final" || string(resp.Body) != "final" {
		t.Errorf("final URL %q body %q", resp.URL, resp.Body)
	}
}

func TestEndlessBodyStopsAtCap(t *testing.T) {
	done := make(chan int64, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := bytes.Repeat([]byte("<p>endless policy text</p>\n"), 1024)
		var written int64
		for {
			n, err := w.Write(chunk)
			written += int64(n)
			if err != nil {
				done <- written
				return
			}
		}
	}))
	defer srv.Close()
	opts := testOptions()
	opts.MaxBytes = 1 << 20
	// A generous timeout: reaching it would make the reason "timeout".
	opts.Timeout = 20 * time.Second
	resp, err := New(opts).Fetch(context.Background(), Request{URL: srv.URL})
	mustFail(t, resp, err, ReasonTooLarge)
	select {
	case written := <-done:
		// The server may have filled socket buffers, but not much more than the cap.
		if written > 64<<20 {
			t.Errorf("server wrote %d bytes before the client hung up", written)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("server still writing: the client did not hang up")
	}
}

func TestContentLengthTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(100<<20))
		w.Write([]byte("short"))
	}))
	defer srv.Close()
	opts := testOptions()
	opts.MaxBytes = 1 << 20
	resp, err := New(opts).Fetch(context.Background(), Request{URL: srv.URL})
	mustFail(t, resp, err, ReasonTooLarge)
}

func TestGzip(t *testing.T) {
	page := strings.Repeat("<p>We process personal data.</p>\n", 200)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte(page))
		zw.Close()
	}))
	defer srv.Close()

	// Default transport: it asks for gzip and decodes it.
	resp, err := New(testOptions()).Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != page {
		t.Errorf("default client: body not decoded (%d bytes)", len(resp.Body))
	}

	// A caller's client with compression disabled: the fetcher decodes it.
	opts := testOptions()
	opts.Client = &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err = New(opts).Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != page {
		t.Errorf("custom client: body not decoded (%d bytes)", len(resp.Body))
	}
}

func TestGzipBombCapped(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zero := make([]byte, 1<<20)
	for range 4 {
		zw.Write(zero)
	}
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(buf.Bytes())
	}))
	defer srv.Close()
	opts := testOptions()
	opts.MaxBytes = 1 << 20
	resp, err := New(opts).Fetch(context.Background(), Request{URL: srv.URL})
	mustFail(t, resp, err, ReasonTooLarge)
}

func TestWindows1252(t *testing.T) {
	// "Café “quoted” text" in windows-1252: é = 0xE9, “ = 0x93, ” = 0x94.
	body := []byte("<html><body><p>Caf\xe9 \x93quoted\x94 text</p></body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/header":
			w.Header().Set("Content-Type", "text/html; charset=windows-1252")
			w.Write(body)
		case "/latin1":
			w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
			w.Write(body)
		case "/meta":
			w.Header().Set("Content-Type", "text/html")
			w.Write(append([]byte(`<meta charset="windows-1252">`), body...))
		case "/mislabelled":
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			w.Write([]byte("<p>Café “quoted” text</p>"))
		}
	}))
	defer srv.Close()
	f := New(testOptions())
	for _, path := range []string{"/header", "/latin1", "/meta", "/mislabelled"} {
		resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		if err != nil {
			t.Fatal(err)
		}
		wantCharset := "windows-1252"
		if path == "/mislabelled" {
			wantCharset = "utf-8"
		}
		if resp.Charset != wantCharset {
			t.Errorf("%s: charset %q, want %q", path, resp.Charset, wantCharset)
		}
		text, name, err := DecodeToUTF8(resp.Body, resp.ContentType)
		if err != nil {
			t.Fatal(err)
		}
		if name != wantCharset || !bytes.Contains(text, []byte("Café “quoted” text")) {
			t.Errorf("%s: decoded %q as %s", path, text, name)
		}
	}
}

func TestDecodeToUTF8(t *testing.T) {
	cases := []struct {
		name, ct string
		in       []byte
		want     string
	}{
		{"bom utf-8", "text/html; charset=windows-1252", []byte("\xef\xbb\xbfna\xc3\xafve"), "naïve"},
		{"utf-16le bom", "", []byte("\xff\xfeh\x00i\x00"), "hi"},
		{"invalid utf-8 declared", "text/plain; charset=utf-8", []byte("a\xffb"), "a\uFFFDb"},
		{"no declaration, latin", "", []byte("caf\xe9"), "café"},
		{"ascii", "text/html; charset=iso-8859-1", []byte("plain"), "plain"},
	}
	for _, tc := range cases {
		got, _, err := DecodeToUTF8(tc.in, tc.ct)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if string(got) != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slowbody" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<p>start"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	opts := testOptions()
	opts.Timeout = 200 * time.Millisecond
	opts.Retries = -1
	f := New(opts)
	for _, path := range []string{"/slowheaders", "/slowbody"} {
		resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
		mustFail(t, resp, err, ReasonTimeout)
	}
}

func TestConditionalGet(t *testing.T) {
	const etag = `"abc123"`
	const lastMod = "Wed, 01 Jan 2025 00:00:00 GMT"
	var conditional atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		fmt.Fprint(w, "<p>policy</p>")
	}))
	defer srv.Close()
	f := New(testOptions())
	first, err := f.Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || first.ETag != etag {
		t.Fatalf("first fetch: %+v", first)
	}
	second, err := f.Fetch(context.Background(), Request{URL: srv.URL, ETag: first.ETag})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Status != 304 || second.Body != nil || second.ETag != etag {
		t.Errorf("second fetch: %+v", second)
	}
	third, err := f.Fetch(context.Background(), Request{URL: srv.URL, LastModified: lastMod})
	if err != nil {
		t.Fatal(err)
	}
	if !third.NotModified || third.LastModified != lastMod {
		t.Errorf("third fetch: %+v", third)
	}
	if conditional.Load() != 2 {
		t.Errorf("conditional requests seen: %d", conditional.Load())
	}
}

func TestBadURL(t *testing.T) {
	f := New(testOptions())
	for _, u := range []string{"ftp://example.com/policy", "file:///etc/passwd", "javascript:alert(1)", "example.com/privacy", "http://", "http://%zz"} {
		resp, err := f.Fetch(context.Background(), Request{URL: u})
		mustFail(t, resp, err, ReasonBadURL)
	}
}

func TestNetworkError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	f := New(testOptions())
	waits := recordSleeps(f)
	resp, err := f.Fetch(context.Background(), Request{URL: "http://" + addr + "/"})
	mustFail(t, resp, err, ReasonNetwork)
	if len(*waits) != DefaultRetries {
		t.Errorf("network errors retried %d times, want %d", len(*waits), DefaultRetries)
	}
}

func TestCancelIsNotAFailure(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := New(testOptions()).Fetch(ctx, Request{URL: srv.URL})
	var fe *Error
	if !errors.Is(err, context.Canceled) || errors.As(err, &fe) {
		t.Errorf("want context.Canceled and no *Error, got %T %v", err, err)
	}
}

// concurrencyServer counts the requests in flight at once.
func concurrencyServer(inFlight, peak *atomic.Int32) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		inFlight.Add(-1)
		fmt.Fprint(w, "ok")
	}))
}

func TestPerHostAndGlobalLimits(t *testing.T) {
	var inA, peakA, inB, peakB atomic.Int32
	a := concurrencyServer(&inA, &peakA)
	defer a.Close()
	b := concurrencyServer(&inB, &peakB)
	defer b.Close()

	opts := testOptions()
	opts.PerHost = 2
	opts.Concurrency = 3
	f := New(opts)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := a.URL
			if i%2 == 1 {
				u = b.URL
			}
			if _, err := f.Fetch(context.Background(), Request{URL: u}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peakA.Load() > 2 || peakB.Load() > 2 {
		t.Errorf("per-host peak %d/%d, limit 2", peakA.Load(), peakB.Load())
	}
	if peakA.Load() < 1 || peakB.Load() < 1 {
		t.Errorf("no requests seen")
	}

	// Global limit 1 across two hosts: never more than one in flight overall.
	var inC, peakC atomic.Int32
	c := concurrencyServer(&inC, &peakC)
	defer c.Close()
	opts.Concurrency = 1
	opts.PerHost = 4
	g := New(opts)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Two hostnames for the same server: 127.0.0.1 and localhost.
			u := c.URL
			if i%2 == 1 {
				u = strings.Replace(c.URL, "127.0.0.1", "localhost", 1)
			}
			if _, err := g.Fetch(context.Background(), Request{URL: u}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peakC.Load() != 1 {
		t.Errorf("global peak %d, limit 1", peakC.Load())
	}
}
