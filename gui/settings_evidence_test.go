package gui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
	"policywatch/tracker/secrets"
)

// overlayText is the text of the labels in the window's top overlay (a
// dialog), or "" when none is shown.
func overlayText(u *UI) string {
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	return b.String()
}

// TestSettingsEvidence: Settings shows the archive's signing key (none yet,
// then its fingerprint and where it is kept), saves a time-stamping
// authority through the service (refusing a bad URL with the domain's
// message) and the reviewer identity with the profile.
func TestSettingsEvidence(t *testing.T) {
	keys := secrets.New(filepath.Join(t.TempDir(), "keys"), secrets.FileOnly, nil)
	u, svc := newTestUI(t, tracker.WithSecrets(keys))
	act(u, u.Start)
	idle(t, u)
	s := u.settings
	ctx := context.Background()
	if !strings.HasPrefix(s.key.Text, "None yet") {
		t.Errorf("key before the first checkpoint: %q", s.key.Text)
	}
	res, err := svc.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	act(u, s.refresh)
	idle(t, u)
	if !strings.Contains(s.key.Text, res.Checkpoint.Key) || !strings.Contains(s.key.Text, "kept in") {
		t.Errorf("key label %q, want fingerprint %s", s.key.Text, res.Checkpoint.Key)
	}

	act(u, func() {
		s.tsa.SetText("ftp://tsa.example")
		test.Tap(s.tsaSave)
	})
	idle(t, u)
	if msg := overlayText(u); !strings.Contains(msg, "is not an http(s) URL of a time-stamping authority") {
		t.Errorf("bad TSA URL: dialog %q", msg)
	}
	if v, _ := svc.Setting(ctx, tracker.SettingTSAURL); v != "" {
		t.Errorf("a bad TSA URL was saved: %q", v)
	}
	act(u, func() {
		u.win.Canvas().Overlays().Top().Hide()
		u.win.Canvas().Overlays().Remove(u.win.Canvas().Overlays().Top())
		s.tsa.SetText("http://127.0.0.1:9/tsr")
		test.Tap(s.tsaSave)
	})
	idle(t, u)
	if v, _ := svc.Setting(ctx, tracker.SettingTSAURL); v != "http://127.0.0.1:9/tsr" {
		t.Errorf("TSA URL saved as %q", v)
	}

	act(u, func() {
		test.Type(s.profile.name, "Dana Reviewer")
		test.Type(s.profile.email, "dana@acme.example")
		test.Tap(s.save)
	})
	eventually(t, u, "identity saved", func() bool {
		id, _ := svc.Identity()
		return id == tracker.Identity{Name: "Dana Reviewer", Email: "dana@acme.example"}
	})
	if !auditHas(t, svc, "identity.set", "dana@acme.example") {
		t.Error("identity not audit-logged")
	}
}
