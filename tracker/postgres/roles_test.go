package postgres

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"policywatch/internal/pgtest"
	"policywatch/internal/testpolicies"
	"policywatch/tracker"
)

// runRolesScript runs scripts/postgres-roles.sql with psql, as a user of
// the README would.
func runRolesScript(t *testing.T, dsn string) {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("..", "..", "scripts", "postgres-roles.sql"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(pgtest.Bin(t), "psql"), dsn, "-q", "-v", "schema=public", "-f", script).CombinedOutput()
	if err != nil {
		t.Fatalf("psql -f postgres-roles.sql: %v\n%s", err, out)
	}
}

// TestRolesScript sets up the team's roles with the documented script: the
// owner creates the archive, an editor works in it (as herself, in the
// log), a reviewer reads and exports and is refused every change, and
// neither can rewrite the log, not even by switching its triggers off.
func TestRolesScript(t *testing.T) {
	ctx := context.Background()
	admin := pgtest.DSN(t)
	runRolesScript(t, admin) // before the archive exists
	pgtest.Exec(t, admin, `ALTER ROLE policywatch_owner LOGIN PASSWORD 'owner-secret'`)

	owner, err := Open(ctx, pgtest.As(admin, "policywatch_owner", "owner-secret"))
	if err != nil {
		t.Fatalf("the owner creates the archive: %v", err)
	}
	defer owner.Close()
	osvc := newService(t, owner)
	if a := osvc.Access(); !a.Admin || !a.Edit || a.Account != "policywatch_owner" || a.Role != "owner" {
		t.Errorf("owner's access %+v", a)
	}
	dir, err := testpolicies.WriteDataset(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := osvc.ImportOTA(ctx, dir, nil); err != nil {
		t.Fatal(err)
	}
	runRolesScript(t, admin) // again, once the tables exist: idempotent

	editorRole := pgtest.Role(t, "jane", "jane-secret", "policywatch_editor")
	editor, err := Open(ctx, pgtest.As(admin, editorRole, "jane-secret"))
	if err != nil {
		t.Fatalf("an editor opens the archive: %v", err)
	}
	defer editor.Close()
	esvc, err := tracker.NewService(ctx, editor, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a := esvc.Access(); a.Admin || !a.Edit || a.Account != editorRole || a.Role != "editor" {
		t.Errorf("editor's access %+v", a)
	}
	items, err := esvc.Checklist(ctx, tracker.ChecklistFilter{})
	if err != nil || len(items) == 0 {
		t.Fatalf("the editor reads the checklist: %d %v", len(items), err)
	}
	done := tracker.StatusDone
	if _, err := esvc.UpdateChecklistItem(ctx, items[0].ID, tracker.ChecklistUpdate{Status: &done, Version: items[0].Version}); err != nil {
		t.Fatalf("the editor edits the checklist: %v", err)
	}
	last, err := esvc.AuditLog(ctx, 0, 0)
	if err != nil || last[len(last)-1].Actor != editorRole {
		t.Errorf("the edit is not logged under the editor's role: %+v %v", last[len(last)-1], err)
	}
	editorSQL := pgtest.As(admin, editorRole, "jane-secret")
	for _, q := range []string{
		`UPDATE audit_log SET detail = 'x' WHERE id = 1`,
		`DELETE FROM versions`,
		`TRUNCATE checkpoints`,
		`ALTER TABLE audit_log DISABLE TRIGGER USER`,
		`DROP TRIGGER audit_log_no_update ON audit_log`,
	} {
		if err := execAs(editorSQL, q); err == nil || !strings.Contains(err.Error(), "permission denied") && !strings.Contains(err.Error(), "must be owner") {
			t.Errorf("the editor ran %s: %v", q, err)
		}
	}

	reviewerRole := pgtest.Role(t, "auditor", "auditor-secret", "policywatch_reviewer")
	reviewer, err := Open(ctx, pgtest.As(admin, reviewerRole, "auditor-secret"))
	if err != nil {
		t.Fatalf("a reviewer opens the archive: %v", err)
	}
	defer reviewer.Close()
	rsvc, err := tracker.NewService(ctx, reviewer, nil)
	if err != nil {
		t.Fatalf("the service starts for a reviewer: %v", err)
	}
	a := rsvc.Access()
	if !a.ReadOnly() || !a.Log || a.Role != "reviewer: read and export" || a.Describe() != reviewerRole+" (reviewer: read and export)" {
		t.Errorf("reviewer's access %+v", a)
	}
	if v, err := rsvc.VerifyArchive(ctx); err != nil || !v.OK() || v.Versions == 0 {
		t.Fatalf("the reviewer verifies the archive: %+v %v", v.Problems, err)
	}
	owner2 := "someone else"
	if _, err := rsvc.UpdateChecklistItem(ctx, items[0].ID, tracker.ChecklistUpdate{Owner: &owner2}); !errors.Is(err, tracker.ErrPermission) {
		t.Errorf("a reviewer's checklist edit: %v", err)
	}
	if err := rsvc.SetProfile(ctx, tracker.Profile{Jurisdictions: []string{"EU"}}); !errors.Is(err, tracker.ErrPermission) {
		t.Errorf("a reviewer's profile change: %v", err)
	}
	if _, err := rsvc.SetTracked(ctx, "threads", true); !errors.Is(err, tracker.ErrPermission) {
		t.Errorf("a reviewer's tracking change: %v", err)
	}
	// Exports are logged: a reviewer may append that much, under their role.
	if err := rsvc.RecordCopy(ctx, "/tmp/export.db"); err != nil {
		t.Errorf("a reviewer's export entry: %v", err)
	}
	if v, err := rsvc.VerifyArchive(ctx); err != nil || !v.OK() {
		t.Fatalf("after the reviewer's work: %+v %v", v.Problems, err)
	}
}

func execAs(dsn, q string) error {
	conn, err := connect(dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(context.Background(), q)
	return err
}

// TestPgDumpRestore follows the README's backup with PostgreSQL's own
// tools: pg_dump in custom format, pg_restore into a new database; the
// restored archive opens (its append-only guards came along) and verifies
// against its log, with the same head.
func TestPgDumpRestore(t *testing.T) {
	ctx := context.Background()
	src := pgtest.DSN(t)
	db, err := Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	svc := newService(t, db)
	dir, err := testpolicies.WriteDataset(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ImportOTA(ctx, dir, nil); err != nil {
		t.Fatal(err)
	}
	before, err := svc.VerifyArchive(ctx)
	if err != nil || !before.OK() {
		t.Fatalf("source: %+v %v", before.Problems, err)
	}
	db.Close()
	dump := filepath.Join(t.TempDir(), "policywatch.dump")
	bin := pgtest.Bin(t)
	if out, err := exec.Command(filepath.Join(bin, "pg_dump"), "--format=custom", "--file="+dump, src).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	dst := pgtest.DSN(t)
	if out, err := exec.Command(filepath.Join(bin, "pg_restore"), "--no-owner", "--dbname="+dst, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	restored, err := Open(ctx, dst)
	if err != nil {
		t.Fatalf("the restored archive does not open: %v", err)
	}
	defer restored.Close()
	after, err := newService(t, restored).VerifyArchive(ctx)
	if err != nil || !after.OK() || after.Head != before.Head || after.Versions != before.Versions || after.Items != before.Items {
		t.Fatalf("restored: %+v %v (before: %d entries, head %s)", after, err, before.Entries, before.Head)
	}
	// The guards came along: the restored log is append-only too.
	if err := execAs(dst, `UPDATE audit_log SET detail = 'x' WHERE id = 1`); err == nil {
		t.Error("the restored log accepted an update")
	}
}
