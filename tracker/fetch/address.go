package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// ReasonUnsafeRedirect marks a fetch refused because it would reach an
// address more internal than the document's own (a public page redirecting
// to a loopback, private or link-local address).
const ReasonUnsafeRedirect = "unsafe-redirect"

// Class is the kind of network an address belongs to.
type Class int

// Address classes, from the open internet inwards.
const (
	// Public is any globally routed address.
	Public Class = iota
	// Private is RFC 1918, carrier-grade NAT (100.64/10) and unique local
	// IPv6 (fc00::/7) addresses: intranets.
	Private
	// Loopback is 127/8, ::1 and the unspecified addresses (0.0.0.0 and ::
	// reach the local host on Linux).
	Loopback
	// LinkLocal is 169.254/16 and fe80::/10, where cloud metadata services live.
	LinkLocal
	// Special is multicast, broadcast and reserved addresses: never fetched.
	Special
)

// String names the class as advice does.
func (c Class) String() string {
	switch c {
	case Public:
		return "public"
	case Private:
		return "private"
	case Loopback:
		return "loopback"
	case LinkLocal:
		return "link-local"
	}
	return "reserved"
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	cgnat     = netip.MustParsePrefix("100.64.0.0/10")
	thisNet   = netip.MustParsePrefix("0.0.0.0/8")
	reserved4 = netip.MustParsePrefix("240.0.0.0/4")
)

// ClassOf returns the class of an address.
func ClassOf(a netip.Addr) Class {
	a = a.Unmap()
	if nat64.Contains(a) { // an IPv4 address behind a NAT64 gateway
		b := a.As16()
		a = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	switch {
	case !a.IsValid():
		return Special
	case a.IsLoopback(), a.IsUnspecified(), a.Is4() && thisNet.Contains(a):
		return Loopback
	case a.IsLinkLocalUnicast():
		return LinkLocal
	case a.IsPrivate(), a.Is4() && cgnat.Contains(a):
		return Private
	case a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast(),
		a.Is4() && (reserved4.Contains(a) || a == netip.AddrFrom4([4]byte{255, 255, 255, 255})):
		return Special
	}
	return Public
}

// Guard decides which addresses the fetches of a document may reach. A
// document's own address sets its scope: a public document may reach
// public addresses only (a redirect or a DNS answer pointing inside is
// refused); a document on a private or loopback address (an intranet
// policy) may also reach private and loopback addresses, but not
// link-local ones; only a link-local document may reach link-local
// addresses. Special addresses are never reached.
//
// The zero Guard resolves with the system resolver and classifies with
// ClassOf; tests replace Classify to treat a loopback test server as public.
type Guard struct {
	// Classify returns an address's class (default ClassOf).
	Classify func(netip.Addr) Class
	// Lookup resolves a host name (default net.DefaultResolver.LookupNetIP).
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
}

// Scope is what one document's fetches may reach.
type Scope struct {
	guard  *Guard
	origin Class
	host   string
}

func (g *Guard) classify(a netip.Addr) Class {
	if g != nil && g.Classify != nil {
		return g.Classify(a.Unmap())
	}
	return ClassOf(a)
}

func (g *Guard) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return []netip.Addr{a}, nil
	}
	if g != nil && g.Lookup != nil {
		return g.Lookup(ctx, host)
	}
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// ScopeOf returns the scope of a document at rawURL: the most internal
// class among its host's addresses. A host that cannot be resolved is taken
// as public (its fetch fails on its own).
func (g *Guard) ScopeOf(ctx context.Context, rawURL string) Scope {
	s := Scope{guard: g, origin: Public}
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return s
	}
	s.host = u.Hostname()
	addrs, err := g.lookup(ctx, u.Hostname())
	if err != nil {
		return s
	}
	for _, a := range addrs {
		if c := g.classify(a); c != Special && c > s.origin {
			s.origin = c
		}
	}
	return s
}

// Origin is the class of the document's own address.
func (s Scope) Origin() Class { return s.origin }

// allows reports whether an address of class c may be reached.
func (s Scope) allows(c Class) bool {
	switch c {
	case Public:
		return true
	case Private, Loopback:
		return s.origin == Private || s.origin == Loopback || s.origin == LinkLocal
	case LinkLocal:
		return s.origin == LinkLocal
	}
	return false
}

// CheckAddr refuses an address the scope does not allow.
func (s Scope) CheckAddr(a netip.Addr) error {
	if c := s.guard.classify(a); !s.allows(c) {
		return fmt.Errorf("%s is a %s address and the document's own address is %s", a, c, s.origin)
	}
	return nil
}

// CheckURL refuses a URL whose host resolves to an address the scope does
// not allow. It resolves the host name; a name that does not resolve is
// left to the request itself to fail.
func (s Scope) CheckURL(ctx context.Context, u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("unsupported scheme %q", u.Scheme)
	}
	addrs, err := s.guard.lookup(ctx, u.Hostname())
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if err := s.CheckAddr(a); err != nil {
			return err
		}
	}
	return nil
}

// unsafeError is the *Error of a refused address.
func unsafeError(rawURL string, err error) *Error {
	return newError(ReasonUnsafeRedirect, 0, rawURL, err)
}

type scopeKey struct{}

// withScope attaches a document's scope to the context of its requests, for
// the dialer.
func withScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// controlDial refuses, before connecting, a connection to an address the
// request's scope does not allow (redirects and DNS answers alike).
func controlDial(ctx context.Context, network, address string, _ syscall.RawConn) error {
	s, ok := ctx.Value(scopeKey{}).(Scope)
	if !ok {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	if err := s.CheckAddr(ap.Addr()); err != nil {
		return &refusedDial{err}
	}
	return nil
}

// refusedDial marks a connection the scope refused.
type refusedDial struct{ err error }

func (e *refusedDial) Error() string { return "refused to connect: " + e.err.Error() }
func (e *refusedDial) Unwrap() error { return e.err }

// isRefusedDial reports whether err comes from controlDial.
func isRefusedDial(err error) bool {
	var r *refusedDial
	return errors.As(err, &r)
}
