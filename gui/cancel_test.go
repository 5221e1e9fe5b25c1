package gui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"policywatch/tracker"
)

// slowServer answers only when the request is abandoned (or after 20 s);
// it reports each request on the returned channel.
func slowServer(t *testing.T) (*httptest.Server, chan struct{}) {
	t.Helper()
	got := make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- struct{}{}:
		default:
		}
		select {
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
	}))
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv, got
}

func TestPreviewCanBeStopped(t *testing.T) {
	srv, got := slowServer(t)
	u, _ := newTestUI(t)
	act(u, u.Start)
	idle(t, u)
	act(u, u.platforms.onAddDocument)
	f := u.platforms.addForm
	act(u, func() {
		test.Type(f.platform, "Slow Corp")
		test.Type(f.url, srv.URL+"/terms")
		test.Tap(f.previewBtn)
	})
	if f.cancelBtn.Hidden || !f.previewBtn.Disabled() {
		t.Fatal("a running preview should offer Stop")
	}
	<-got
	start := time.Now()
	act(u, func() { test.Tap(f.cancelBtn) })
	idle(t, u)
	if time.Since(start) > 5*time.Second {
		t.Errorf("stopping took %s", time.Since(start))
	}
	if f.status.Text != "Preview stopped." || f.previewBtn.Disabled() || !f.cancelBtn.Hidden {
		t.Fatalf("after Stop: status %q", f.status.Text)
	}
}

func TestCheckCanBeCancelled(t *testing.T) {
	srv, got := slowServer(t)
	u, svc := newTestUI(t)
	ctx := context.Background()
	for _, name := range []string{"Slow A", "Slow B"} {
		if _, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: name, URL: srv.URL + "/" + tracker.Slugify(name)}); err != nil {
			t.Fatal(err)
		}
	}
	act(u, u.Start)
	idle(t, u)
	act(u, u.onCheckNow)
	if !u.checker.running() || u.status.cancel.Hidden || u.status.bar.Hidden {
		t.Fatal("a running check should show progress and Cancel")
	}
	act(u, u.onCheckNow) // a second check is refused while one runs
	<-got                // cancel while a document is being fetched
	act(u, func() { test.Tap(u.status.cancel) })
	eventually(t, u, "cancelled check", func() bool { return !u.checker.running() })
	if !strings.HasPrefix(u.status.label.Text, "Check cancelled") || !u.checker.last.Cancelled {
		t.Fatalf("status %q, summary %+v", u.status.label.Text, u.checker.last)
	}
	if !u.status.cancel.Hidden || u.status.check.Disabled() {
		t.Error("the status bar did not return to idle")
	}
}
