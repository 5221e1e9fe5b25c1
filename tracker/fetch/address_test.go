package fetch

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

func TestClassOf(t *testing.T) {
	cases := map[string]Class{
		"8.8.8.8":                Public,
		"2606:4700::1111":        Public,
		"10.1.2.3":               Private,
		"172.16.0.1":             Private,
		"192.168.1.1":            Private,
		"100.64.0.1":             Private,
		"fd00::1":                Private,
		"127.0.0.1":              Loopback,
		"127.9.9.9":              Loopback,
		"::1":                    Loopback,
		"0.0.0.0":                Loopback,
		"::":                     Loopback,
		"169.254.169.254":        LinkLocal,
		"fe80::1":                LinkLocal,
		"::ffff:169.254.169.254": LinkLocal,
		"64:ff9b::a9fe:a9fe":     LinkLocal, // 169.254.169.254 through NAT64
		"::ffff:10.0.0.1":        Private,
		"224.0.0.1":              Special,
		"255.255.255.255":        Special,
		"240.0.0.1":              Special,
	}
	for in, want := range cases {
		if got := ClassOf(netip.MustParseAddr(in)); got != want {
			t.Errorf("ClassOf(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestScopeAllows(t *testing.T) {
	for origin, allowed := range map[Class][]Class{
		Public:    {Public},
		Private:   {Public, Private, Loopback},
		Loopback:  {Public, Private, Loopback},
		LinkLocal: {Public, Private, Loopback, LinkLocal},
	} {
		s := Scope{origin: origin}
		for _, c := range []Class{Public, Private, Loopback, LinkLocal, Special} {
			want := false
			for _, a := range allowed {
				want = want || a == c
			}
			if s.allows(c) != want {
				t.Errorf("a %s document reaching a %s address: allowed=%t, want %t", origin, c, !want, want)
			}
		}
	}
}

// publicLoopback treats 127.0.0.1 (the test server) as a public address,
// as if the document were on the internet; every other address keeps its class.
func publicLoopback() *Guard {
	return &Guard{Classify: func(a netip.Addr) Class {
		if a == netip.MustParseAddr("127.0.0.1") {
			return Public
		}
		return ClassOf(a)
	}}
}

// listenOn starts a server on another loopback address, counting its hits.
func listenOn(t *testing.T, addr string) (string, *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", addr+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	var hits atomic.Int32
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "<html><body>admin console</body></html>")
	})}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// A public document redirecting inwards is refused before any connection
// is made, whatever the form of the inner address; a document whose own
// address is internal may redirect to internal addresses, never to a
// link-local one.
func TestRedirectsInwardsAreRefused(t *testing.T) {
	admin, adminHits := listenOn(t, "127.0.0.2")
	_, adminPort, _ := net.SplitHostPort(strings.TrimPrefix(admin, "http://"))
	targets := map[string]string{
		"metadata":          "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
		"metadata ipv6":     "http://[fd00:ec2::254]/latest/meta-data/",
		"other loopback":    admin + "/admin",
		"name resolving in": "http://admin.intranet.test:" + adminPort + "/admin",
		"private range":     "http://10.0.0.1/intranet",
		"mapped metadata":   "http://[::ffff:169.254.169.254]/latest/meta-data/",
	}
	var redirectTo atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, redirectTo.Load().(string), http.StatusFound)
	}))
	defer srv.Close()
	public := testOptions()
	public.Guard = publicLoopback()
	public.Guard.Lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
		if host == "admin.intranet.test" {
			return []netip.Addr{netip.MustParseAddr("127.0.0.2")}, nil
		}
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	f := New(public)
	for name, target := range targets {
		redirectTo.Store(target)
		resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/privacy"})
		fe := mustFail(t, resp, err, ReasonUnsafeRedirect)
		if !strings.Contains(fe.Advice, "loopback, private or link-local") {
			t.Errorf("%s: advice %q", name, fe.Advice)
		}
	}
	if n := adminHits.Load(); n != 0 {
		t.Fatalf("the inner server was reached %d times", n)
	}
	// The same document on an intranet (the default guard sees loopback):
	// internal redirects are its own business, the metadata service is not.
	f = New(testOptions())
	redirectTo.Store(admin + "/admin")
	if resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/privacy"}); err != nil || !strings.Contains(string(resp.Body), "admin console") {
		t.Fatalf("an intranet document's redirect to another intranet host: %v", err)
	}
	redirectTo.Store(targets["metadata"])
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/privacy"})
	mustFail(t, resp, err, ReasonUnsafeRedirect)
}

// The dialer checks the address it is about to connect to, so a host name
// that resolves inwards (DNS rebinding) is refused too.
func TestDialRefusesAddressesOutsideTheScope(t *testing.T) {
	g := publicLoopback()
	ctx := withScope(context.Background(), g.ScopeOf(context.Background(), "http://127.0.0.1/privacy"))
	if err := controlDial(ctx, "tcp4", "127.0.0.1:80", nil); err != nil {
		t.Errorf("the document's own address was refused: %v", err)
	}
	for _, addr := range []string{"127.0.0.2:80", "169.254.169.254:80", "[::1]:443", "10.0.0.1:80"} {
		if err := controlDial(ctx, "tcp", addr, nil); err == nil || !isRefusedDial(err) {
			t.Errorf("dial %s from a public document: %v", addr, err)
		}
	}
	// A dial without a scope (not a document fetch) is left alone.
	if err := controlDial(context.Background(), "tcp", "127.0.0.2:80", nil); err != nil {
		t.Error(err)
	}
}

// A host whose address turns inward after the document's scope was judged
// (DNS rebinding) is refused when the connection is made.
func TestRebindingIsRefusedAtDial(t *testing.T) {
	admin, hits := listenOn(t, "127.0.0.2")
	var calls atomic.Int32
	opts := testOptions()
	opts.Guard = &Guard{Classify: func(a netip.Addr) Class {
		if calls.Add(1) == 1 { // the scope's own look-up: public
			return Public
		}
		return Loopback // the address actually dialled: inward
	}}
	resp, err := New(opts).Fetch(context.Background(), Request{URL: admin + "/admin"})
	mustFail(t, resp, err, ReasonUnsafeRedirect)
	if hits.Load() != 0 {
		t.Fatal("the inner server was reached")
	}
}
