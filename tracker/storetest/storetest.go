// Package storetest is the store suite: one set of tests of tracker.Store
// behaviour that every implementation runs (tracker/sqlite and
// tracker/postgres call Run from their own tests), so that the embedded
// archive and the team archive cannot drift apart. It covers the Tx
// methods' results and orderings, times, transactions, the append-only log
// and its verification, concurrent writers on one archive, checklist edit
// conflicts between two desktops, and whole service flows (check over
// HTTP, import, re-analysis, evidence) on the store.
//
// The tests use real parts only: a real archive from the harness, an
// httptest server on loopback, the project's own test policies.
package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"policywatch/internal/builtintest"
	"policywatch/tracker"
	"policywatch/tracker/fetch"
)

// Harness gives the suite archives of one store.
type Harness struct {
	// New makes a new, empty archive and returns where it is (what Open
	// takes). It is removed when the test ends.
	New func(t *testing.T) string
	// Open opens the archive at loc. Opening the same loc twice stands for
	// two processes (two desktops, a desktop and a watch worker).
	Open func(ctx context.Context, loc string) (tracker.Store, error)
	// Exec runs SQL on the archive directly, as its owner would with the
	// database's own client, bypassing the store; the guards stay on.
	Exec func(loc, sql string) error
	// Tamper runs SQL on the archive with its append-only guards lifted,
	// as someone with the owner's rights could.
	Tamper func(t *testing.T, loc string, sql ...string)
	// Query returns the first column of the first row of q, as text.
	Query func(t *testing.T, loc, q string) string
}

// test is one test of the suite.
type test struct {
	name string
	fn   func(t *testing.T, h Harness)
}

var tests []test

// register adds tests to the suite (each file of the package registers its own).
func register(ts ...test) { tests = append(tests, ts...) }

// Run runs the whole suite against the harness's store, each test on an
// archive of its own.
func Run(t *testing.T, h Harness) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, h) })
	}
}

// open makes a new archive and opens it.
func open(t *testing.T, h Harness) (tracker.Store, string) {
	t.Helper()
	loc := h.New(t)
	return reopen(t, h, loc), loc
}

// reopen opens the archive at loc once more, closed when the test ends.
func reopen(t *testing.T, h Harness, loc string) tracker.Store {
	t.Helper()
	st, err := h.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// suiteClock is the one clock of every service of the suite, as the
// machines of a team share the time of day: it starts at a fixed time and
// ticks a second on every reading.
var suiteClock = &clock{t: time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)}

// clock is a fixed clock that ticks a second on every reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// service returns a service over st acting as actor, with the built-in
// catalog and rules, a ticking clock and a fast fetcher.
func service(t *testing.T, st tracker.Store, actor string, opts ...tracker.Option) *tracker.Service {
	t.Helper()
	cat, rules := builtintest.Load(t)
	base := []tracker.Option{tracker.WithActor(actor), tracker.WithRules(rules), tracker.WithClock(suiteClock.now),
		tracker.WithFetcher(fetch.New(fetch.Options{Timeout: 2 * time.Second, Retries: 1, BaseBackoff: time.Millisecond,
			MaxRetryAfter: 10 * time.Millisecond}))}
	svc, err := tracker.NewService(context.Background(), st, cat, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// update runs fn in a write transaction and fails the test on error.
func update(t *testing.T, st tracker.Store, fn func(tx tracker.Tx) error) {
	t.Helper()
	if err := st.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// view runs fn in a read transaction and fails the test on error.
func view(t *testing.T, st tracker.Store, fn func(tx tracker.Tx) error) {
	t.Helper()
	if err := st.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}
