package tracker_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"policywatch/tracker"
	"policywatch/tracker/fetch"

	"policywatch/internal/testpolicies"
)

// publicLoopback treats 127.0.0.1 (the test servers) as a public address, as
// if the documents were on the internet; other addresses keep their class.
func publicLoopback() *fetch.Guard {
	return &fetch.Guard{Classify: func(a netip.Addr) fetch.Class {
		if a == netip.MustParseAddr("127.0.0.1") {
			return fetch.Public
		}
		return fetch.ClassOf(a)
	}}
}

// internalHost serves on 127.0.0.2 and counts its hits: an intranet
// "admin" host a public page must never make PolicyWatch reach.
func internalHost(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	var hits atomic.Int32
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, testpolicies.Page(policyText(10, "Admin console: every account's password is listed below.")))
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// lastCheck returns a document's versions and its last check event.
func lastCheck(t *testing.T, svc *tracker.Service, id int64) (int, tracker.CheckEvent) {
	t.Helper()
	h, err := svc.DocumentHistory(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Checks) == 0 {
		t.Fatalf("document %d was not checked", id)
	}
	return len(h.Versions), h.Checks[len(h.Checks)-1]
}

// Hostile pages fail with their reason, and nothing is archived: redirects
// and script navigations from a public page to internal addresses (over
// HTTP and in the browser), a PDF whose page tree contains itself, pages of
// millions of elements, and a server asking to wait for a day.
func TestHostilePagesFailWithTheirReason(t *testing.T) {
	ctx := context.Background()
	guard := publicLoopback()
	var fetchOpts = fetch.Options{Timeout: 5 * time.Second, Retries: 2, BaseBackoff: time.Millisecond, Guard: guard}
	svc, _ := newTestService(t, tracker.WithFetcher(fetch.New(fetchOpts)), tracker.WithAddressGuard(guard))
	inner, innerHits := internalHost(t)
	s, srv := newSite(t)
	s.set("/to-metadata", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/iam/security-credentials/", http.StatusFound)
	})
	s.set("/to-intranet", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner+"/admin", http.StatusMovedPermanently)
	})
	s.html("/script-to-intranet", fmt.Sprintf(`<html><body><div id="root"></div><script>location.href = %q;</script></body></html>`, inner+"/admin"))
	s.set("/cyclic.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(cyclicPDF())
	})
	huge := bytes.Repeat([]byte("<p>x</p>"), (18<<20)/8) // 18 MiB of <p>
	s.set("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><main>"))
		w.Write(huge)
	})
	var waits atomic.Int32
	s.set("/wait-a-day", func(w http.ResponseWriter, r *http.Request) {
		waits.Add(1)
		w.Header().Set("Retry-After", "100000")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	cases := []struct{ name, path, render, reason string }{
		{"redirect to the metadata service", "/to-metadata", "", fetch.ReasonUnsafeRedirect},
		{"redirect to an intranet host", "/to-intranet", "", fetch.ReasonUnsafeRedirect},
		{"redirect to an intranet host in the browser", "/to-intranet", tracker.RenderBrowser, fetch.ReasonUnsafeRedirect},
		{"script navigation to an intranet host", "/script-to-intranet", "", fetch.ReasonUnsafeRedirect},
		{"cyclic PDF", "/cyclic.pdf", "", "unsupported-type"},
		{"18 MiB of paragraphs", "/huge", "", "too-large"},
		{"18 MiB of paragraphs again", "/huge?2", "", "too-large"},
		{"Retry-After: 100000", "/wait-a-day", "", fetch.ReasonHTTPStatus},
	}
	ids := make([]int64, len(cases))
	for i, c := range cases {
		id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: c.name, URL: srv.URL + c.path, Render: c.render})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	sum, err := svc.Check(ctx, tracker.CheckOptions{Concurrency: 4})
	if err != nil || sum.Failed != len(cases) || sum.Changed != 0 {
		t.Fatalf("check: %+v %v", sum, err)
	}
	for i, c := range cases {
		versions, ev := lastCheck(t, svc, ids[i])
		if versions != 0 || ev.Status != tracker.CheckFailed || ev.Reason != c.reason || ev.Detail == "" {
			t.Errorf("%s: %d versions, last check %+v (want reason %s)", c.name, versions, ev, c.reason)
		}
	}
	if n := innerHits.Load(); n != 0 {
		t.Errorf("the intranet host was reached %d times", n)
	}
	if n := waits.Load(); n != 1 {
		t.Errorf("a server asking to wait a day was asked again %d times", n-1)
	}
	_, ev := lastCheck(t, svc, ids[len(cases)-1])
	if !strings.Contains(ev.Detail, "asked to wait") {
		t.Errorf("Retry-After advice: %q", ev.Detail)
	}
	if n, _ := svc.CountChanges(ctx, tracker.ChangeFilter{}); n != 0 {
		t.Errorf("%d changes from hostile pages", n)
	}
}

// cyclicPDF is a PDF whose page tree lists itself among its kids.
func cyclicPDF() []byte {
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Privacy policy) Tj ET\nendstream",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// bombZip writes a dataset zip whose entries each inflate to size bytes,
// from one compressed blob, declaring declared bytes each.
func bombZip(t *testing.T, entries, size int, declared uint64) string {
	t.Helper()
	line := bytes.Repeat([]byte{'x'}, 64)
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestCompression)
	crc := crc32.NewIEEE()
	block := bytes.Repeat(line, 4096)
	for n := 0; n < size; n += len(block) {
		fw.Write(block)
		crc.Write(block)
	}
	fw.Close()
	path := filepath.Join(t.TempDir(), "bomb.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := 0; i < entries; i++ {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("Bomb/Privacy Policy/2024-01-%02dT00-00-00Z.md", i+1),
			Method: zip.Deflate, CRC32: crc.Sum32(), CompressedSize64: uint64(raw.Len()), UncompressedSize64: declared})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// A small zip that inflates to gigabytes (40 entries of 60 MiB; many
// entries within the file limit but over the import's budget; entries that
// lie about their size) fails with its reason, and nothing is written.
func TestImportZipBombWritesNothing(t *testing.T) {
	ctx := context.Background()
	svc, db := newTestService(t, tracker.WithBudgets(tracker.Budgets{Disk: 64 << 20}))
	size := func() int64 {
		info, err := os.Stat(db.Path())
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	before := size()
	cases := map[string]struct {
		path   string
		reason string
	}{
		"40 entries of 60 MiB":                {bombZip(t, 40, 60<<20, 60<<20), "too-large"},
		"12 entries of 10 MiB, 64 MiB budget": {bombZip(t, 12, 10<<20, 10<<20), "too-large"},
		"entries lying about their size":      {bombZip(t, 4, 30<<20, 1000), "not a valid zip"},
	}
	for name, c := range cases {
		info, _ := os.Stat(c.path)
		if info.Size() > 5<<20 {
			t.Fatalf("%s: the zip is %d bytes, not a bomb", name, info.Size())
		}
		_, err := svc.ImportOTA(ctx, c.path, nil)
		if err == nil || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: %v", name, err)
		}
	}
	docs, _ := svc.Documents(ctx, "")
	if len(docs) != 0 {
		t.Errorf("a refused import left %d documents", len(docs))
	}
	if after := size(); after > before+1<<20 {
		t.Errorf("the archive grew from %d to %d bytes", before, after)
	}
}
