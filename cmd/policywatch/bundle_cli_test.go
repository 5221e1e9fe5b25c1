package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"policywatch/internal/tampertest"
	"policywatch/tracker/evidence"
)

// TestBundleVerifiedWithoutDatabase: an archive exports its evidence and a
// report; on a "clean machine" — a fresh folder holding only those files,
// its own HOME and no database anywhere — the real binary verifies the
// bundle and the report against it, creating nothing, and refuses a
// tampered bundle naming the version that fails.
func TestBundleVerifiedWithoutDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	db := tempDB(t)
	if code, out, errOut := cli(t, db, "import-ota", "--quiet", fixtureDataset); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	work := t.TempDir()
	report := filepath.Join(work, "report.pdf")
	if code, out, errOut := cli(t, db, "report", "--pdf", report); code != 0 || !strings.Contains(out, "Logged in the archive") {
		t.Fatalf("report: %s %s", out, errOut)
	}
	bundle := filepath.Join(work, "evidence.zip")
	code, out, errOut := cli(t, db, "export-evidence", bundle)
	if code != 0 || !strings.Contains(out, "Evidence bundle") || !strings.Contains(out, "logged in the archive") {
		t.Fatalf("export-evidence: %d %s %s", code, out, errOut)
	}
	var key string
	for _, line := range strings.Split(out, "\n") {
		if k, ok := strings.CutPrefix(line, "Signing key "); ok {
			key = k
		}
	}
	if len(key) != 64 {
		t.Fatalf("no signing key in %q", out)
	}

	clean := t.TempDir()
	for _, f := range []string{bundle, report, report + ".sha256"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(clean, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tampered := tampertest.EditBundle(t, bundle, false, func(f map[string][]byte, m *evidence.BundleManifest) {
		v := m.Versions[1]
		f[v.TextFile] = bytes.Replace(f[v.TextFile], []byte("a"), []byte("e"), 1)
	})
	b, _ := os.ReadFile(tampered)
	os.WriteFile(filepath.Join(clean, "tampered.zip"), b, 0o644)
	before := listDir(t, clean)

	bin := policywatchBinary(t)
	offline := func(args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = clean
		cmd.Env = []string{"HOME=" + clean, "XDG_DATA_HOME=" + filepath.Join(clean, "data"), "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0, stdout.String()
		case errors.As(err, &exit):
			return exit.ExitCode(), stdout.String() + stderr.String()
		}
		t.Fatal(err)
		return 0, ""
	}
	if code, out := offline("verify-bundle", "evidence.zip", "--key", key); code != 0 || !strings.Contains(out, "bundle OK") {
		t.Fatalf("verify-bundle on a clean machine: %d\n%s", code, out)
	}
	if code, out := offline("verify-report", "report.pdf", "--bundle", "evidence.zip"); code != 0 || !strings.Contains(out, "report OK") {
		t.Fatalf("verify-report --bundle on a clean machine: %d\n%s", code, out)
	}
	code, out = offline("verify-bundle", "tampered.zip")
	if code != 1 || !strings.Contains(out, "FAIL version 2") || !strings.Contains(out, "bundle verification FAILED") {
		t.Errorf("tampered bundle: %d\n%s", code, out)
	}
	if after := listDir(t, clean); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("verification wrote to the clean folder: %v, was %v", after, before)
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}
