// Package secrets keeps small secrets by name — the archive's signing key,
// SMTP passwords, webhook secrets — in the OS keyring where one is reachable
// (the freedesktop Secret Service on Linux, the macOS Keychain, the Windows
// Credential Manager, through github.com/zalando/go-keyring), else in a file
// readable only by its owner (mode 0600), normally beside the database.
//
// Reads look in the keyring first, then in the file, so a secret written to
// the file while the keyring was unreachable (a headless session, CI) is
// still found later. A write goes to the keyring when it answers and then
// removes any copy from the file, so one secret lives in one place.
//
// POLICYWATCH_SECRETS=file uses the file only (what headless servers and
// tests want: a keyring call never reaches the user's desktop keyring);
// POLICYWATCH_SECRETS=keyring uses the keyring only and fails when it is
// unreachable. Names should say what they belong to ("signing-key/<archive
// id>"), since one keyring serves every archive of the user.
package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/zalando/go-keyring"
)

// Service is the name secrets are filed under in the OS keyring.
const Service = "PolicyWatch"

// ErrNotFound is returned by Get when no secret of that name is stored. It
// wraps fs.ErrNotExist, so callers that do not import this package can test
// for it with errors.Is(err, fs.ErrNotExist).
var ErrNotFound = fmt.Errorf("secret not found: %w", fs.ErrNotExist)

// Mode says where secrets may be kept.
type Mode string

// Modes: Auto uses the keyring when it answers, else the file.
const (
	Auto        Mode = "auto"
	FileOnly    Mode = "file"
	KeyringOnly Mode = "keyring"
)

// ModeFromEnv reads POLICYWATCH_SECRETS (auto when unset or unknown).
func ModeFromEnv() Mode {
	switch m := Mode(os.Getenv("POLICYWATCH_SECRETS")); m {
	case FileOnly, KeyringOnly:
		return m
	}
	return Auto
}

// Keyring is the OS keyring as go-keyring presents it; tests may pass
// go-keyring's mock provider or a failing one.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// osKeyring calls go-keyring's package functions (its platform provider).
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, pw string) error       { return keyring.Set(service, user, pw) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// Store reads and writes named secrets. It is safe for concurrent use within
// one process; the file is replaced atomically on every write.
type Store struct {
	file string
	mode Mode
	kr   Keyring

	mu sync.Mutex
}

// Open returns a store whose fallback file is file (created on first write
// with mode 0600) and whose mode comes from POLICYWATCH_SECRETS.
func Open(file string) *Store {
	return New(file, ModeFromEnv(), osKeyring{})
}

// New returns a store over the given fallback file, mode and keyring (nil:
// no keyring, as FileOnly).
func New(file string, mode Mode, kr Keyring) *Store {
	if kr == nil {
		mode = FileOnly
	}
	return &Store{file: file, mode: mode, kr: kr}
}

// File is the fallback file's path.
func (s *Store) File() string { return s.file }

// keyringMissing tells a keyring that answered "not stored here" from one
// that did not answer.
func keyringMissing(err error) bool { return errors.Is(err, keyring.ErrNotFound) }

// Get returns the secret called name, or an error wrapping ErrNotFound.
func (s *Store) Get(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var krErr error
	if s.mode != FileOnly {
		v, err := s.kr.Get(Service, name)
		switch {
		case err == nil:
			return v, nil
		case keyringMissing(err):
		case s.mode == KeyringOnly:
			return "", fmt.Errorf("read secret %q from the OS keyring: %w", name, err)
		default:
			krErr = err
		}
	}
	if s.mode == KeyringOnly {
		return "", fmt.Errorf("secret %q: %w", name, ErrNotFound)
	}
	m, err := s.readFile()
	if err != nil {
		return "", err
	}
	if v, ok := m[name]; ok {
		return v, nil
	}
	if krErr != nil {
		return "", fmt.Errorf("secret %q is not in %s and the OS keyring did not answer (%v): %w", name, s.file, krErr, ErrNotFound)
	}
	return "", fmt.Errorf("secret %q: %w", name, ErrNotFound)
}

// Set stores value under name: in the keyring when it answers (removing any
// copy from the file), else in the file.
func (s *Store) Set(name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mode != FileOnly {
		err := s.kr.Set(Service, name, value)
		if err == nil {
			return s.removeFromFile(name)
		}
		if s.mode == KeyringOnly {
			return fmt.Errorf("store secret %q in the OS keyring: %w", name, err)
		}
	}
	m, err := s.readFile()
	if err != nil {
		return err
	}
	m[name] = value
	return s.writeFile(m)
}

// Delete removes name from the keyring and the file; deleting a secret that
// is not stored is not an error.
func (s *Store) Delete(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mode != FileOnly {
		if err := s.kr.Delete(Service, name); err != nil && !keyringMissing(err) && s.mode == KeyringOnly {
			return fmt.Errorf("delete secret %q from the OS keyring: %w", name, err)
		}
	}
	if s.mode == KeyringOnly {
		return nil
	}
	return s.removeFromFile(name)
}

// Where says in words where the secret called name is kept now: "the OS
// keyring", the file's path, or "" when it is not stored.
func (s *Store) Where(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mode != FileOnly {
		if _, err := s.kr.Get(Service, name); err == nil {
			return "the OS keyring"
		}
	}
	if s.mode == KeyringOnly {
		return ""
	}
	if m, err := s.readFile(); err == nil {
		if _, ok := m[name]; ok {
			return s.file
		}
	}
	return ""
}

func (s *Store) removeFromFile(name string) error {
	m, err := s.readFile()
	if err != nil {
		return err
	}
	if _, ok := m[name]; !ok {
		return nil
	}
	delete(m, name)
	return s.writeFile(m)
}

// readFile reads the fallback file (an empty map when it does not exist). A
// file others can read is refused rather than used.
func (s *Store) readFile() (map[string]string, error) {
	m := map[string]string{}
	if s.file == "" {
		return m, errors.New("no secrets file configured")
	}
	data, err := os.ReadFile(s.file)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read secrets file: %w", err)
	}
	if runtime.GOOS != "windows" {
		info, err := os.Stat(s.file)
		if err != nil {
			return nil, fmt.Errorf("read secrets file: %w", err)
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			return nil, fmt.Errorf("secrets file %s can be read by others (mode %04o); run chmod 600 on it", s.file, perm)
		}
	}
	if len(data) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("secrets file %s is damaged: %w", s.file, err)
	}
	return m, nil
}

// writeFile replaces the fallback file atomically, mode 0600.
func (s *Store) writeFile(m map[string]string) error {
	data, err := json.MarshalIndent(m, "", "  ") // keys sorted
	if err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	dir := filepath.Dir(s.file)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".policywatch-secrets-*")
	if err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets file: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write secrets file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.file); err != nil {
		return fmt.Errorf("write secrets file: %w", err)
	}
	return nil
}
