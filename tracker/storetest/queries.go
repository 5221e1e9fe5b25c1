package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

func init() {
	register(
		test{"PlatformsAndDocuments", testPlatformsAndDocuments},
		test{"VersionsAndChecks", testVersionsAndChecks},
		test{"ChangesFiltersAndOrder", testChangesFiltersAndOrder},
		test{"SaveChangeKeepsReview", testSaveChangeKeepsReview},
		test{"ChecklistOrderAndCounts", testChecklistOrderAndCounts},
		test{"ChecklistVersionConflict", testChecklistVersionConflict},
		test{"ProfileAndSettings", testProfileAndSettings},
		test{"AuditListing", testAuditListing},
	)
}

var day0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func day(n int) time.Time { return day0.AddDate(0, 0, n) }

// testPlatformsAndDocuments: names sort by their lower-case bytes (not by a
// database collation), case-insensitive lookup by name, counts.
func testPlatformsAndDocuments(t *testing.T, h Harness) {
	st, _ := open(t, h)
	names := []string{"beta", "Alpha", "_under", "alpha two", "Zeta", "Éclair", "zulu"}
	ids := map[string]int64{}
	update(t, st, func(tx tracker.Tx) error {
		for i, n := range names {
			p := tracker.Platform{Slug: tracker.Slugify(n) + fmt.Sprint(i), Name: n, Category: "custom", Custom: i%2 == 0,
				VLOP: i == 1, Gatekeeper: i == 2, AllowsMinors: i == 3, EULeadAuthority: "DPC", CreatedAt: day(i)}
			if err := tx.UpsertPlatform(&p); err != nil {
				return err
			}
			ids[n] = p.ID
		}
		// Upserting by slug keeps the id and updates the fields.
		p := tracker.Platform{Slug: tracker.Slugify("beta") + "0", Name: "beta", Owner: "Beta Inc", CreatedAt: day(9)}
		if err := tx.UpsertPlatform(&p); err != nil {
			return err
		}
		if p.ID != ids["beta"] {
			t.Errorf("upsert gave id %d, want %d", p.ID, ids["beta"])
		}
		for i, kind := range []string{"terms-of-service", "privacy-policy", "ai-terms"} {
			d := tracker.Document{PlatformID: ids["Alpha"], Kind: kind, URL: "https://alpha.example/" + kind,
				Tracked: i != 1, CreatedAt: day(i)}
			if err := tx.InsertDocument(&d); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, st, func(tx tracker.Tx) error {
		list, err := tx.ListPlatforms()
		if err != nil {
			return err
		}
		var got []string
		for _, p := range list {
			got = append(got, p.Name)
		}
		// By lower-case bytes: "_" sorts before letters, "É" after them.
		want := []string{"_under", "Alpha", "alpha two", "beta", "Zeta", "zulu", "Éclair"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("platform order %q, want %q", got, want)
		}
		for _, p := range list {
			if p.Name == "Alpha" && (p.Documents != 3 || p.Tracked != 2 || p.Versions != 0 || !p.VLOP) {
				t.Errorf("Alpha summary %+v", p)
			}
			if p.Name == "beta" && (p.Owner != "Beta Inc" || p.Custom || !p.CreatedAt.Equal(day(0))) {
				t.Errorf("upserted platform %+v (fields replaced, created_at kept)", p.Platform)
			}
		}
		p, err := tx.PlatformByName("ALPHA")
		if err != nil || p.ID != ids["Alpha"] {
			t.Errorf("by name ignoring case: %+v %v", p, err)
		}
		if _, err := tx.PlatformByName("nobody"); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("unknown name: %v", err)
		}
		if _, err := tx.PlatformByID(987654); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}
		docs, err := tx.PlatformDocuments(ids["Alpha"])
		if err != nil {
			return err
		}
		var kinds []string
		for _, d := range docs {
			kinds = append(kinds, d.Kind)
		}
		if !reflect.DeepEqual(kinds, []string{"ai-terms", "privacy-policy", "terms-of-service"}) {
			t.Errorf("documents by kind: %q", kinds)
		}
		d, err := tx.FindDocument(ids["Alpha"], "privacy-policy", "https://alpha.example/privacy-policy")
		if err != nil || d.Tracked || !d.CreatedAt.Equal(day(1)) {
			t.Errorf("find document: %+v %v", d, err)
		}
		if _, err := tx.FindDocument(ids["Alpha"], "privacy-policy", "https://other.example/"); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("unknown document: %v", err)
		}
		sums, err := tx.ListDocuments(tracker.DocumentFilter{TrackedOrArchived: true})
		if err != nil {
			return err
		}
		if len(sums) != 2 || sums[0].Kind != "ai-terms" || sums[0].PlatformName != "Alpha" || sums[0].LastCheck != nil {
			t.Errorf("tracked documents: %+v", sums)
		}
		return nil
	})
	// Inserting the same platform, kind and URL twice is refused.
	err := st.Update(t.Context(), func(tx tracker.Tx) error {
		return tx.InsertDocument(&tracker.Document{PlatformID: ids["Alpha"], Kind: "ai-terms", URL: "https://alpha.example/ai-terms"})
	})
	if err == nil {
		t.Error("a duplicate document was stored")
	}
	// Documents change and keep validators.
	update(t, st, func(tx tracker.Tx) error {
		d, err := tx.FindDocument(ids["Alpha"], "privacy-policy", "https://alpha.example/privacy-policy")
		if err != nil {
			return err
		}
		d.Tracked, d.Select, d.Title = true, "main, {\"startBefore\": \"h1\"}", "Privacy"
		if err := tx.UpdateDocument(d); err != nil {
			return err
		}
		return tx.SetValidators(d.ID, `"etag-1"`, "Wed, 21 Oct 2015 07:28:00 GMT", "ab12")
	})
	view(t, st, func(tx tracker.Tx) error {
		d, err := tx.FindDocument(ids["Alpha"], "privacy-policy", "https://alpha.example/privacy-policy")
		if err != nil {
			return err
		}
		if !d.Tracked || d.Select != "main, {\"startBefore\": \"h1\"}" || d.ETag != `"etag-1"` || d.RawSHA256 != "ab12" ||
			d.LastModified != "Wed, 21 Oct 2015 07:28:00 GMT" || d.Title != "Privacy" {
			t.Errorf("document after update: %+v", d)
		}
		return nil
	})
}

// fixture is a platform with one document, versions and changes, built
// through the Tx interface.
type fixture struct {
	platform tracker.Platform
	doc      tracker.Document
	versions []tracker.Version
	changes  []tracker.Change
}

func buildFixture(t *testing.T, tx tracker.Tx, name string, n int) fixture {
	t.Helper()
	f := fixture{platform: tracker.Platform{Slug: tracker.Slugify(name), Name: name, CreatedAt: day(0)}}
	must(t, tx.UpsertPlatform(&f.platform))
	f.doc = tracker.Document{PlatformID: f.platform.ID, Kind: "privacy-policy", URL: "https://" + f.platform.Slug + ".example/privacy",
		Tracked: true, CreatedAt: day(0)}
	must(t, tx.InsertDocument(&f.doc))
	for i := 0; i < n; i++ {
		v := tracker.Version{DocumentID: f.doc.ID, FetchedAt: day(10 * i), URL: f.doc.URL, HTTPStatus: 200,
			Text: strings.Repeat("x", 10+i), Source: "check", StatedDate: "2025-01"}
		v.SHA256 = evidence.SHA256Hex([]byte(v.Text))
		must(t, tx.InsertVersion(&v))
		f.versions = append(f.versions, v)
	}
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testVersionsAndChecks(t *testing.T, h Harness) {
	st, _ := open(t, h)
	var f fixture
	update(t, st, func(tx tracker.Tx) error {
		f = buildFixture(t, tx, "Acme", 3)
		return nil
	})
	// Two versions at the same time are refused.
	if err := st.Update(t.Context(), func(tx tracker.Tx) error {
		return tx.InsertVersion(&tracker.Version{DocumentID: f.doc.ID, FetchedAt: day(0), SHA256: "dup", Text: "dup"})
	}); err == nil {
		t.Error("two versions of one document at one time")
	}
	// A check event with an unknown status is refused, and takes the
	// events written before it in the same transaction with it.
	err := st.Update(t.Context(), func(tx tracker.Tx) error {
		ok := tracker.CheckEvent{DocumentID: f.doc.ID, At: day(1), Status: tracker.CheckUnchanged}
		if err := tx.InsertCheckEvent(&ok); err != nil || ok.ID == 0 {
			t.Errorf("check event: id %d, %v", ok.ID, err)
		}
		return tx.InsertCheckEvent(&tracker.CheckEvent{DocumentID: f.doc.ID, At: day(8), Status: "exploded"})
	})
	if err == nil {
		t.Error("a check event with an unknown status was stored")
	}
	view(t, st, func(tx tracker.Tx) error {
		evs, err := tx.ListCheckEvents(f.doc.ID)
		if err != nil || len(evs) != 0 {
			t.Errorf("a failed transaction left %d check events (%v)", len(evs), err)
		}
		return nil
	})
	update(t, st, func(tx tracker.Tx) error {
		for _, e := range []tracker.CheckEvent{
			{At: day(0), Status: tracker.CheckChanged, VersionID: f.versions[0].ID, HTTPStatus: 200, SHA256: "s0"},
			{At: day(5), Status: tracker.CheckUnchanged, HTTPStatus: 304},
			{At: day(6), Status: tracker.CheckFailed, Reason: "blocked", Detail: "bot wall", HTTPStatus: 403},
			{At: day(7), Status: tracker.CheckFailed, Reason: "network"},
		} {
			e.DocumentID = f.doc.ID
			if err := tx.InsertCheckEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, st, func(tx tracker.Tx) error {
		latest, err := tx.LatestVersion(f.doc.ID)
		if err != nil || latest.ID != f.versions[2].ID || latest.Text != f.versions[2].Text {
			t.Errorf("latest version: %+v %v", latest, err)
		}
		info, err := tx.LatestVersionInfo(f.doc.ID)
		if err != nil || info.ID != latest.ID || info.Bytes != 12 || info.Origin != nil || info.StatedDate != "2025-01" {
			t.Errorf("latest version info: %+v %v", info, err)
		}
		list, err := tx.ListVersions(f.doc.ID)
		if err != nil || len(list) != 3 || list[0].ID != f.versions[0].ID || !list[2].FetchedAt.Equal(day(20)) {
			t.Errorf("versions oldest first: %+v %v", list, err)
		}
		if _, err := tx.LatestVersion(987654); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("latest version of no document: %v", err)
		}
		evs, err := tx.ListCheckEvents(f.doc.ID)
		if err != nil || len(evs) != 4 || evs[0].VersionID != f.versions[0].ID || evs[1].VersionID != 0 || evs[2].Reason != "blocked" {
			t.Errorf("check events: %+v %v", evs, err)
		}
		docs, err := tx.ListDocuments(tracker.DocumentFilter{PlatformSlug: "acme"})
		if err != nil || len(docs) != 1 || docs[0].Versions != 3 || docs[0].LastCheck == nil ||
			docs[0].LastCheck.Reason != "network" || !docs[0].LastCheck.At.Equal(day(7)) {
			t.Errorf("document summary: %+v %v", docs, err)
		}
		stats, err := tx.CheckStats(day(1), day(7))
		if err != nil || len(stats) != 1 || stats[0].Checks != 2 || stats[0].Failures != 1 ||
			!stats[0].First.Equal(day(5)) || !stats[0].Last.Equal(day(6)) {
			t.Errorf("check stats in a period: %+v %v", stats, err)
		}
		all, err := tx.CheckStats(time.Time{}, time.Time{})
		if err != nil || len(all) != 1 || all[0].Checks != 4 || all[0].Failures != 2 {
			t.Errorf("check stats of all time: %+v %v", all, err)
		}
		return nil
	})
	// Origins of imported versions round-trip.
	update(t, st, func(tx tracker.Tx) error {
		return tx.InsertVersion(&tracker.Version{DocumentID: f.doc.ID, FetchedAt: day(40), SHA256: "imp", Text: "imported",
			Source: "import", Origin: tracker.Origin{Dataset: "OTA", Release: "v1", Commit: "abc", File: "Acme/Privacy Policy/x.md"}})
	})
	view(t, st, func(tx tracker.Tx) error {
		info, err := tx.LatestVersionInfo(f.doc.ID)
		if err != nil || info.Origin == nil || info.Origin.File != "Acme/Privacy Policy/x.md" || info.Origin.Commit != "abc" {
			t.Errorf("origin: %+v %v", info.Origin, err)
		}
		return err
	})
}

// changeFixture stores changes across two platforms with findings.
func changeFixture(t *testing.T, st tracker.Store) (fixture, fixture) {
	t.Helper()
	var a, b fixture
	update(t, st, func(tx tracker.Tx) error {
		a = buildFixture(t, tx, "Alpha", 4)
		b = buildFixture(t, tx, "Beta", 2)
		save := func(f *fixture, i int, exposure string, substantive bool, findings []tracker.FindingRow) {
			c := tracker.Change{DocumentID: f.doc.ID, FromVersionID: f.versions[i-1].ID, ToVersionID: f.versions[i].ID,
				DetectedAt: f.versions[i].FetchedAt, Substantive: substantive, Exposure: exposure,
				Summary: fmt.Sprintf("%s change %d", f.platform.Name, i), AddedWords: i, RemovedWords: 2 * i}
			must(t, tx.SaveChange(&c, []byte(`{"n":`+fmt.Sprint(i)+`}`), findings))
			f.changes = append(f.changes, c)
		}
		save(&a, 1, tracker.ExposureHigh, true, []tracker.FindingRow{
			{Category: "retention", Direction: "modified", Exposure: "high", Heading: "Keeping data", Evidence: "We keep it.",
				Rule: "r1", Jurisdictions: []string{"US-CA", "EU", "UK"}},
			{Category: "ai-training", Direction: "added", Exposure: "medium", Jurisdictions: []string{"EU"}},
		})
		save(&a, 2, tracker.ExposureNone, false, nil)
		save(&a, 3, tracker.ExposureMedium, true, []tracker.FindingRow{{Category: "ai-training", Direction: "added", Exposure: "medium"}})
		save(&b, 1, tracker.ExposureLow, true, []tracker.FindingRow{{Category: "children", Direction: "removed", Exposure: "low",
			Jurisdictions: []string{"BR"}}})
		return nil
	})
	return a, b
}

func changeIDs(list []tracker.ChangeSummary) []int64 {
	var out []int64
	for _, c := range list {
		out = append(out, c.ID)
	}
	return out
}

func testChangesFiltersAndOrder(t *testing.T, h Harness) {
	st, _ := open(t, h)
	a, b := changeFixture(t, st)
	a1, a2, a3, b1 := a.changes[0].ID, a.changes[1].ID, a.changes[2].ID, b.changes[0].ID
	yes, no := true, false
	cases := []struct {
		name string
		f    tracker.ChangeFilter
		want []int64
	}{
		// Newest first; changes detected at the same time, newest id first.
		{"all, newest first", tracker.ChangeFilter{}, []int64{a3, a2, b1, a1}},
		{"since", tracker.ChangeFilter{Since: day(20)}, []int64{a3, a2}},
		{"until (exclusive)", tracker.ChangeFilter{Until: day(20)}, []int64{b1, a1}},
		{"platforms", tracker.ChangeFilter{PlatformSlugs: []string{"beta"}}, []int64{b1}},
		{"two platforms", tracker.ChangeFilter{PlatformSlugs: []string{"beta", "alpha"}}, []int64{a3, a2, b1, a1}},
		{"document", tracker.ChangeFilter{DocumentID: b.doc.ID}, []int64{b1}},
		{"kind", tracker.ChangeFilter{Kind: "ai-terms"}, nil},
		{"category", tracker.ChangeFilter{Category: "ai-training"}, []int64{a3, a1}},
		{"jurisdiction", tracker.ChangeFilter{Jurisdiction: "EU"}, []int64{a1}},
		{"min exposure", tracker.ChangeFilter{MinExposure: tracker.ExposureMedium}, []int64{a3, a1}},
		{"substantive", tracker.ChangeFilter{Substantive: &yes}, []int64{a3, b1, a1}},
		{"not substantive", tracker.ChangeFilter{Substantive: &no}, []int64{a2}},
		{"page", tracker.ChangeFilter{Limit: 2, Offset: 1}, []int64{a2, b1}},
		{"combined", tracker.ChangeFilter{PlatformSlugs: []string{"alpha"}, MinExposure: tracker.ExposureLow, Since: day(5)}, []int64{a3, a1}},
	}
	view(t, st, func(tx tracker.Tx) error {
		for _, c := range cases {
			list, err := tx.ListChanges(c.f)
			if err != nil {
				return err
			}
			if got := changeIDs(list); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
			f := c.f
			f.Limit, f.Offset = 0, 0
			n, err := tx.CountChanges(f)
			if err != nil {
				return err
			}
			if full, _ := tx.ListChanges(f); n != len(full) {
				t.Errorf("%s: count %d, list %d", c.name, n, len(full))
			}
		}
		list, err := tx.ListChanges(tracker.ChangeFilter{DocumentID: a.doc.ID, MinExposure: tracker.ExposureHigh})
		if err != nil || len(list) != 1 {
			return fmt.Errorf("high change: %v", err)
		}
		c := list[0]
		if c.PlatformSlug != "alpha" || c.PlatformName != "Alpha" || c.Kind != "privacy-policy" || !c.Substantive ||
			!reflect.DeepEqual(c.Categories, []string{"ai-training", "retention"}) || c.AddedWords != 1 || c.RemovedWords != 2 ||
			!c.DetectedAt.Equal(day(10)) || !c.ReviewedAt.IsZero() {
			t.Errorf("change summary: %+v", c)
		}
		got, record, err := tx.ChangeByID(a1)
		if err != nil || got.ID != a1 || string(record) != `{"n":1}` || got.Summary != "Alpha change 1" {
			t.Errorf("change by id: %+v %s %v", got, record, err)
		}
		if _, _, err := tx.ChangeByID(987654); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("unknown change: %v", err)
		}
		pair, err := tx.ChangeForPair(a.versions[0].ID, a.versions[1].ID)
		if err != nil || pair.ID != a1 {
			t.Errorf("change for pair: %+v %v", pair, err)
		}
		if _, err := tx.ChangeForPair(a.versions[0].ID, a.versions[2].ID); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("no change for that pair: %v", err)
		}
		fs, err := tx.ListFindings(a1)
		if err != nil || len(fs) != 2 || fs[0].Category != "retention" || fs[0].Heading != "Keeping data" || fs[0].Rule != "r1" {
			t.Fatalf("findings: %+v %v", fs, err)
		}
		// Jurisdictions come back in byte order, whatever order they were stored in.
		if !reflect.DeepEqual(fs[0].Jurisdictions, []string{"EU", "UK", "US-CA"}) || fs[1].Jurisdictions[0] != "EU" {
			t.Errorf("finding jurisdictions: %q", fs[0].Jurisdictions)
		}
		ev, err := tx.ChangeEvidence(a1)
		if err != nil || ev.ExposureRank != 3 || len(ev.Findings) != 2 || !reflect.DeepEqual(ev.Findings[0].Jurisdictions, fs[0].Jurisdictions) {
			t.Errorf("change evidence: %+v %v", ev, err)
		}
		var seen []int64
		var findings int
		if err := tx.EachChangeEvidence(func(c tracker.ChangeEvidence) error {
			seen = append(seen, c.ID)
			findings += len(c.Findings)
			return nil
		}); err != nil {
			return err
		}
		if !reflect.DeepEqual(seen, []int64{a1, a2, a3, b1}) || findings != 4 {
			t.Errorf("each change: %v with %d findings", seen, findings)
		}
		return nil
	})
}

func testSaveChangeKeepsReview(t *testing.T, h Harness) {
	st, _ := open(t, h)
	a, _ := changeFixture(t, st)
	c := a.changes[0]
	reviewedAt := day(11).Add(1234 * time.Millisecond)
	update(t, st, func(tx tracker.Tx) error {
		if err := tx.MarkReviewed(c.ID, reviewedAt, "Jane Doe <jane@acme.example>", "looked at it"); err != nil {
			return err
		}
		if err := tx.MarkReviewed(987654, reviewedAt, "x", ""); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("review of no change: %v", err)
		}
		// Re-analysis: new figures and findings for the same pair.
		again := c
		again.ID, again.Exposure, again.Summary = 0, tracker.ExposureLow, "re-analysed"
		if err := tx.SaveChange(&again, []byte(`{"n":"again"}`), []tracker.FindingRow{{Category: "children", Direction: "added", Exposure: "low"}}); err != nil {
			return err
		}
		if again.ID != c.ID {
			t.Errorf("re-analysis made change %d, want %d", again.ID, c.ID)
		}
		return nil
	})
	view(t, st, func(tx tracker.Tx) error {
		got, record, err := tx.ChangeByID(c.ID)
		if err != nil {
			return err
		}
		if got.Exposure != tracker.ExposureLow || string(record) != `{"n":"again"}` || !reflect.DeepEqual(got.Categories, []string{"children"}) {
			t.Errorf("re-analysed change: %+v %s", got, record)
		}
		if got.ReviewedBy != "Jane Doe <jane@acme.example>" || got.ReviewNote != "looked at it" || !got.ReviewedAt.Equal(reviewedAt) {
			t.Errorf("review lost on re-analysis: %+v", got.Change)
		}
		yes, no := true, false
		r, _ := tx.CountChanges(tracker.ChangeFilter{Reviewed: &yes})
		u, _ := tx.CountChanges(tracker.ChangeFilter{Reviewed: &no})
		if r != 1 || u != 3 {
			t.Errorf("reviewed %d, unreviewed %d", r, u)
		}
		return nil
	})
	update(t, st, func(tx tracker.Tx) error { return tx.MarkReviewed(c.ID, time.Time{}, "", "") })
	view(t, st, func(tx tracker.Tx) error {
		got, _, err := tx.ChangeByID(c.ID)
		if err == nil && (!got.ReviewedAt.IsZero() || got.ReviewedBy != "" || got.ReviewNote != "") {
			t.Errorf("review not cleared: %+v", got.Change)
		}
		return err
	})
}

func testChecklistOrderAndCounts(t *testing.T, h Harness) {
	st, _ := open(t, h)
	a, b := changeFixture(t, st)
	items := map[string]int64{}
	update(t, st, func(tx tracker.Tx) error {
		for _, it := range []tracker.ChecklistItem{
			{ChangeID: a.changes[0].ID, Category: "retention", Seq: 1, Text: "no due, high", Status: tracker.StatusOpen},
			{ChangeID: a.changes[0].ID, Category: "retention", Seq: 2, Text: "due later", Status: tracker.StatusInProgress, DueDate: "2025-03-01"},
			{ChangeID: a.changes[2].ID, Category: "ai-training", Seq: 1, Text: "due soon", Status: tracker.StatusOpen, DueDate: "2025-01-15"},
			{ChangeID: b.changes[0].ID, Category: "children", Seq: 1, Text: "done", Status: tracker.StatusDone, DueDate: "2025-01-10"},
			{ChangeID: b.changes[0].ID, Category: "children", Seq: 2, Text: "same due, low", Status: tracker.StatusOpen, DueDate: "2025-03-01"},
		} {
			it.CreatedAt, it.UpdatedAt = day(1), day(1)
			inserted, err := tx.EnsureChecklistItem(&it)
			if err != nil {
				return err
			}
			if !inserted || it.ID == 0 || it.Version != 1 {
				t.Errorf("new item: inserted=%t %+v", inserted, it)
			}
			items[it.Text] = it.ID
		}
		again := tracker.ChecklistItem{ChangeID: a.changes[0].ID, Category: "retention", Seq: 1, Text: "other text",
			Status: tracker.StatusOpen, CreatedAt: day(2), UpdatedAt: day(2)}
		inserted, err := tx.EnsureChecklistItem(&again)
		if err != nil || inserted || again.ID != items["no due, high"] {
			t.Errorf("ensuring an existing item: inserted=%t id %d, %v", inserted, again.ID, err)
		}
		return nil
	})
	texts := func(rows []tracker.ChecklistRow) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.Text)
		}
		return out
	}
	view(t, st, func(tx tracker.Tx) error {
		all, err := tx.ListChecklist(tracker.ChecklistFilter{})
		if err != nil {
			return err
		}
		// By due date, items without one last; same date: higher exposure first.
		if got := texts(all); !reflect.DeepEqual(got, []string{"done", "due soon", "due later", "same due, low", "no due, high"}) {
			t.Errorf("checklist order %q", got)
		}
		r := all[0]
		if r.PlatformName != "Beta" || r.Kind != "privacy-policy" || r.Exposure != tracker.ExposureLow || !r.DetectedAt.Equal(day(10)) {
			t.Errorf("checklist row context: %+v", r)
		}
		open, err := tx.ListChecklist(tracker.ChecklistFilter{OpenOnly: true, PlatformSlug: "alpha"})
		if err != nil {
			return err
		}
		if got := texts(open); !reflect.DeepEqual(got, []string{"due soon", "due later", "no due, high"}) {
			t.Errorf("open items of alpha %q", got)
		}
		byStatus, _ := tx.ListChecklist(tracker.ChecklistFilter{Status: tracker.StatusDone})
		byChange, _ := tx.ListChecklist(tracker.ChecklistFilter{ChangeID: a.changes[0].ID})
		limited, _ := tx.ListChecklist(tracker.ChecklistFilter{Limit: 2})
		if len(byStatus) != 1 || len(byChange) != 2 || len(limited) != 2 {
			t.Errorf("filters: status %d, change %d, limit %d", len(byStatus), len(byChange), len(limited))
		}
		o, overdue, err := tx.CountOpenChecklist("2025-02-01")
		if err != nil || o != 4 || overdue != 1 {
			t.Errorf("open %d, overdue %d (%v), want 4 and 1", o, overdue, err)
		}
		it, err := tx.ChecklistItemByID(items["due later"])
		if err != nil || it.Status != tracker.StatusInProgress || !it.CreatedAt.Equal(day(1)) {
			t.Errorf("item by id: %+v %v", it, err)
		}
		if _, err := tx.ChecklistItemByID(987654); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("unknown item: %v", err)
		}
		var n int
		if err := tx.EachChecklistItem(func(tracker.ChecklistItem) error { n++; return nil }); err != nil || n != 5 {
			t.Errorf("each checklist item: %d, %v", n, err)
		}
		return nil
	})
	if err := st.Update(t.Context(), func(tx tracker.Tx) error {
		it, err := tx.ChecklistItemByID(items["done"])
		if err != nil {
			return err
		}
		it.Status = "finished"
		return tx.UpdateChecklistItem(it)
	}); err == nil {
		t.Error("an unknown status was stored")
	}
}

// testChecklistVersionConflict: an update made from an older read of an
// item is refused with ErrConflict and changes nothing.
func testChecklistVersionConflict(t *testing.T, h Harness) {
	st, loc := open(t, h)
	other := reopen(t, h, loc)
	a, _ := changeFixture(t, st)
	var item tracker.ChecklistItem
	update(t, st, func(tx tracker.Tx) error {
		item = tracker.ChecklistItem{ChangeID: a.changes[0].ID, Category: "retention", Seq: 1, Text: "Ask the vendor",
			Status: tracker.StatusOpen, CreatedAt: day(1), UpdatedAt: day(1)}
		_, err := tx.EnsureChecklistItem(&item)
		return err
	})
	// The second desktop saves first.
	update(t, other, func(tx tracker.Tx) error {
		it, err := tx.ChecklistItemByID(item.ID)
		if err != nil {
			return err
		}
		it.Owner, it.UpdatedAt = "dpo@acme.example", day(2)
		return tx.UpdateChecklistItem(it)
	})
	stale := item
	stale.Note, stale.UpdatedAt = "my note", day(3)
	err := st.Update(t.Context(), func(tx tracker.Tx) error { return tx.UpdateChecklistItem(stale) })
	if !errors.Is(err, tracker.ErrConflict) {
		t.Fatalf("a stale update: %v, want ErrConflict", err)
	}
	view(t, st, func(tx tracker.Tx) error {
		it, err := tx.ChecklistItemByID(item.ID)
		if err == nil && (it.Owner != "dpo@acme.example" || it.Note != "" || it.Version != 2 || !it.UpdatedAt.Equal(day(2))) {
			t.Errorf("after the refused update: %+v", it)
		}
		return err
	})
	stale.Version = 2
	update(t, st, func(tx tracker.Tx) error { return tx.UpdateChecklistItem(stale) })
	missing := stale
	missing.ID = 987654
	if err := st.Update(t.Context(), func(tx tracker.Tx) error { return tx.UpdateChecklistItem(missing) }); !errors.Is(err, tracker.ErrNotFound) {
		t.Errorf("update of no item: %v", err)
	}
}

func testProfileAndSettings(t *testing.T, h Harness) {
	st, _ := open(t, h)
	view(t, st, func(tx tracker.Tx) error {
		p, err := tx.Profile()
		if err != nil || p.Role != "controller" || p.Organisation != "" || len(p.Jurisdictions) != 0 {
			t.Errorf("empty profile: %+v %v", p, err)
		}
		v, err := tx.Setting("nothing")
		if v != "" {
			t.Errorf("unset setting %q", v)
		}
		return err
	})
	want := tracker.Profile{Organisation: "Acme “Ltd”", Jurisdictions: []string{"US-CA", "EU"}, ServesChildren: true,
		FinancialData: true, Role: "processor", B2BNegotiated: true}
	update(t, st, func(tx tracker.Tx) error {
		if err := tx.SaveProfile(tracker.Profile{Organisation: "first"}); err != nil {
			return err
		}
		if err := tx.SaveProfile(want); err != nil {
			return err
		}
		if err := tx.SetSetting("k", "v1"); err != nil {
			return err
		}
		return tx.SetSetting("k", "v2 — ünïcode")
	})
	view(t, st, func(tx tracker.Tx) error {
		p, err := tx.Profile()
		if err != nil || !reflect.DeepEqual(p, want) {
			t.Errorf("profile %+v, want %+v (%v)", p, want, err)
		}
		v, err := tx.Setting("k")
		if v != "v2 — ünïcode" {
			t.Errorf("setting %q", v)
		}
		return err
	})
}

func testAuditListing(t *testing.T, h Harness) {
	st, _ := open(t, h)
	svc := service(t, st, "tester")
	ctx := t.Context()
	for _, o := range []string{"A", "B", "C"} {
		if err := svc.SetSetting(ctx, "org", o); err != nil {
			t.Fatal(err)
		}
	}
	view(t, st, func(tx tracker.Tx) error {
		all, err := tx.ListAudit(0, 0)
		if err != nil || len(all) != 4 { // the evidence log's start and three settings
			return fmt.Errorf("audit entries: %d, %v", len(all), err)
		}
		for i, e := range all {
			if e.ID != int64(i+1) || e.Hash == "" || (i > 0 && e.PrevHash != all[i-1].Hash) {
				t.Errorf("entry %d: %+v", i, e)
			}
		}
		page, _ := tx.ListAudit(1, 2)
		if len(page) != 2 || page[0].ID != 2 || page[1].ID != 3 {
			t.Errorf("page of the log: %+v", page)
		}
		last, err := tx.LastAudit()
		if err != nil || last.ID != 4 || last.Detail != "C" || last.Actor != "tester" {
			t.Errorf("last entry: %+v %v", last, err)
		}
		about, err := tx.LastAuditAbout("setting:org")
		if err != nil || about.ID != 4 {
			t.Errorf("last entry about the setting: %+v %v", about, err)
		}
		if _, err := tx.LastAuditAbout("setting:none"); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("entry about nothing: %v", err)
		}
		first, err := tx.FindAudit("setting.set", false)
		newest, err2 := tx.FindAudit("setting.set", true)
		if err != nil || err2 != nil || first.ID != 2 || newest.ID != 4 {
			t.Errorf("find audit: %d %d %v %v", first.ID, newest.ID, err, err2)
		}
		if _, err := tx.FindAudit("no.such", false); !errors.Is(err, tracker.ErrNotFound) {
			t.Errorf("find of an unknown action: %v", err)
		}
		var ids []int64
		if err := tx.EachAudit(2, func(e tracker.AuditEntry) error { ids = append(ids, e.ID); return nil }); err != nil {
			return err
		}
		if !reflect.DeepEqual(ids, []int64{3, 4}) {
			t.Errorf("each audit after 2: %v", ids)
		}
		return nil
	})
}
