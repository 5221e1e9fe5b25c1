package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"policywatch/internal/testpolicies"
	"policywatch/tracker"
	"policywatch/tracker/evidence"
	"policywatch/tracker/secrets"
)

func init() {
	register(
		test{"AppendOnlyTables", testAppendOnlyTables},
		test{"AuditDetectsEditedRow", testAuditDetectsEditedRow},
		test{"AuditDetectsDeletedRow", testAuditDetectsDeletedRow},
		test{"AuditDetectsReorderedRows", testAuditDetectsReorderedRows},
		test{"AuditDeletedTailNeedsACheckpoint", testAuditDeletedTail},
		test{"ImportVerifiesAndSeals", testImportVerifiesAndSeals},
		test{"TamperedRecordsAreNamed", testTamperedRecordsAreNamed},
		test{"TamperTruncateAndRechain", testTamperTruncateAndRechain},
		test{"AdoptsUnloggedRecordsOnce", testAdoptsUnloggedRecordsOnce},
	)
}

// testAppendOnlyTables: the database itself refuses to change or delete
// log entries, checkpoints and versions, even to its owner's own client.
func testAppendOnlyTables(t *testing.T, h Harness) {
	st, loc := open(t, h)
	svc := evidenceService(t, st)
	ctx := context.Background()
	if err := svc.SetProfile(ctx, tracker.Profile{Jurisdictions: []string{"EU"}}); err != nil {
		t.Fatal(err)
	}
	id, err := svc.AddDocument(ctx, tracker.NewDocument{PlatformName: "Acme", URL: "https://acme.example/p"})
	if err != nil {
		t.Fatal(err)
	}
	update(t, st, func(tx tracker.Tx) error {
		v := tracker.Version{DocumentID: id, FetchedAt: day(1), SHA256: evidence.SHA256Hex([]byte("a")), Text: "a", Source: "check"}
		if err := tx.InsertVersion(&v); err != nil {
			return err
		}
		return tracker.RecordVersion(tx, day(1), "tester", v, "")
	})
	if _, err := svc.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE audit_log SET detail = 'x'`, `DELETE FROM audit_log`,
		`UPDATE versions SET text = 'x'`, `DELETE FROM versions`,
		`UPDATE checkpoints SET head = 'x'`, `DELETE FROM checkpoints`,
	} {
		if err := h.Exec(loc, q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
	if n, err := svc.VerifyAudit(ctx); err != nil || n < 4 {
		t.Errorf("after the refused edits: %d entries, %v", n, err)
	}
}

// auditFixture writes a few audited actions; the log has five entries.
func auditFixture(t *testing.T, h Harness) (*tracker.Service, string) {
	t.Helper()
	ctx := context.Background()
	st, loc := open(t, h)
	svc := service(t, st, "tester")
	for _, code := range []string{"EU", "UK", "US-CA"} {
		if err := svc.SetProfile(ctx, tracker.Profile{Jurisdictions: []string{code}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.SetTracked(ctx, "tiktok", true); err != nil {
		t.Fatal(err)
	}
	n, err := svc.VerifyAudit(ctx)
	if err != nil || n != 5 { // the evidence log's start, three profiles, one tracking
		t.Fatalf("intact chain: %d entries, %v", n, err)
	}
	return svc, loc
}

func wantBreakAt(t *testing.T, svc *tracker.Service, id int64) {
	t.Helper()
	_, err := svc.VerifyAudit(context.Background())
	var br *tracker.AuditBreak
	if !errors.As(err, &br) {
		t.Fatalf("tampering not detected: %v", err)
	}
	if br.EntryID != id {
		t.Fatalf("break reported at entry %d, want %d (%v)", br.EntryID, id, err)
	}
}

func testAuditDetectsEditedRow(t *testing.T, h Harness) {
	svc, loc := auditFixture(t, h)
	h.Tamper(t, loc, `UPDATE audit_log SET detail = 'jurisdictions=BR' WHERE id = 3`)
	wantBreakAt(t, svc, 3)
}

func testAuditDetectsDeletedRow(t *testing.T, h Harness) {
	svc, loc := auditFixture(t, h)
	h.Tamper(t, loc, `DELETE FROM audit_log WHERE id = 3`)
	wantBreakAt(t, svc, 4)
}

func testAuditDetectsReorderedRows(t *testing.T, h Harness) {
	svc, loc := auditFixture(t, h)
	// Swap the contents of entries 3 and 4, hashes included.
	h.Tamper(t, loc, `UPDATE audit_log SET id = -3 WHERE id = 3`, `UPDATE audit_log SET id = 3 WHERE id = 4`,
		`UPDATE audit_log SET id = 4 WHERE id = -3`)
	wantBreakAt(t, svc, 3)
}

func testAuditDeletedTail(t *testing.T, h Harness) {
	// Without a signed checkpoint, deleting the newest plain event leaves a
	// valid prefix: verify counts fewer entries, which a checkpoint kept
	// elsewhere contradicts (TamperTruncateAndRechain).
	svc, loc := auditFixture(t, h)
	h.Tamper(t, loc, `DELETE FROM audit_log WHERE id = 5`)
	n, err := svc.VerifyAudit(context.Background())
	if err != nil || n != 4 {
		t.Fatalf("after tail deletion: %d, %v", n, err)
	}
}

// evidenceService is a service whose signing key lives in a 0600 file.
func evidenceService(t *testing.T, st tracker.Store) *tracker.Service {
	t.Helper()
	keys := secrets.New(filepath.Join(t.TempDir(), "keys"), secrets.FileOnly, nil)
	return service(t, st, "tester", tracker.WithSecrets(keys))
}

// datasetVersions counts the versions of the project's test dataset.
func datasetVersions() (versions, pairs int) {
	for _, d := range testpolicies.Documents() {
		versions += len(testpolicies.Versions(d))
	}
	return versions, len(testpolicies.Pairs())
}

// evidenceArchive imports the project's test policies into a new archive
// and checks that it verifies.
func evidenceArchive(t *testing.T, h Harness) (*tracker.Service, string) {
	t.Helper()
	ctx := context.Background()
	st, loc := open(t, h)
	svc := evidenceService(t, st)
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme", Jurisdictions: []string{"EU", "US-CA"}}); err != nil {
		t.Fatal(err)
	}
	dir, err := testpolicies.WriteDataset(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sum, err := svc.ImportOTA(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	versions, pairs := datasetVersions()
	if sum.NewVersions != versions || sum.NewChanges != pairs || !strings.HasPrefix(sum.Seal, "checkpoint ") {
		t.Fatalf("import: %+v, want %d versions and %d changes", sum, versions, pairs)
	}
	return svc, loc
}

func testImportVerifiesAndSeals(t *testing.T, h Harness) {
	svc, _ := evidenceArchive(t, h)
	ctx := context.Background()
	v, err := svc.VerifyArchive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	versions, pairs := datasetVersions()
	if !v.OK() || v.Versions != versions || v.Analyses != pairs || v.Items == 0 || v.Checkpoints != 1 || !v.Key.Held {
		t.Fatalf("a fresh import does not verify: %+v", v)
	}
	// A re-import adds nothing.
	dir, _ := testpolicies.WriteDataset(t.TempDir())
	sum, err := svc.ImportOTA(ctx, dir, nil)
	if err != nil || sum.NewVersions != 0 || sum.NewChanges != 0 {
		t.Fatalf("re-import: %+v %v", sum, err)
	}
	// Reviews and checklist edits enter the log and still verify.
	c := HighChange(t, svc)
	if err := svc.ReviewChange(ctx, c.ID, "read with counsel"); err != nil {
		t.Fatal(err)
	}
	items, err := svc.Checklist(ctx, tracker.ChecklistFilter{ChangeID: c.ID})
	if err != nil || len(items) == 0 {
		t.Fatalf("items of change %d: %v", c.ID, err)
	}
	done, owner := tracker.StatusDone, "dpo@acme.example"
	saved, err := svc.UpdateChecklistItem(ctx, items[0].ID, tracker.ChecklistUpdate{Status: &done, Owner: &owner, Version: items[0].Version})
	if err != nil || saved.Version != items[0].Version+1 {
		t.Fatalf("checklist edit: %+v %v", saved, err)
	}
	if _, err := svc.Reanalyse(ctx, nil); err != nil {
		t.Fatal(err)
	}
	v, err = svc.VerifyArchive(ctx)
	if err != nil || !v.OK() || v.Reviews != 1 {
		t.Fatalf("after review, edit and re-analysis: %+v %v", v, err)
	}
}

// HighChange returns a medium or high change of the archive, for tests
// that tamper with one.
func HighChange(t *testing.T, svc *tracker.Service) tracker.ChangeSummary {
	t.Helper()
	list, err := svc.Changes(context.Background(), tracker.ChangeFilter{MinExposure: tracker.ExposureMedium})
	if err != nil || len(list) == 0 {
		t.Fatalf("no medium or high change in the fixture: %v", err)
	}
	return list[0]
}

// WantProblem verifies the archive (against the external checkpoints,
// if any) and requires a problem naming record whose reason contains every
// one of want. Tests of one store use it too.
func WantProblem(t *testing.T, svc *tracker.Service, external []evidence.Checkpoint, record string, want ...string) {
	t.Helper()
	v, err := svc.VerifyArchive(context.Background(), external...)
	if err != nil {
		t.Fatal(err)
	}
	if v.OK() {
		t.Fatalf("tampering not detected (%d entries, %d versions)", v.Entries, v.Versions)
	}
	var all []string
	for _, p := range v.Problems {
		all = append(all, p.String())
		if p.Record != record {
			continue
		}
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(p.Reason, w)
		}
		if ok {
			return
		}
	}
	t.Fatalf("no problem on %q with %q; got:\n%s", record, want, strings.Join(all, "\n"))
}

func testTamperedRecordsAreNamed(t *testing.T, h Harness) {
	cases := []struct {
		name   string
		tamper func(svc *tracker.Service) (stmt, record string, want []string)
	}{
		{"edit text", func(*tracker.Service) (string, string, []string) {
			return `UPDATE versions SET text = text || ' (edited)' WHERE id = 2`, "version 2", []string{"text was edited"}
		}},
		{"backdate a version", func(*tracker.Service) (string, string, []string) {
			return `UPDATE versions SET fetched_at = '2023-01-01T00:00:00.000Z' WHERE id = 3`, "version 3",
				[]string{`captured_at is "2023-01-01T00:00:00.000Z"`}
		}},
		{"delete findings", func(svc *tracker.Service) (string, string, []string) {
			c := HighChange(t, svc)
			return fmt.Sprintf(`DELETE FROM findings WHERE change_id = %d`, c.ID), fmt.Sprintf("change %d", c.ID),
				[]string{"findings is 0", "logged in entry"}
		}},
		{"lower the exposure rank", func(svc *tracker.Service) (string, string, []string) {
			c := HighChange(t, svc)
			return fmt.Sprintf(`UPDATE changes SET exposure_rank = 0 WHERE id = %d`, c.ID), fmt.Sprintf("change %d", c.ID),
				[]string{"exposure rank 0"}
		}},
		{"mark an item done", func(svc *tracker.Service) (string, string, []string) {
			items, err := svc.Checklist(context.Background(), tracker.ChecklistFilter{})
			if err != nil || len(items) == 0 {
				t.Fatalf("no checklist items: %v", err)
			}
			return fmt.Sprintf(`UPDATE checklist_items SET status = 'done', owner = 'mallory' WHERE id = %d`, items[0].ID),
				fmt.Sprintf("checklist item %d", items[0].ID), []string{`status is "done", logged "open"`, `owner is "mallory"`}
		}},
		{"review outside PolicyWatch", func(svc *tracker.Service) (string, string, []string) {
			c := HighChange(t, svc)
			return fmt.Sprintf(`UPDATE changes SET reviewed_at = '2024-12-01T00:00:00.000Z', reviewed_by = 'mallory' WHERE id = %d`, c.ID),
				fmt.Sprintf("change %d review", c.ID), []string{"no review is logged"}
		}},
		{"reorder entries", func(*tracker.Service) (string, string, []string) {
			return `UPDATE audit_log SET id = -5 WHERE id = 5; UPDATE audit_log SET id = 5 WHERE id = 6; UPDATE audit_log SET id = 6 WHERE id = -5`,
				"entry 5", []string{"previous-hash does not match"}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svc, loc := evidenceArchive(t, h)
			stmt, record, want := c.tamper(svc)
			h.Tamper(t, loc, stmt)
			WantProblem(t, svc, nil, record, want...)
		})
	}
}

func testTamperTruncateAndRechain(t *testing.T, h Harness) {
	ctx := context.Background()
	t.Run("truncate", func(t *testing.T) {
		svc, loc := evidenceArchive(t, h)
		cp, ok, err := svc.LatestCheckpoint(ctx)
		if err != nil || !ok {
			t.Fatalf("no checkpoint: %v", err)
		}
		h.Tamper(t, loc, fmt.Sprintf(`DELETE FROM audit_log WHERE id > %d`, cp.Entries-5))
		WantProblem(t, svc, nil, "checkpoint 1", "log was truncated")
	})
	t.Run("thorough truncate against a kept checkpoint", func(t *testing.T) {
		svc, loc := evidenceArchive(t, h)
		kept, _, err := svc.LatestCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		h.Tamper(t, loc, `DELETE FROM checkpoints`, `DELETE FROM checklist_items`, `DELETE FROM findings`,
			`DELETE FROM changes`, `DELETE FROM check_events`, `DELETE FROM versions`,
			`DELETE FROM audit_log WHERE id > (SELECT MIN(id) FROM audit_log WHERE action = 'version.add') - 1`)
		v, err := svc.VerifyArchive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !v.OK() {
			t.Fatalf("the emptied archive should look whole on its own: %v", v.Problems)
		}
		WantProblem(t, svc, []evidence.Checkpoint{kept}, fmt.Sprintf("checkpoint of %d entries signed %s", kept.Entries,
			evidence.FormatTime(kept.At)), "truncated")
	})
	t.Run("rechain", func(t *testing.T) {
		svc, loc := evidenceArchive(t, h)
		edited := h.Query(t, loc, `SELECT text FROM versions WHERE id = 2`) + " (edited)"
		hash := evidence.SHA256Hex([]byte(edited))
		var list []tracker.AuditEntry
		if err := svc.Store().View(ctx, func(tx tracker.Tx) error {
			var err error
			list, err = tx.ListAudit(0, 0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		stmts := []string{fmt.Sprintf(`UPDATE versions SET text = '%s', sha256 = '%s' WHERE id = 2`, quote(edited), hash)}
		first := -1
		for i, e := range list {
			if e.Action == evidence.ActionVersion && e.Subject == "version:2" {
				var f evidence.VersionFacts
				json.Unmarshal(e.Data, &f)
				f.TextSHA256, f.TextBytes = hash, len(edited)
				list[i].Data = evidence.Encode(f)
				first = i
			}
		}
		if first < 1 {
			t.Fatal("no entry for version 2")
		}
		for i := first; i < len(list); i++ {
			e := list[i]
			e.PrevHash = list[i-1].Hash
			e.Hash = evidence.Hash(e)
			list[i] = e
			stmts = append(stmts, fmt.Sprintf(`UPDATE audit_log SET data = '%s', prev_hash = '%s', hash = '%s' WHERE id = %d`,
				quote(string(e.Data)), e.PrevHash, e.Hash, e.ID))
		}
		h.Tamper(t, loc, stmts...)
		v, err := svc.VerifyArchive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range v.Problems {
			if strings.HasPrefix(p.Record, "version") || strings.HasPrefix(p.Record, "entry") {
				t.Errorf("the re-chained log should hold on its own: %v", p)
			}
		}
		WantProblem(t, svc, nil, "checkpoint 1", "rewritten after it")
	})
}

func quote(s string) string { return strings.ReplaceAll(s, "'", "''") }

// testAdoptsUnloggedRecordsOnce: records stored before the archive had an
// evidence log (an archive from before issue 13) are logged once when a
// service first opens it; a record forged later is not.
func testAdoptsUnloggedRecordsOnce(t *testing.T, h Harness) {
	ctx := context.Background()
	st, loc := open(t, h)
	var item int64
	update(t, st, func(tx tracker.Tx) error {
		f := buildFixture(t, tx, "Acme", 2)
		c := tracker.Change{DocumentID: f.doc.ID, FromVersionID: f.versions[0].ID, ToVersionID: f.versions[1].ID,
			DetectedAt: day(10), Exposure: tracker.ExposureHigh, Substantive: true}
		if err := tx.SaveChange(&c, nil, []tracker.FindingRow{{Category: "retention", Direction: "modified", Exposure: "high"}}); err != nil {
			return err
		}
		if err := tx.MarkReviewed(c.ID, day(11), "dpo", ""); err != nil {
			return err
		}
		it := tracker.ChecklistItem{ChangeID: c.ID, Category: "retention", Seq: 1, Text: "Ask", Status: tracker.StatusOpen,
			CreatedAt: day(10), UpdatedAt: day(10)}
		_, err := tx.EnsureChecklistItem(&it)
		item = it.ID
		return err
	})
	svc := service(t, st, "tester")
	v, err := svc.VerifyArchive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || v.Versions != 2 || v.Analyses != 1 || v.Items != 1 || v.Reviews != 1 {
		t.Fatalf("after adoption: %+v", v)
	}
	h.Tamper(t, loc, fmt.Sprintf(`INSERT INTO checklist_items (change_id, category, seq, text, status, created_at, updated_at)
		SELECT change_id, category, 2, 'Forged', status, created_at, updated_at FROM checklist_items WHERE id = %d`, item))
	v, err = service(t, st, "tester").VerifyArchive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v.OK() || !strings.Contains(v.Problems[0].String(), "it has no log entry") {
		t.Fatalf("a forged item after adoption: %+v", v.Problems)
	}
}
