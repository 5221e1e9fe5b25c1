package storetest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"policywatch/tracker"
)

func init() {
	register(
		test{"AlertChannelsAndDeliveries", testAlertTx},
		test{"FailureStreaks", testFailureStreaks},
		test{"CheckLockRow", testCheckLockRow},
		test{"RoundAlertsOnceUnderTheLock", testRoundAlertsOnce},
		test{"ChecklistLinks", testChecklistLinks},
	)
}

// testAlertTx: channels, deliveries and decisions as the dispatcher uses them.
func testAlertTx(t *testing.T, h Harness) {
	st, _ := open(t, h)
	a, b := changeFixture(t, st)
	var hook, mail, desk tracker.AlertChannel
	update(t, st, func(tx tracker.Tx) error {
		// A migration may have made the desktop channel already.
		existing, err := tx.AlertChannels()
		if err != nil {
			return err
		}
		for _, c := range existing {
			if err := tx.RemoveAlertChannel(c.ID, day(0)); err != nil {
				return err
			}
		}
		hook = tracker.AlertChannel{Kind: tracker.ChannelWebhook, Target: "hooks.example (slack)", Format: "slack", SecretRef: "alert-channel/1",
			Rules: tracker.AlertRules{MinExposure: "medium", Jurisdictions: []string{"EU", "UK"}, Categories: []string{"retention"},
				Platforms: []string{"alpha"}, Digest: "none", HealthChecks: 3, HealthDays: 7}, CreatedAt: day(1)}
		mail = tracker.AlertChannel{Kind: tracker.ChannelEmail, Target: "dpo@acme.example", EmailTo: "dpo@acme.example",
			EmailFrom: "pw@acme.example", SMTP: "smtp://pw@mail.acme.example:587", Rules: tracker.AlertRules{MinExposure: "low", Digest: "weekly"},
			AttachPDF: true, CreatedAt: day(1)}
		desk = tracker.AlertChannel{Kind: tracker.ChannelDesktop, Target: "desktop", Rules: tracker.AlertRules{MinExposure: "high", Digest: "none"}, CreatedAt: day(1)}
		for _, c := range []*tracker.AlertChannel{&hook, &mail, &desk} {
			if err := tx.InsertAlertChannel(c); err != nil {
				return err
			}
		}
		return tx.SetAlertDigestAt(mail.ID, day(2))
	})
	view(t, st, func(tx tracker.Tx) error {
		list, err := tx.AlertChannels()
		if err != nil {
			return err
		}
		if len(list) != 3 || !reflect.DeepEqual(list[0], hook) || list[1].LastDigestAt != day(2) || !list[1].AttachPDF {
			t.Errorf("channels read back: %+v\nwant first %+v", list, hook)
		}
		// Every substantive change, oldest first; none is decided yet.
		und, err := tx.UndecidedChanges(hook.ID, day(0), 10)
		if err != nil {
			return err
		}
		if got := changeIDs(und); !reflect.DeepEqual(got, []int64{a.changes[0].ID, b.changes[0].ID, a.changes[2].ID}) {
			t.Errorf("undecided changes %v", got)
		}
		return nil
	})
	now := day(40)
	var d1 tracker.AlertDelivery
	update(t, st, func(tx tracker.Tx) error {
		d1 = tracker.AlertDelivery{ChannelID: hook.ID, Kind: "change", Key: "change:1", Subject: "High: Alpha", Status: tracker.DeliveryPending,
			NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
		ok, err := tx.InsertAlertDelivery(&d1)
		if err != nil || !ok || d1.ID == 0 {
			t.Errorf("first delivery: %v %v %d", ok, err, d1.ID)
		}
		again := d1
		again.ID = 0
		if ok, err := tx.InsertAlertDelivery(&again); err != nil || ok {
			t.Errorf("the same alert queued twice: %v %v", ok, err)
		}
		if ok, err := tx.DecideAlertItem(hook.ID, a.changes[0].ID, tracker.ItemDelivery, d1.ID, now); err != nil || !ok {
			t.Errorf("decide: %v %v", ok, err)
		}
		if ok, err := tx.DecideAlertItem(hook.ID, a.changes[0].ID, tracker.ItemSkipped, 0, now); err != nil || ok {
			t.Errorf("decided twice: %v %v", ok, err)
		}
		for _, c := range []int64{b.changes[0].ID, a.changes[2].ID} {
			if _, err := tx.DecideAlertItem(mail.ID, c, tracker.ItemQueued, 0, now); err != nil {
				return err
			}
		}
		digest := tracker.AlertDelivery{ChannelID: mail.ID, Kind: "digest", Key: "digest:1", Status: tracker.DeliveryPending,
			NextAttemptAt: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now}
		if _, err := tx.InsertAlertDelivery(&digest); err != nil {
			return err
		}
		if n, err := tx.DeliverQueuedItems(mail.ID, digest.ID); err != nil || n != 2 {
			t.Errorf("digest gathered %d items, %v", n, err)
		}
		if ids, err := tx.DeliveryChanges(digest.ID); err != nil || !reflect.DeepEqual(ids, []int64{a.changes[2].ID, b.changes[0].ID}) &&
			!reflect.DeepEqual(ids, []int64{b.changes[0].ID, a.changes[2].ID}) || len(ids) != 2 {
			t.Errorf("digest changes %v %v", ids, err)
		}
		deskDelivery := tracker.AlertDelivery{ChannelID: desk.ID, Kind: "change", Key: "change:1", Status: tracker.DeliveryPending,
			NextAttemptAt: now.Add(-time.Hour), CreatedAt: now, UpdatedAt: now}
		_, err = tx.InsertAlertDelivery(&deskDelivery)
		return err
	})
	view(t, st, func(tx tracker.Tx) error {
		und, _ := tx.UndecidedChanges(hook.ID, day(0), 10)
		if len(und) != 2 {
			t.Errorf("after a decision, %d undecided", len(und))
		}
		limited, _ := tx.UndecidedChanges(mail.ID, day(0), 1)
		if len(limited) != 1 || limited[0].ID != a.changes[0].ID {
			t.Errorf("limit: %v", changeIDs(limited))
		}
		due, err := tx.DueAlertDeliveries(now)
		if err != nil {
			return err
		}
		var keys []string
		for _, d := range due {
			keys = append(keys, d.Kind+"@"+d.NextAttemptAt.Format("15:04"))
		}
		// Due now: the desktop one (an hour ago) then the webhook's; not the digest.
		if strings.Join(keys, ",") != "change@23:00,change@00:00" {
			t.Errorf("due deliveries %v", keys)
		}
		next, err := tx.NextAlertAttempt()
		if err != nil || !next.Equal(now) {
			t.Errorf("next attempt %v (%v), want %v: desktop channels aside", next, err, now)
		}
		return nil
	})
	update(t, st, func(tx tracker.Tx) error {
		ok, err := tx.ClaimAlertDelivery(d1.ID, "watch@host", now)
		if err != nil || !ok {
			t.Errorf("claim: %v %v", ok, err)
		}
		if ok, _ := tx.ClaimAlertDelivery(d1.ID, "app@host", now); ok {
			t.Error("a delivery claimed twice")
		}
		d1.Status, d1.LastError, d1.UpdatedAt, d1.NextAttemptAt = tracker.DeliveryPending, "HTTP 500", now.Add(time.Minute), now.Add(5*time.Minute)
		return tx.FinishAlertDelivery(d1, "HTTP 500")
	})
	update(t, st, func(tx tracker.Tx) error {
		if _, err := tx.ClaimAlertDelivery(d1.ID, "watch@host", now.Add(5*time.Minute)); err != nil {
			return err
		}
		d1.Status, d1.LastError, d1.UpdatedAt, d1.SentAt, d1.NextAttemptAt = tracker.DeliverySent, "", now.Add(6*time.Minute), now.Add(6*time.Minute), time.Time{}
		return tx.FinishAlertDelivery(d1, "")
	})
	view(t, st, func(tx tracker.Tx) error {
		sent, err := tx.AlertDeliveriesIn(tracker.DeliverySent)
		if err != nil || len(sent) != 1 || sent[0].Attempts != 2 || sent[0].ClaimedBy != "watch@host" || !sent[0].SentAt.Equal(now.Add(6*time.Minute)) ||
			!sent[0].NextAttemptAt.IsZero() {
			t.Errorf("sent deliveries %+v %v", sent, err)
		}
		all, _ := tx.AlertDeliveries(0, 0)
		mine, _ := tx.AlertDeliveries(hook.ID, 0)
		newest, _ := tx.AlertDeliveries(0, 1)
		if len(all) != 3 || len(mine) != 1 || len(newest) != 1 || newest[0].ChannelID != desk.ID {
			t.Errorf("deliveries: all %d, channel %d, newest %+v", len(all), len(mine), newest)
		}
		return nil
	})
	update(t, st, func(tx tracker.Tx) error {
		if err := tx.RemoveAlertChannel(desk.ID, now); err != nil {
			return err
		}
		if err := tx.RemoveAlertChannel(desk.ID, now); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("removing twice: %v", err)
		}
		return nil
	})
	view(t, st, func(tx tracker.Tx) error {
		list, _ := tx.AlertChannels()
		due, _ := tx.DueAlertDeliveries(now.Add(2 * time.Hour))
		if len(list) != 2 || len(due) != 1 || due[0].Kind != "digest" {
			t.Errorf("after removing a channel: %d channels, due %+v", len(list), due)
		}
		return nil
	})
}

func testFailureStreaks(t *testing.T, h Harness) {
	st, _ := open(t, h)
	var ok, failing, recovered fixture
	update(t, st, func(tx tracker.Tx) error {
		ok = buildFixture(t, tx, "Okay", 1)
		failing = buildFixture(t, tx, "Failing", 1)
		recovered = buildFixture(t, tx, "Recovered", 1)
		events := []tracker.CheckEvent{
			{DocumentID: ok.doc.ID, At: day(1), Status: tracker.CheckUnchanged},
			{DocumentID: failing.doc.ID, At: day(1), Status: tracker.CheckUnchanged},
			{DocumentID: failing.doc.ID, At: day(2), Status: tracker.CheckFailed, Reason: "blocked"},
			{DocumentID: failing.doc.ID, At: day(3), Status: tracker.CheckFailed, Reason: "timeout", Detail: "slow"},
			{DocumentID: recovered.doc.ID, At: day(1), Status: tracker.CheckFailed, Reason: "network"},
			{DocumentID: recovered.doc.ID, At: day(2), Status: tracker.CheckUnchanged},
		}
		for i := range events {
			if err := tx.InsertCheckEvent(&events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, st, func(tx tracker.Tx) error {
		streaks, err := tx.FailureStreaks()
		if err != nil {
			return err
		}
		if len(streaks) != 1 {
			t.Fatalf("failing documents: %+v", streaks)
		}
		f := streaks[0]
		if f.DocumentID != failing.doc.ID || f.Failures != 2 || !f.First.Equal(day(2)) || !f.Last.Equal(day(3)) ||
			f.Reason != "timeout" || f.Detail != "slow" || f.PlatformSlug != "failing" || f.FirstID == 0 {
			t.Errorf("streak %+v", f)
		}
		return nil
	})
}

func testCheckLockRow(t *testing.T, h Harness) {
	st, _ := open(t, h)
	view(t, st, func(tx tracker.Tx) error {
		l, err := tx.CheckLock()
		if err != nil || !l.Free() || !l.LastRound.IsZero() {
			t.Errorf("a new archive's lock: %+v %v", l, err)
		}
		return nil
	})
	want := tracker.CheckLock{Holder: tracker.HolderWatch, Host: "worker-2", PID: 4242, Since: day(1).Add(1500 * time.Millisecond),
		Expires: day(1).Add(2 * time.Minute), LastRound: day(1)}
	update(t, st, func(tx tracker.Tx) error { return tx.SetCheckLock(want) })
	view(t, st, func(tx tracker.Tx) error {
		l, err := tx.CheckLock()
		if err != nil || !reflect.DeepEqual(l, want) {
			t.Errorf("lock %+v, want %+v (%v)", l, want, err)
		}
		return err
	})
}

// hookReceiver counts the posts each path of a webhook receiver gets.
type hookReceiver struct {
	mu    sync.Mutex
	posts map[string]int
}

func newHookReceiver(t *testing.T) (*hookReceiver, *httptest.Server) {
	h := &hookReceiver{posts: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h.mu.Lock()
		h.posts[r.URL.Path]++
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return h, srv
}

func (h *hookReceiver) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.posts[path]
}

// testRoundAlertsOnce: rounds run under the archive's check lock (see
// RoundSharedByTwoWorkers for a lock held by another process), and a
// change reaches a webhook once however many processes dispatch.
func testRoundAlertsOnce(t *testing.T, h Harness) {
	ctx := context.Background()
	st, loc := open(t, h)
	svc := evidenceService(t, st)
	other := service(t, reopen(t, h, loc), "worker-2")
	site, srv := newPages(t)
	site.set("/privacy", testPolicy(t, "Pixel Snap/Privacy Policy/2025-04-08T18-00-00Z.md"))
	if _, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Pixel Snap", URL: srv.URL + "/privacy", Kind: "privacy-policy", Select: "main"}); err != nil {
		t.Fatal(err)
	}
	hooks, hookSrv := newHookReceiver(t)
	if _, err := svc.AddAlertChannel(ctx, tracker.NewAlertChannel{Kind: tracker.ChannelWebhook, WebhookURL: hookSrv.URL + "/team/secret-token",
		Rules: tracker.AlertRules{MinExposure: "none", Digest: "none"}}); err != nil {
		t.Fatal(err)
	}
	if res, err := svc.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderWatch}); err != nil || res.Check.Changed != 1 {
		t.Fatalf("first round: %+v %v", res, err)
	}
	site.set("/privacy", testPolicy(t, "Pixel Snap/Privacy Policy/2026-08-05T18-00-00Z.md"))
	res, err := svc.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderWatch})
	if err != nil || len(res.Check.NewChanges) != 1 || res.Alerts.Sent != 1 || res.AlertErr != nil {
		t.Fatalf("second round: %+v %v", res, err)
	}
	if _, err := other.DispatchAlerts(ctx, tracker.DispatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DispatchAlerts(ctx, tracker.DispatchOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := hooks.count("/team/secret-token"); n != 1 {
		t.Errorf("the webhook got %d posts for one change", n)
	}
	if v, err := svc.VerifyArchive(ctx); err != nil || !v.OK() {
		t.Fatalf("verify: %+v %v", v.Problems, err)
	}
}

func testChecklistLinks(t *testing.T, h Harness) {
	st, _ := open(t, h)
	a, _ := changeFixture(t, st)
	var item tracker.ChecklistItem
	update(t, st, func(tx tracker.Tx) error {
		item = tracker.ChecklistItem{ChangeID: a.changes[0].ID, Category: "retention", Seq: 1, Text: "Ask", Status: tracker.StatusOpen,
			CreatedAt: day(10), UpdatedAt: day(10)}
		if _, err := tx.EnsureChecklistItem(&item); err != nil {
			return err
		}
		got, err := tx.OpenChecklistItemFor(a.doc.ID, "retention", 1)
		if err != nil || got.ID != item.ID {
			t.Errorf("open item for the concern: %+v %v", got, err)
		}
		if _, err := tx.OpenChecklistItemFor(a.doc.ID, "retention", 2); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("no item at that position: %v", err)
		}
		for i, c := range []int64{a.changes[2].ID, a.changes[2].ID} {
			ok, err := tx.LinkChecklistItem(item.ID, c, day(30))
			if err != nil || ok != (i == 0) {
				t.Errorf("link %d: %v %v", i, ok, err)
			}
		}
		return nil
	})
	view(t, st, func(tx tracker.Tx) error {
		rows, err := tx.ListChecklist(tracker.ChecklistFilter{ChangeID: a.changes[2].ID})
		if err != nil || len(rows) != 1 || rows[0].ID != item.ID || !reflect.DeepEqual(rows[0].AlsoRaisedBy, []int64{a.changes[2].ID}) {
			t.Errorf("items a linking change raises: %+v %v", rows, err)
		}
		return nil
	})
	update(t, st, func(tx tracker.Tx) error {
		it, err := tx.ChecklistItemByID(item.ID)
		if err != nil {
			return err
		}
		it.Status = tracker.StatusDone
		return tx.UpdateChecklistItem(it)
	})
	view(t, st, func(tx tracker.Tx) error {
		if _, err := tx.OpenChecklistItemFor(a.doc.ID, "retention", 1); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("a done item is not open: %v", err)
		}
		return nil
	})
}
