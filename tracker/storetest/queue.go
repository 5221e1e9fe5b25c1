package storetest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"policywatch/tracker"

	"policywatch/internal/testpolicies"
)

func init() {
	register(
		test{"QueueHandsEachDocumentOnce", testQueueClaims},
		test{"RoundSharedByTwoWorkers", testSharedRound},
	)
}

// testQueueClaims: workers in two processes claim from one queue at once;
// every document goes to exactly one of them; a claim whose lease ran out
// is handed out again; done documents never are.
func testQueueClaims(t *testing.T, h Harness) {
	ctx := context.Background()
	st, loc := open(t, h)
	other := reopen(t, h, loc)
	claimers := []tracker.QueueClaimer{st.(tracker.QueueClaimer), other.(tracker.QueueClaimer)}
	var docs []int64
	update(t, st, func(tx tracker.Tx) error {
		for i := 0; i < 40; i++ {
			f := buildFixture(t, tx, fmt.Sprintf("Queue %02d", i), 0)
			docs = append(docs, f.doc.ID)
		}
		return tx.QueueRound(day(1), docs)
	})
	view(t, st, func(tx tracker.Tx) error {
		s, err := tx.QueueState()
		if err != nil || s.Waiting != 40 || s.Claimed != 0 || s.Done != 0 || !s.Round.Equal(day(1)) {
			t.Errorf("queue after queueing: %+v %v", s, err)
		}
		return err
	})
	var mu sync.Mutex
	got := map[int64][]string{}
	var wg sync.WaitGroup
	for p, q := range claimers {
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := fmt.Sprintf("p%d-w%d", p, w)
				for {
					ids, err := q.ClaimQueued(ctx, name, 2, day(1).Add(time.Minute), day(1))
					if err != nil {
						t.Error(err)
						return
					}
					if len(ids) == 0 {
						return
					}
					mu.Lock()
					for _, id := range ids {
						got[id] = append(got[id], name)
					}
					mu.Unlock()
					time.Sleep(2 * time.Millisecond) // checking them
				}
			}()
		}
	}
	wg.Wait()
	if len(got) != len(docs) {
		t.Errorf("%d of %d documents claimed", len(got), len(docs))
	}
	workers := map[string]bool{}
	for id, by := range got {
		if len(by) != 1 {
			t.Errorf("document %d claimed by %v", id, by)
		}
		workers[by[0]] = true
	}
	if len(workers) < 2 {
		t.Errorf("one worker claimed everything: %v", workers)
	}
	// Ten are done; the other claims run out and are handed out again.
	update(t, st, func(tx tracker.Tx) error {
		for _, id := range docs[:10] {
			if err := tx.FinishQueued(id, day(1).Add(2*time.Minute)); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, st, func(tx tracker.Tx) error {
		s, err := tx.QueueState()
		if err != nil || s.Waiting != 0 || s.Claimed != 30 || s.Done != 10 {
			t.Errorf("queue mid-round: %+v %v", s, err)
		}
		return err
	})
	if ids, err := claimers[0].ClaimQueued(ctx, "late", 100, day(1).Add(3*time.Minute), day(1)); err != nil || len(ids) != 0 {
		t.Errorf("live claims handed out again: %v %v", ids, err)
	}
	ids, err := claimers[1].ClaimQueued(ctx, "rescuer", 100, day(1).Add(20*time.Minute), day(1).Add(10*time.Minute))
	if err != nil || len(ids) != 30 {
		t.Fatalf("stale claims taken over: %d, %v", len(ids), err)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	if ids[0] != docs[10] {
		t.Errorf("a done document was handed out again: %v", ids[:3])
	}
	// A new round replaces the old one.
	update(t, st, func(tx tracker.Tx) error { return tx.QueueRound(day(2), docs[:5]) })
	view(t, st, func(tx tracker.Tx) error {
		s, err := tx.QueueState()
		if err != nil || s.Waiting != 5 || s.Done != 0 || !s.Round.Equal(day(2)) {
			t.Errorf("the next round: %+v %v", s, err)
		}
		return err
	})
}

// testSharedRound: a worker starts a full round and checks one document at
// a time; a second worker, finding the round under way, checks the others
// from its queue. Every document is checked once, by one of them, each
// check attributed in the archive to its round; the lock is free after.
func testSharedRound(t *testing.T, h Harness) {
	ctx := context.Background()
	st, loc := open(t, h)
	first := service(t, st, "worker-1")
	second := service(t, reopen(t, h, loc), "worker-2")
	var mu sync.Mutex
	hits := map[string]int{}
	firstRequest := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		n := hits[r.URL.Path]
		mu.Unlock()
		if r.URL.Path == "/doc-00" && n == 1 {
			once.Do(func() { close(firstRequest) })
			<-release // the first worker is slow on its first document
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, testpolicies.Page(strings.Repeat("Section "+r.URL.Path+". We keep your data for as long as needed to run the service.\n\n", 5)))
	}))
	t.Cleanup(srv.Close)
	const n = 12
	for i := 0; i < n; i++ {
		if _, err := first.AddDocument(ctx, tracker.NewDocument{PlatformName: fmt.Sprintf("Shared %02d", i),
			URL: fmt.Sprintf("%s/doc-%02d", srv.URL, i), Kind: "privacy-policy", Select: "main"}); err != nil {
			t.Fatal(err)
		}
	}
	type outcome struct {
		res tracker.RoundResult
		err error
	}
	done1 := make(chan outcome, 1)
	go func() {
		res, err := first.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderWatch, Check: tracker.CheckOptions{Concurrency: 1}})
		done1 <- outcome{res, err}
	}()
	select {
	case <-firstRequest:
	case <-time.After(30 * time.Second):
		t.Fatal("the first worker never fetched")
	}
	// A check of some documents waits for the round: one checker at a time.
	_, err := second.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderGUI, Check: tracker.CheckOptions{Platforms: []string{"shared-05"}}})
	var locked *tracker.LockedError
	if !errors.As(err, &locked) || !strings.Contains(err.Error(), "policywatch watch") {
		t.Fatalf("a partial check during the round: %v", err)
	}
	res2, err := second.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderWatch, Check: tracker.CheckOptions{Concurrency: 4}})
	close(release)
	if err != nil || !res2.Helped || res2.Check.Checked != n-1 {
		t.Fatalf("the second worker: %+v %v", res2, err)
	}
	o1 := <-done1
	if o1.err != nil || o1.res.Helped || o1.res.Check.Checked != 1 || o1.res.Check.Total != n {
		t.Fatalf("the first worker: %+v %v", o1.res, o1.err)
	}
	for i := 0; i < n; i++ {
		if got := hits[fmt.Sprintf("/doc-%02d", i)]; got != 1 {
			t.Errorf("document %d fetched %d times", i, got)
		}
	}
	view(t, st, func(tx tracker.Tx) error {
		docs, err := tx.ListDocuments(tracker.DocumentFilter{TrackedOrArchived: true})
		for _, d := range docs {
			evs, err := tx.ListCheckEvents(d.ID)
			if err != nil || len(evs) != 1 {
				t.Errorf("document %d has %d check events (%v)", d.ID, len(evs), err)
			}
		}
		s, err2 := tx.QueueState()
		if err2 != nil || s.Done != n || s.Waiting+s.Claimed != 0 {
			t.Errorf("queue after the round: %+v %v", s, err2)
		}
		return errors.Join(err, err2)
	})
	if l, err := first.CheckLockState(ctx); err != nil || !l.Free() || l.LastRound.IsZero() {
		t.Errorf("lock after the round: %+v %v", l, err)
	}
	// Each worker's versions are logged under its own name.
	by := map[string]int{}
	view(t, st, func(tx tracker.Tx) error {
		return tx.EachAudit(0, func(e tracker.AuditEntry) error {
			if e.Action == "version.add" {
				by[e.Actor]++
			}
			return nil
		})
	})
	if by["worker-1"] != 1 || by["worker-2"] != n-1 {
		t.Errorf("versions logged by %v", by)
	}
}
