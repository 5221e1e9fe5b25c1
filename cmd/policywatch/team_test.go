package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"policywatch/internal/pgtest"
	"policywatch/internal/sharedtest"
	"policywatch/tracker/postgres"
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

// TestTwoWatchWorkersShareARound runs two `policywatch watch --once`
// processes at once on one team archive: they share the round, each checks
// some documents, none is checked twice, and each version is logged under
// the worker's own database role.
func TestTwoWatchWorkersShareARound(t *testing.T) {
	teamEnv(t)
	bin := policywatchBinary(t)
	dsn := pgtest.DSN(t)
	var mu sync.Mutex
	hits := map[string]int{}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// slow enough that the second worker, however late it starts on a
		// loaded machine, finds documents still waiting
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><body><main><h1>Privacy policy %s</h1>", r.URL.Path)
		for _, p := range []string{
			"This policy explains how the vendor collects, uses and shares personal information when you use its services and websites.",
			"We collect the information you give us, such as your name, email address and payment details, and information about how you use the service.",
			"We do not sell your personal information to third parties, and we do not use your content to train artificial intelligence models.",
			"You can access, correct or delete your personal information at any time from your account settings or by contacting our privacy team.",
			"We keep personal information for as long as your account is open and for thirty days after you close it, unless the law requires longer.",
		} {
			fmt.Fprintf(w, "<p>%s</p>", p)
		}
		fmt.Fprint(w, "</main></body></html>")
	}))
	defer site.Close()
	const n = 30
	for i := 0; i < n; i++ {
		if code, _, errOut := cli(t, dsn, "platforms", "add", "--name", fmt.Sprintf("Vendor %02d", i), "--url",
			fmt.Sprintf("%s/p%02d", site.URL, i), "--kind", "privacy-policy", "--select", "main"); code != 0 {
			t.Fatalf("add: %s", errOut)
		}
	}
	// Each worker signs in with a database role of its own.
	roles := []string{pgtest.Role(t, "worker_a", "pw-a"), pgtest.Role(t, "worker_b", "pw-b")}
	pgtest.Exec(t, dsn, fmt.Sprintf(`GRANT ALL ON ALL TABLES IN SCHEMA public TO %[1]s, %[2]s;
		GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO %[1]s, %[2]s`, roles[0], roles[1]))
	t.Cleanup(func() { pgtest.Exec(t, dsn, "DROP OWNED BY "+roles[0]+", "+roles[1]) })
	mu.Lock()
	clear(hits) // what adding the documents fetched
	mu.Unlock()
	outs := make([]string, 2)
	var wg sync.WaitGroup
	for i, role := range roles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(bin, "--db", pgtest.As(dsn, role, "pw"), "watch", "--once")
			cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
			out, err := cmd.CombinedOutput()
			outs[i] = string(out)
			if err != nil {
				t.Errorf("%s: %v\n%s", role, err, out)
			}
		}()
	}
	wg.Wait()
	total := 0
	for i, out := range outs {
		var checked, of int
		at := strings.Index(out, "round: ")
		if at < 0 {
			t.Errorf("worker %d printed no round:\n%s", i, out)
			continue
		}
		line := out[at:]
		t.Logf("%s: %s", roles[i], strings.SplitN(line, "\n", 2)[0])
		if _, err := fmt.Sscanf(line, "round: checked %d of %d", &checked, &of); err != nil || of != n || checked == 0 {
			t.Errorf("worker %d: %v\n%s", i, err, out)
		}
		total += checked
	}
	if total != n {
		t.Errorf("the workers checked %d documents together, want %d:\n%s\n%s", total, n, outs[0], outs[1])
	}
	for path, c := range hits {
		if c != 1 {
			t.Errorf("%s fetched %d times", path, c)
		}
	}
	code, js, _ := cli(t, dsn, "audit", "--json")
	var entries []struct{ Action, Actor string }
	if err := json.Unmarshal([]byte(js), &entries); code != 0 || err != nil {
		t.Fatalf("audit --json: %d %v", code, err)
	}
	by := map[string]int{}
	for _, e := range entries {
		if e.Action == "version.add" {
			by[e.Actor]++
		}
	}
	if by[roles[0]] == 0 || by[roles[1]] == 0 || by[roles[0]]+by[roles[1]] != n {
		t.Errorf("versions logged by %v", by)
	}
	if code, out, errOut := cli(t, dsn, "audit", "verify"); code != 0 {
		t.Fatalf("audit verify: %s %s", out, errOut)
	}
}

// TestChooseDatabase: Settings' choice of a team database is checked, kept
// without its password (which goes to the secret store) and used by the
// next start, unless --db or POLICYWATCH_DB says otherwise.
func TestChooseDatabase(t *testing.T) {
	teamEnv(t)
	t.Setenv("POLICYWATCH_DB", "")
	dsn := pgtest.As(pgtest.DSN(t), "postgres", "s3cret")
	shown, err := chooseDatabase(context.Background(), dsn, "")
	if err != nil || strings.Contains(shown, "s3cret") {
		t.Fatalf("choose: %q %v", shown, err)
	}
	kept, err := os.ReadFile(choiceFile())
	if err != nil || strings.Contains(string(kept), "s3cret") || !strings.HasPrefix(string(kept), "postgres://postgres@") {
		t.Fatalf("choice file %q %v", kept, err)
	}
	if got := databasePath(""); got != strings.TrimSpace(string(kept)) {
		t.Errorf("next start uses %q", got)
	}
	if got := databasePath("/tmp/other.db"); got != "/tmp/other.db" {
		t.Errorf("--db does not win: %q", got)
	}
	if pw, err := secretsFor(databasePath("")).Get(postgres.PasswordSecret(databasePath(""))); err != nil || pw != "s3cret" {
		t.Errorf("the password is not in the secret store: %q %v", pw, err)
	}
	if _, err := chooseDatabase(context.Background(), "postgres://nobody@127.0.0.1:1/x?connect_timeout=2", ""); err == nil ||
		!strings.Contains(err.Error(), "cannot reach the archive") {
		t.Errorf("an unreachable server: %v", err)
	}
	if got := databasePath(""); got != strings.TrimSpace(string(kept)) {
		t.Errorf("a failed choice changed the database: %q", got)
	}
}
