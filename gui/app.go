// Package gui is PolicyWatch's Fyne desktop app. It is thin: every screen
// reads and writes through tracker.Service, long work runs in goroutines and
// widgets are touched from them only through fyne.Do (see background and
// task in tasks.go).
//
// One file per screen (dashboard.go, platforms.go, changes.go, checklist.go,
// reports.go, settings.go, onboarding.go), each a struct holding the widgets
// it updates with a buildUI method and onXxx handlers; reusable widgets live
// in their own files (heatmap.go, chart.go, diffview.go, record.go).
package gui

import (
	"context"
	"os"
	"runtime"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"policywatch/resources"
	"policywatch/tracker"
)

// AppID is the application ID, the same as in FyneApp.toml.
const AppID = "app.policywatch.desktop"

// Options configure the main window.
type Options struct {
	// Version is the app version shown in Settings and reports.
	Version string
	// RulesPath is where the user's rules file is looked for.
	RulesPath string
	// NoOnboarding skips the first-run onboarding.
	NoOnboarding bool
	// OpenChange, when not 0, opens that change first (the app was started
	// from a policywatch://change/ID link in an alert).
	OpenChange int64
	// ChooseDatabase, if set, checks that the archive at location (a file
	// path or a postgres:// URL, with password for a team database) opens,
	// and makes it the one the app and the command line use from the next
	// start; it returns the location as shown (without a password).
	// Settings → Archive offers it.
	ChooseDatabase func(ctx context.Context, location, password string) (string, error)
}

// Tab indexes, in display order.
const (
	tabDashboard = iota
	tabPlatforms
	tabChanges
	tabChecklist
	tabReports
	tabSettings
)

// Run opens the main window on svc and blocks until the app quits.
func Run(svc *tracker.Service, opts Options) {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", resources.IconPNG))
	applyTheme(a, a.Preferences().StringWithFallback(prefTheme, themeSystem))
	w := a.NewWindow(windowTitle(svc.Access()))
	u := NewUI(svc, w, opts)
	w.SetContent(u.Build())
	w.Resize(fyne.NewSize(1280, 800))
	w.SetMaster()
	u.setupTray(a)
	u.Start()
	u.followArchive()
	go u.runScheduler()
	w.ShowAndRun()
}

// windowTitle names a team archive's signed-in role in the title bar.
func windowTitle(a tracker.Access) string {
	if !a.Team() {
		return "PolicyWatch"
	}
	return "PolicyWatch — team archive, " + a.Describe()
}

// UI is the main window: onboarding or one tab per screen, all sharing the
// service, above a status bar that shows the running check.
type UI struct {
	svc    *tracker.Service
	win    fyne.Window
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex // guards pending
	pending int        // background tasks in flight (tests wait for 0)

	lastCheck time.Time // newest check in the archive, as the dashboard last read it

	// live gathers what entries heard from the archive touch (live.go);
	// liveArmed is true while an update of the screens is scheduled.
	live      liveChanges
	liveArmed bool

	root       *fyne.Container
	tabs       *container.AppTabs
	status     *statusBar
	checker    *checker
	onboarding *onboardingScreen
	dashboard  *dashboardScreen
	platforms  *platformsScreen
	changes    *changesScreen
	checklist  *checklistScreen
	reports    *reportsScreen
	settings   *settingsScreen
}

// NewUI creates the main window's screens for svc.
func NewUI(svc *tracker.Service, win fyne.Window, opts Options) *UI {
	ctx, cancel := context.WithCancel(context.Background())
	u := &UI{svc: svc, win: win, opts: opts, ctx: ctx, cancel: cancel}
	u.status = newStatusBar(u)
	u.checker = newChecker(u)
	u.onboarding = newOnboardingScreen(u)
	u.dashboard = newDashboardScreen(u)
	u.platforms = newPlatformsScreen(u)
	u.changes = newChangesScreen(u)
	u.checklist = newChecklistScreen(u)
	u.reports = newReportsScreen(u)
	u.settings = newSettingsScreen(u)
	return u
}

// Build returns the window content: the tabbed screens above the status bar.
func (u *UI) Build() fyne.CanvasObject {
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Dashboard", theme.HomeIcon(), u.dashboard.buildUI()),
		container.NewTabItemWithIcon("Platforms", theme.ListIcon(), u.platforms.buildUI()),
		container.NewTabItemWithIcon("Changes", theme.HistoryIcon(), u.changes.buildUI()),
		container.NewTabItemWithIcon("Checklist", theme.ConfirmIcon(), u.checklist.buildUI()),
		container.NewTabItemWithIcon("Reports", theme.DocumentSaveIcon(), u.reports.buildUI()),
		container.NewTabItemWithIcon("Settings", theme.SettingsIcon(), u.settings.buildUI()),
	)
	u.tabs.SetTabLocation(container.TabLocationLeading)
	u.tabs.OnSelected = func(*container.TabItem) { u.refreshCurrent() }
	u.onboarding.buildUI()
	u.root = container.NewBorder(nil, u.status.buildUI(), nil, nil, u.tabs)
	u.win.SetOnClosed(u.cancel)
	u.win.SetMainMenu(u.mainMenu())
	u.addShortcuts()
	return u.root
}

// Start loads the screens and decides whether to show the onboarding.
func (u *UI) Start() {
	u.Refresh()
	if u.opts.OpenChange != 0 {
		u.showChange(u.opts.OpenChange)
		return
	}
	if u.opts.NoOnboarding {
		return
	}
	type state struct {
		profile tracker.Profile
		tracked int
	}
	background(u, "open the archive", func(ctx context.Context) (state, error) {
		var st state
		var err error
		if st.profile, err = u.svc.Profile(ctx); err != nil {
			return st, err
		}
		docs, err := u.svc.Documents(ctx, "")
		for _, d := range docs {
			if d.Tracked || d.Versions > 0 {
				st.tracked++
			}
		}
		return st, err
	}, func(st state) {
		if len(st.profile.Jurisdictions) == 0 && st.tracked == 0 {
			u.showOnboarding()
		}
	})
}

// showOnboarding replaces the tabs with the first-run onboarding.
func (u *UI) showOnboarding() {
	u.root.Objects[0] = u.onboarding.content
	u.root.Refresh()
	u.onboarding.start()
}

// showMain replaces the onboarding with the tabs and reloads them.
func (u *UI) showMain() {
	u.root.Objects[0] = u.tabs
	u.root.Refresh()
	u.tabs.SelectIndex(tabDashboard)
	u.Refresh()
}

// Tabs returns the tab container (for tests and navigation).
func (u *UI) Tabs() *container.AppTabs { return u.tabs }

// Refresh reloads every screen from the store in the background.
func (u *UI) Refresh() {
	u.dashboard.refresh()
	u.platforms.refresh()
	u.changes.refresh()
	u.checklist.refresh()
	u.reports.refresh()
	u.settings.refresh()
}

// refreshCurrent reloads the visible screen.
func (u *UI) refreshCurrent() {
	switch u.tabs.SelectedIndex() {
	case tabDashboard:
		u.dashboard.refresh()
	case tabPlatforms:
		u.platforms.refresh()
	case tabChanges:
		// The list keeps its filters and selection; checks and edits reload it.
	case tabChecklist:
		u.checklist.refresh()
	case tabReports:
		u.reports.refresh()
	case tabSettings:
		u.settings.refresh()
	}
}

// addShortcuts binds Ctrl+R (check now), Ctrl+E (export), Ctrl+F (filter
// changes) and Ctrl+1…6 (tabs).
func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	mod := fyne.KeyModifierShortcutDefault
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: mod}, func(fyne.Shortcut) { u.onCheckNow() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: mod}, func(fyne.Shortcut) {
		u.tabs.SelectIndex(tabReports)
		u.reports.onExport()
	})
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6}
	for i, k := range keys {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: mod}, func(fyne.Shortcut) { u.tabs.SelectIndex(i) })
	}
}

// onCheckNow checks every tracked document.
func (u *UI) onCheckNow() {
	u.checker.start(tracker.CheckOptions{}, "all tracked documents")
}

// setupTray adds the system-tray menu when the driver supports it; closing
// the window then hides it so scheduled checks go on.
func (u *UI) setupTray(a fyne.App) {
	desk, ok := a.(desktop.App)
	if !ok {
		return
	}
	if runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		// The Linux tray talks to the desktop over D-Bus; without a session
		// bus there is no tray (and fyne's systray would fail at quit).
		return
	}
	show := func() { u.win.Show(); u.win.RequestFocus() }
	quit := fyne.NewMenuItem("Quit", func() { a.Quit() })
	quit.IsQuit = true
	desk.SetSystemTrayMenu(fyne.NewMenu("PolicyWatch",
		fyne.NewMenuItem("Check now", u.onCheckNow),
		fyne.NewMenuItem("Open PolicyWatch", show),
		fyne.NewMenuItemSeparator(),
		quit))
	desk.SetSystemTrayIcon(fyne.NewStaticResource("icon.png", resources.IconPNG))
	u.win.SetCloseIntercept(func() { u.win.Hide() })
}

// runScheduler runs the archive's check schedule while the app is open,
// through the scheduler `policywatch watch` uses: a due round starts in the
// check runner (progress in the status bar, Cancel), unless another process
// holds the archive's check lock; between rounds it delivers alerts whose
// retry or digest time has come, desktop notifications included.
func (u *UI) runScheduler() {
	u.svc.NewScheduler(tracker.SchedulerOptions{
		Holder: tracker.HolderGUI,
		Alerts: u.alertOptions(),
		Start: func(context.Context) {
			ui(func() {
				if !u.checker.running() {
					u.checker.startRound(tracker.CheckOptions{}, "scheduled check", true)
				}
			})
		},
		OnAlerts: func(sum tracker.DispatchSummary, err error) {
			if err != nil {
				fyne.LogError("deliver alerts", err)
			}
		},
	}).Run(u.ctx)
}

// alertOptions lets the service show desktop notifications through the app.
func (u *UI) alertOptions() tracker.DispatchOptions {
	return tracker.DispatchOptions{Desktop: func(title, body string) error {
		fyne.Do(func() { fyne.CurrentApp().SendNotification(fyne.NewNotification(title, body)) })
		return nil
	}}
}
