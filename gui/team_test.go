package gui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"policywatch/internal/builtintest"
	"policywatch/internal/pgtest"
	"policywatch/tracker"
	"policywatch/tracker/postgres"
)

// TestMain shares one throwaway PostgreSQL server among the team tests.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// teamClock is the one clock of a team test's desktops and workers, as
// machines share the time of day.
type teamClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *teamClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// teamService opens the team archive at dsn as another process would and
// returns a service acting as actor.
func teamService(t *testing.T, dsn, actor string, clock *teamClock) *tracker.Service {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	cat, rules := builtintest.Load(t)
	svc, err := tracker.NewService(ctx, db, cat, tracker.WithActor(actor), tracker.WithRules(rules),
		tracker.WithVersion("test"), tracker.WithClock(clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return svc
}

// teamUI opens a desktop's main window on the team archive.
func teamUI(t *testing.T, svc *tracker.Service) *UI {
	t.Helper()
	// Widgets are made as the UI goroutine would: not while another
	// desktop's callbacks run (Fyne's caches are the app's, not the window's).
	uiMu.Lock()
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	u := NewUI(svc, w, Options{Version: "test", NoOnboarding: true})
	w.SetContent(u.Build())
	uiMu.Unlock()
	t.Cleanup(func() {
		u.cancel()
		u.WaitIdle(10 * time.Second)
	})
	act(u, u.Start)
	u.followArchive() // as Run does
	return u
}

// within waits until cond holds on the UI, without asking anyone to reload.
func within(t *testing.T, u *UI, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		u.WaitIdle(d)
		var ok bool
		act(u, func() { ok = cond() })
		if ok {
			return time.Since(start)
		}
		if time.Since(start) > d {
			t.Fatalf("%s did not appear within %s", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// teamSite serves n policies, each slowed a little like a real server; a
// path's body can be replaced. It counts the fetches of each path.
type teamSite struct {
	mu     sync.Mutex
	bodies map[string]string
	hits   map[string]int
}

func (s *teamSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	time.Sleep(15 * time.Millisecond)
	s.mu.Lock()
	body, ok := s.bodies[r.URL.Path]
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, body)
}

func (s *teamSite) set(path string, paragraphs []string) {
	p := &page{}
	p.set(paragraphs...)
	s.mu.Lock()
	s.bodies[path] = p.body
	s.mu.Unlock()
}

// TestTeamTwoDesktopsTwoWorkers: two desktops (test-driver windows) and two
// `watch` workers share one PostgreSQL archive. The workers share each
// round: no document is checked twice, each checks some. A checklist edit
// and a review made on one desktop appear on the other without a reload;
// an edit made from a stale screen is refused and shown; every version,
// edit and review is logged under whoever made it.
func TestTeamTwoDesktopsTwoWorkers(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	clock := &teamClock{t: time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)}
	admin := teamService(t, dsn, "admin", clock)
	site := &teamSite{bodies: map[string]string{}, hits: map[string]int{}}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	const docs = 24
	for i := 0; i < docs; i++ {
		path := fmt.Sprintf("/policy-%02d", i)
		site.set(path, append([]string{fmt.Sprintf("This is the privacy policy of Vendor %02d.", i)}, policyBefore...))
		if _, err := admin.AddDocument(ctx, tracker.NewDocument{PlatformName: fmt.Sprintf("Vendor %02d", i), URL: srv.URL + path,
			Kind: tracker.KindPrivacyPolicy, Select: "main"}); err != nil {
			t.Fatal(err)
		}
	}
	workers := []*tracker.Service{teamService(t, dsn, "watch-1", clock), teamService(t, dsn, "watch-2", clock)}
	round := func(want int) []tracker.RoundResult {
		t.Helper()
		results := make([]tracker.RoundResult, len(workers))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res, err := w.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderWatch, Check: tracker.CheckOptions{Concurrency: 3}})
				if err != nil {
					t.Errorf("worker %d: %v", i+1, err)
				}
				results[i] = res
			}()
		}
		close(start)
		wg.Wait()
		if got := results[0].Check.Checked + results[1].Check.Checked; got != want {
			t.Fatalf("the workers checked %d documents together, want %d: %+v / %+v", got, want, results[0].Check, results[1].Check)
		}
		return results
	}
	hitsPerPath := func() map[string]int {
		site.mu.Lock()
		defer site.mu.Unlock()
		out := map[string]int{}
		for k, v := range site.hits {
			out[k] = v
		}
		return out
	}

	first := round(docs)
	for path, n := range hitsPerPath() {
		if n != 1 {
			t.Errorf("%s fetched %d times in the first round", path, n)
		}
	}
	if first[0].Check.Checked == 0 || first[1].Check.Checked == 0 {
		t.Errorf("one worker did the whole round: %d and %d", first[0].Check.Checked, first[1].Check.Checked)
	}

	// Two desktops open the archive; Alice on the checklist, Bob too.
	alice := teamUI(t, teamService(t, dsn, "Alice <alice@acme.example>", clock))
	bob := teamUI(t, teamService(t, dsn, "Bob <bob@acme.example>", clock))
	for _, u := range []*UI{alice, bob} {
		act(u, func() { u.tabs.SelectIndex(tabChecklist) })
	}
	idle(t, alice)
	idle(t, bob)
	if len(alice.checklist.all) != 0 {
		t.Fatalf("%d checklist items before any change", len(alice.checklist.all))
	}

	// Four vendors change their policies; the next round finds it.
	for i := 0; i < 4; i++ {
		site.set(fmt.Sprintf("/policy-%02d", i), append([]string{fmt.Sprintf("This is the privacy policy of Vendor %02d.", i)}, policyAfter...))
	}
	second := round(docs)
	changes := len(second[0].Check.NewChanges) + len(second[1].Check.NewChanges)
	if changes != 4 {
		t.Fatalf("%d changes found in the second round, want 4", changes)
	}
	// One check per document per round, whoever made it (a changed page is
	// fetched a second time within its check, to tell churn from change).
	events := map[int64]int{}
	docsNow, err := admin.Documents(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docsNow {
		h, err := admin.DocumentHistory(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		events[d.ID] = len(h.Checks)
		if len(h.Checks) != 2 {
			t.Errorf("%s has %d check events after two rounds", d.URL, len(h.Checks))
		}
	}
	if len(events) != docs {
		t.Errorf("%d documents checked, want %d", len(events), docs)
	}
	// The new items reach both desktops' checklists on their own.
	for _, u := range []*UI{alice, bob} {
		within(t, u, 30*time.Second, "the round's checklist items", func() bool { return len(u.checklist.items) > 0 })
	}

	// Alice sets an item in progress; Bob's screen shows it.
	item := alice.checklist.items[0]
	aliceRow := alice.checklist.newRow().(*checklistRow)
	act(alice, func() {
		alice.checklist.updateRow(0, aliceRow)
		aliceRow.status.SetSelected("In progress")
	})
	idle(t, alice)
	saved := time.Now()
	lag := within(t, bob, 30*time.Second, "Alice's edit on Bob's desktop", func() bool {
		for _, it := range bob.checklist.all {
			if it.ID == item.ID {
				return it.Status == tracker.StatusInProgress
			}
		}
		return false
	})
	t.Logf("Alice's checklist edit reached Bob's screen %s after it was saved", lag.Round(time.Millisecond))
	_ = saved

	// Bob starts typing a note; meanwhile Alice changes the owner. Bob's
	// note, made from the item as he saw it, is refused and shown, not
	// written over Alice's edit.
	var bobRow *checklistRow
	act(bob, func() {
		for i, it := range bob.checklist.items {
			if it.ID == item.ID {
				bobRow = bob.checklist.newRow().(*checklistRow)
				bob.checklist.updateRow(i, bobRow)
			}
		}
		test.Type(bobRow.note, "asked the vendor") // focuses the field, then types
	})
	owner := "dpo@acme.example"
	cur, _ := alice.svc.Checklist(ctx, tracker.ChecklistFilter{ChangeID: item.ChangeID})
	var version int64
	for _, it := range cur {
		if it.ID == item.ID {
			version = it.Version
		}
	}
	if _, err := alice.svc.UpdateChecklistItem(ctx, item.ID, tracker.ChecklistUpdate{Owner: &owner, Version: version}); err != nil {
		t.Fatal(err)
	}
	within(t, bob, 30*time.Second, "Alice's owner on Bob's list", func() bool {
		for _, it := range bob.checklist.all {
			if it.ID == item.ID {
				return it.Owner == owner
			}
		}
		return false
	})
	act(bob, func() { bobRow.note.FocusLost() }) // Bob leaves the field: his note is saved… or not
	idle(t, bob)
	after, _ := bob.svc.Checklist(ctx, tracker.ChecklistFilter{ChangeID: item.ChangeID})
	for _, it := range after {
		if it.ID == item.ID && (it.Note == "asked the vendor" || it.Owner != owner) {
			t.Errorf("Bob's stale note was written over Alice's edit: %+v", it.ChecklistItem)
		}
	}
	if !overlayShows(bob, "Changed by someone else") {
		t.Error("Bob was not told his note met Alice's edit")
	}

	// Alice reviews a change; Bob has it open and sees the review.
	changeID := item.ChangeID
	act(bob, func() { bob.showChange(changeID) })
	within(t, bob, 30*time.Second, "the change on Bob's screen", func() bool { return bob.changes.detail.cur.ID == changeID })
	if err := alice.svc.ReviewChange(ctx, changeID, "read with counsel"); err != nil {
		t.Fatal(err)
	}
	within(t, bob, 30*time.Second, "Alice's review on Bob's screen", func() bool {
		return strings.Contains(bob.changes.detail.cur.ReviewedBy, "Alice")
	})

	// Everyone's work is in the log under their name, and it verifies.
	by := map[string]map[string]int{}
	entries, err := admin.AuditLog(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if by[e.Action] == nil {
			by[e.Action] = map[string]int{}
		}
		by[e.Action][e.Actor]++
	}
	if by["version.add"]["watch-1"] == 0 || by["version.add"]["watch-2"] == 0 ||
		by["version.add"]["watch-1"]+by["version.add"]["watch-2"] != docs+4 {
		t.Errorf("versions logged by %v", by["version.add"])
	}
	if by["checklist.update"]["Alice <alice@acme.example>"] != 2 || by["checklist.update"]["Bob <bob@acme.example>"] != 0 {
		t.Errorf("checklist edits logged by %v", by["checklist.update"])
	}
	if by["change.reviewed"]["Alice <alice@acme.example>"] != 1 {
		t.Errorf("reviews logged by %v", by["change.reviewed"])
	}
	if v, err := admin.VerifyArchive(ctx); err != nil || !v.OK() {
		t.Fatalf("the team archive does not verify: %+v %v", v.Problems, err)
	}
}

// overlayShows reports whether the dialog on u's window contains text.
func overlayShows(u *UI, text string) bool {
	var shown string
	act(u, func() { shown = overlayText(u) })
	return strings.Contains(shown, text)
}
