package gui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"policywatch/tracker"

	"policywatch/internal/testpolicies"
)

func TestOnboardingProfilePlatformsAndFirstCheck(t *testing.T) {
	p := &page{}
	p.set(policyBefore...)
	u, svc := newTestUI(t, tracker.WithFetcher(fakeFetcher{p}))
	u.opts.NoOnboarding = false
	act(u, u.Start)
	idle(t, u)
	if u.root.Objects[0] != u.onboarding.content {
		t.Fatal("a new archive should open on the onboarding")
	}
	o := u.onboarding
	if !strings.HasPrefix(o.title.Text, "Step 1 of 4") {
		t.Fatalf("title %q", o.title.Text)
	}
	act(u, func() {
		test.Type(o.profile.organisation, "Acme Health")
		o.profile.jurisdictions["EU"].SetChecked(true)
		o.profile.jurisdictions["US-CA"].SetChecked(true)
		o.profile.health.SetChecked(true)
		test.Tap(o.next)
	})
	eventually(t, u, "platforms step", func() bool { return o.step == stepPlatforms })
	prof, _ := svc.Profile(context.Background())
	if prof.Organisation != "Acme Health" || len(prof.Jurisdictions) != 2 || !prof.HealthData {
		t.Fatalf("profile saved as %+v", prof)
	}
	act(u, func() { test.Type(o.search, "revol") })
	if len(o.shown) != 1 || o.shown[0].Slug != "revolut" {
		t.Fatalf("catalog search: %+v", o.shown)
	}
	act(u, func() {
		o.choose("revolut", true)
		test.Tap(o.next)
	})
	eventually(t, u, "import step", func() bool { return o.step == stepImport })
	docs, _ := svc.Documents(context.Background(), "revolut")
	if len(docs) == 0 || !docs[0].Tracked {
		t.Fatalf("revolut not tracked: %+v", docs)
	}
	act(u, func() { o.importPath(filepath.Join(t.TempDir(), "missing.zip")) })
	idle(t, u)
	if !strings.Contains(o.importStatus.Text, "could not be imported") {
		t.Errorf("bad dataset status %q", o.importStatus.Text)
	}
	// A dataset: three versions of one of the project's test policies.
	ds := filepath.Join(t.TempDir(), "dataset", "Northwind Chat", "Privacy Policy")
	if err := os.MkdirAll(ds, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, rel := range testpolicies.Versions("Northwind Chat/Privacy Policy") {
		data, err := testpolicies.File(rel)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(ds, filepath.Base(rel)), []byte(data), 0o644)
	}
	act(u, func() { o.importPath(filepath.Dir(filepath.Dir(ds))) })
	eventually(t, u, "import", func() bool { return o.cancelImport == nil })
	if !strings.Contains(o.importStatus.Text, "Imported 1 documents: 3 new versions") {
		t.Fatalf("import status %q", o.importStatus.Text)
	}
	act(u, func() { test.Tap(o.next) })
	if o.step != stepCheck {
		t.Fatalf("step %d", o.step)
	}
	act(u, func() { test.Tap(o.checkBtn) })
	eventually(t, u, "first check done", func() bool { return o.checked })
	all, _ := svc.Documents(context.Background(), "")
	tracked := 0
	for _, d := range all {
		if d.Tracked {
			tracked++
		}
	}
	if n := thousands(tracked); tracked < 2 || !strings.Contains(o.checkStatus.Text, n+" of "+n+" documents checked") {
		t.Errorf("check status %q", o.checkStatus.Text)
	}
	if !strings.Contains(o.checkLog.Text, "Revolut") {
		t.Errorf("check log %q", o.checkLog.Text)
	}
	act(u, func() { test.Tap(o.next) })
	idle(t, u)
	if u.root.Objects[0] != u.tabs || u.tabs.SelectedIndex() != tabDashboard {
		t.Fatal("Finish should open the dashboard")
	}
}
