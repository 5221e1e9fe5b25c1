package storetest

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"policywatch/tracker"
)

func init() {
	register(
		test{"ReopenKeepsData", testReopenKeepsData},
		test{"CatalogSeededOnceAndTracking", testCatalogSeededOnceAndTracking},
		test{"AddDocumentReusesPlatform", testAddDocumentReusesPlatform},
		test{"VersionRawRoundTrip", testVersionRawRoundTrip},
		test{"TimesKeepMilliseconds", testTimesKeepMilliseconds},
		test{"UpdateRollsBackOnError", testUpdateRollsBackOnError},
		test{"ViewIsASnapshot", testViewIsASnapshot},
	)
}

func testReopenKeepsData(t *testing.T, h Harness) {
	ctx := context.Background()
	st, loc := open(t, h)
	svc := service(t, st, "tester")
	if err := svc.SetProfile(ctx, tracker.Profile{Jurisdictions: []string{"EU"}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	again := reopen(t, h, loc)
	p, err := service(t, again, "tester").Profile(ctx)
	if err != nil || len(p.Jurisdictions) != 1 || p.Jurisdictions[0] != "EU" {
		t.Errorf("profile lost across reopen: %+v %v", p, err)
	}
	if n := h.Query(t, loc, `SELECT COUNT(*) FROM schema_migrations`); n == "0" {
		t.Error("no migration recorded")
	}
}

func testCatalogSeededOnceAndTracking(t *testing.T, h Harness) {
	ctx := context.Background()
	st, _ := open(t, h)
	svc := service(t, st, "tester")
	first, err := svc.Platforms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) < 40 {
		t.Fatalf("catalog seeded %d platforms, want ≥ 40", len(first))
	}
	service(t, st, "tester") // seeding again adds nothing
	second, _ := svc.Platforms(ctx)
	if len(second) != len(first) {
		t.Fatalf("reseeding changed platform count %d → %d", len(first), len(second))
	}
	n, err := svc.SetTracked(ctx, "threads", true)
	if err != nil || n == 0 {
		t.Fatalf("track threads: %d, %v", n, err)
	}
	docs, err := svc.Documents(ctx, "threads")
	if err != nil || len(docs) != n {
		t.Fatalf("documents of threads: %d (want %d), %v", len(docs), n, err)
	}
	if _, err := svc.SetTracked(ctx, "no-such-platform", true); !errors.Is(err, tracker.ErrNotFound) {
		t.Errorf("tracking an unknown platform: %v", err)
	}
	if _, err := svc.SetTracked(ctx, "threads", false); err != nil {
		t.Fatal(err)
	}
	docs, _ = svc.Documents(ctx, "threads")
	if len(docs) != 0 {
		t.Errorf("untracked documents without versions still listed: %d", len(docs))
	}
}

func testAddDocumentReusesPlatform(t *testing.T, h Harness) {
	ctx := context.Background()
	st, _ := open(t, h)
	svc := service(t, st, "tester")
	id1, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Acme Cloud", URL: "https://acme.example/privacy", Kind: "privacy-policy", Select: "main"})
	if err != nil {
		t.Fatal(err)
	}
	id2, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "acme cloud", URL: "https://acme.example/terms", Kind: "terms-of-service"})
	if err != nil {
		t.Fatal(err)
	}
	if id1 == id2 {
		t.Fatal("two documents share an id")
	}
	p, docs, err := svc.Platform(ctx, "acme-cloud")
	if err != nil || len(docs) != 2 || !p.Custom {
		t.Fatalf("platform acme-cloud: %+v, %d docs, %v", p, len(docs), err)
	}
	if _, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "X", URL: "ftp://x/y"}); err == nil {
		t.Error("ftp URL accepted")
	}
}

func testVersionRawRoundTrip(t *testing.T, h Harness) {
	ctx := context.Background()
	st, loc := open(t, h)
	svc := service(t, st, "tester")
	id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Acme", URL: "https://acme.example/p"})
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte("<html><body>" + strings.Repeat("données — “quoted” ", 500) + "</body></html>")
	at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	update(t, st, func(tx tracker.Tx) error {
		return tx.InsertVersion(&tracker.Version{DocumentID: id, FetchedAt: at, URL: "https://acme.example/p",
			HTTPStatus: 200, SHA256: "abc", Text: "text", Raw: raw, Source: "check"})
	})
	var got tracker.Version
	view(t, st, func(tx tracker.Tx) error {
		var err error
		got, err = tx.VersionAt(id, at)
		return err
	})
	if string(got.Raw) != string(raw) || !got.FetchedAt.Equal(at) || got.RawSHA256 == "" {
		t.Fatalf("raw bytes, their hash or the time did not round-trip: %q %v", got.RawSHA256, got.FetchedAt)
	}
	stored, _ := strconv.Atoi(h.Query(t, loc, `SELECT length(raw_gzip) FROM versions`))
	if stored == 0 || stored >= len(raw)/4 {
		t.Errorf("raw bytes not compressed: %d stored for %d", stored, len(raw))
	}
	// An empty raw body is stored as none.
	update(t, st, func(tx tracker.Tx) error {
		return tx.InsertVersion(&tracker.Version{DocumentID: id, FetchedAt: at.Add(time.Hour), SHA256: "def", Text: "t2", Source: "import"})
	})
	view(t, st, func(tx tracker.Tx) error {
		v, err := tx.LatestVersion(id)
		if err == nil && (v.Raw != nil || v.Text != "t2" || v.RawSHA256 != "") {
			t.Errorf("version without raw bytes: %+v", v)
		}
		return err
	})
}

// testTimesKeepMilliseconds: every store keeps times in UTC to the
// millisecond, so a time read back equals the time written, truncated, and
// a version is found at exactly its capture time.
func testTimesKeepMilliseconds(t *testing.T, h Harness) {
	st, _ := open(t, h)
	svc := service(t, st, "tester")
	id, err := svc.AddDocument(context.Background(), tracker.NewDocument{PlatformName: "Acme", URL: "https://acme.example/p"})
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	if paris == nil {
		paris = time.FixedZone("CEST", 2*3600)
	}
	at := time.Date(2024, 7, 14, 23, 30, 15, 123456789, paris)
	want := at.UTC().Truncate(time.Millisecond)
	var vid int64
	update(t, st, func(tx tracker.Tx) error {
		v := tracker.Version{DocumentID: id, FetchedAt: at, SHA256: "a", Text: "a", Source: "check"}
		if err := tx.InsertVersion(&v); err != nil {
			return err
		}
		vid = v.ID
		return tx.InsertCheckEvent(&tracker.CheckEvent{DocumentID: id, At: at, Status: tracker.CheckChanged, VersionID: v.ID, SHA256: "a"})
	})
	view(t, st, func(tx tracker.Tx) error {
		v, err := tx.VersionAt(id, at)
		if err != nil {
			return err
		}
		if v.ID != vid || !v.FetchedAt.Equal(want) || v.FetchedAt.Location() != time.UTC {
			t.Errorf("fetched at %v (%v), want %v in UTC", v.FetchedAt, v.FetchedAt.Location(), want)
		}
		if _, err := tx.VersionAt(id, at.Add(time.Millisecond)); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("a version found a millisecond later: %v", err)
		}
		evs, err := tx.ListCheckEvents(id)
		if err != nil || len(evs) != 1 || !evs[0].At.Equal(want) || evs[0].VersionID != vid {
			t.Errorf("check events: %+v %v", evs, err)
		}
		return nil
	})
}

func testUpdateRollsBackOnError(t *testing.T, h Harness) {
	ctx := context.Background()
	st, _ := open(t, h)
	service(t, st, "tester")
	boom := errors.New("boom")
	err := st.Update(ctx, func(tx tracker.Tx) error {
		if err := tx.SetSetting("half", "written"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("the function's error is not returned: %v", err)
	}
	view(t, st, func(tx tracker.Tx) error {
		v, err := tx.Setting("half")
		if v != "" {
			t.Error("a failed update was committed")
		}
		return err
	})
	// A failing statement inside does not leave the archive unusable.
	err = st.Update(ctx, func(tx tracker.Tx) error {
		return tx.InsertCheckEvent(&tracker.CheckEvent{DocumentID: 999999, At: time.Now(), Status: tracker.CheckFailed})
	})
	if err == nil {
		t.Error("a check event of no document was stored")
	}
	update(t, st, func(tx tracker.Tx) error { return tx.SetSetting("after", "ok") })
}

// testViewIsASnapshot: a read transaction sees one state of the archive,
// whatever commits meanwhile.
func testViewIsASnapshot(t *testing.T, h Harness) {
	ctx := context.Background()
	st, loc := open(t, h)
	other := reopen(t, h, loc)
	update(t, st, func(tx tracker.Tx) error { return tx.SetSetting("k", "before") })
	started := make(chan struct{})
	written := make(chan error)
	go func() {
		<-started
		written <- other.Update(ctx, func(tx tracker.Tx) error { return tx.SetSetting("k", "after") })
	}()
	view(t, st, func(tx tracker.Tx) error {
		first, err := tx.Setting("k")
		if err != nil {
			return err
		}
		close(started)
		if err := <-written; err != nil {
			return err
		}
		second, err := tx.Setting("k")
		if first != "before" || second != "before" {
			t.Errorf("the view saw %q then %q", first, second)
		}
		return err
	})
	view(t, st, func(tx tracker.Tx) error {
		v, err := tx.Setting("k")
		if v != "after" {
			t.Errorf("a later view reads %q", v)
		}
		return err
	})
}
