// Package tampertest makes a signed test archive and changes archive files
// the way an attacker with write access to them would — straight through
// SQLite, with the guard triggers dropped — so that tests can check that
// verification catches it.
package tampertest

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the attacker's own SQLite access

	"policywatch/internal/builtintest"
	"policywatch/internal/testpolicies"
	"policywatch/tracker"
	"policywatch/tracker/evidence"
	"policywatch/tracker/secrets"
	"policywatch/tracker/sqlite"
)

// Exec drops the triggers that keep the log, versions and checkpoints
// append-only, then runs the statements.
func Exec(t testing.TB, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{
		`DROP TRIGGER IF EXISTS audit_log_no_update`, `DROP TRIGGER IF EXISTS audit_log_no_delete`,
		`DROP TRIGGER IF EXISTS versions_no_update`, `DROP TRIGGER IF EXISTS versions_no_delete`,
		`DROP TRIGGER IF EXISTS checkpoints_no_update`, `DROP TRIGGER IF EXISTS checkpoints_no_delete`}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Entries reads the whole log, oldest first.
func Entries(t testing.TB, path string) []evidence.Entry {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id, at, actor, action, subject, detail, data, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []evidence.Entry
	for rows.Next() {
		var e evidence.Entry
		var at, data string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Subject, &e.Detail, &data, &e.PrevHash, &e.Hash); err != nil {
			t.Fatal(err)
		}
		e.At, _ = evidence.ParseTime(at)
		if data != "" {
			e.Data = json.RawMessage(data)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Rechain rewrites every entry of list from index first on (their time,
// detail and data as list has them) with recomputed hashes, so that the
// chain holds again; list[first-1] must be the unchanged entry before.
func Rechain(t testing.TB, path string, list []evidence.Entry, first int) {
	t.Helper()
	var stmts []string
	for i := first; i < len(list); i++ {
		e := list[i]
		e.PrevHash = list[i-1].Hash
		e.Hash = evidence.Hash(e)
		list[i] = e
		stmts = append(stmts, fmt.Sprintf(`UPDATE audit_log SET at = '%s', data = '%s', detail = '%s', prev_hash = '%s', hash = '%s' WHERE id = %d`,
			evidence.FormatTime(e.At), quote(string(e.Data)), quote(e.Detail), e.PrevHash, e.Hash, e.ID))
	}
	Exec(t, path, stmts...)
}

func quote(s string) string { return strings.ReplaceAll(s, "'", "''") }

// Archive makes a signed archive in a temporary folder: the project's own
// test policies imported as a dataset (four documents, nine versions, their
// changes and checklist items, a signed checkpoint), with the signing key
// in a 0600 file. It returns the
// service and the database file's path.
func Archive(t testing.TB) (*tracker.Service, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "archive.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, rules := builtintest.Load(t)
	svc, err := tracker.NewService(ctx, db, cat, tracker.WithRules(rules), tracker.WithActor("tester"),
		tracker.WithVersion("1.2.3-test"), tracker.WithSecrets(secrets.New(path+".secrets", secrets.FileOnly, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme", Jurisdictions: []string{"EU", "US-CA"}}); err != nil {
		t.Fatal(err)
	}
	// Monitoring began before the dataset's history, so its changes raise
	// checklist items.
	if err := svc.SetMonitoringStart(ctx, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	data, err := testpolicies.WriteDataset(filepath.Join(dir, "dataset"))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := svc.ImportOTA(ctx, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.NewVersions == 0 || !strings.HasPrefix(sum.Seal, "checkpoint ") {
		t.Fatalf("import into the test archive: %+v", sum)
	}
	return svc, path
}

// EditBundle copies an evidence bundle with edit applied to its files
// (name → bytes; delete or add names freely) and to its manifest. With
// relist, the manifest's list of files and their SHA-256 is recomputed
// afterwards, as a careful attacker would. It returns the new zip's path.
func EditBundle(t testing.TB, src string, relist bool, edit func(files map[string][]byte, m *evidence.BundleManifest)) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
		order = append(order, f.Name)
	}
	var m evidence.BundleManifest
	if err := json.Unmarshal(files[evidence.BundleManifestFile], &m); err != nil {
		t.Fatal(err)
	}
	edit(files, &m)
	if relist {
		m.Files = nil
		for _, name := range sortedNames(files) {
			if name != evidence.BundleManifestFile {
				sum := sha256.Sum256(files[name])
				m.Files = append(m.Files, evidence.BundleFile{Path: name, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(files[name]))})
			}
		}
	}
	mb, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	files[evidence.BundleManifestFile] = mb
	out := filepath.Join(t.TempDir(), filepath.Base(src))
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, name := range sortedNames(files) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LogLines splits a bundle's log segment into entries.
func LogLines(t testing.TB, b []byte) []evidence.Entry {
	t.Helper()
	var out []evidence.Entry
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var e evidence.Entry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// JoinLog writes entries back as a log segment.
func JoinLog(t testing.TB, entries []evidence.Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}
