package transfer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"policywatch/internal/builtintest"
	"policywatch/internal/pgtest"
	"policywatch/internal/testpolicies"
	"policywatch/tracker"
	"policywatch/tracker/postgres"
	"policywatch/tracker/secrets"
	"policywatch/tracker/sqlite"
	"policywatch/tracker/transfer"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var tick = time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)

func now() time.Time {
	tick = tick.Add(time.Second)
	return tick
}

func service(t *testing.T, st tracker.Store, keys *secrets.Store) *tracker.Service {
	t.Helper()
	cat, rules := builtintest.Load(t)
	svc, err := tracker.NewService(context.Background(), st, cat, tracker.WithActor("Jane Doe <jane@acme.example>"),
		tracker.WithRules(rules), tracker.WithClock(now), tracker.WithSecrets(keys))
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// archive builds an SQLite archive with history, reviews, checklist
// edits, settings and signed checkpoints.
func archive(t *testing.T, keys *secrets.Store) (*sqlite.DB, *tracker.Service) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "source.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := service(t, st, keys)
	if err := svc.SetProfile(ctx, tracker.Profile{Organisation: "Acme", Jurisdictions: []string{"EU", "UK"}}); err != nil {
		t.Fatal(err)
	}
	dir, err := testpolicies.WriteDataset(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ImportOTA(ctx, dir, nil); err != nil {
		t.Fatal(err)
	}
	changes, err := svc.Changes(ctx, tracker.ChangeFilter{Substantive: ptr(true)})
	if err != nil || len(changes) < 2 {
		t.Fatalf("changes: %d %v", len(changes), err)
	}
	if err := svc.ReviewChange(ctx, changes[0].ID, "checked with “counsel”"); err != nil {
		t.Fatal(err)
	}
	items, err := svc.Checklist(ctx, tracker.ChecklistFilter{})
	if err != nil || len(items) == 0 {
		t.Fatal(err)
	}
	done, owner := tracker.StatusDone, "dpo@acme.example"
	if _, err := svc.UpdateChecklistItem(ctx, items[0].ID, tracker.ChecklistUpdate{Status: &done, Owner: &owner}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	return st, svc
}

func ptr[T any](v T) *T { return &v }

// dump reads every row of every table as text, for comparison.
func dump(t *testing.T, st transfer.Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	tables, err := st.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	err = st.ReadTables(ctx, func(r transfer.Reader) error {
		for _, tb := range tables {
			rows, err := r.Rows(ctx, tb)
			if err != nil {
				return err
			}
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil {
					return err
				}
				var b strings.Builder
				for i, v := range vals {
					fmt.Fprintf(&b, "%s=%s;", tb.Columns[i], normal(v))
				}
				out[tb.Name] = append(out[tb.Name], b.String())
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// normal writes a value the same way whichever store it came from.
func normal(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	case []byte:
		return fmt.Sprintf("%x", x)
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}

// TestRoundTrip copies an SQLite archive into PostgreSQL and back into a
// new SQLite file: every row of every table comes back the same, and the
// archive verifies at each step with its checkpoints and signing key.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	keys := secrets.New(filepath.Join(t.TempDir(), "keys"), secrets.FileOnly, nil)
	src, srcSvc := archive(t, keys)
	before, err := srcSvc.VerifyArchive(ctx)
	if err != nil || !before.OK() || before.Checkpoints == 0 {
		t.Fatalf("source: %+v %v", before, err)
	}

	pg, err := postgres.Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	rep, err := transfer.Copy(ctx, src, pg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Entries != before.Entries || rep.Head != before.Head || rep.Rows["versions"] != int64(before.Versions) ||
		rep.Rows["checkpoints"] != int64(before.Checkpoints) {
		t.Fatalf("copy report %+v, source %+v", rep, before)
	}
	mid, err := service(t, pg, keys).VerifyArchive(ctx)
	if err != nil || !mid.OK() || mid.Head != before.Head || mid.Checkpoints != before.Checkpoints || !mid.Key.Held ||
		mid.Versions != before.Versions || mid.Items != before.Items || mid.Reviews != before.Reviews {
		t.Fatalf("the PostgreSQL copy does not verify as the source: %+v %v", mid, err)
	}

	back, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "back.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if _, err := transfer.Copy(ctx, pg, back); err != nil {
		t.Fatal(err)
	}
	want, got := dump(t, src), dump(t, back)
	if !reflect.DeepEqual(want, got) {
		for table := range want {
			if !reflect.DeepEqual(want[table], got[table]) {
				t.Errorf("table %s differs after the round trip (%d rows, %d back)", table, len(want[table]), len(got[table]))
				for i := range want[table] {
					if i < len(got[table]) && want[table][i] != got[table][i] {
						t.Errorf("first difference:\n%s\n%s", want[table][i], got[table][i])
						break
					}
				}
			}
		}
	}
	if pgRows := dump(t, pg); !reflect.DeepEqual(want, pgRows) {
		t.Error("the PostgreSQL copy's rows read back differently from the source's")
	}
	// The copies keep working: new ids follow the copied ones.
	pgSvc := service(t, pg, keys)
	if err := pgSvc.SetSetting(ctx, "after", "copy"); err != nil {
		t.Fatal(err)
	}
	if _, err := pgSvc.AddDocument(ctx, tracker.NewDocument{PlatformName: "New Co", URL: "https://new.example/privacy"}); err != nil {
		t.Fatal(err)
	}
	if v, err := pgSvc.VerifyArchive(ctx); err != nil || !v.OK() || v.Entries != before.Entries+3 {
		t.Fatalf("writing to the copy: %+v %v", v, err)
	}
}

func TestCopyRefusesAnArchiveAndADifferentSchema(t *testing.T) {
	ctx := context.Background()
	keys := secrets.New(filepath.Join(t.TempDir(), "keys"), secrets.FileOnly, nil)
	src, _ := archive(t, keys)
	pg, err := postgres.Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	service(t, pg, keys) // the destination becomes an archive of its own
	before := dump(t, pg)
	if _, err := transfer.Copy(ctx, src, pg); !errors.Is(err, transfer.ErrNotEmpty) {
		t.Fatalf("copy into an archive: %v", err)
	}
	if after := dump(t, pg); !reflect.DeepEqual(before, after) {
		t.Error("the refused copy changed the destination")
	}

	// A destination whose schema has a change the source lacks.
	dsn := pgtest.DSN(t)
	other, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	pgtest.Exec(t, dsn, `ALTER TABLE settings ADD COLUMN extra text NOT NULL DEFAULT ''`)
	if _, err := transfer.Copy(ctx, src, other); err == nil || !strings.Contains(err.Error(), "settings has columns") {
		t.Fatalf("copy into a different schema: %v", err)
	}
	pgtest.Exec(t, dsn, `ALTER TABLE settings DROP COLUMN extra; INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', now())`)
	if _, err := transfer.Copy(ctx, src, other); err == nil || !strings.Contains(err.Error(), "different schema changes") {
		t.Fatalf("copy into a newer schema: %v", err)
	}
}
