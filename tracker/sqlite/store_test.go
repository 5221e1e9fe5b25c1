package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"policywatch/tracker"
	"policywatch/tracker/storetest"
)

// harness gives the store suite archives in SQLite files.
var harness = storetest.Harness{
	New: func(t *testing.T) string { return filepath.Join(t.TempDir(), "archive.db") },
	Open: func(ctx context.Context, path string) (tracker.Store, error) {
		return Open(ctx, path)
	},
	Exec: func(path, q string) error {
		db, err := sql.Open("sqlite3", path+"?_busy_timeout=10000")
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec(q)
		return err
	},
	Tamper: func(t *testing.T, path string, stmts ...string) {
		t.Helper()
		db, err := sql.Open("sqlite3", path+"?_busy_timeout=10000")
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
	},
	Query: func(t *testing.T, path, q string) string {
		t.Helper()
		db, err := sql.Open("sqlite3", path+"?_busy_timeout=10000")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var v any
		if err := db.QueryRow(q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if b, ok := v.([]byte); ok {
			return string(b)
		}
		return fmt.Sprint(v)
	},
}

// TestStore runs the store suite, which tracker/postgres runs too.
func TestStore(t *testing.T) { storetest.Run(t, harness) }
