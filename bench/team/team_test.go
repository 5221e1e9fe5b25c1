// Package team measures a team archive on PostgreSQL: how much faster a
// check round goes with two `watch` workers sharing it than with one, and
// how long a change made on one desktop takes to reach another.
//
//	go test -run '^$' -bench . -benchtime 5x ./bench/team/
//
// (bench/team/run.sh runs it and prints the ratios.) Both need the
// PostgreSQL server binaries, as the store's tests do; the server is a
// throwaway cluster on loopback.
package team

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"policywatch/internal/builtintest"
	"policywatch/internal/pgtest"
	"policywatch/tracker"
	"policywatch/tracker/postgres"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// Sizes of the round: documents spread over hosts (fetching is polite:
// two requests at a time per host and process), each answered after a
// delay like a remote server's.
const (
	documents = 120
	hosts     = 12
	latency   = 80 * time.Millisecond
)

var paragraphs = []string{
	"This policy explains how the vendor collects, uses and shares personal information when you use its services and websites.",
	"We collect the information you give us, such as your name, email address and payment details, and information about how you use the service.",
	"We do not sell your personal information to third parties, and we do not use your content to train artificial intelligence models.",
	"You can access, correct or delete your personal information at any time from your account settings or by contacting our privacy team.",
	"We keep personal information for as long as your account is open and for thirty days after you close it, unless the law requires longer.",
}

// sites starts one slow policy server per loopback address 127.0.0.2….
func sites(b *testing.B) []string {
	b.Helper()
	var urls []string
	for h := 0; h < hosts; h++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h+2))
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(latency)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<html><body><main><h1>Privacy policy %s</h1>", r.URL.Path)
			for _, p := range paragraphs {
				fmt.Fprintf(w, "<p>%s</p>", p)
			}
			fmt.Fprint(w, "</main></body></html>")
		}))
		srv.Listener.Close()
		srv.Listener = l
		srv.Start()
		b.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	return urls
}

func service(b *testing.B, dsn, actor string) *tracker.Service {
	b.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cat, rules := builtintest.Load(b)
	svc, err := tracker.NewService(ctx, db, cat, tracker.WithActor(actor), tracker.WithRules(rules))
	if err != nil {
		b.Fatal(err)
	}
	return svc
}

// archive makes a team archive whose documents were checked once.
func archive(b *testing.B) string {
	b.Helper()
	ctx := context.Background()
	dsn := pgtest.DSN(b)
	admin := service(b, dsn, "admin")
	urls := sites(b)
	for i := 0; i < documents; i++ {
		if _, err := admin.AddDocument(ctx, tracker.NewDocument{PlatformName: fmt.Sprintf("Vendor %03d", i),
			URL: fmt.Sprintf("%s/p%03d", urls[i%hosts], i), Kind: tracker.KindPrivacyPolicy, Select: "main"}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := admin.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderWatch}); err != nil {
		b.Fatal(err)
	}
	return dsn
}

// BenchmarkRound runs full check rounds of the archive (every page
// fetched, extracted and found unchanged) with one worker, then with two
// sharing each round; the ratio of the two is the gain of the second.
func BenchmarkRound(b *testing.B) {
	dsn := archive(b)
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", n), func(b *testing.B) {
			ctx := context.Background()
			var workers []*tracker.Service
			for i := 0; i < n; i++ {
				workers = append(workers, service(b, dsn, fmt.Sprintf("watch-%d", i+1)))
			}
			b.ResetTimer()
			for it := 0; it < b.N; it++ {
				var wg sync.WaitGroup
				checked := make([]int, n)
				for i, w := range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						res, err := w.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderWatch})
						if err != nil {
							b.Error(err)
						}
						checked[i] = res.Check.Checked
					}()
				}
				wg.Wait()
				total := 0
				for _, c := range checked {
					total += c
				}
				if total != documents {
					b.Fatalf("a round checked %d documents, want %d (%v)", total, documents, checked)
				}
			}
			b.ReportMetric(float64(documents)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkLiveUpdate measures how long a checklist edit saved on one
// desktop takes to reach another desktop's subscription (the service
// hands it on; the app then redraws after gathering a burst for 300 ms).
// The reference is the save itself, timed in the same iterations.
func BenchmarkLiveUpdate(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgtest.DSN(b)
	alice := service(b, dsn, "alice")
	bob := service(b, dsn, "bob")
	id, err := alice.AddDocument(ctx, tracker.NewDocument{PlatformName: "Vendor", URL: "https://vendor.example/privacy"})
	if err != nil {
		b.Fatal(err)
	}
	heard := make(chan time.Time, 16)
	head, err := bob.LogHead(ctx)
	if err != nil {
		b.Fatal(err)
	}
	go bob.Follow(ctx, head, func(batch []tracker.AuditEntry) {
		for _, e := range batch {
			if e.Action == "document.selectors" {
				heard <- time.Now()
			}
		}
	})
	var saveTotal, lagTotal time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := alice.UpdateSelectors(ctx, id, fmt.Sprintf("main, #v%d", i), ""); err != nil {
			b.Fatal(err)
		}
		saved := time.Now()
		select {
		case at := <-heard:
			lagTotal += at.Sub(saved)
		case <-time.After(time.Minute):
			b.Fatal("the edit never reached the other desktop")
		}
		saveTotal += saved.Sub(start)
	}
	b.ReportMetric(float64(saveTotal.Microseconds())/float64(b.N)/1000, "ms-save")
	b.ReportMetric(float64(lagTotal.Microseconds())/float64(b.N)/1000, "ms-to-other-desktop")
}
