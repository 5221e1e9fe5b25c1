// Package gui is PolicyWatch's Fyne desktop app. It is thin: every screen
// reads and writes through tracker.Service, long work runs in goroutines and
// widgets are touched from them only through fyne.Do (see ui()).
package gui

import (
	"context"
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"policywatch/resources"
	"policywatch/tracker"
)

// AppID is the application ID, the same as in FyneApp.toml.
const AppID = "app.policywatch.desktop"

// Run opens the main window on svc and blocks until the app quits.
func Run(svc *tracker.Service, version string) {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", resources.IconPNG))
	w := a.NewWindow("PolicyWatch")
	ui := NewUI(svc, w, version)
	w.SetContent(ui.Build())
	w.Resize(fyne.NewSize(1280, 800))
	w.SetMaster()
	ui.Refresh()
	w.ShowAndRun()
}

// UI is the main window: one tab per screen, all sharing the service.
type UI struct {
	svc     *tracker.Service
	win     fyne.Window
	version string
	ctx     context.Context
	cancel  context.CancelFunc

	// pending counts background jobs still running or delivering results.
	pending sync.WaitGroup
	// deliver serialises result delivery: the real driver already runs fyne.Do
	// functions one at a time on the main goroutine, but the test driver runs
	// them inline on the calling goroutine.
	deliver sync.Mutex

	tabs      *container.AppTabs
	dashboard *dashboardScreen
	platforms *platformsScreen
	changes   *changesScreen
	checklist *checklistScreen
	reports   *reportsScreen
	settings  *settingsScreen
}

// NewUI creates the main window's screens for svc.
func NewUI(svc *tracker.Service, win fyne.Window, version string) *UI {
	ctx, cancel := context.WithCancel(context.Background())
	u := &UI{svc: svc, win: win, version: version, ctx: ctx, cancel: cancel}
	u.dashboard = newDashboardScreen(u)
	u.platforms = newPlatformsScreen(u)
	u.changes = newChangesScreen(u)
	u.checklist = newChecklistScreen(u)
	u.reports = newReportsScreen(u)
	u.settings = newSettingsScreen(u)
	return u
}

// Build returns the window content: the tabbed screens.
func (u *UI) Build() fyne.CanvasObject {
	u.tabs = container.NewAppTabs(
		container.NewTabItem("Dashboard", u.dashboard.buildUI()),
		container.NewTabItem("Platforms", u.platforms.buildUI()),
		container.NewTabItem("Changes", u.changes.buildUI()),
		container.NewTabItem("Checklist", u.checklist.buildUI()),
		container.NewTabItem("Reports", u.reports.buildUI()),
		container.NewTabItem("Settings", u.settings.buildUI()),
	)
	u.tabs.SetTabLocation(container.TabLocationLeading)
	u.tabs.OnSelected = func(*container.TabItem) { u.Refresh() }
	u.win.SetOnClosed(u.cancel)
	return u.tabs
}

// Tabs returns the tab container (for tests and navigation).
func (u *UI) Tabs() *container.AppTabs { return u.tabs }

// Refresh reloads every screen from the store in the background.
func (u *UI) Refresh() {
	u.dashboard.refresh()
	u.platforms.refresh()
	u.changes.refresh()
	u.checklist.refresh()
	u.settings.refresh()
}

// background runs work off the UI goroutine and hands its result to done on
// the UI goroutine (through fyne.Do). Errors go to showError.
func background[T any](u *UI, work func(ctx context.Context) (T, error), done func(T)) {
	u.pending.Add(1)
	go func() {
		defer u.pending.Done()
		v, err := work(u.ctx)
		u.do(func() {
			if err != nil {
				u.showError(err)
				return
			}
			done(v)
		})
	}()
}

// do runs fn on the UI goroutine through fyne.Do, one delivery at a time.
// Only goroutines call it, never UI callbacks.
func (u *UI) do(fn func()) {
	fyne.Do(func() {
		u.deliver.Lock()
		defer u.deliver.Unlock()
		fn()
	})
}

// WaitIdle blocks until every background job has delivered its result. Tests
// call it before reading or touching widgets.
func (u *UI) WaitIdle() { u.pending.Wait() }

// showError tells the user what went wrong as advice; cancellations are silent.
func (u *UI) showError(err error) {
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	if errors.Is(err, tracker.ErrNotFound) {
		dialog.ShowInformation("Not found", adviceFor(err), u.win)
		return
	}
	fyne.LogError("policywatch", err)
	dialog.ShowError(errors.New(adviceFor(err)), u.win)
}

// adviceFor turns an error into a sentence for a compliance user.
func adviceFor(err error) string {
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg
}
