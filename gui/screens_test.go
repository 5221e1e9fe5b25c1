package gui

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"policywatch/internal/builtintest"
	"policywatch/tracker"
	"policywatch/tracker/sqlite"
)

// The visual check: every screen in both themes is rendered with the test
// driver's software painter and compared with a golden PNG under
// testdata/screens, within a tolerance (antialiased text may differ by a
// few pixels between builds). Rewrite the goldens after an intended change:
//
//	go test -tags ci ./gui -run TestScreens -update-screens
//
// scripts/screenshots.sh runs the same test on an archive of the shared
// corpus (PW_SCREENS_DB) and writes the PNGs into docs/screenshots
// (PW_SCREENS_OUT) instead of comparing them.
var updateScreens = flag.Bool("update-screens", false, "rewrite the screen goldens in testdata/screens")

// Screens show dates in UTC whatever the machine's zone. time.Local is set
// once, before any test starts a goroutine that reads the clock (setting it
// in each test raced with earlier tests' archive followers).
func init() { time.Local = time.UTC }

// screenClock is the fixture's clock, so that dates and periods on screen
// do not move.
func screenClock() time.Time { return time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC) }

// screenUI opens the main window on db (created from testdata/ota when
// empty) with the given theme.
func screenUI(t *testing.T, db, choice string) (*UI, fyne.Window) {
	t.Helper()
	app := test.NewTempApp(t)
	app.Settings().SetTheme(newAppTheme(choice))
	ctx := context.Background()
	fresh := db == ""
	if fresh {
		db = filepath.Join(t.TempDir(), "screens.db")
	}
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	cat, rules := builtintest.Load(t)
	opts := []tracker.Option{tracker.WithActor("dpo"), tracker.WithRules(rules), tracker.WithVersion("test")}
	if fresh || os.Getenv("PW_SCREENS_DB") == "" {
		opts = append(opts, tracker.WithClock(screenClock))
	}
	svc, err := tracker.NewService(ctx, store, cat, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if fresh {
		if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Northwind Health Ltd", Jurisdictions: []string{"EU", "UK", "US-CA", "US"},
			HealthData: true, Advertises: true}); err != nil {
			t.Fatal(err)
		}
		// monitoring began before the dataset, so its changes raise open items
		if err := svc.SetMonitoringStart(ctx, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ImportOTA(ctx, filepath.Join("testdata", "ota"), nil); err != nil {
			t.Fatal(err)
		}
	}
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1280, 800))
	u := NewUI(svc, w, Options{Version: "test", RulesPath: filepath.Join(t.TempDir(), "rules.json"), NoOnboarding: true})
	act(u, func() { w.SetContent(u.Build()) })
	t.Cleanup(func() {
		u.cancel()
		u.WaitIdle(10 * time.Second)
		store.Close()
	})
	act(u, u.Start)
	idle(t, u)
	return u, w
}

// shot is one screen: how to get there from the main window.
type shot struct {
	name string
	show func(t *testing.T, u *UI)
}

var shots = []shot{
	{"dashboard", func(t *testing.T, u *UI) { act(u, func() { u.tabs.SelectIndex(tabDashboard) }) }},
	{"platforms", func(t *testing.T, u *UI) {
		act(u, func() { u.tabs.SelectIndex(tabPlatforms) })
		idle(t, u)
		for i, p := range u.platforms.shown {
			if p.Versions > 0 {
				act(u, func() { u.platforms.list.Select(i) })
				break
			}
		}
		eventually(t, u, "documents", func() bool { return len(u.platforms.docs) > 0 })
		for i, d := range u.platforms.docs {
			if d.Versions > 0 {
				act(u, func() { u.platforms.docList.Select(i) })
				break
			}
		}
	}},
	{"changes", func(t *testing.T, u *UI) {
		act(u, func() { u.tabs.SelectIndex(tabChanges) })
		eventually(t, u, "changes", func() bool { return len(u.changes.changes) > 0 })
		act(u, func() { u.changes.list.Select(0) })
		eventually(t, u, "detail", func() bool { return u.changes.detail.cur.ID != 0 })
	}},
	{"changes-diff", func(t *testing.T, u *UI) {
		act(u, func() {
			u.changes.detail.tabs.SelectIndex(tabDiff)
			u.changes.detail.step(1)
		})
	}},
	{"checklist", func(t *testing.T, u *UI) {
		act(u, func() {
			u.tabs.SelectIndex(tabChecklist)
			u.checklist.status.SetSelected(statusAny) // imported history raises items that are not open
		})
		idle(t, u)
		if len(u.checklist.items) > 0 {
			act(u, func() { u.checklist.list.Select(0) })
		}
	}},
	{"reports", func(t *testing.T, u *UI) { act(u, func() { u.tabs.SelectIndex(tabReports) }) }},
	{"settings", func(t *testing.T, u *UI) { act(u, func() { u.tabs.SelectIndex(tabSettings) }) }},
}

// capture renders the window after the UI has settled.
func capture(t *testing.T, u *UI, w fyne.Window) image.Image {
	t.Helper()
	idle(t, u)
	var img image.Image
	act(u, func() {
		for i := 0; i < 3; i++ { // wrapped text grows taller once it has its width
			ensureMinSizes(w.Content())
		}
		img = w.Canvas().Capture()
	})
	return img
}

// ensureMinSizes lays every visible container out again, top down, as the
// GL driver does before it paints a frame (the test canvas does not): a
// widget whose minimum size grew gets its room.
func ensureMinSizes(o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		if x.Layout != nil {
			x.Layout.Layout(x.Objects, x.Size())
		}
		for _, c := range x.Objects {
			ensureMinSizes(c)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		r.Layout(x.Size())
		for _, c := range r.Objects() {
			ensureMinSizes(c)
		}
	}
}

func TestScreens(t *testing.T) {
	out := os.Getenv("PW_SCREENS_OUT")
	db := os.Getenv("PW_SCREENS_DB")
	for _, choice := range []string{themeLight, themeDark} {
		u, w := screenUI(t, db, choice)
		images := map[string]image.Image{}
		for _, s := range shots {
			s.show(t, u)
			images[s.name] = capture(t, u, w)
		}
		// The first run's onboarding, on an empty archive.
		images["onboarding"] = onboardingShot(t, choice)
		if out != "" {
			images["add-document"] = addDocumentShot(t, u, w)
		}
		for name, img := range images {
			file := name + "-" + choice + ".png"
			if out != "" {
				writePNG(t, filepath.Join(out, file), img)
				continue
			}
			golden := filepath.Join("testdata", "screens", file)
			if *updateScreens {
				writePNG(t, golden, img)
				continue
			}
			compareGolden(t, golden, img)
		}
	}
}

// onboardingShot renders the onboarding of an empty archive.
func onboardingShot(t *testing.T, choice string) image.Image {
	t.Helper()
	u, _ := newTestUI(t, tracker.WithClock(screenClock))
	fyne.CurrentApp().Settings().SetTheme(newAppTheme(choice))
	act(u, u.showOnboarding)
	idle(t, u)
	var img image.Image
	act(u, func() {
		for i := 0; i < 3; i++ {
			ensureMinSizes(u.win.Content())
		}
		img = u.win.Canvas().Capture()
	})
	return img
}

// addDocumentShot opens the add-document form previewing a page served
// on loopback (its address changes each run, so it has no golden).
func addDocumentShot(t *testing.T, u *UI, w fyne.Window) image.Image {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(rw, `<!doctype html><html><head><title>Example Corp Privacy Notice</title></head><body>
<nav>Home · Products · Careers · Sign in</nav><main><h1>Privacy Notice</h1><p>Last updated: 1 March 2026</p>
<h2>What we collect</h2><p>We collect the information you give us when you create an account, such as your name, email address and billing details, and information about how you use our services, including device identifiers and approximate location.</p>
<h2>How we use it</h2><ul><li>To provide, secure and improve the services.</li><li>To personalise content and, where you agree, advertising.</li><li>To train and improve our machine learning models, unless you opt out in your settings.</li></ul>
<h2>Sharing</h2><p>We share personal information with service providers that process it on our behalf, with advertising partners where the law allows, and with authorities when we are legally required to.</p></main>
<footer>© 2026 Example Corp · Cookie settings · Contact</footer></body></html>`)
	}))
	t.Cleanup(srv.Close)
	act(u, func() {
		u.tabs.SelectIndex(tabPlatforms)
		u.platforms.onAddDocument()
		f := u.platforms.addForm
		f.platform.SetText("Example Corp")
		f.url.SetText(srv.URL + "/privacy")
		f.removeCSS.SetText("nav, footer")
		f.onPreview()
	})
	img := capture(t, u, w)
	act(u, func() { u.platforms.addForm.dlg.Hide() })
	return img
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// screenTolerance is the share of pixels that may differ noticeably from
// the golden: antialiasing of text, not a moved or missing widget.
const screenTolerance = 0.01

// compareGolden fails when more than screenTolerance of the pixels differ
// from the golden by more than a sixth of the channel range.
func compareGolden(t *testing.T, golden string, img image.Image) {
	t.Helper()
	f, err := os.Open(golden)
	if err != nil {
		t.Errorf("no golden %s: run go test -tags ci ./gui -run TestScreens -update-screens and look at it", golden)
		return
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Errorf("%s: size %v, golden %v", golden, img.Bounds(), want.Bounds())
		return
	}
	b := img.Bounds()
	differ := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, _ := img.At(x, y).RGBA()
			r2, g2, b2, _ := want.At(x, y).RGBA()
			if absDiff(r1, r2) > 0x2AAA || absDiff(g1, g2) > 0x2AAA || absDiff(b1, b2) > 0x2AAA {
				differ++
			}
		}
	}
	if share := float64(differ) / float64(b.Dx()*b.Dy()); share > screenTolerance {
		bad := filepath.Join(os.TempDir(), "policywatch-screens", filepath.Base(golden)) // kept to look at
		writePNG(t, bad, img)
		t.Errorf("%s: %.2f%% of pixels differ (tolerance %.0f%%); this run's image is %s", golden, 100*share, 100*screenTolerance, bad)
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
