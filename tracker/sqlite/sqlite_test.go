package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policywatch/resources"
	"policywatch/tracker"
)

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pw.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func newService(t *testing.T, db *DB) *tracker.Service {
	t.Helper()
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	svc, err := tracker.NewService(context.Background(), db, cat, tracker.WithActor("tester"),
		tracker.WithClock(func() time.Time { clock = clock.Add(time.Second); return clock }))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestMigrationsFreshAndReopened(t *testing.T) {
	ctx := context.Background()
	db, path := openTemp(t)
	v, err := db.SchemaVersion(ctx)
	if err != nil || v < 1 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("database mode %o, want 600", perm)
	}
	svc := newService(t, db)
	if err := svc.SetProfile(ctx, tracker.Profile{Jurisdictions: []string{"EU"}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	again, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen migrated file: %v", err)
	}
	defer again.Close()
	v2, _ := again.SchemaVersion(ctx)
	if v2 != v {
		t.Errorf("schema version changed on reopen: %d → %d", v, v2)
	}
	var n int
	if err := again.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != len(embeddedVersions()) {
		t.Errorf("migrations recorded %d times (want %d): %v", n, len(embeddedVersions()), err)
	}
	p, err := newService(t, again).Profile(ctx)
	if err != nil || len(p.Jurisdictions) != 1 || p.Jurisdictions[0] != "EU" {
		t.Errorf("profile lost across reopen: %+v %v", p, err)
	}
}

func TestOpenRejectsCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("this is not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "backup") {
		t.Fatalf("want a clear error advising a restore, got %v", err)
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	svc := newService(t, db)
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme", Jurisdictions: []string{"UK"}}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "copy.db")
	if err := svc.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	copyDB, err := Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	p, err := newService(t, copyDB).Profile(ctx)
	if err != nil || p.Organisation != "Acme" {
		t.Fatalf("backup lacks the profile: %+v %v", p, err)
	}
	if err := svc.Backup(ctx, dest); err == nil {
		t.Error("backup overwrote an existing file")
	}
}

// schema1 writes an archive as the first release left it: migration 0001
// only, with a version, a change and a checklist item that no log entry
// vouches for.
func schema1(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	body, err := migrationFiles.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	at := "2024-05-01T10:00:00.000Z"
	for _, q := range []string{string(body),
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
		`INSERT INTO schema_migrations VALUES (1, '0001_init.sql', '` + at + `')`,
		`INSERT INTO platforms (id, slug, name, created_at) VALUES (1, 'acme', 'Acme', '` + at + `')`,
		`INSERT INTO documents (id, platform_id, kind, url, created_at) VALUES (1, 1, 'privacy-policy', 'https://acme.example/p', '` + at + `')`,
		`INSERT INTO versions (id, document_id, fetched_at, sha256, text, source) VALUES
			(1, 1, '` + at + `', '` + sha("one") + `', 'one', 'check'),
			(2, 1, '2024-06-01T10:00:00.000Z', '` + sha("two") + `', 'two', 'check')`,
		`INSERT INTO changes (id, document_id, from_version_id, to_version_id, detected_at, exposure, exposure_rank, reviewed_at, reviewed_by)
			VALUES (1, 1, 1, 2, '2024-06-01T10:00:00.000Z', 'high', 3, '2024-06-02T10:00:00.000Z', 'dpo')`,
		`INSERT INTO findings (change_id, seq, category, direction, exposure) VALUES (1, 0, 'retention', 'modified', 'high')`,
		`INSERT INTO checklist_items (change_id, category, seq, text, created_at, updated_at) VALUES (1, 'retention', 1, 'Ask', '` + at + `', '` + at + `')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q[:min(len(q), 60)], err)
		}
	}
	return path
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestMigrationUpgradesAnOlderFileAndLogsItsRecords(t *testing.T) {
	ctx := context.Background()
	path := schema1(t)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade a schema-1 file: %v", err)
	}
	defer db.Close()
	if v, _ := db.SchemaVersion(ctx); v < 10 {
		t.Fatalf("schema version %d after the upgrade", v)
	}
	svc := newService(t, db)
	v, err := svc.VerifyArchive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || v.Versions != 2 || v.Analyses != 1 || v.Items != 1 || v.Reviews != 1 {
		t.Fatalf("after the upgrade: %+v", v)
	}
	// Adoption runs once: a record added outside PolicyWatch later is not
	// vouched for by reopening the archive.
	if _, err := db.db.Exec(`INSERT INTO checklist_items (change_id, category, seq, text, created_at, updated_at)
		VALUES (1, 'retention', 2, 'Forged', '2024-07-01T00:00:00.000Z', '2024-07-01T00:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
	again := newService(t, db)
	v, err = again.VerifyArchive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v.OK() || !strings.Contains(v.Problems[0].String(), "checklist item 2: it has no log entry") {
		t.Fatalf("a forged item after the upgrade: %+v", v.Problems)
	}
}

func TestOpenRefusesForeignAndNewerFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	unchanged := func(path string, before []byte) {
		t.Helper()
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(after) != string(before) {
			t.Errorf("%s was written to", filepath.Base(path))
		}
		if _, err := os.Stat(path + "-wal"); err == nil {
			t.Errorf("%s got a WAL file", filepath.Base(path))
		}
	}
	// Not SQLite at all.
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("meeting notes, not a database"), 0o600)
	before, _ := os.ReadFile(text)
	if _, err := Open(ctx, text); err == nil || !strings.Contains(err.Error(), "not a PolicyWatch archive") {
		t.Errorf("text file: %v", err)
	}
	unchanged(text, before)

	// Another application's SQLite file.
	foreign := filepath.Join(dir, "other.sqlite")
	raw, err := sql.Open("sqlite3", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO contacts (name) VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before, _ = os.ReadFile(foreign)
	_, err = Open(ctx, foreign)
	if err == nil || !strings.Contains(err.Error(), "not a PolicyWatch archive") || !strings.Contains(err.Error(), "contacts") {
		t.Errorf("foreign SQLite file: %v", err)
	}
	unchanged(foreign, before)

	// An archive from a newer PolicyWatch.
	db, path := openTemp(t)
	if _, err := db.db.Exec(`INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', '2030-01-01T00:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ = os.ReadFile(path)
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "newer PolicyWatch") || !strings.Contains(err.Error(), "9999") {
		t.Errorf("newer archive: %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(before) {
		t.Error("the newer archive was written to")
	}
}

// A write whose context ends before its commit is rolled back, writes
// nothing, and reports the cancellation (not sql.ErrTxDone), so a
// cancelled check is counted as cancelled rather than failed.
func TestCancelledWriteReportsCancellation(t *testing.T) {
	db, _ := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := db.Update(ctx, func(tx tracker.Tx) error {
		if err := tx.SetSetting("probe", "written"); err != nil {
			return err
		}
		cancel()
		time.Sleep(50 * time.Millisecond) // database/sql rolls back once it sees the context end
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Update after cancel: %v, want context.Canceled", err)
	}
	err = db.View(context.Background(), func(tx tracker.Tx) error {
		v, err := tx.Setting("probe")
		if err == nil && v != "" {
			t.Errorf("a cancelled write left %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
