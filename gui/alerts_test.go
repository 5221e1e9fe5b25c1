package gui

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"policywatch/tracker"
	"policywatch/tracker/alerts"
	"policywatch/tracker/secrets"
)

// webhookSink records the JSON alerts posted to it.
type webhookSink struct {
	mu    sync.Mutex
	posts []alerts.Payload
}

func (s *webhookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var p alerts.Payload
	json.Unmarshal(b, &p)
	s.mu.Lock()
	s.posts = append(s.posts, p)
	s.mu.Unlock()
}

func (s *webhookSink) got() []alerts.Payload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]alerts.Payload(nil), s.posts...)
}

func TestAlertChannelAddTestAndRemoveInSettings(t *testing.T) {
	store := secrets.New(filepath.Join(t.TempDir(), "secrets.json"), secrets.FileOnly, nil)
	u, svc := newTestUI(t, tracker.WithSecrets(store))
	sink := &webhookSink{}
	hook := httptest.NewServer(sink)
	t.Cleanup(hook.Close)
	p, srv := policyServer(t)
	act(u, u.Start)
	idle(t, u)
	a := u.settings.alerts
	if len(a.channels) != 1 || !strings.HasPrefix(channelLine(a.channels[0]), "Shown as desktop notifications") {
		t.Fatalf("channels of a new archive: %+v", a.channels)
	}

	// A refused form stays open and says why.
	act(u, func() { test.Tap(a.addHook) })
	f := a.form
	act(u, func() {
		test.Type(f.url, "not a url")
		a.onSubmit(f)
	})
	idle(t, u)
	if a.form == nil {
		t.Fatal("the form closed on a refused address")
	}
	act(u, func() {
		f.url.SetText(hook.URL + "/hooks/secret-token-123")
		f.level.SetSelected("Low exposure and above")
		test.Type(f.health, "3")
		a.onSubmit(f)
	})
	eventually(t, u, "channel listed", func() bool { return len(a.channels) == 2 })
	c := a.channels[1]
	if c.Kind != tracker.ChannelWebhook || c.Rules.MinExposure != tracker.ExposureLow || c.Rules.HealthChecks != 3 ||
		strings.Contains(c.Target, "secret-token") || a.empty.Visible() || !strings.Contains(channelLine(a.channels[0]), "High exposure only") && !strings.Contains(channelLine(a.channels[0]), "High exposure and above") {
		t.Fatalf("channel %+v", c)
	}
	line := channelLine(c)
	if !strings.Contains(line, "Webhook to "+strings.TrimPrefix(hook.URL, "")) || strings.Contains(line, "secret-token") ||
		!strings.Contains(line, "health alerts after 3 failed checks") {
		t.Errorf("row %q", line)
	}

	act(u, func() { a.onTest(c.ID) })
	eventually(t, u, "test posted", func() bool { return len(sink.got()) == 1 })
	if sink.got()[0].Type != alerts.KindTest {
		t.Errorf("test payload %+v", sink.got()[0])
	}

	// A check from the app alerts the channel about the change it finds.
	id := seedDocument(t, svc, p, srv)
	act(u, u.onCheckNow)
	eventually(t, u, "first check", func() bool { return !u.checker.running() })
	p.set(policyAfter...)
	act(u, u.onCheckNow)
	eventually(t, u, "change alert", func() bool { return len(sink.got()) == 2 })
	got := sink.got()[1]
	if got.Type != alerts.KindChange || len(got.Changes) != 1 || got.Changes[0].DocumentID != id {
		t.Errorf("change payload %+v", got)
	}
	eventually(t, u, "counts shown", func() bool { return len(a.channels) == 2 && a.channels[1].Sent == 2 })

	act(u, func() { a.remove(c.ID) })
	eventually(t, u, "channel removed", func() bool { return len(a.channels) == 1 })
	if list, _ := svc.AlertChannels(context.Background()); len(list) != 1 || list[0].Kind != tracker.ChannelDesktop {
		t.Errorf("channels after removal %+v", list)
	}
	// Removing the desktop channel turns Notify me off.
	act(u, func() { a.remove(a.channels[0].ID) })
	eventually(t, u, "desktop channel removed", func() bool {
		return len(a.channels) == 0 && a.empty.Visible() && u.settings.notify.Selected == "No notifications"
	})
}

// seedDocument adds the policy server's document, tracked.
func seedDocument(t *testing.T, svc *tracker.Service, p *page, srv *httptest.Server) int64 {
	t.Helper()
	p.set(policyBefore...)
	id, err := svc.AddDocument(context.Background(), tracker.NewDocument{PlatformName: "Example Corp",
		URL: srv.URL + "/privacy", Kind: tracker.KindPrivacyPolicy, Select: "main"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestChangeLinkOpensTheChange(t *testing.T) {
	u, svc := newTestUI(t)
	p, srv := policyServer(t)
	id := seedChange(t, u, svc, p, srv, "Example Corp")
	u.opts.OpenChange = id
	act(u, u.Start)
	eventually(t, u, "change shown", func() bool { return u.changes.detail.cur.ID == id })
	if u.tabs.SelectedIndex() != tabChanges {
		t.Errorf("tab %d", u.tabs.SelectedIndex())
	}
}

func TestSchedulerRunsADueRoundInTheApp(t *testing.T) {
	u, svc := newTestUI(t)
	p, srv := policyServer(t)
	seedDocument(t, svc, p, srv)
	ctx := context.Background()
	if err := svc.SetSetting(ctx, SettingCheckInterval, "6"); err != nil {
		t.Fatal(err)
	}
	act(u, u.Start)
	idle(t, u)
	done := make(chan struct{})
	go func() { u.runScheduler(); close(done) }()
	eventually(t, u, "scheduled round", func() bool {
		h, _ := svc.Documents(ctx, "example-corp")
		return len(h) == 1 && h[0].LastCheck != nil && !u.checker.running()
	})
	l, err := svc.CheckLockState(ctx)
	if err != nil || !l.Free() || l.LastRound.IsZero() {
		t.Errorf("lock after the scheduled round %+v %v", l, err)
	}
	u.cancel()
	<-done
}
