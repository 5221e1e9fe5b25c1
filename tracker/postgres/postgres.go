// Package postgres is the PostgreSQL implementation of tracker.Store, the
// archive a team shares: every desktop and `policywatch watch` worker
// points at one database (`--db postgres://…`). It is the only package that
// imports the driver (pgx).
//
// It behaves as tracker/sqlite does, which the shared store suite
// (tracker/storetest) holds it to:
//
//   - The same numbered migrations in their PostgreSQL form (migrations/,
//     applied once each, in order, under an advisory lock so that two
//     desktops opening a new database do not race); a database with a
//     migration this binary does not know, or with tables of another
//     application, is refused before anything is written.
//   - Writers queue, as on SQLite: every Update takes one transaction-level
//     advisory lock before its first statement and runs at READ COMMITTED,
//     so it sees every write committed before it and the evidence log's
//     "read the last entry, append the next" never races across machines.
//     Reads (View) run in REPEATABLE READ, READ ONLY snapshots and never
//     wait for a writer.
//   - The evidence log, checkpoints and versions are append-only in the
//     database itself: triggers refuse UPDATE, DELETE and TRUNCATE, and the
//     roles script withholds those privileges from the application's roles.
//     Open checks that the guards are in place.
//   - Times are timestamptz kept to the millisecond; text that is hashed
//     (analysis records, log data) is text, never jsonb, so its bytes stay
//     exactly as written.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"policywatch/tracker"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// IsURL reports whether a --db value names a PostgreSQL database rather
// than an SQLite file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// DB is an open PostgreSQL archive.
type DB struct {
	pool    *pgxpool.Pool
	display string // the URL without its password
	schema  string // the schema the archive's tables live in
	// Advisory lock keys of this archive (derived from its schema, so that
	// archives in different schemas of one database do not wait for each other).
	writerKey, migrateKey int64
}

var _ tracker.Store = (*DB)(nil)

// Option configures Open.
type Option func(*pgxpool.Config)

// WithPassword sets the password when the URL carries none (one kept in the
// OS keyring, say). PGPASSWORD and ~/.pgpass are read as libpq reads them.
func WithPassword(pw string) Option {
	return func(c *pgxpool.Config) {
		if c.ConnConfig.Password == "" {
			c.ConnConfig.Password = pw
		}
	}
}

// PasswordSecret names the secret holding the password of the URL's user
// on its server and database ("database-password/jane@db.acme:5432/pw"),
// for a password kept in the OS keyring rather than in the URL.
func PasswordSecret(dsn string) string {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "database-password/" + Redact(dsn)
	}
	return fmt.Sprintf("database-password/%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// Open connects to the archive at dsn (a postgres:// URL), refuses a
// database that is not a PolicyWatch archive or is newer than this binary,
// applies pending migrations and checks the append-only guards.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	display := Redact(dsn)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: the connection string is not valid (%v); it looks like postgres://USER@HOST:5432/DATABASE", display, redactErr(err, dsn))
	}
	for _, o := range opts {
		o(cfg)
	}
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "policywatch"
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", display, err)
	}
	d := &DB{pool: pool, display: display}
	if err := d.connect(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := d.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := d.checkIntegrity(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return d, nil
}

// connect reaches the server and learns the archive's schema.
func (d *DB) connect(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var schema *string
	if err := d.pool.QueryRow(cctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("cannot reach the archive %s: %w", d.display, connectAdvice(err))
	}
	if schema == nil {
		return fmt.Errorf("open archive %s: no schema of the search_path exists; create it or set ?search_path=SCHEMA in the connection string", d.display)
	}
	d.schema = *schema
	d.writerKey = lockKey("writer", d.schema)
	d.migrateKey = lockKey("migrate", d.schema)
	return nil
}

// connectAdvice adds what to do to the common connection failures.
func connectAdvice(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01", "28000":
			return fmt.Errorf("%s: check the user name and password (in the URL, PGPASSWORD, ~/.pgpass or Settings)", pgErr.Message)
		case "3D000":
			return fmt.Errorf("%s: ask the database administrator to create it (createdb)", pgErr.Message)
		}
		return err
	}
	return fmt.Errorf("%w (is the server running and reachable from here?)", err)
}

// lockKey derives an advisory lock key from its purpose and the schema.
func lockKey(purpose, schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("policywatch/" + purpose + "/" + schema))
	return int64(h.Sum64())
}

// Redact returns the URL without its password, for display.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unreadable connection string)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// redactErr keeps a password out of a parse error.
func redactErr(err error, dsn string) string {
	msg := err.Error()
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// Path names the archive: its URL without the password.
func (d *DB) Path() string { return d.display }

// Schema returns the schema holding the archive's tables.
func (d *DB) Schema() string { return d.schema }

// Close closes every connection.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

// tables lists the tables of the archive's schema.
func (d *DB) tables(ctx context.Context) ([]string, error) {
	rows, err := d.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// inspect refuses, before anything is written, a schema that holds another
// application's tables or an archive newer than this binary.
func (d *DB) inspect(ctx context.Context) error {
	names, err := d.tables(ctx)
	if err != nil {
		return fmt.Errorf("read the archive %s: %w", d.display, err)
	}
	if len(names) == 0 {
		return nil // a new archive
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	if !have["schema_migrations"] || !have["audit_log"] || !have["versions"] {
		if len(names) > 6 {
			names = append(names[:6], "…")
		}
		return fmt.Errorf("%s (schema %s) holds tables that are not a PolicyWatch archive (%s); nothing was changed: choose another database, or another schema with ?search_path=SCHEMA",
			d.display, d.schema, strings.Join(names, ", "))
	}
	known := map[int]bool{}
	highest := 0
	for _, v := range embeddedVersions() {
		known[v] = true
		highest = max(highest, v)
	}
	rows, err := d.pool.Query(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return fmt.Errorf("read the schema version of %s: %w", d.display, err)
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return fmt.Errorf("read the schema version of %s: %w", d.display, err)
	}
	for _, v := range applied {
		if !known[int(v)] {
			return fmt.Errorf("%s was written by a newer PolicyWatch (it has schema change %d; this one knows up to %d): upgrade PolicyWatch to open it; nothing was changed", d.display, v, highest)
		}
	}
	return nil
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

// MigrationVersions lists the numbered migrations this package carries, in
// order (the SQLite store carries the same numbers).
func MigrationVersions() []int {
	v := embeddedVersions()
	sort.Ints(v)
	return v
}

// migrate applies the embedded migrations not yet recorded, each in its own
// transaction, holding the archive's migration lock; first it inspects the
// schema (inspect) and refuses a foreign or newer one.
func (d *DB) migrate(ctx context.Context) error {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", d.display, err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, d.migrateKey); err != nil {
		return fmt.Errorf("migrate %s: %w", d.display, err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, d.migrateKey)
	// Under the lock: another desktop may be creating the archive right now.
	if err := d.inspect(ctx); err != nil {
		return err
	}
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return fmt.Errorf("migrate %s: %w", d.display, err)
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (
			version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
			return fmt.Errorf("create the archive in %s: %w", d.display, permissionAdvice(err))
		}
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
		if err := d.applyMigration(ctx, conn.Conn(), version, e.Name()); err != nil {
			return err
		}
	}
	return nil
}

func (d *DB) applyMigration(ctx context.Context, conn *pgx.Conn, version int, name string) error {
	var done bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, version).Scan(&done); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if done {
		return nil
	}
	body, err := migrationFiles.ReadFile("migrations/" + name)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// The simple protocol runs a file of several statements at once.
	if _, err := tx.Exec(ctx, string(body), pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("migrate %s: %w", name, permissionAdvice(err))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		version, name, ts(time.Now())); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", name, err)
	}
	return nil
}

// permissionAdvice explains a refused schema change: the archive's owner
// must apply it.
func permissionAdvice(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" {
		return fmt.Errorf("%s: the archive's schema must be created or upgraded by its owner (the role that ran the first PolicyWatch on it, or the one scripts/postgres-roles.sql names): %w",
			pgErr.Message, tracker.ErrPermission)
	}
	return err
}

// SchemaVersion returns the highest applied migration.
func (d *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v *int32
	err := d.pool.QueryRow(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	if v == nil {
		return 0, err
	}
	return int(*v), err
}

// guards are the append-only triggers Open requires.
var guards = []struct{ table, trigger string }{
	{"audit_log", "audit_log_no_update"}, {"audit_log", "audit_log_no_delete"}, {"audit_log", "audit_log_no_truncate"},
	{"checkpoints", "checkpoints_no_update"}, {"checkpoints", "checkpoints_no_delete"}, {"checkpoints", "checkpoints_no_truncate"},
	{"versions", "versions_no_update"}, {"versions", "versions_no_delete"}, {"versions", "versions_no_truncate"},
}

// checkIntegrity makes sure the append-only guards are present and enabled:
// without them the database would let the log be rewritten. (The log's
// contents are checked by `policywatch audit verify`.)
func (d *DB) checkIntegrity(ctx context.Context) error {
	rows, err := d.pool.Query(ctx, `SELECT c.relname, t.tgname, t.tgenabled::text FROM pg_trigger t
		JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND NOT t.tgisinternal`)
	if err != nil {
		return fmt.Errorf("integrity check of %s: %w", d.display, err)
	}
	enabled := map[string]string{}
	for rows.Next() {
		var table, name, state string
		if err := rows.Scan(&table, &name, &state); err != nil {
			rows.Close()
			return fmt.Errorf("integrity check of %s: %w", d.display, err)
		}
		enabled[table+"/"+name] = state
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check of %s: %w", d.display, err)
	}
	var problems []string
	for _, g := range guards {
		switch enabled[g.table+"/"+g.trigger] {
		case "":
			problems = append(problems, fmt.Sprintf("the trigger %s on %s is missing", g.trigger, g.table))
		case "D":
			problems = append(problems, fmt.Sprintf("the trigger %s on %s is disabled (ALTER TABLE %s ENABLE TRIGGER %s restores it)", g.trigger, g.table, g.table, g.trigger))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s failed its integrity check: %s; someone with the owner's rights altered the archive's append-only guards. Nothing was changed: restore the guards, then run `policywatch audit verify`",
			d.display, strings.Join(problems, "; "))
	}
	return nil
}

// View runs fn in a read-only snapshot.
func (d *DB) View(ctx context.Context, fn func(tracker.Tx) error) error {
	return d.run(ctx, true, fn)
}

// Update runs fn in a write transaction, committing when fn returns nil.
// Writers queue on the archive's advisory lock, as SQLite's writers queue
// on its write lock.
func (d *DB) Update(ctx context.Context, fn func(tracker.Tx) error) error {
	return d.run(ctx, false, fn)
}

func (d *DB) run(ctx context.Context, readOnly bool, fn func(tracker.Tx) error) error {
	opts := pgx.TxOptions{IsoLevel: pgx.ReadCommitted}
	if readOnly {
		opts = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	}
	pgTx, err := d.pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", connectAdvice(err))
	}
	defer pgTx.Rollback(context.WithoutCancel(ctx))
	if !readOnly {
		if _, err := pgTx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, d.writerKey); err != nil {
			return fmt.Errorf("wait for the archive's write lock: %w", err)
		}
	}
	if err := fn(&tx{tx: pgTx, ctx: ctx}); err != nil {
		return mapError(err)
	}
	if err := pgTx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", mapError(err))
	}
	return nil
}

// mapError marks a refused privilege as tracker.ErrPermission, so that the
// app can say the signed-in role may not do this instead of showing SQL.
func mapError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" && !errors.Is(err, tracker.ErrPermission) {
		return fmt.Errorf("%w (%s)", tracker.ErrPermission, pgErr.Message)
	}
	return err
}

// Backup is not done by the store itself: a team archive is backed up with
// pg_dump, or copied into an SQLite file by `policywatch migrate` (which the
// command line and the app use for "backup FILE").
func (d *DB) Backup(ctx context.Context, dest string) error {
	return fmt.Errorf("back up %s: %w", d.display, tracker.ErrBackupElsewhere)
}

// tx implements tracker.Tx over one PostgreSQL transaction.
type tx struct {
	tx  pgx.Tx
	ctx context.Context
}

func (t *tx) exec(query string, args ...any) (pgconn.CommandTag, error) {
	return t.tx.Exec(t.ctx, query, args...)
}

func (t *tx) query(query string, args ...any) (pgx.Rows, error) {
	return t.tx.Query(t.ctx, query, args...)
}

func (t *tx) queryRow(query string, args ...any) pgx.Row {
	return t.tx.QueryRow(t.ctx, query, args...)
}

// ts is a time as stored: UTC to the millisecond, NULL for the zero time
// (SQLite's form stores an empty string for it).
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Millisecond)
}

// timeOf reads a stored time; NULL is the zero time.
func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// notFound turns pgx.ErrNoRows into tracker.ErrNotFound with context.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, tracker.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// params numbers the parameters of a query built piece by piece.
type params struct{ args []any }

// add appends a parameter and returns its placeholder ($n).
func (p *params) add(v any) string {
	p.args = append(p.args, v)
	return fmt.Sprintf("$%d", len(p.args))
}
