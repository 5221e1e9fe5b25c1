package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policywatch/internal/pgtest"
	"policywatch/internal/sharedtest"
)

// teamEnv keeps a test's team-archive secrets (the signing key, a
// password) in a data folder of its own.
func teamEnv(t *testing.T) {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
}

// TestTeamArchiveCommands runs the CLI on a PostgreSQL archive, chosen by
// --db and by POLICYWATCH_DB.
func TestTeamArchiveCommands(t *testing.T) {
	teamEnv(t)
	dsn := pgtest.DSN(t)
	if code, out, errOut := cli(t, dsn, "import-ota", "--quiet", testDataset(t)); code != 0 || !strings.Contains(out, "signed") {
		t.Fatalf("import into the team archive: %d %s %s", code, out, errOut)
	}
	code, out, errOut := cli(t, dsn, "audit", "verify")
	if code != 0 || !strings.Contains(out, "audit log OK") {
		t.Fatalf("audit verify: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(os.Getenv("XDG_DATA_HOME"), "policywatch", "team.secrets")); err != nil {
		t.Errorf("the team archive's signing key is not in the data folder: %v", err)
	}
	t.Setenv("POLICYWATCH_DB", dsn)
	var out2, err2 strings.Builder
	if code := run(t.Context(), []string{"changes", "--json"}, &out2, &err2); code != 0 {
		t.Fatalf("changes through POLICYWATCH_DB: %d %s", code, err2.String())
	}
	var changes []changeJSON
	if err := json.Unmarshal([]byte(out2.String()), &changes); err != nil || len(changes) == 0 {
		t.Fatalf("changes: %v %s", err, out2.String())
	}
	// A backup of a team archive is an SQLite file that verifies.
	backup := filepath.Join(t.TempDir(), "team-backup.db")
	if code, out, errOut := cli(t, dsn, "backup", backup); code != 0 || !strings.Contains(out, backup) {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := cli(t, backup, "audit", "verify"); code != 0 {
		t.Fatalf("the backup does not verify: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := cli(t, dsn, "backup", backup); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("backup over an existing file: %d %s", code, errOut)
	}
	// Bad connection strings and servers are one clear line, never a panic.
	if code, _, errOut := cli(t, "postgres://nobody@127.0.0.1:1/x?connect_timeout=2", "platforms"); code != 1 || !strings.Contains(errOut, "cannot reach the archive") {
		t.Errorf("unreachable server: %d %s", code, errOut)
	}
}

// migrateRoundTrip moves the SQLite archive at src into a new PostgreSQL
// database and back into a new SQLite file; both copies verify and list the
// same changes and checklist as the source.
func migrateRoundTrip(t *testing.T, src string) {
	t.Helper()
	dsn := pgtest.DSN(t)
	code, out, errOut := cli(t, "", "migrate", "--from", src, "--to", dsn)
	if code != 0 || !strings.Contains(out, "audit verify of the source: OK") || !strings.Contains(out, "audit verify of the copy:   OK") ||
		!strings.Contains(out, "both sides have the same count") {
		t.Fatalf("migrate to PostgreSQL: %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, "not held here") {
		t.Errorf("the signing key did not go along with the copy:\n%s", out)
	}
	back := filepath.Join(t.TempDir(), "back.db")
	code, out, errOut = cli(t, "", "migrate", "--from", dsn, "--to", back)
	if code != 0 || !strings.Contains(out, "audit verify of the copy:   OK") {
		t.Fatalf("migrate back: %d\n%s\n%s", code, out, errOut)
	}
	for _, db := range []string{dsn, back} {
		if code, out, errOut := cli(t, db, "audit", "verify"); code != 0 || !strings.Contains(out, "audit log OK") {
			t.Fatalf("audit verify of %s: %d %s %s", db, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"changes", "--json"}, {"checklist", "--json"}, {"documents", "--json"}, {"profile", "--json"}} {
		_, want, _ := cli(t, src, args...)
		for _, db := range []string{dsn, back} {
			if _, got, _ := cli(t, db, args...); got != want {
				t.Errorf("%s differs in %s", strings.Join(args, " "), db)
			}
		}
	}
	// Copying into an archive again is refused, and the archive is kept.
	code, _, errOut = cli(t, "", "migrate", "--from", src, "--to", dsn)
	if code != 1 || !strings.Contains(errOut, "already holds an archive") {
		t.Errorf("migrate into an archive: %d %s", code, errOut)
	}
	if code, _, _ := cli(t, dsn, "audit", "verify"); code != 0 {
		t.Error("the refused copy damaged the archive")
	}
}

func TestMigrateRoundTrip(t *testing.T) {
	teamEnv(t)
	src := tempDB(t)
	if code, _, errOut := cli(t, src, "import-ota", "--quiet", "--since", "2020-01-01", testDataset(t)); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if code, _, errOut := cli(t, src, "profile", "set", "--name", "Jane Doe", "--email", "jane@acme.example"); code != 0 {
		t.Fatalf("identity: %s", errOut)
	}
	if code, _, errOut := cli(t, src, "changes", "review", "1", "--note", "read"); code != 0 {
		t.Fatalf("review: %s", errOut)
	}
	if code, _, errOut := cli(t, src, "checklist", "set", "1", "--status", "done", "--owner", "dpo@acme.example"); code != 0 {
		t.Fatalf("checklist set: %s", errOut)
	}
	migrateRoundTrip(t, src)

	if code, _, errOut := cli(t, "", "migrate", "--from", filepath.Join(t.TempDir(), "none.db"), "--to", pgtest.DSN(t)); code != 1 || !strings.Contains(errOut, "no archive at") {
		t.Errorf("migrate from a missing file: %d %s", code, errOut)
	}
	if code, _, _ := cli(t, "", "migrate", "--from", src); code != 2 {
		t.Errorf("migrate without --to: exit %d", code)
	}
}

// TestMigrateCorpus round-trips an archive of the whole corpus.
func TestMigrateCorpus(t *testing.T) {
	corpus := sharedtest.Corpus(t)
	teamEnv(t)
	src := tempDB(t)
	if code, _, errOut := cli(t, src, "import-ota", "--quiet", "--since", "2020-01-01", corpus); code != 0 {
		t.Fatalf("import the corpus: %s", errOut)
	}
	migrateRoundTrip(t, src)
}
