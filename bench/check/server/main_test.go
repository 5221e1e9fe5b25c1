package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"policywatch/internal/sharedtest"
)

func testServer(t *testing.T, percent int) *server {
	t.Helper()
	dir := sharedtest.Corpus(t)
	texts, err := loadTexts(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{n: 100, size: 100_000}
	s.etag.Store(true)
	for _, tx := range texts {
		s.docs = append(s.docs, markdownToHTML(tx))
	}
	s.percent.Store(int64(percent))
	s.revision.Store(1)
	return s
}

func TestPages(t *testing.T) {
	s := testServer(t, 0)
	for i := 1; i <= 40; i++ {
		p := s.page(i)
		if len(p) < 80_000 || len(p) > 120_000 {
			t.Errorf("page %d is %d bytes, want about 100 KB", i, len(p))
		}
		if !strings.Contains(p, "<main>") || !strings.Contains(p, "<p>") || !strings.Contains(p, "<footer>") {
			t.Errorf("page %d lacks structure", i)
		}
	}
	if s.page(1) == s.page(35) {
		t.Errorf("pages 1 and 35 share a text but must differ")
	}
}

func TestChangedAndETag(t *testing.T) {
	s := testServer(t, 0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.SetPathValue("i", strings.TrimPrefix(r.URL.Path, "/doc/"))
		s.serveDoc(w, r)
	}))
	defer srv.Close()
	get := func(path, etag string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp, resp.Header.Get("ETag")
	}
	r10, tag10 := get("/doc/10", "")
	_, tag11 := get("/doc/11", "")
	if r10.StatusCode != 200 || tag10 == "" {
		t.Fatalf("status %d etag %q", r10.StatusCode, tag10)
	}
	if r, _ := get("/doc/10", tag10); r.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %d", r.StatusCode)
	}
	if r, _ := get("/doc/101", ""); r.StatusCode != 404 {
		t.Errorf("out of range: %d", r.StatusCode)
	}
	s.percent.Store(10)
	if _, tag := get("/doc/10", ""); tag == tag10 {
		t.Errorf("page 10 did not change")
	}
	if _, tag := get("/doc/11", ""); tag != tag11 {
		t.Errorf("page 11 changed")
	}
	changed := 0
	for i := 1; i <= 100; i++ {
		if s.changedPage(i) {
			changed++
		}
	}
	if changed != 10 {
		t.Errorf("%d of 100 pages changed, want 10", changed)
	}
}

func TestLoopbackOnly(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:0": true, "localhost:8080": true, "[::1]:0": true, "127.0.0.2:80": true,
		"0.0.0.0:80": false, ":80": false, "10.0.0.1:80": false, "192.168.1.1:80": false, "example.com:80": false,
	} {
		if err := loopbackOnly(addr); (err == nil) != ok {
			t.Errorf("loopbackOnly(%q) = %v", addr, err)
		}
	}
}
