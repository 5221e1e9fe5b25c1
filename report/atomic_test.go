package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writers are the two exports, tested alike.
var writers = map[string]func(context.Context, *Model, string) error{"pdf": WritePDF, "xlsx": WriteXLSX}

// assertOnly checks that dir holds exactly the named files (no temporaries).
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func TestExportFailuresLeaveNoFile(t *testing.T) {
	fx := newFixture(t)
	m := build(t, fx.svc, Filter{}, Options{})
	ctx := context.Background()
	for ext, write := range writers {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			missing := filepath.Join(dir, "no-such-folder", "report."+ext)
			err := write(ctx, m, missing)
			if err == nil || !strings.Contains(err.Error(), "does not exist") {
				t.Errorf("missing folder: %v", err)
			}
			notDir := filepath.Join(dir, "file")
			os.WriteFile(notDir, []byte("x"), 0o644)
			if err := write(ctx, m, filepath.Join(notDir, "report."+ext)); err == nil || !strings.Contains(err.Error(), "not a folder") {
				t.Errorf("file as folder: %v", err)
			}
			if err := write(ctx, m, dir); err == nil {
				t.Error("writing over a folder succeeded")
			}
			assertOnly(t, dir, "file")

			// Cancelled half-way: no file, no temporary, an existing report kept.
			target := filepath.Join(dir, "report."+ext)
			os.WriteFile(target, []byte("previous report"), 0o644)
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			cm := *m
			calls := 0
			cm.progress = func(stage string, done, total int) {
				if calls++; calls == 1 {
					cancel()
				}
			}
			err = write(cctx, &cm, target)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled export returned %v", err)
			}
			if calls == 0 {
				t.Errorf("the %s writer reported no progress", ext)
			}
			if b, _ := os.ReadFile(target); string(b) != "previous report" {
				t.Errorf("a failed export changed the existing file: %q", b)
			}
			assertOnly(t, dir, "file", "report."+ext)

			// A successful export replaces it and leaves no temporary.
			if err := write(ctx, m, target); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(target)
			if len(b) < 1000 {
				t.Errorf("export wrote %d bytes", len(b))
			}
			// …and its SHA-256 beside it, in the format sha256sum -c reads.
			sum := sha256.Sum256(b)
			if side, _ := os.ReadFile(target + ".sha256"); string(side) != hex.EncodeToString(sum[:])+"  report."+ext+"\n" {
				t.Errorf("report.%s.sha256 holds %q", ext, side)
			}
			assertOnly(t, dir, "file", "report."+ext, "report."+ext+".sha256")
		})
	}
}

func TestExportReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders; run as a normal user")
	}
	fx := newFixture(t)
	m := build(t, fx.svc, Filter{}, Options{})
	for ext, write := range writers {
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		err := write(context.Background(), m, filepath.Join(dir, "report."+ext))
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s into a read-only folder: %v", ext, err)
		}
		assertOnly(t, dir)
	}
}
