package postgres

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"policywatch/internal/pgtest"
	"policywatch/tracker"
	"policywatch/tracker/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// connect opens a plain connection to the database at dsn.
func connect(dsn string) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return pgx.Connect(ctx, dsn)
}

// harness gives the store suite archives in databases of a throwaway server.
var harness = storetest.Harness{
	New: func(t *testing.T) string { return pgtest.DSN(t) },
	Open: func(ctx context.Context, dsn string) (tracker.Store, error) {
		return Open(ctx, dsn)
	},
	Exec: func(dsn, q string) error {
		conn, err := connect(dsn)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		_, err = conn.Exec(context.Background(), q, pgx.QueryExecModeSimpleProtocol)
		return err
	},
	// Tamper lifts the guards as the owner can (ALTER TABLE … DISABLE
	// TRIGGER), runs the statements and puts the guards back, so that the
	// archive opens again.
	Tamper: func(t *testing.T, dsn string, stmts ...string) {
		t.Helper()
		conn, err := connect(dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		guarded := []string{"audit_log", "versions", "checkpoints"}
		var all []string
		for _, g := range guarded {
			all = append(all, "ALTER TABLE "+g+" DISABLE TRIGGER USER")
		}
		all = append(all, stmts...)
		for _, g := range guarded {
			all = append(all, "ALTER TABLE "+g+" ENABLE TRIGGER USER")
		}
		for _, q := range all {
			if _, err := conn.Exec(context.Background(), q, pgx.QueryExecModeSimpleProtocol); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	},
	Query: func(t *testing.T, dsn, q string) string {
		t.Helper()
		conn, err := connect(dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var v any
		if err := conn.QueryRow(context.Background(), q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		switch x := v.(type) {
		case []byte:
			return string(x)
		case time.Time:
			return x.UTC().Format("2006-01-02T15:04:05.000Z")
		}
		return strings.TrimSpace(fmt.Sprint(v))
	},
}

// TestStore runs the store suite, which tracker/sqlite runs too.
func TestStore(t *testing.T) { storetest.Run(t, harness) }
