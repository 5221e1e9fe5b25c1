package tracker_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/secrets"
	"policywatch/tracker/sqlite"
)

// benchArchive is an archive of docs tracked documents with events check
// events each (every tenth document failing lately) and changes changes,
// with three alert channels that have already decided about every change:
// what a scheduler's idle wake-up finds on a long-running installation.
func benchArchive(b *testing.B, docs, events, changes int) *tracker.Service {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cat, _ := tracker.ParseCatalog(resources.Catalog)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := &testClock{t: start.Add(-time.Hour)}
	svc, err := tracker.NewService(ctx, db, cat, tracker.WithActor("bench"), tracker.WithClock(clock.now),
		tracker.WithSecrets(secrets.New(filepath.Join(dir, "s.json"), secrets.FileOnly, nil)))
	if err != nil {
		b.Fatal(err)
	}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	b.Cleanup(hook.Close)
	for _, nc := range []tracker.NewAlertChannel{
		{Kind: tracker.ChannelWebhook, WebhookURL: hook.URL + "/a", Rules: tracker.AlertRules{MinExposure: "high", HealthChecks: 3}},
		{Kind: tracker.ChannelWebhook, WebhookURL: hook.URL + "/b", Rules: tracker.AlertRules{Digest: tracker.DigestDaily, Jurisdictions: []string{"EU"}}},
		{Kind: tracker.ChannelEmail, EmailTo: "a@b.example", SMTP: "smtp://127.0.0.1:9", Rules: tracker.AlertRules{MinExposure: "high"}},
	} {
		if _, err := svc.AddAlertChannel(ctx, nc); err != nil {
			b.Fatal(err)
		}
	}
	err = db.Update(ctx, func(tx tracker.Tx) error {
		p := tracker.Platform{Slug: "bench", Name: "Bench", CreatedAt: start}
		if err := tx.UpsertPlatform(&p); err != nil {
			return err
		}
		var versions [][2]tracker.VersionInfo
		for d := 0; d < docs; d++ {
			doc := tracker.Document{PlatformID: p.ID, Kind: "other", URL: fmt.Sprintf("https://bench.example/%d", d), Tracked: true, CreatedAt: start}
			if err := tx.InsertDocument(&doc); err != nil {
				return err
			}
			var pair [2]tracker.VersionInfo
			for i := 0; i < 2; i++ {
				v := tracker.Version{DocumentID: doc.ID, FetchedAt: start.Add(time.Duration(i) * time.Hour), SHA256: fmt.Sprintf("%d-%d", d, i), Text: "x", Source: "check"}
				if err := tx.InsertVersion(&v); err != nil {
					return err
				}
				pair[i] = tracker.VersionInfo{ID: v.ID, DocumentID: doc.ID}
			}
			versions = append(versions, pair)
			for e := 0; e < events; e++ {
				ev := tracker.CheckEvent{DocumentID: doc.ID, At: start.Add(time.Duration(e) * time.Minute), Status: tracker.CheckUnchanged}
				if d%10 == 0 && e >= events-5 {
					ev.Status, ev.Reason = tracker.CheckFailed, "network"
				}
				if err := tx.InsertCheckEvent(&ev); err != nil {
					return err
				}
			}
		}
		for c := 0; c < changes; c++ {
			pair := versions[c%len(versions)]
			ch := tracker.Change{DocumentID: pair[0].DocumentID, FromVersionID: pair[0].ID, ToVersionID: pair[1].ID,
				DetectedAt: start.Add(time.Duration(c) * time.Second), Substantive: true, Exposure: "medium"}
			if c >= len(versions) {
				// More changes than version pairs: chain new versions.
				v := tracker.Version{DocumentID: pair[0].DocumentID, FetchedAt: start.Add(time.Duration(c) * time.Second).Add(48 * time.Hour), SHA256: fmt.Sprint(c), Text: "x", Source: "check"}
				if err := tx.InsertVersion(&v); err != nil {
					return err
				}
				ch.ToVersionID = v.ID
			}
			rows := []tracker.FindingRow{{Category: "retention", Direction: "modified", Exposure: "medium", Evidence: "e", Jurisdictions: []string{"EU", "UK"}}}
			if err := tx.SaveChange(&ch, []byte(`{"exposure":"medium","findings":[]}`), rows); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	clock.advance(365 * 24 * time.Hour)
	// The first dispatch decides about every change (queued for the digest,
	// or skipped) and sends the health alerts; later ones are idle.
	for i := 0; i < 25; i++ { // at most 500 decisions per channel and dispatch
		if _, err := svc.DispatchAlerts(ctx, tracker.DispatchOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	return svc
}

// BenchmarkDispatchIdle is one scheduler wake-up with nothing new to send,
// against the dashboard's Overview on the same archive as the reference.
// 1,000 tracked documents, 100,000 check events, 10,000 changes.
func BenchmarkDispatchIdle(b *testing.B) {
	svc := benchArchive(b, 1000, 100, 10000)
	ctx := context.Background()
	b.Run("dispatch", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.DispatchAlerts(ctx, tracker.DispatchOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reference-overview", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Overview(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
