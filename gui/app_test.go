package gui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/sqlite"
)

// newTestUI builds the main window on a fresh archive with the test driver.
func newTestUI(t *testing.T) (*UI, *tracker.Service) {
	t.Helper()
	test.NewTempApp(t)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "gui.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := tracker.NewService(ctx, db, cat, tracker.WithActor("tester"))
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	u := NewUI(svc, w, "test")
	w.SetContent(u.Build())
	return u, svc
}

// eventually waits for background work to settle, then checks cond; it
// retries briefly because a delivered result may start more work.
func eventually(t *testing.T, u *UI, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		u.WaitIdle()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestMainWindowTabsShowStoreData(t *testing.T) {
	u, svc := newTestUI(t)
	ctx := context.Background()
	if _, err := svc.SetTracked(ctx, "revolut", true); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme Bank", Jurisdictions: []string{"EU", "UK"}}); err != nil {
		t.Fatal(err)
	}
	u.Refresh()
	var names []string
	for _, item := range u.Tabs().Items {
		names = append(names, item.Text)
	}
	if got := strings.Join(names, ","); got != "Dashboard,Platforms,Changes,Checklist,Reports,Settings" {
		t.Fatalf("tabs: %s", got)
	}
	eventually(t, u, "dashboard counts", func() bool { return strings.Contains(u.dashboard.counts.Text, "documents tracked") })
	if docs, _ := svc.Documents(ctx, "revolut"); !strings.HasPrefix(u.dashboard.counts.Text, strconv.Itoa(len(docs))+" documents tracked") {
		t.Errorf("dashboard counts %q, want %d tracked", u.dashboard.counts.Text, len(docs))
	}
	eventually(t, u, "platform list", func() bool { return len(u.platforms.shown) >= 40 })
	u.WaitIdle()
	test.Type(u.platforms.search, "revol")
	if len(u.platforms.shown) != 1 || u.platforms.shown[0].Slug != "revolut" || u.platforms.shown[0].Tracked == 0 {
		t.Fatalf("search for revol: %+v", u.platforms.shown)
	}
	eventually(t, u, "settings profile", func() bool { return u.settings.organisation.Text == "Acme Bank" })
	if len(u.settings.jurisdictions.Selected) != 2 {
		t.Errorf("settings jurisdictions: %v", u.settings.jurisdictions.Selected)
	}
	eventually(t, u, "changes empty state", func() bool { return u.changes.total.Text == "No changes yet." })
	eventually(t, u, "checklist empty state", func() bool { return strings.Contains(u.checklist.header.Text, "No checklist items") })
}

func TestSettingsSaveProfileIsAudited(t *testing.T) {
	u, svc := newTestUI(t)
	u.Refresh()
	eventually(t, u, "settings load", func() bool { return u.settings.role.Selected == "controller" })
	u.WaitIdle()
	test.Type(u.settings.organisation, "Acme")
	u.settings.jurisdictions.SetSelected([]string{"US-CA"})
	u.settings.children.SetChecked(true)
	u.settings.onSave()
	ctx := context.Background()
	eventually(t, u, "profile saved", func() bool {
		p, _ := svc.Profile(ctx)
		return p.Organisation == "Acme" && p.ServesChildren && len(p.Jurisdictions) == 1
	})
	entries, err := svc.AuditLog(ctx, 0, 0)
	if err != nil || len(entries) == 0 || entries[len(entries)-1].Action != "profile.set" {
		t.Fatalf("audit log after save: %+v %v", entries, err)
	}
}
