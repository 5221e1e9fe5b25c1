package postgres

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"policywatch/internal/builtintest"
	"policywatch/internal/pgtest"
	"policywatch/tracker"
	"policywatch/tracker/sqlite"
	"policywatch/tracker/transfer"
)

// TestSameSchemaAsSQLite: both stores carry the same numbered migrations
// and, once migrated, the same tables with the same columns. A migration
// added to one store only fails here, naming what the other lacks.
func TestSameSchemaAsSQLite(t *testing.T) {
	ctx := context.Background()
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	lv, _ := lite.Migrations(ctx)
	pv, _ := pg.Migrations(ctx)
	if !slices.Equal(lv, pv) || !slices.Equal(pv, MigrationVersions()) {
		t.Fatalf("migrations: SQLite %v, PostgreSQL %v: every tracker/sqlite/migrations/NNNN_*.sql needs its PostgreSQL form in tracker/postgres/migrations/ under the same number", lv, pv)
	}
	lt, err := lite.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := pg.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ca, cb := columnsByTable(lt), columnsByTable(pt)
	for name, cols := range ca {
		if !reflect.DeepEqual(cols, cb[name]) {
			t.Errorf("table %s: SQLite columns %v, PostgreSQL %v", name, cols, cb[name])
		}
	}
	for name := range cb {
		if _, ok := ca[name]; !ok {
			t.Errorf("table %s exists only in PostgreSQL", name)
		}
	}
}

// columnsByTable maps each table to its sorted column names.
func columnsByTable(tables []transfer.Table) map[string][]string {
	out := map[string][]string{}
	for _, tb := range tables {
		c := slices.Clone(tb.Columns)
		sort.Strings(c)
		out[tb.Name] = c
	}
	return out
}

func TestIsURLAndRedact(t *testing.T) {
	for _, c := range []struct {
		in  string
		url bool
	}{{"postgres://u@h/db", true}, {"postgresql://h/db", true}, {"/home/me/policywatch.db", false}, {"pg.db", false}} {
		if IsURL(c.in) != c.url {
			t.Errorf("IsURL(%q) = %t", c.in, !c.url)
		}
	}
	if got := Redact("postgres://jane:s3cret@db.acme:5432/pw?sslmode=require"); strings.Contains(got, "s3cret") || !strings.Contains(got, "jane") {
		t.Errorf("redacted %q", got)
	}
	if got := Redact("postgres://db.acme/pw?password=s3cret"); strings.Contains(got, "s3cret") {
		t.Errorf("redacted %q", got)
	}
	_, err := Open(context.Background(), "postgres://jane:s3cret@db.acme:notaport/pw")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a bad URL: %v", err)
	}
}

func TestOpenRefusesForeignAndNewerDatabases(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	pgtest.Exec(t, dsn, `CREATE TABLE contacts (id int PRIMARY KEY, name text); INSERT INTO contacts VALUES (1, 'x')`)
	_, err := Open(ctx, dsn)
	if err == nil || !strings.Contains(err.Error(), "not a PolicyWatch archive") || !strings.Contains(err.Error(), "contacts") {
		t.Fatalf("foreign database: %v", err)
	}
	if n := countTables(t, dsn); n != 1 {
		t.Errorf("the foreign database was written to: %d tables", n)
	}
	// Another schema of the same database holds the archive.
	pgtest.Exec(t, dsn, `CREATE SCHEMA team`)
	other := dsn + "&search_path=team"
	db, err := Open(ctx, other)
	if err != nil {
		t.Fatalf("archive in its own schema: %v", err)
	}
	if db.Schema() != "team" {
		t.Errorf("schema %q", db.Schema())
	}
	db.Close()

	newer := pgtest.DSN(t)
	db, err = Open(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	pgtest.Exec(t, newer, `INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', now())`)
	_, err = Open(ctx, newer)
	if err == nil || !strings.Contains(err.Error(), "newer PolicyWatch") || !strings.Contains(err.Error(), "9999") {
		t.Fatalf("newer archive: %v", err)
	}
}

func countTables(t *testing.T, dsn string) int {
	t.Helper()
	conn, err := connect(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOpenRefusesDisabledGuards: an archive whose append-only triggers were
// switched off is not written to until they are back.
func TestOpenRefusesDisabledGuards(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	pgtest.Exec(t, dsn, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`)
	_, err = Open(ctx, dsn)
	if err == nil || !strings.Contains(err.Error(), "audit_log_no_update on audit_log is disabled") ||
		!strings.Contains(err.Error(), "ENABLE TRIGGER") {
		t.Fatalf("disabled guard: %v", err)
	}
	pgtest.Exec(t, dsn, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update; DROP TRIGGER versions_no_delete ON versions`)
	_, err = Open(ctx, dsn)
	if err == nil || !strings.Contains(err.Error(), "versions_no_delete on versions is missing") {
		t.Fatalf("dropped guard: %v", err)
	}
}

// TestFirstOpenFromManyDesktops: desktops opening a new database at the same
// moment migrate it once.
func TestFirstOpenFromManyDesktops(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := Open(ctx, dsn)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, _ := db.Migrations(ctx)
	if !slices.Equal(got, MigrationVersions()) {
		t.Errorf("migrations recorded %v", got)
	}
}

func TestBackupPointsElsewhere(t *testing.T) {
	db, err := Open(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Backup(context.Background(), filepath.Join(t.TempDir(), "x.db")); !errors.Is(err, tracker.ErrBackupElsewhere) {
		t.Errorf("backup: %v", err)
	}
}

func TestUnreachableServer(t *testing.T) {
	_, err := Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if err == nil || !strings.Contains(err.Error(), "cannot reach the archive") {
		t.Errorf("unreachable server: %v", err)
	}
}

// TestCheckLockOfADeadWorker: the check lock lives in the database's
// advisory locks: while a worker on another machine holds it, rounds here
// are refused; the moment its connection ends (the machine died), the
// lock is free, whatever the lock row still says about it.
func TestCheckLockOfADeadWorker(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	a, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	svc := newService(t, b)
	release, ok, err := a.TryLock(ctx, "check")
	if err != nil || !ok {
		t.Fatalf("first lock: %v %v", ok, err)
	}
	defer release()
	if _, ok, _ := b.TryLock(ctx, "check"); ok {
		t.Fatal("two processes hold the check lock")
	}
	far := svc.Now().Add(time.Hour)
	if err := a.Update(ctx, func(tx tracker.Tx) error {
		return tx.SetCheckLock(tracker.CheckLock{Holder: tracker.HolderWatch, Host: "worker-7", PID: 4242, Since: svc.Now(), Expires: far})
	}); err != nil {
		t.Fatal(err)
	}
	_, err = svc.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderGUI})
	var locked *tracker.LockedError
	if !errors.As(err, &locked) || !strings.Contains(err.Error(), "worker-7") {
		t.Fatalf("a round while worker-7 holds the lock: %v", err)
	}
	// worker-7's machine dies: the server ends its connections. Without a
	// timeout pg_terminate_backend only signals the backend, which may
	// still hold the lock when the next round asks for it; with one it
	// waits until the backend has exited (and released its locks).
	pgtest.Exec(t, dsn, `SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()`)
	res, err := svc.RunRound(ctx, tracker.RoundOptions{Holder: tracker.HolderGUI})
	if err != nil {
		t.Fatalf("a round after the holder died (its lease runs another hour): %v", err)
	}
	if l, _ := svc.CheckLockState(ctx); !l.Free() || l.LastRound.IsZero() {
		t.Errorf("lock after the round: %+v (%+v)", l, res)
	}
}

// newService is a service over st with the built-in catalog, acting as
// the signed-in role, on a clock that starts before the test dataset's
// later versions (so that they raise checklist items).
func newService(t *testing.T, st tracker.Store) *tracker.Service {
	t.Helper()
	cat, rules := builtintest.Load(t)
	clock := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	svc, err := tracker.NewService(context.Background(), st, cat, tracker.WithRules(rules),
		tracker.WithClock(func() time.Time { clock = clock.Add(time.Second); return clock }))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
