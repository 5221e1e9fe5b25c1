package main

// Benchmarks of the desktop app on a 100,000-change archive:
//
//	go test -tags ci -run '^$' -bench . -benchtime 5x ./bench/gui/
//
// The archive is generated once (about a minute: every record is also entered
// in the evidence log) under the OS temp folder and
// reused; PW_BENCH_DB names another one. See RESULTS.md for the figures.

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"policywatch/gui"
	"policywatch/internal/builtintest"
	"policywatch/tracker"
	"policywatch/tracker/sqlite"
)

const benchChanges = 100000

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchDB returns the path of the 100,000-change archive, generating it once.
func benchDB(tb testing.TB) string {
	benchOnce.Do(func() {
		benchPath = os.Getenv("PW_BENCH_DB")
		if benchPath == "" {
			benchPath = filepath.Join(os.TempDir(), "policywatch-gui-bench-100k.db")
		}
		if _, err := os.Stat(benchPath); err == nil {
			return
		}
		benchErr = Generate(context.Background(), benchPath, benchChanges)
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchPath
}

// openService opens the archive as the app does (catalog, built-in rules).
func openService(tb testing.TB, path string) (*tracker.Service, func()) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	cat, rules := builtintest.Load(tb)
	svc, err := tracker.NewService(ctx, db, cat, tracker.WithRules(rules))
	if err != nil {
		tb.Fatal(err)
	}
	return svc, func() { db.Close() }
}

// BenchmarkOpenArchive measures opening the archive and the service (what
// the binary does before the window exists).
func BenchmarkOpenArchive(b *testing.B) {
	path := benchDB(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, done := openService(b, path)
		done()
	}
}

// BenchmarkWindowReady measures building the main window with the test
// driver and loading every screen's first data (dashboard with heat map,
// chart and counts; platforms; the first page of changes and its count;
// checklist; reports; settings) until no background task is left.
func BenchmarkWindowReady(b *testing.B) {
	svc, done := openService(b, benchDB(b))
	defer done()
	test.NewTempApp(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := test.NewWindow(nil)
		w.Resize(fyne.NewSize(1280, 800))
		u := gui.NewUI(svc, w, gui.Options{NoOnboarding: true})
		w.SetContent(u.Build())
		u.Start()
		if !u.WaitIdle(time.Minute) {
			b.Fatal("screens did not load within a minute")
		}
		b.StopTimer()
		w.Close()
		b.StartTimer()
	}
}

// benchFilters are the Changes screen's typical queries: what one filter
// change runs (the first page of 200 and the matching count).
var benchFilters = map[string]func(now time.Time) tracker.ChangeFilter{
	"none": func(time.Time) tracker.ChangeFilter { return tracker.ChangeFilter{} },
	"platform+high+unreviewed": func(time.Time) tracker.ChangeFilter {
		no := false
		return tracker.ChangeFilter{PlatformSlugs: []string{"revolut"}, MinExposure: tracker.ExposureHigh, Reviewed: &no}
	},
	"category+kind": func(time.Time) tracker.ChangeFilter {
		return tracker.ChangeFilter{Category: "ai-training", Kind: tracker.KindPrivacyPolicy}
	},
	"platform+category": func(time.Time) tracker.ChangeFilter {
		return tracker.ChangeFilter{PlatformSlugs: []string{"instagram"}, Category: "retention"}
	},
	"last90days+substantive": func(now time.Time) tracker.ChangeFilter {
		yes := true
		return tracker.ChangeFilter{Since: now.AddDate(0, 0, -90), Substantive: &yes}
	},
	"period+platform+jurisdiction": func(now time.Time) tracker.ChangeFilter {
		return tracker.ChangeFilter{Since: now.AddDate(0, 0, -90), PlatformSlugs: []string{"instagram"}, Jurisdiction: "EU"}
	},
}

// BenchmarkFilter measures one filter change of the Changes screen: the
// first page and the count, as the screen runs them.
func BenchmarkFilter(b *testing.B) {
	svc, done := openService(b, benchDB(b))
	defer done()
	ctx := context.Background()
	now := time.Now()
	for name, mk := range benchFilters {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				f := mk(now)
				if _, err := svc.CountChanges(ctx, f); err != nil {
					b.Fatal(err)
				}
				f.Limit = 200
				if _, err := svc.Changes(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNextPage measures loading a page deep in the list (offset
// 50,000), as scrolling far down does.
func BenchmarkNextPage(b *testing.B) {
	svc, done := openService(b, benchDB(b))
	defer done()
	ctx := context.Background()
	b.ResetTimer() // opening the archive is measured by BenchmarkOpenArchive
	for i := 0; i < b.N; i++ {
		if _, err := svc.Changes(ctx, tracker.ChangeFilter{Limit: 200, Offset: 50000}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJurisdictionFilter measures the jurisdiction filter over the
// whole archive, as the Changes screen runs it: the count and the first page.
func BenchmarkJurisdictionFilter(b *testing.B) {
	svc, done := openService(b, benchDB(b))
	defer done()
	ctx := context.Background()
	b.ResetTimer() // opening the archive is measured by BenchmarkOpenArchive
	for i := 0; i < b.N; i++ {
		f := tracker.ChangeFilter{Jurisdiction: "EU"}
		if _, err := svc.CountChanges(ctx, f); err != nil {
			b.Fatal(err)
		}
		f.Limit = 200
		if _, err := svc.Changes(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
}
