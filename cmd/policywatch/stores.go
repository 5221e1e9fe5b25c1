package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"policywatch/tracker"
	"policywatch/tracker/postgres"
	"policywatch/tracker/secrets"
	"policywatch/tracker/sqlite"
	"policywatch/tracker/transfer"
)

// archiveStore is a store that can be copied (both stores are).
type archiveStore interface {
	transfer.Store
}

// isTeamArchive reports whether a --db value names a PostgreSQL database.
func isTeamArchive(loc string) bool { return postgres.IsURL(loc) }

// openStore opens the archive loc names: a PostgreSQL database for a
// postgres:// URL, else an SQLite file (created when missing). A team
// archive's password may come from the URL, PGPASSWORD, ~/.pgpass or the
// secret store (Settings keeps it there).
func openStore(ctx context.Context, loc string) (archiveStore, error) {
	if !isTeamArchive(loc) {
		return sqlite.Open(ctx, loc)
	}
	var opts []postgres.Option
	if pw, err := secretsFor(loc).Get(postgres.PasswordSecret(loc)); err == nil && pw != "" {
		opts = append(opts, postgres.WithPassword(pw))
	}
	db, err := postgres.Open(ctx, loc, opts...)
	if err != nil {
		return nil, err
	}
	return teamStore{db}, nil
}

// openExisting opens an archive that must exist already (the source of a
// copy): an SQLite file is never created for it.
func openExisting(ctx context.Context, loc string) (archiveStore, error) {
	if !isTeamArchive(loc) {
		st, err := os.Stat(loc)
		if err != nil {
			return nil, fmt.Errorf("no archive at %s: %w", loc, err)
		}
		if st.Size() == 0 {
			return nil, fmt.Errorf("%s is empty: it holds no archive", loc)
		}
	}
	return openStore(ctx, loc)
}

// secretsFor is where secrets of the archive at loc are kept when no OS
// keyring answers: beside an SQLite file, or for a team archive in the
// user's data folder (secret names carry the archive's id or address).
func secretsFor(loc string) *secrets.Store {
	return secrets.Open(secretsFile(loc))
}

// secretsFile is the 0600 file that keeps secrets (the signing key, SMTP
// passwords, a team database's password) when no OS keyring answers.
func secretsFile(loc string) string {
	if isTeamArchive(loc) {
		return filepath.Join(dataDir(), "policywatch", "team.secrets")
	}
	return loc + ".secrets"
}

// teamStore is the PostgreSQL store with backups: a team archive is backed
// up into an SQLite file, copied row for row and checked (transfer.Copy).
type teamStore struct{ *postgres.DB }

// Backup copies the team archive into a new SQLite file at dest.
func (s teamStore) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup: %s already exists", dest)
	}
	file, err := sqlite.Open(ctx, dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	_, err = transfer.Copy(ctx, s.DB, file)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		removeArchiveFile(dest)
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return os.Chmod(dest, 0o600)
}

// removeArchiveFile removes an SQLite archive this process created and
// could not fill, with its write-ahead files.
func removeArchiveFile(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(os.Stderr, "policywatch: could not remove %s: %v\n", p, err)
		}
	}
}

var _ tracker.Store = teamStore{}

// choiceFile holds the archive chosen in Settings: one line, a file path
// or a postgres:// URL without its password.
func choiceFile() string { return filepath.Join(dataDir(), "policywatch", "database") }

// chosenDatabase returns the archive chosen in Settings, or "".
func chosenDatabase() string {
	b, err := os.ReadFile(choiceFile())
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// chooseDatabase checks that the archive at loc opens (creating a new file,
// or the tables of an empty team database, as a first start would) and
// makes it the one used from the next start. A team database's password —
// given apart, or found in the URL — goes to the OS keyring (or the 0600
// secrets file), never into the choice file.
func chooseDatabase(ctx context.Context, loc, password string) (string, error) {
	loc = strings.TrimSpace(loc)
	if isTeamArchive(loc) {
		u, err := url.Parse(loc)
		if err != nil {
			return "", fmt.Errorf("%s is not a connection string like postgres://USER@HOST/DATABASE", postgres.Redact(loc))
		}
		if pw, ok := u.User.Password(); ok && u.User != nil {
			if password == "" {
				password = pw
			}
			u.User = url.User(u.User.Username())
			loc = u.String()
		}
		var opts []postgres.Option
		if password != "" {
			opts = append(opts, postgres.WithPassword(password))
		}
		db, err := postgres.Open(ctx, loc, opts...)
		if err != nil {
			return "", err
		}
		db.Close()
		if password != "" {
			if err := secretsFor(loc).Set(postgres.PasswordSecret(loc), password); err != nil {
				return "", fmt.Errorf("keep the password: %w", err)
			}
		}
	} else {
		if loc == "" {
			return "", errors.New("no archive given")
		}
		abs, err := filepath.Abs(loc)
		if err != nil {
			return "", err
		}
		loc = abs
		db, err := sqlite.Open(ctx, loc)
		if err != nil {
			return "", err
		}
		db.Close()
	}
	if err := os.MkdirAll(filepath.Dir(choiceFile()), 0o700); err != nil {
		return "", err
	}
	tmp := choiceFile() + ".tmp"
	if err := os.WriteFile(tmp, []byte(loc+"\n"), 0o600); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, choiceFile()); err != nil {
		return "", err
	}
	return redacted(loc), nil
}
