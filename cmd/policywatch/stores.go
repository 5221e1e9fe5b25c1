package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

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
