package secrets

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestFileFallbackRoundTrip(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sub", "policywatch.db.secrets")
	s := New(file, FileOnly, nil)
	if _, err := s.Get("smtp/1"); !errors.Is(err, ErrNotFound) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("get before set: %v, want ErrNotFound (and fs.ErrNotExist)", err)
	}
	if err := s.Set("smtp/1", "hunter2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("signing-key/abc", "c2VlZA=="); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("secrets file mode %04o, want 0600", perm)
	}
	// A second store over the same file (another process) reads both.
	other := New(file, FileOnly, nil)
	for name, want := range map[string]string{"smtp/1": "hunter2", "signing-key/abc": "c2VlZA=="} {
		got, err := other.Get(name)
		if err != nil || got != want {
			t.Errorf("get %s = %q, %v; want %q", name, got, err, want)
		}
	}
	if w := other.Where("smtp/1"); w != file {
		t.Errorf("where = %q, want the file", w)
	}
	if err := other.Delete("smtp/1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("smtp/1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
	if v, err := s.Get("signing-key/abc"); err != nil || v != "c2VlZA==" {
		t.Errorf("other secret lost by delete: %q, %v", v, err)
	}
	if err := s.Delete("never-set"); err != nil {
		t.Errorf("deleting an absent secret: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".policywatch-secrets-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestFileReadableByOthersIsRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "secrets")
	s := New(file, FileOnly, nil)
	if err := s.Set("a", "b"); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := s.Get("a")
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("get from a world-readable file: %v, want a refusal with advice", err)
	}
}

func TestDamagedFileIsAnError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "secrets")
	if err := os.WriteFile(file, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := New(file, FileOnly, nil)
	if _, err := s.Get("a"); err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("get from a damaged file: %v", err)
	}
	if err := s.Set("a", "b"); err == nil {
		t.Fatal("set over a damaged file succeeded and would have lost its contents")
	}
}

func TestKeyringPreferredWhenItAnswers(t *testing.T) {
	keyring.MockInit()
	file := filepath.Join(t.TempDir(), "secrets")
	// A secret written while the keyring was unreachable sits in the file.
	if err := New(file, FileOnly, nil).Set("k", "from-file"); err != nil {
		t.Fatal(err)
	}
	s := New(file, Auto, osKeyring{})
	if v, err := s.Get("k"); err != nil || v != "from-file" {
		t.Fatalf("get falls back to the file: %q, %v", v, err)
	}
	// Writing with the keyring reachable moves it there and out of the file.
	if err := s.Set("k", "in-keyring"); err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Get(Service, "k"); err != nil || v != "in-keyring" {
		t.Fatalf("keyring holds %q, %v", v, err)
	}
	if _, err := New(file, FileOnly, nil).Get("k"); !errors.Is(err, ErrNotFound) {
		t.Errorf("file still holds the secret after it moved to the keyring: %v", err)
	}
	if w := s.Where("k"); w != "the OS keyring" {
		t.Errorf("where = %q", w)
	}
	if err := s.Delete("k"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("k"); !errors.Is(err, ErrNotFound) {
		t.Errorf("get after delete: %v", err)
	}
}

func TestUnreachableKeyringFallsBackToFile(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.secrets was not provided by any .service files"))
	file := filepath.Join(t.TempDir(), "secrets")
	s := New(file, Auto, osKeyring{})
	if err := s.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	if v, err := New(file, FileOnly, nil).Get("k"); err != nil || v != "v" {
		t.Fatalf("file holds %q, %v", v, err)
	}
	if v, err := s.Get("k"); err != nil || v != "v" {
		t.Fatalf("get = %q, %v", v, err)
	}
	_, err := s.Get("absent")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "keyring did not answer") {
		t.Errorf("get absent: %v", err)
	}
	// Keyring-only mode says the keyring failed instead of using the file.
	ko := New(file, KeyringOnly, osKeyring{})
	if err := ko.Set("k2", "v"); err == nil || !strings.Contains(err.Error(), "OS keyring") {
		t.Errorf("keyring-only set with no keyring: %v", err)
	}
	if _, err := ko.Get("k"); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("keyring-only get with no keyring: %v", err)
	}
}

func TestModeFromEnv(t *testing.T) {
	for env, want := range map[string]Mode{"": Auto, "file": FileOnly, "keyring": KeyringOnly, "bogus": Auto} {
		t.Setenv("POLICYWATCH_SECRETS", env)
		if got := ModeFromEnv(); got != want {
			t.Errorf("POLICYWATCH_SECRETS=%q: %q, want %q", env, got, want)
		}
	}
}
