package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// browser is the one Chromium shared by this package's tests.
var browser *Browser

func TestMain(m *testing.M) {
	b, err := Start(context.Background(), Options{Tabs: 3, Timeout: 15 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "render tests need Chromium (make test installs it):", err)
		os.Exit(1)
	}
	browser = b
	code := m.Run()
	b.Close()
	os.Exit(code)
}

const policyHTML = `<h1>Privacy Policy</h1><p>We collect the information you give us when you create an account, such as your name and e-mail address.</p>`

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestRendersTextBuiltByJavaScript(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>Policy</title></head><body><div id="root"></div><script>
			document.getElementById('root').innerHTML = '<main id="policy">' + `+"`"+policyHTML+"`"+` + '</main>';
		</script></body></html>`)
	})
	p, err := browser.Render(context.Background(), Request{URL: srv.URL, WaitFor: "#policy"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(p.HTML, []byte("We collect the information you give us")) || p.Status != 200 || !p.Settled {
		t.Fatalf("rendered page: status %d settled %t\n%s", p.Status, p.Settled, p.HTML)
	}
}

func TestWaitsForTextLoadedAfterADelay(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/content":
			time.Sleep(300 * time.Millisecond)
			fmt.Fprint(w, policyHTML)
		default:
			fmt.Fprint(w, `<html><body><main id="policy"></main><script>
				setTimeout(() => fetch('/content').then(r => r.text()).then(t => { document.getElementById('policy').innerHTML = t; }), 700);
			</script></body></html>`)
		}
	})
	// Without a selector, the caller's Ready test tells the content is there
	// (the script starts its request after the network went quiet).
	hasText := func(html []byte) bool { return bytes.Contains(html, []byte("<p>")) }
	for _, wait := range []string{"#policy", ""} {
		p, err := browser.Render(context.Background(), Request{URL: srv.URL, WaitFor: wait, Ready: hasText})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(p.HTML, []byte("create an account")) {
			t.Errorf("wait for %q: the delayed text is missing:\n%s", wait, p.HTML)
		}
	}
}

// A challenge page that sets a cookie with JavaScript and reloads: HTTP
// clients see only the wall, the browser gets through.
func TestPassesAScriptBotWall(t *testing.T) {
	var walls atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("cleared"); err != nil || c.Value != "yes" {
			walls.Add(1)
			fmt.Fprint(w, `<html><head><title>Just a moment...</title></head><body>Checking your browser before accessing the site.
				<script>setTimeout(() => { document.cookie = "cleared=yes; path=/"; location.reload(); }, 200);</script></body></html>`)
			return
		}
		fmt.Fprint(w, `<html><head><title>Policy</title></head><body><main>`+policyHTML+`</main></body></html>`)
	})
	notWall := func(html []byte) bool { return !bytes.Contains(html, []byte("Just a moment")) }
	p, err := browser.Render(context.Background(), Request{URL: srv.URL, WaitFor: "main", Ready: notWall})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(p.HTML, []byte("create an account")) || walls.Load() == 0 {
		t.Fatalf("wall served %d times; page:\n%s", walls.Load(), p.HTML)
	}
}

// onLoopback2 serves on 127.0.0.2, counting hits: an "internal" host.
func onLoopback2(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	var hits atomic.Int32
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "<html><body><main>admin console: "+strings.Repeat("secret ", 50)+"</main></body></html>")
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// Every request the page makes passes Allow: a redirect or a script
// navigation to an address Allow refuses fails the render, and nothing is
// requested from there.
func TestRefusedNavigationsFailTheRender(t *testing.T) {
	inner, hits := onLoopback2(t)
	refuse := func(u *url.URL) error {
		if u.Hostname() != "127.0.0.1" {
			return errors.New(u.Hostname() + " is internal")
		}
		return nil
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, inner+"/admin", http.StatusFound)
		case "/metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/script":
			fmt.Fprintf(w, `<html><body><p>Loading</p><script>location.href = %q;</script></body></html>`, inner+"/admin")
		}
	})
	for _, path := range []string{"/redirect", "/script", "/metadata"} {
		_, err := browser.Render(context.Background(), Request{URL: srv.URL + path, WaitFor: "main",
			Allow: func(_ context.Context, u *url.URL) error { return refuse(u) }})
		var re *Error
		if !errors.As(err, &re) || re.Reason != ReasonUnsafeRedirect {
			t.Errorf("%s: %v", path, err)
		}
		if hits.Load() != 0 {
			t.Fatalf("%s: the internal host was reached", path)
		}
	}
}

func TestHugePagesAndDeadlines(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/huge":
			w.Write([]byte("<html><body>"))
			p := bytes.Repeat([]byte("<p>x</p>"), 8192)
			for i := 0; i < (12<<20)/len(p); i++ { // 12 MiB
				if _, err := w.Write(p); err != nil {
					return
				}
			}
		case "/hang":
			<-r.Context().Done()
		}
	})
	start := time.Now()
	_, err := browser.Render(context.Background(), Request{URL: srv.URL + "/huge"})
	t.Logf("huge page refused after %v", time.Since(start))
	var re *Error
	if !errors.As(err, &re) || re.Reason != ReasonTooLarge {
		t.Errorf("huge page: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start = time.Now()
	_, err = browser.Render(ctx, Request{URL: srv.URL + "/hang"})
	if !errors.Is(err, context.DeadlineExceeded) && !(errors.As(err, &re) && re.Reason == ReasonTimeout) {
		t.Errorf("hanging page: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("a 2 s deadline took %v", time.Since(start))
	}
	// Cancelling ends a render at once.
	ctx, cancel = context.WithCancel(context.Background())
	go func() { time.Sleep(300 * time.Millisecond); cancel() }()
	if _, err := browser.Render(ctx, Request{URL: srv.URL + "/hang"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled render: %v", err)
	}
}
