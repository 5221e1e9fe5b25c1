package tracker_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the tamperer's own SQLite access

	"policywatch/internal/tsatest"
	"policywatch/tracker"
	"policywatch/tracker/evidence"
	"policywatch/tracker/secrets"
	"policywatch/tracker/sqlite"

	"policywatch/internal/tampertest"
	"policywatch/tracker/storetest"
)

// evidenceArchive imports the project's own three-version dataset into a
// fresh archive whose signing key lives in a 0600 file, and returns the
// service, the database path and the secret store.
func evidenceArchive(t *testing.T) (*tracker.Service, string, *secrets.Store) {
	t.Helper()
	store := secrets.New(filepath.Join(t.TempDir(), "keys"), secrets.FileOnly, nil)
	svc, db := newTestService(t, tracker.WithSecrets(store))
	ctx := context.Background()
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme", Jurisdictions: []string{"EU", "US-CA"}}); err != nil {
		t.Fatal(err)
	}
	// monitored since before the dataset: its changes raise checklist items
	if err := svc.SetMonitoringStart(ctx, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	sum, err := svc.ImportOTA(ctx, filepath.Join("testdata", "evidence-dataset"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.NewVersions != 3 || sum.NewChanges != 2 || !strings.HasPrefix(sum.Seal, "checkpoint ") {
		t.Fatalf("import: %+v", sum)
	}
	v, err := svc.VerifyArchive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || v.Versions != 3 || v.Analyses != 2 || v.Items == 0 || v.Checkpoints != 1 || !v.Key.Held {
		t.Fatalf("fresh archive does not verify: %+v", v)
	}
	return svc, db.Path(), store
}

func query1(t *testing.T, path, q string, args ...any) string {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s string
	if err := db.QueryRow(q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

func TestTamperEditText(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	tampertest.Exec(t, path, `UPDATE versions SET text = replace(text, 'train our artificial intelligence models', 'improve the service') WHERE id = 2`)
	storetest.WantProblem(t, svc, nil, "version 2", "text was edited")
}

func TestTamperEditTextAndHash(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	text := query1(t, path, `SELECT text FROM versions WHERE id = 2`)
	edited := strings.Replace(text, "train our artificial intelligence models", "improve the service", 1)
	tampertest.Exec(t, path, fmt.Sprintf(`UPDATE versions SET text = '%s', sha256 = '%s' WHERE id = 2`,
		strings.ReplaceAll(edited, "'", "''"), evidence.SHA256Hex([]byte(edited))))
	storetest.WantProblem(t, svc, nil, "version 2", "text_sha256 is", "logged in entry")
}

func TestTamperBackdateVersion(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	tampertest.Exec(t, path, `UPDATE versions SET fetched_at = '2023-01-01T00:00:00.000Z' WHERE id = 3`)
	storetest.WantProblem(t, svc, nil, "version 3", "captured_at is \"2023-01-01T00:00:00.000Z\"")
}

func TestTamperDeleteFindings(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	c := storetest.HighChange(t, svc)
	tampertest.Exec(t, path, fmt.Sprintf(`DELETE FROM findings WHERE change_id = %d`, c.ID))
	storetest.WantProblem(t, svc, nil, fmt.Sprintf("change %d", c.ID), "findings is 0", "logged in entry")
}

func TestTamperChangeExposure(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	c := storetest.HighChange(t, svc)
	tampertest.Exec(t, path, fmt.Sprintf(`UPDATE changes SET exposure = 'none', exposure_rank = 0 WHERE id = %d`, c.ID))
	storetest.WantProblem(t, svc, nil, fmt.Sprintf("change %d", c.ID), `exposure is "none", logged "`+c.Exposure+`"`)
	// The list filters read the rank: lowering it alone is caught too.
	svc2, path2, _ := evidenceArchive(t)
	c2 := storetest.HighChange(t, svc2)
	tampertest.Exec(t, path2, fmt.Sprintf(`UPDATE changes SET exposure_rank = 0 WHERE id = %d`, c2.ID))
	storetest.WantProblem(t, svc2, nil, fmt.Sprintf("change %d", c2.ID), "exposure rank 0")
}

func TestTamperMarkItemDone(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	items, err := svc.Checklist(context.Background(), tracker.ChecklistFilter{})
	if err != nil || len(items) == 0 {
		t.Fatalf("no checklist items: %v", err)
	}
	id := items[0].ID
	tampertest.Exec(t, path, fmt.Sprintf(`UPDATE checklist_items SET status = 'done', owner = 'mallory' WHERE id = %d`, id))
	storetest.WantProblem(t, svc, nil, fmt.Sprintf("checklist item %d", id), `status is "done", logged "open"`, `owner is "mallory"`)
}

func TestTamperReviewOutsidePolicyWatch(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	c := storetest.HighChange(t, svc)
	tampertest.Exec(t, path, fmt.Sprintf(`UPDATE changes SET reviewed_at = '2024-12-01T00:00:00.000Z', reviewed_by = 'mallory' WHERE id = %d`, c.ID))
	storetest.WantProblem(t, svc, nil, fmt.Sprintf("change %d review", c.ID), "no review is logged")
}

func TestTamperTruncate(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	ctx := context.Background()
	cp, ok, err := svc.LatestCheckpoint(ctx)
	if err != nil || !ok {
		t.Fatalf("no checkpoint: %v", err)
	}
	// Deleting the newest entries leaves versions nobody vouches for and a
	// checkpoint longer than the log.
	tampertest.Exec(t, path, fmt.Sprintf(`DELETE FROM audit_log WHERE id > %d`, cp.Entries-5))
	storetest.WantProblem(t, svc, nil, "checkpoint 1", "log was truncated")

	// A thorough attacker deletes the checkpoints and the records too; the
	// archive then looks whole, but a checkpoint kept elsewhere (a report,
	// a bundle, an exported file) contradicts it.
	svc2, path2, _ := evidenceArchive(t)
	kept, _, err := svc2.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tampertest.Exec(t, path2, `DELETE FROM checkpoints`, `DELETE FROM checklist_items`, `DELETE FROM findings`,
		`DELETE FROM changes`, `DELETE FROM check_events`, `DELETE FROM versions`,
		`DELETE FROM audit_log WHERE id > (SELECT MIN(id) FROM audit_log WHERE action = 'version.add') - 1`)
	v, err := svc2.VerifyArchive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Fatalf("the emptied archive should look whole on its own: %v", v.Problems)
	}
	storetest.WantProblem(t, svc2, []evidence.Checkpoint{kept}, fmt.Sprintf("checkpoint of %d entries signed %s", kept.Entries, evidence.FormatTime(kept.At)), "truncated")
}

func TestTamperRechain(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	// Edit version 2's text and hash, then make its log entry agree and
	// re-chain everything after it: the chain holds, the checkpoint does not.
	text := query1(t, path, `SELECT text FROM versions WHERE id = 2`)
	edited := strings.Replace(text, "train our artificial intelligence models", "improve the service", 1)
	hash := evidence.SHA256Hex([]byte(edited))
	tampertest.Exec(t, path, fmt.Sprintf(`UPDATE versions SET text = '%s', sha256 = '%s' WHERE id = 2`, strings.ReplaceAll(edited, "'", "''"), hash))
	list := tampertest.Entries(t, path)
	at := -1
	for i, e := range list {
		if e.Action == evidence.ActionVersion && e.Subject == "version:2" {
			var f evidence.VersionFacts
			json.Unmarshal(e.Data, &f)
			f.TextSHA256, f.TextBytes = hash, len(edited)
			list[i].Data = evidence.Encode(f)
			at = i
		}
	}
	if at < 1 {
		t.Fatal("no entry for version 2")
	}
	tampertest.Rechain(t, path, list, at)
	v, err := svc.VerifyArchive(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Problems {
		if strings.HasPrefix(p.Record, "version") || strings.HasPrefix(p.Record, "entry") {
			t.Errorf("the re-chained log should hold on its own: %v", p)
		}
	}
	storetest.WantProblem(t, svc, nil, "checkpoint 1", "rewritten after it")
}

func TestTamperReorder(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	tampertest.Exec(t, path, `UPDATE audit_log SET id = -5 WHERE id = 5`, `UPDATE audit_log SET id = 5 WHERE id = 6`, `UPDATE audit_log SET id = 6 WHERE id = -5`)
	storetest.WantProblem(t, svc, nil, "entry 5", "previous-hash does not match")
}

func TestTamperBackdatedEntry(t *testing.T) {
	svc, path, _ := evidenceArchive(t)
	// Append a properly chained entry claiming to be from long before the
	// last checkpoint: a checklist item "done" back then.
	list := tampertest.Entries(t, path)
	last := list[len(list)-1]
	items, _ := svc.Checklist(context.Background(), tracker.ChecklistFilter{})
	it := items[0]
	f := evidence.ItemFacts{Item: it.ID, Change: it.ChangeID, Category: it.Category, Seq: it.Seq, Text: it.Text, Status: "done",
		Owner: "mallory", DueDate: it.DueDate, Note: it.Note, EvidenceRef: it.EvidenceRef,
		CreatedAt: evidence.FormatTime(it.CreatedAt), UpdatedAt: "2024-02-01T00:00:00.000Z"}
	e := evidence.Entry{At: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Actor: "mallory", Action: evidence.ActionChecklistSet,
		Subject: evidence.ChecklistSubject(it.ID), Detail: "done", Data: evidence.Encode(f)}
	evidence.Seal(&e, last)
	tampertest.Exec(t, path, fmt.Sprintf(`INSERT INTO audit_log (id, at, actor, action, subject, detail, data, prev_hash, hash) VALUES (%d, '%s', '%s', '%s', '%s', '%s', '%s', '%s', '%s')`,
		e.ID, evidence.FormatTime(e.At), e.Actor, e.Action, e.Subject, e.Detail, strings.ReplaceAll(string(e.Data), "'", "''"), e.PrevHash, e.Hash),
		fmt.Sprintf(`UPDATE checklist_items SET status = 'done', owner = 'mallory', updated_at = '2024-02-01T00:00:00.000Z' WHERE id = %d`, it.ID))
	storetest.WantProblem(t, svc, nil, fmt.Sprintf("entry %d", e.ID), "backdated")
}

func TestTamperSwapKey(t *testing.T) {
	ctx := context.Background()
	// The attacker signs the checkpoints with a key of their own.
	svc, path, _ := evidenceArchive(t)
	other, err := evidence.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	cp, _, _ := svc.LatestCheckpoint(ctx)
	evidence.SignCheckpoint(&cp, other)
	tampertest.Exec(t, path, fmt.Sprintf(`UPDATE checkpoints SET key_fingerprint = '%s', public_key = '%s', signature = '%s' WHERE id = %d`,
		cp.Key, cp.PublicKey, cp.Signature, cp.ID))
	storetest.WantProblem(t, svc, nil, "checkpoint 1", "which the log does not record", "swapped")

	// A thorough one also rewrites the key the log records and re-chains:
	// the installation's own key, in the keyring or key file, gives it away.
	svc2, path2, _ := evidenceArchive(t)
	list := tampertest.Entries(t, path2)
	at := -1
	for i, e := range list {
		if e.Action == evidence.ActionKey {
			list[i].Data = evidence.Encode(evidence.KeyFacts{Fingerprint: evidence.Fingerprint(other.Public()), PublicKey: evidence.EncodePublic(other.Public())})
			at = i
		}
	}
	tampertest.Rechain(t, path2, list, at)
	cp2, _, _ := svc2.LatestCheckpoint(ctx)
	cp2.Head = list[cp2.Entries-1].Hash
	evidence.SignCheckpoint(&cp2, other)
	tampertest.Exec(t, path2, fmt.Sprintf(`UPDATE checkpoints SET head = '%s', key_fingerprint = '%s', public_key = '%s', signature = '%s' WHERE id = %d`,
		cp2.Head, cp2.Key, cp2.PublicKey, cp2.Signature, cp2.ID))
	storetest.WantProblem(t, svc2, nil, "signing key", "swapped")
}

func TestCheckpointTimestampAndNewKey(t *testing.T) {
	ctx := context.Background()
	svc, path, store := evidenceArchive(t)
	// The archive copied to a machine without its key: verification says so
	// without failing, and a new key is a logged event.
	copyStore := secrets.New(filepath.Join(t.TempDir(), "keys"), secrets.FileOnly, nil)
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, _ := tracker.ParseCatalog(nil)
	elsewhere, err := tracker.NewService(ctx, db, cat, tracker.WithActor("auditor"), tracker.WithSecrets(copyStore))
	if err != nil {
		t.Fatal(err)
	}
	v, err := elsewhere.VerifyArchive(ctx)
	if err != nil || !v.OK() || v.Key.Held || len(v.Notes) == 0 {
		t.Fatalf("copied archive: %+v %v", v, err)
	}
	if err := elsewhere.SetProfile(ctx, tracker.Profile{Jurisdictions: []string{"EU"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := elsewhere.Checkpoint(ctx); !errors.Is(err, tracker.ErrNoSigningKey) {
		t.Fatalf("signed without the archive's key: %v", err)
	}
	info, err := elsewhere.NewSigningKey(ctx, "archive moved to the audit laptop")
	if err != nil || !info.Held {
		t.Fatalf("new key: %+v %v", info, err)
	}
	if _, err := elsewhere.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	v, err = elsewhere.VerifyArchive(ctx)
	if err != nil || !v.OK() || v.Checkpoints != 2 {
		t.Fatalf("after a logged new key: %+v %v", v.Problems, err)
	}
	// Back on the first machine, its old key is no longer the archive's.
	v, err = svc.VerifyArchive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v.OK() || v.Problems[0].Record != "signing key" {
		t.Fatalf("the old installation's key after a new one was logged: %+v", v.Problems)
	}
	_ = store
}

func TestCheckpointsCarryTrustedTimestamps(t *testing.T) {
	ctx := context.Background()
	tsa := tsatest.Start(t)
	svc, path, _ := evidenceArchive(t)
	tsa.SetClock(svc.Now)
	if err := svc.SetTSAURL(ctx, "ftp://nowhere"); err == nil {
		t.Error("a non-HTTP TSA URL was accepted")
	}
	if err := svc.SetTSAURL(ctx, tsa.URL); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Checkpoint(ctx)
	if err != nil || !res.New || res.Warning != "" || len(res.Checkpoint.Timestamp) == 0 || tsa.Requests.Load() != 1 {
		t.Fatalf("checkpoint with a TSA: %+v %v", res, err)
	}
	v, err := svc.VerifyArchive(ctx)
	if err != nil || !v.OK() || v.Timestamped != 1 {
		t.Fatalf("verify: %+v %v", v, err)
	}
	// A TSA that is down leaves the checkpoint signed, with a warning.
	tsa.Close()
	if err := svc.SetProfile(ctx, tracker.Profile{Jurisdictions: []string{"UK"}}); err != nil {
		t.Fatal(err)
	}
	res, err = svc.Checkpoint(ctx)
	if err != nil || !res.New || !strings.Contains(res.Warning, "no trusted timestamp") {
		t.Fatalf("checkpoint with the TSA down: %+v %v", res, err)
	}
	// Backdating a timestamped checkpoint (re-signed with the stolen key)
	// contradicts the authority's time.
	cps := query1(t, path, `SELECT id FROM checkpoints WHERE tsa_token IS NOT NULL`)
	tampertest.Exec(t, path, `UPDATE checkpoints SET at = '2025-01-01T00:00:00.000Z' WHERE id = `+cps)
	storetest.WantProblem(t, svc, nil, "checkpoint "+cps, "signature does not verify")
}
