package gui

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"policywatch/tracker"
)

func TestSettingsProfileScheduleNotifyAreSaved(t *testing.T) {
	u, svc := newTestUI(t)
	act(u, u.Start)
	idle(t, u)
	s := u.settings
	act(u, func() {
		test.Type(s.profile.organisation, "Acme")
		s.profile.setJurisdictions("US-CA")
		s.profile.children.SetChecked(true)
		test.Tap(s.save)
	})
	ctx := context.Background()
	eventually(t, u, "profile saved", func() bool {
		p, _ := svc.Profile(ctx)
		return p.Organisation == "Acme" && p.ServesChildren && len(p.Jurisdictions) == 1
	})
	if !auditHas(t, svc, "profile.set", "US-CA") {
		t.Error("profile not audit-logged")
	}
	act(u, func() {
		s.schedule.SetSelected("Every day")
		s.notify.SetSelected("Medium exposure and above")
	})
	idle(t, u)
	if v, _ := svc.Setting(ctx, SettingCheckInterval); v != "24" {
		t.Errorf("interval %q", v)
	}
	if v, _ := svc.DesktopAlerts(ctx); v != tracker.ExposureMedium {
		t.Errorf("notify %q", v)
	}
	if u.checkIntervalHours() != 24 {
		t.Error("scheduler does not read the interval")
	}
	act(u, func() { test.Tap(s.reanalyse) })
	eventually(t, u, "re-analysis", func() bool { return s.cancelRun == nil })
	if s.reanalyseNote.Text != "All 0 changes were re-analysed with the current profile and rules." {
		t.Errorf("re-analysis note %q", s.reanalyseNote.Text)
	}
	act(u, func() { s.theme.SetSelected("Dark") })
	idle(t, u) // the theme change refreshes the screens in the background
	if test.NewTempApp(t) == nil {
		t.Fatal("no app")
	}
}

func TestBackupAndRestoreStaging(t *testing.T) {
	u, svc := newTestUI(t)
	act(u, u.Start)
	idle(t, u)
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	act(u, func() { u.settings.backupTo(backup) })
	idle(t, u)
	if !auditHas(t, svc, "archive.backup", backup) {
		t.Fatal("backup not audit-logged")
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database at all"), 0o600)
	db := filepath.Join(dir, "live.db")
	os.WriteFile(db, []byte("SQLite format 3\x00old"), 0o600)
	if err := StageRestore(junk, db); err == nil {
		t.Fatal("a non-SQLite file was staged")
	}
	if err := StageRestore(backup, db); err != nil {
		t.Fatal(err)
	}
	ok, err := ApplyPendingRestore(db)
	if err != nil || !ok {
		t.Fatalf("apply: %v %v", ok, err)
	}
	got, _ := os.ReadFile(db)
	want, _ := os.ReadFile(backup)
	if string(got) != string(want) {
		t.Error("the archive was not replaced by the backup")
	}
	if old, _ := os.ReadFile(db + beforeSuffix); string(old) != "SQLite format 3\x00old" {
		t.Error("the previous archive was not kept")
	}
	if ok, _ := ApplyPendingRestore(db); ok {
		t.Error("a restore was applied twice")
	}
}
