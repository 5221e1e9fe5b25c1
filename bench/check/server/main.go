// Command server serves N realistic policy pages on a loopback address for
// the `policywatch check` benchmark (bench/check/run.sh).
//
// Each page /doc/<i> (1 ≤ i ≤ N) is about -size bytes of HTML: a real policy
// text from the shared corpus turned into HTML inside <main>, with site
// chrome around it (navigation, cookie banner, inline scripts, footer). Pages
// carry an ETag and answer conditional requests with 304, as many real sites
// do. With -changed P, P % of the pages (every (100/P)-th) carry an extra
// paragraph; sending SIGUSR1 to a running server switches that on (or bumps
// the revision of the changed pages if it already is), so a benchmark can
// check the same URLs before and after a change. SIGUSR2 switches ETag
// support off and on, to measure checks of servers that send no validators.
//
//	go run ./bench/check/server -n 1000 -changed 10
//
// Only loopback addresses are accepted.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"html"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	n := flag.Int("n", 1000, "number of pages")
	changed := flag.Int("changed", 0, "percentage of pages that carry a change (0 = none until SIGUSR1)")
	onSignal := flag.Int("changed-on-signal", 10, "percentage of pages changed when SIGUSR1 arrives")
	size := flag.Int("size", 100_000, "approximate page size in bytes")
	corpus := flag.String("corpus", filepath.Join("..", "shared", "corpus", "dataset"), "Open Terms Archive dataset folder with the texts")
	addrFile := flag.String("addr-file", "", "write the base URL to this file once listening")
	etag := flag.Bool("etag", true, "send ETags and answer If-None-Match with 304")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench server: ")

	if *n < 1 || *changed < 0 || *changed > 100 || *onSignal < 1 || *onSignal > 100 {
		log.Fatal("bad flags: need -n >= 1 and percentages within 0..100")
	}
	if err := loopbackOnly(*addr); err != nil {
		log.Fatal(err)
	}
	texts, err := loadTexts(*corpus)
	if err != nil {
		log.Fatal(err)
	}
	s := &server{n: *n, size: *size, docs: make([]string, len(texts))}
	s.etag.Store(*etag)
	for i, t := range texts {
		s.docs[i] = markdownToHTML(t)
	}
	s.percent.Store(int64(*changed))
	if *changed > 0 {
		s.revision.Store(1)
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGUSR1, syscall.SIGUSR2)
	go func() {
		for got := range sig {
			if got == syscall.SIGUSR2 {
				on := !s.etag.Load()
				s.etag.Store(on)
				log.Printf("SIGUSR2: ETags %v", map[bool]string{true: "on", false: "off"}[on])
				continue
			}
			if s.percent.Load() == 0 {
				s.percent.Store(int64(*onSignal))
			}
			r := s.revision.Add(1)
			log.Printf("SIGUSR1: %d %% of pages changed, revision %d", s.percent.Load(), r)
		}
	}()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	fmt.Println("listening on", base)
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(base+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /doc/{i}", s.serveDoc)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	log.Fatal(http.Serve(ln, mux))
}

// loopbackOnly refuses any address that is not on this machine's loopback.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("bad -addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q is not a loopback address (use 127.0.0.1 or [::1])", addr)
	}
	return nil
}

// loadTexts reads the latest version of every document in the dataset.
func loadTexts(dir string) ([]string, error) {
	docs, err := filepath.Glob(filepath.Join(dir, "*", "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(docs)
	var texts []string
	for _, d := range docs {
		versions, _ := filepath.Glob(filepath.Join(d, "*.md"))
		if len(versions) == 0 {
			continue
		}
		sort.Strings(versions)
		data, err := os.ReadFile(versions[len(versions)-1])
		if err != nil {
			return nil, fmt.Errorf("read corpus: %w", err)
		}
		texts = append(texts, string(data))
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("no corpus texts under %s (set -corpus)", dir)
	}
	return texts, nil
}

// markdownToHTML renders the corpus Markdown as plain semantic HTML: enough
// for the extractor to find headings, lists and paragraphs.
func markdownToHTML(md string) string {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	var b strings.Builder
	var para []string
	inList := false
	flush := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + html.EscapeString(strings.Join(para, " ")) + "</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if inList {
			b.WriteString("</ul>\n")
			inList = false
		}
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		next := ""
		if i+1 < len(lines) {
			next = strings.TrimSpace(lines[i+1])
		}
		switch {
		case line == "":
			flush()
			closeList()
		case next != "" && (strings.Trim(next, "=") == "" || strings.Trim(next, "-") == "") && len(next) >= 3 && len(para) == 0:
			closeList()
			tag := "h1"
			if next[0] == '-' {
				tag = "h2"
			}
			b.WriteString("<" + tag + ">" + html.EscapeString(line) + "</" + tag + ">\n")
			i++
		case strings.HasPrefix(line, "#"):
			flush()
			closeList()
			level := min(len(line)-len(strings.TrimLeft(line, "#")), 6)
			tag := "h" + strconv.Itoa(level)
			b.WriteString("<" + tag + ">" + html.EscapeString(strings.TrimSpace(strings.TrimLeft(line, "#"))) + "</" + tag + ">\n")
		case strings.HasPrefix(line, "* ") || strings.HasPrefix(line, "- "):
			flush()
			if !inList {
				b.WriteString("<ul>\n")
				inList = true
			}
			b.WriteString("<li>" + html.EscapeString(strings.TrimSpace(line[2:])) + "</li>\n")
		default:
			para = append(para, line)
		}
	}
	flush()
	closeList()
	return b.String()
}

type server struct {
	n, size  int
	etag     atomic.Bool
	docs     []string
	percent  atomic.Int64
	revision atomic.Int64
}

func (s *server) serveDoc(w http.ResponseWriter, r *http.Request) {
	i, err := strconv.Atoi(r.PathValue("i"))
	if err != nil || i < 1 || i > s.n {
		http.NotFound(w, r)
		return
	}
	page := s.page(i)
	sum := sha256.Sum256([]byte(page))
	tag := `"` + hex.EncodeToString(sum[:8]) + `"`
	if s.etag.Load() {
		w.Header().Set("ETag", tag)
		if r.Header.Get("If-None-Match") == tag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(page)))
	w.Write([]byte(page))
}

// changedPage reports whether page i carries the change.
func (s *server) changedPage(i int) bool {
	p := s.percent.Load()
	if p <= 0 {
		return false
	}
	every := max(100/int(p), 1)
	return i%every == 0
}

func (s *server) page(i int) string {
	doc := s.docs[(i-1)%len(s.docs)]
	var b strings.Builder
	b.Grow(s.size + 20_000)
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`)
	fmt.Fprintf(&b, "<title>Policy %d | Example Platform</title>\n", i)
	b.WriteString(`<style>body{font-family:sans-serif;margin:0}.nav a{padding:4px}.cookie{position:fixed;bottom:0}</style>` + "\n")
	// Analytics noise that changes on every build of a real site.
	fmt.Fprintf(&b, "<script>window.__BUILD__=%q;window.dataLayer=window.dataLayer||[];%s</script></head><body>\n",
		strconv.Itoa(i), strings.Repeat("function t(e){dataLayer.push(e)}", 150))
	b.WriteString(`<div class="cookie" id="cookie-banner"><p>We use cookies to improve your experience. <button>Accept all</button> <button>Reject</button></p></div>` + "\n")
	b.WriteString(`<header><nav class="nav">`)
	for k := range 40 {
		fmt.Fprintf(&b, `<a href="/section/%d">Section %d</a>`, k, k)
	}
	b.WriteString("</nav></header>\n<main>\n")
	fmt.Fprintf(&b, "<h1>Example Platform %d policy</h1>\n", i)
	if s.changedPage(i) {
		fmt.Fprintf(&b, "<p>Revision %d: we may now use the content you share to train our artificial intelligence models and share it with advertising partners. You can object in your settings.</p>\n", s.revision.Load())
	}
	// Fill to about s.size: repeat a short text, cut a long one at a line.
	for part := 1; ; part++ {
		room := s.size - 6_000 - b.Len()
		if room < 1_000 {
			break
		}
		if part > 1 {
			fmt.Fprintf(&b, "<h2>Part %d</h2>\n", part)
		}
		chunk := doc
		if len(chunk) > room {
			cut := strings.LastIndexByte(chunk[:room], '\n')
			if cut < 0 {
				break
			}
			chunk = chunk[:cut+1]
		}
		b.WriteString(chunk)
	}
	b.WriteString("</main>\n<footer><ul>")
	for k := range 30 {
		fmt.Fprintf(&b, `<li><a href="/legal/%d">Legal link %d</a></li>`, k, k)
	}
	b.WriteString("</ul><p>© 2026 Example Platform, Inc.</p></footer>\n")
	b.WriteString(`<script>t({event:"page_view"})</script></body></html>` + "\n")
	return b.String()
}
