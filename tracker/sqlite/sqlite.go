// Package sqlite is the embedded SQLite implementation of tracker.Store. It is
// the only package that imports the SQLite driver.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"policywatch/tracker"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// timeLayout is the fixed-width UTC form every time is stored in, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000Z"

// DB is an open SQLite archive. Writes go through one connection that takes
// the write lock when a transaction begins (so concurrent writers queue instead
// of failing); reads use a separate pool and never wait for a writer.
type DB struct {
	db   *sql.DB // writer: one connection, BEGIN IMMEDIATE
	ro   *sql.DB // readers
	path string
}

var _ tracker.Store = (*DB)(nil)

// Open opens (creating with mode 0600 if needed) the archive at path, checks
// its integrity and applies pending migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open archive: no database path")
	}
	if err := inspect(ctx, path); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open archive: create folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	f.Close()
	base := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_foreign_keys=on&_journal_mode=WAL&_busy_timeout=10000&_synchronous=NORMAL"
	db, err := sql.Open("sqlite3", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	ro, err := sql.Open("sqlite3", base)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	d := &DB{db: db, ro: ro, path: path}
	if err := d.checkIntegrity(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := d.migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// appID is the SQLite application_id PolicyWatch archives carry ("PWAT"),
// set by migration 0010.
const appID = 0x50574154

// inspect refuses, before anything is written to it, a file that is not a
// PolicyWatch archive or whose schema is newer than this binary knows. A
// missing or empty file is a new archive. It reads through a read-only
// connection without the WAL pragma, which would rewrite a foreign file.
func inspect(ctx context.Context, path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && info.Size() == 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open archive %s: %w", path, err)
	}
	if info.IsDir() {
		return fmt.Errorf("open archive %s: it is a folder, not a database file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open archive %s: %w", path, err)
	}
	magic := make([]byte, 16)
	_, err = f.Read(magic)
	f.Close()
	if err != nil || string(magic) != "SQLite format 3\x00" {
		return fmt.Errorf("%s is not a PolicyWatch archive (not an SQLite database at all); nothing was changed: choose another file, or restore the archive from a backup", path)
	}
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("open archive %s: %w", path, err)
	}
	defer db.Close()
	var id int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&id); err != nil {
		return fmt.Errorf("%s is not a readable PolicyWatch database (%v); restore it from a backup or choose another file", path, err)
	}
	tables := map[string]bool{}
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		return fmt.Errorf("%s is not a readable PolicyWatch database (%v); restore it from a backup or choose another file", path, err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("read %s: %w", path, err)
		}
		tables[n] = true
		names = append(names, n)
	}
	rows.Close()
	if len(tables) == 0 && id == 0 {
		return nil // an empty database: made an archive by the migrations
	}
	ours := id == appID || (id == 0 && tables["schema_migrations"] && tables["audit_log"] && tables["versions"])
	if !ours {
		sort.Strings(names)
		if len(names) > 6 {
			names = append(names[:6], "…")
		}
		return fmt.Errorf("%s is an SQLite database but not a PolicyWatch archive (application id %d, tables %s); nothing was changed: choose another file",
			path, id, strings.Join(names, ", "))
	}
	known := map[int]bool{}
	highest := 0
	for _, v := range embeddedVersions() {
		known[v] = true
		highest = max(highest, v)
	}
	vrows, err := db.QueryContext(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return fmt.Errorf("read the schema version of %s: %w", path, err)
	}
	defer vrows.Close()
	for vrows.Next() {
		var v int
		if err := vrows.Scan(&v); err != nil {
			return fmt.Errorf("read the schema version of %s: %w", path, err)
		}
		if !known[v] {
			return fmt.Errorf("%s was written by a newer PolicyWatch (it has schema change %d; this one knows up to %d): upgrade PolicyWatch to open it; nothing was changed", path, v, highest)
		}
	}
	return vrows.Err()
}

// embeddedVersions lists the migration numbers this binary carries.
func embeddedVersions() []int {
	names, _ := migrationFiles.ReadDir("migrations")
	var out []int
	for _, e := range names {
		var v int
		if _, err := fmt.Sscanf(e.Name(), "%d_", &v); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// Path returns the database file's path.
func (d *DB) Path() string { return d.path }

// Close closes the database.
func (d *DB) Close() error { return errors.Join(d.ro.Close(), d.db.Close()) }

func (d *DB) checkIntegrity(ctx context.Context) error {
	rows, err := d.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("%s is not a readable PolicyWatch database (%v); restore it from a backup or choose another file", d.path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("integrity check of %s: %w", d.path, err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s is damaged (%v); restore it from a backup", d.path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s failed its integrity check (%s); restore it from a backup", d.path, strings.Join(problems, "; "))
	}
	return nil
}

// migrate applies the embedded numbered migrations not yet recorded, each in its own transaction.
func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Name() < names[j].Name() })
	for _, e := range names {
		var version int
		if _, err := fmt.Sscanf(e.Name(), "%d_", &version); err != nil {
			return fmt.Errorf("migrate: bad migration name %q", e.Name())
		}
		if err := d.applyMigration(ctx, version, e.Name()); err != nil {
			return err
		}
	}
	return nil
}

func (d *DB) applyMigration(ctx context.Context, version int, name string) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", version).Scan(&n); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := migrationFiles.ReadFile("migrations/" + name)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		version, name, formatTime(time.Now())); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	return nil
}

// SchemaVersion returns the highest applied migration.
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := d.db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	return int(v.Int64), err
}

// View runs fn in a read transaction.
func (d *DB) View(ctx context.Context, fn func(tracker.Tx) error) error {
	return d.run(ctx, true, fn)
}

// Update runs fn in a write transaction, committing when fn returns nil.
func (d *DB) Update(ctx context.Context, fn func(tracker.Tx) error) error {
	return d.run(ctx, false, fn)
}

func (d *DB) run(ctx context.Context, readOnly bool, fn func(tracker.Tx) error) error {
	pool := d.db
	if readOnly {
		pool = d.ro
	}
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer sqlTx.Rollback()
	if err := fn(&tx{tx: sqlTx, ctx: ctx}); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return commitError(ctx, err)
	}
	return nil
}

// commitError wraps a failed commit. When the context ended first,
// database/sql has already rolled the transaction back: nothing was
// written, and the caller sees the cancellation rather than
// sql.ErrTxDone.
func commitError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("commit: rolled back, %w", cerr)
	}
	return fmt.Errorf("commit: %w", err)
}

// Backup writes a consistent copy of the database to dest with VACUUM INTO.
// dest must not exist yet.
func (d *DB) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup: %s already exists", dest)
	}
	if _, err := d.db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return os.Chmod(dest, 0o600)
}

// tx implements tracker.Tx over one SQL transaction.
type tx struct {
	tx  *sql.Tx
	ctx context.Context
}

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(t.ctx, query, args...)
}

func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(t.ctx, query, args...)
}

func (t *tx) queryRow(query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.ctx, query, args...)
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t.UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// notFound turns sql.ErrNoRows into tracker.ErrNotFound with context.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, tracker.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

type nullInt64 = sql.NullInt64
type nullString = sql.NullString
