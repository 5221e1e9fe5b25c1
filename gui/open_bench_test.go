package gui

// Benchmarks of opening a change in the Changes screen, on the largest
// changes of the shared corpus (imported once into a temporary archive)
// and, with PW_BENCH_DB naming the archive `go run ./bench/gui` generates,
// on a 100,000-change archive:
//
//	go test -tags ci -run '^$' -bench OpenChange -benchtime 5x ./gui/
//
// Each run reports, besides ns/op (show → detail rendered):
//   - ready-ms: from the click to the header, analysis and first screen of
//     the diff rendered (the background read and the UI callback);
//   - diff-ms: from the click to the first passages of the diff made;
//   - tab-ms: the longest switch to the Changed text tab (it lays the
//     diff's first screen out);
//   - ui-max-ms: the longest stretch the UI goroutine was held from the
//     click until every background task is done (layout included), measured
//     by a heartbeat that takes the UI lock every 2 ms;
//   - paint-ms: then one paint of the whole 1280×800 window with the test
//     driver's software painter, outside the heartbeat (it rasterises on
//     the CPU: an upper bound of what a GL frame costs).
//   - ref-ms: the reference measured in the same run, laying out one
//     3,000-character paragraph of rich text at 700 px, so that figures
//     taken on a loaded machine can be read as ratios.
// See bench/gui/RESULTS.md for the figures.

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"policywatch/internal/builtintest"
	"policywatch/internal/sharedtest"
	"policywatch/tracker"
	"policywatch/tracker/sqlite"
)

var (
	corpusOnce sync.Once
	corpusDB   string
	corpusErr  error
)

// corpusArchive imports the shared corpus once into a temporary archive.
func corpusArchive(b *testing.B) string {
	dir := sharedtest.Corpus(b)
	corpusOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "pw-open-bench-")
		if err != nil {
			corpusErr = err
			return
		}
		corpusDB = filepath.Join(tmp, "corpus.db")
		svc, done := benchService(b, corpusDB)
		defer done()
		ctx := context.Background()
		if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Northwind", Jurisdictions: []string{"EU", "UK", "US-CA", "US"},
			HealthData: true, Advertises: true}); err != nil {
			corpusErr = err
			return
		}
		_, corpusErr = svc.ImportOTA(ctx, dir, nil)
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpusDB
}

func benchService(tb testing.TB, path string) (*tracker.Service, func()) {
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

// heartbeat measures how long the UI lock is held at a stretch.
type heartbeat struct {
	stop chan struct{}
	done chan struct{}
	max  atomic.Int64
}

func startHeartbeat() *heartbeat {
	h := &heartbeat{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		for {
			select {
			case <-h.stop:
				return
			default:
			}
			t := time.Now()
			uiMu.Lock()
			uiMu.Unlock() //nolint:staticcheck // the wait is what is measured
			if d := int64(time.Since(t)); d > h.max.Load() {
				h.max.Store(d)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	return h
}

func (h *heartbeat) end() time.Duration {
	close(h.stop)
	<-h.done
	return time.Duration(h.max.Load())
}

// referenceLayout lays out one 3,000-character paragraph at 700 px.
func referenceLayout() time.Duration {
	rt := &widget.RichText{Segments: []widget.RichTextSegment{rtPara(strings.Repeat("We collect information about the devices you use to access our services. ", 40))},
		Wrapping: fyne.TextWrapWord}
	start := time.Now()
	rt.Resize(fyne.NewSize(700, 400))
	rt.MinSize()
	return time.Since(start)
}

// benchOpen opens each change of ids in a fresh window on svc.
func benchOpen(b *testing.B, svc *tracker.Service, ids []int64, label func(int64) string) {
	test.NewTempApp(b)
	for _, id := range ids {
		b.Run(label(id), func(b *testing.B) {
			var ready, diff, paint, uiMax, tabMax, ref time.Duration
			for i := 0; i < b.N; i++ {
				ref += referenceLayout()
				w := test.NewWindow(nil)
				w.Resize(fyne.NewSize(1280, 800))
				u := NewUI(svc, w, Options{NoOnboarding: true})
				act(u, func() {
					w.SetContent(u.Build())
					u.tabs.SelectIndex(tabChanges)
				})
				u.WaitIdle(time.Minute)
				hb := startHeartbeat()
				start := time.Now()
				act(u, func() { u.changes.detail.show(id) })
				for {
					uiMu.Lock()
					shown := u.changes.detail.cur.ID == id
					uiMu.Unlock()
					if shown {
						break
					}
					time.Sleep(200 * time.Microsecond)
				}
				r := time.Since(start)
				for {
					uiMu.Lock()
					made := u.changes.detail.diff.made() > 0
					uiMu.Unlock()
					if made {
						break
					}
					time.Sleep(200 * time.Microsecond)
				}
				df := time.Since(start)
				t0 := time.Now()
				act(u, func() { u.changes.detail.tabs.SelectIndex(tabDiff) }) // lays the diff out
				tab := time.Since(t0)
				u.WaitIdle(time.Minute) // the comparison with other platforms too
				m := hb.end()
				p0 := time.Now()
				act(u, func() { w.Canvas().Capture() })
				pt := time.Since(p0)
				ready, paint, uiMax = ready+r, paint+pt, max(uiMax, m)
				diff, tabMax = diff+df, max(tabMax, tab)
				act(u, func() { u.cancel() })
				w.Close()
			}
			b.ReportMetric(float64(ready.Milliseconds())/float64(b.N), "ready-ms")
			b.ReportMetric(float64(diff.Milliseconds())/float64(b.N), "diff-ms")
			b.ReportMetric(float64(tabMax.Milliseconds()), "tab-ms")
			b.ReportMetric(float64(paint.Milliseconds())/float64(b.N), "paint-ms")
			b.ReportMetric(float64(uiMax.Milliseconds()), "ui-max-ms")
			b.ReportMetric(float64(ref.Microseconds())/1000/float64(b.N), "ref-ms")
		})
	}
}

// BenchmarkOpenChangeCorpus opens the corpus's five largest changes (most
// findings, most words) and a small one.
func BenchmarkOpenChangeCorpus(b *testing.B) {
	svc, done := benchService(b, corpusArchive(b))
	defer done()
	list, err := svc.Changes(context.Background(), tracker.ChangeFilter{})
	if err != nil {
		b.Fatal(err)
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i].AddedWords+list[i].RemovedWords > list[j].AddedWords+list[j].RemovedWords
	})
	var ids []int64
	names := map[int64]string{}
	for _, c := range list[:min(5, len(list))] {
		ids = append(ids, c.ID)
		names[c.ID] = c.PlatformSlug + "-" + c.DetectedAt.Format("2006-01-02") + "-" + strconv.Itoa(c.AddedWords+c.RemovedWords) + "w"
	}
	for i := len(list) - 1; i >= 0; i-- {
		if c := list[i]; c.Substantive && c.AddedWords+c.RemovedWords > 10 {
			ids = append(ids, c.ID)
			names[c.ID] = "small-" + c.PlatformSlug + "-" + strconv.Itoa(c.AddedWords+c.RemovedWords) + "w"
			break
		}
	}
	benchOpen(b, svc, ids, func(id int64) string { return names[id] })
}

// BenchmarkOpenChangeArchive opens changes of the 100,000-change archive
// that PW_BENCH_DB names (go run ./bench/gui -db FILE).
func BenchmarkOpenChangeArchive(b *testing.B) {
	path := os.Getenv("PW_BENCH_DB")
	if path == "" {
		b.Skip("PW_BENCH_DB names no generated archive (go run ./bench/gui -db FILE)")
	}
	svc, done := benchService(b, path)
	defer done()
	list, err := svc.Changes(context.Background(), tracker.ChangeFilter{Limit: 1, MinExposure: tracker.ExposureHigh})
	if err != nil || len(list) == 0 {
		b.Fatal("no change in the archive", err)
	}
	n, _ := svc.CountChanges(context.Background(), tracker.ChangeFilter{})
	deep, err := svc.Changes(context.Background(), tracker.ChangeFilter{Limit: 1, Offset: n / 2})
	if err != nil || len(deep) == 0 {
		b.Fatal(err)
	}
	benchOpen(b, svc, []int64{list[0].ID, deep[0].ID}, func(id int64) string { return "change-" + strconv.FormatInt(id, 10) })
}
