package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"policywatch/tracker"
)

// TestDesktopEntryRegistersChangeLinks installs the desktop entry into a
// temporary data folder with the script users run, and checks that it
// registers the policywatch:// scheme and passes the link to the binary,
// which reads it as a change to open.
func TestDesktopEntryRegistersChangeLinks(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	data := t.TempDir()
	bin := filepath.Join(t.TempDir(), "policywatch")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bash, filepath.Join("..", "..", "scripts", "install-desktop.sh"), bin)
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+data, "PATH=/usr/bin:/bin")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("install-desktop: %v\n%s", err, out)
	}
	entry, err := os.ReadFile(filepath.Join(data, "applications", "policywatch.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	for _, line := range strings.Split(string(entry), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			fields[k] = v
		}
	}
	if fields["MimeType"] != "x-scheme-handler/policywatch;" || fields["Exec"] != `"`+bin+`" %u` || fields["Type"] != "Application" {
		t.Errorf("desktop entry %v", fields)
	}
	if _, err := os.Stat(filepath.Join(data, "icons", "hicolor", "512x512", "apps", "policywatch.png")); err != nil {
		t.Error(err)
	}
	// What the desktop passes for %u is a link the binary recognises.
	link := tracker.ChangeLink(42)
	if id, ok := tracker.ParseChangeLink(link); !ok || id != 42 {
		t.Errorf("%s read as %d %v", link, id, ok)
	}
	for _, bad := range []string{"policywatch://change/", "policywatch://change/4x", "policywatch://change/-1", "https://change/4", "policywatch://version/3"} {
		if _, ok := tracker.ParseChangeLink(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if id, ok := tracker.ParseChangeLink("policywatch://change/7/"); !ok || id != 7 {
		t.Errorf("trailing slash: %d %v", id, ok)
	}
}
