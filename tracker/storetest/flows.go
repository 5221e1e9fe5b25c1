package storetest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"policywatch/internal/testpolicies"
	"policywatch/tracker"
)

func init() {
	register(
		test{"CheckArchivesVerifiesAndAnalyses", testCheckFlow},
		test{"ConcurrentWritersKeepTheChain", testConcurrentWriters},
		test{"TwoDesktopsEditOneItem", testTwoDesktopsEditOneItem},
	)
}

// pages serves documents whose bodies a test can swap.
type pages struct {
	mu   sync.Mutex
	body map[string]string
}

func newPages(t *testing.T) (*pages, *httptest.Server) {
	p := &pages{body: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		body, ok := p.body[r.URL.Path]
		p.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return p, srv
}

func (p *pages) set(path, text string) {
	p.mu.Lock()
	p.body[path] = testpolicies.Page(text)
	p.mu.Unlock()
}

func testPolicy(t *testing.T, rel string) string {
	t.Helper()
	text, err := testpolicies.File(rel)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// testCheckFlow checks a document three times over HTTP (archived,
// verified, changed), analyses the change, edits its checklist and
// re-analyses, and the archive still verifies.
func testCheckFlow(t *testing.T, h Harness) {
	ctx := context.Background()
	st, _ := open(t, h)
	svc := evidenceService(t, st)
	site, srv := newPages(t)
	site.set("/privacy", testPolicy(t, "Northwind Chat/Privacy Policy/2025-03-03T09-00-00Z.md"))
	id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Northwind Chat", URL: srv.URL + "/privacy", Kind: "privacy-policy", Select: "main"})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := svc.Check(ctx, tracker.CheckOptions{})
	if err != nil || sum.Checked != 1 || sum.Changed != 1 || len(sum.NewChanges) != 0 {
		t.Fatalf("first check: %+v %v", sum, err)
	}
	sum, err = svc.Check(ctx, tracker.CheckOptions{})
	if err != nil || sum.Unchanged != 1 {
		t.Fatalf("second check: %+v %v", sum, err)
	}
	site.set("/privacy", testPolicy(t, "Northwind Chat/Privacy Policy/2025-09-01T09-00-00Z.md"))
	sum, err = svc.Check(ctx, tracker.CheckOptions{Platforms: []string{"northwind-chat"}})
	if err != nil || sum.Changed != 1 || len(sum.NewChanges) != 1 || !strings.HasPrefix(sum.Seal, "checkpoint ") {
		t.Fatalf("third check: %+v %v", sum, err)
	}
	hist, err := svc.DocumentHistory(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Versions) != 2 || len(hist.Checks) != 3 || hist.Checks[1].Status != tracker.CheckUnchanged {
		t.Fatalf("history: %d versions, checks %+v", len(hist.Versions), hist.Checks)
	}
	d, err := svc.Change(ctx, sum.NewChanges[0])
	if err != nil {
		t.Fatal(err)
	}
	if !d.Substantive || len(d.Record.Findings) == 0 || len(d.Checklist) == 0 {
		t.Fatalf("change not analysed: substantive=%t findings=%d checklist=%d", d.Substantive, len(d.Record.Findings), len(d.Checklist))
	}
	st2 := tracker.StatusDone
	if _, err := svc.UpdateChecklistItem(ctx, d.Checklist[0].ID, tracker.ChecklistUpdate{Status: &st2}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Reanalyse(ctx, nil); err != nil {
		t.Fatal(err)
	}
	again, err := svc.Change(ctx, d.ID)
	if err != nil || len(again.Checklist) != len(d.Checklist) || again.Checklist[0].Status != tracker.StatusDone {
		t.Fatalf("re-analysis changed the checklist: %v", err)
	}
	o, err := svc.Overview(ctx)
	if err != nil || o.Versions != 2 || o.Changes != 1 || o.TrackedDocuments < 1 || o.LastCheck.IsZero() {
		t.Errorf("overview: %+v %v", o, err)
	}
	v, err := svc.VerifyArchive(ctx)
	if err != nil || !v.OK() || v.Versions != 2 || v.Analyses != 1 {
		t.Fatalf("verify after the checks: %+v %v", v, err)
	}
}

// testConcurrentWriters: writers in several processes (here: the archive
// opened three times) append to the log at once; every append lands, in one
// unbroken chain.
func testConcurrentWriters(t *testing.T, h Harness) {
	ctx := context.Background()
	st, loc := open(t, h)
	service(t, st, "setup") // starts the log
	const processes, workers, each = 3, 3, 8
	var wg sync.WaitGroup
	errs := make(chan error, processes*workers)
	for p := 0; p < processes; p++ {
		store := st
		if p > 0 {
			store = reopen(t, h, loc)
		}
		svc := service(t, store, fmt.Sprintf("desktop-%d", p))
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					if err := svc.SetSetting(ctx, fmt.Sprintf("note-%d-%d", p, w), fmt.Sprint(i)); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	n, err := service(t, st, "checker").VerifyAudit(ctx)
	if err != nil || n != 1+processes*workers*each {
		t.Fatalf("after concurrent writers: %d entries (want %d), %v", n, 1+processes*workers*each, err)
	}
	byActor := map[string]int{}
	view(t, st, func(tx tracker.Tx) error {
		return tx.EachAudit(0, func(e tracker.AuditEntry) error { byActor[e.Actor]++; return nil })
	})
	for p := 0; p < processes; p++ {
		if got := byActor[fmt.Sprintf("desktop-%d", p)]; got != workers*each {
			t.Errorf("desktop-%d has %d entries, want %d", p, got, workers*each)
		}
	}
}

// testTwoDesktopsEditOneItem: two people edit one checklist item from what
// their screens show; the second sees the first's edit instead of
// overwriting it, and each edit is logged under its author.
func testTwoDesktopsEditOneItem(t *testing.T, h Harness) {
	ctx := context.Background()
	svcA, loc := evidenceArchive(t, h)
	svcB := service(t, reopen(t, h, loc), "Bob <bob@acme.example>")
	c := HighChange(t, svcA)
	rowsA, err := svcA.Checklist(ctx, tracker.ChecklistFilter{ChangeID: c.ID})
	if err != nil || len(rowsA) == 0 {
		t.Fatalf("checklist: %v", err)
	}
	rowsB, _ := svcB.Checklist(ctx, tracker.ChecklistFilter{ChangeID: c.ID})
	shownA, shownB := rowsA[0].ChecklistItem, rowsB[0].ChecklistItem
	if shownA.ID != shownB.ID || shownA.Version != shownB.Version {
		t.Fatalf("the two desktops show different items: %+v %+v", shownA, shownB)
	}
	noteB := "asked the vendor"
	if _, err := svcB.UpdateChecklistItem(ctx, shownB.ID, tracker.ChecklistUpdate{Note: &noteB, Version: shownB.Version}); err != nil {
		t.Fatal(err)
	}
	noteA, done := "nothing to do", tracker.StatusDone
	_, err = svcA.UpdateChecklistItem(ctx, shownA.ID, tracker.ChecklistUpdate{Note: &noteA, Status: &done, Version: shownA.Version})
	var conflict *tracker.ConflictError
	if !errors.As(err, &conflict) || !errors.Is(err, tracker.ErrConflict) {
		t.Fatalf("the second edit: %v, want a *ConflictError", err)
	}
	if conflict.Item.Note != noteB || conflict.By != "Bob <bob@acme.example>" || conflict.Item.Version != shownA.Version+1 ||
		!strings.Contains(err.Error(), "Bob") || !strings.Contains(err.Error(), noteB) {
		t.Errorf("the conflict does not show Bob's edit: %+v (%v)", conflict, err)
	}
	now, err := svcA.Checklist(ctx, tracker.ChecklistFilter{ChangeID: c.ID})
	if err != nil || now[0].Note != noteB || now[0].Status == tracker.StatusDone {
		t.Fatalf("the refused edit changed the item: %+v %v", now[0], err)
	}
	// Having seen Bob's note, Alice saves hers over it.
	if _, err := svcA.UpdateChecklistItem(ctx, shownA.ID, tracker.ChecklistUpdate{Note: &noteA, Status: &done, Version: conflict.Item.Version}); err != nil {
		t.Fatal(err)
	}
	var actors []string
	view(t, svcA.Store(), func(tx tracker.Tx) error {
		return tx.EachAudit(0, func(e tracker.AuditEntry) error {
			if e.Subject == fmt.Sprintf("checklist:%d", shownA.ID) && e.Action != "checklist.create" {
				actors = append(actors, e.Actor)
			}
			return nil
		})
	})
	if strings.Join(actors, "|") != "Bob <bob@acme.example>|tester" {
		t.Errorf("edits logged as %q", actors)
	}
	if v, err := svcA.VerifyArchive(ctx); err != nil || !v.OK() {
		t.Fatalf("verify: %+v %v", v.Problems, err)
	}
}

func init() {
	register(test{"LiveUpdatesReachOtherDesktops", testLiveUpdates})
}

// testLiveUpdates: a desktop subscribed to the archive hears, in log order
// and each once, the review and checklist edit another desktop makes.
func testLiveUpdates(t *testing.T, h Harness) {
	svcA, loc := evidenceArchive(t, h)
	svcB := service(t, reopen(t, h, loc), "Bob <bob@acme.example>")
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan tracker.AuditEntry, 100)
	done := make(chan error, 1)
	head, err := svcA.LogHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		done <- svcA.Follow(ctx, head, func(batch []tracker.AuditEntry) {
			for _, e := range batch {
				got <- e
			}
		})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	next := func(what string) tracker.AuditEntry {
		t.Helper()
		select {
		case e := <-got:
			return e
		case <-time.After(30 * time.Second):
			t.Fatalf("no live update for %s", what)
		}
		return tracker.AuditEntry{}
	}
	c := HighChange(t, svcB)
	if err := svcB.ReviewChange(ctx, c.ID, "seen"); err != nil {
		t.Fatal(err)
	}
	rows, err := svcB.Checklist(ctx, tracker.ChecklistFilter{ChangeID: c.ID})
	if err != nil || len(rows) == 0 {
		t.Fatalf("checklist: %v", err)
	}
	owner := "bob@acme.example"
	if _, err := svcB.UpdateChecklistItem(ctx, rows[0].ID, tracker.ChecklistUpdate{Owner: &owner, Version: rows[0].Version}); err != nil {
		t.Fatal(err)
	}
	review := next("the review")
	edit := next("the checklist edit")
	if review.Action != "change.reviewed" || review.Subject != fmt.Sprintf("change:%d", c.ID) || review.Actor != "Bob <bob@acme.example>" {
		t.Errorf("first update %+v", review)
	}
	if edit.Action != "checklist.update" || edit.Subject != fmt.Sprintf("checklist:%d", rows[0].ID) || edit.ID != review.ID+1 {
		t.Errorf("second update %+v", edit)
	}
	select {
	case e := <-got:
		t.Errorf("an entry heard twice or unasked: %+v", e)
	case <-time.After(100 * time.Millisecond):
	}
}
