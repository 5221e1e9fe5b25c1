package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"policywatch/tracker"
)

func TestMainWindowTabsShowStoreData(t *testing.T) {
	u, svc := newTestUI(t)
	ctx := context.Background()
	if _, err := svc.SetTracked(ctx, "revolut", true); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme Bank", Jurisdictions: []string{"EU", "UK"}}); err != nil {
		t.Fatal(err)
	}
	act(u, u.Start)
	var names []string
	for _, item := range u.Tabs().Items {
		names = append(names, item.Text)
	}
	if got := strings.Join(names, ","); got != "Dashboard,Platforms,Changes,Checklist,Reports,Settings" {
		t.Fatalf("tabs: %s", got)
	}
	idle(t, u)
	docs, _ := svc.Documents(ctx, "revolut")
	if got := u.dashboard.figures["Tracked documents"].Text; got != itoa(len(docs)) {
		t.Errorf("dashboard tracked figure %q, want %d", got, len(docs))
	}
	if u.dashboard.title.Text != "Acme Bank" {
		t.Errorf("dashboard title %q", u.dashboard.title.Text)
	}
	if !strings.Contains(u.dashboard.counts.Text, "last check never") {
		t.Errorf("dashboard summary %q", u.dashboard.counts.Text)
	}
	if len(u.platforms.shown) < 40 || u.platforms.shown[0].Slug != "revolut" {
		t.Fatalf("platform list: %d shown, first %+v", len(u.platforms.shown), u.platforms.shown[0].Slug)
	}
	if u.settings.profile.organisation.Text != "Acme Bank" || !u.settings.profile.jurisdictions["UK"].Checked {
		t.Errorf("settings profile not shown")
	}
	if !strings.HasPrefix(u.changes.total.Text, "No changes yet") {
		t.Errorf("changes empty state %q", u.changes.total.Text)
	}
	if !strings.Contains(u.checklist.header.Text, "No open checklist items") {
		t.Errorf("checklist empty state %q", u.checklist.header.Text)
	}
}

func TestShortcutsSwitchTabsAndCheck(t *testing.T) {
	u, _ := newTestUI(t)
	act(u, u.Start)
	idle(t, u)
	c := u.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) })
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6}
	for _, i := range []int{5, 2, 3, 0, 4, 1} {
		act(u, func() {
			c.TypedShortcut(&desktop.CustomShortcut{KeyName: keys[i], Modifier: fyne.KeyModifierShortcutDefault})
		})
		idle(t, u)
		if u.tabs.SelectedIndex() != i {
			t.Fatalf("Ctrl+%d selected tab %d", i+1, u.tabs.SelectedIndex())
		}
	}
	act(u, func() {
		c.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault})
	})
	eventually(t, u, "check via Ctrl+R", func() bool { return !u.checker.running() })
	if !strings.HasPrefix(u.status.label.Text, "Nothing to check") {
		t.Errorf("Ctrl+R on an empty archive: %q", u.status.label.Text)
	}
}

func itoa(n int) string { return thousands(n) }
