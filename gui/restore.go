package gui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

// A restore is staged as <db>.restore and applied by ApplyPendingRestore
// before the archive is opened, because an open SQLite file must not be
// overwritten.
const (
	restoreSuffix = ".restore"
	beforeSuffix  = ".before-restore"
)

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// StageRestore checks that backup is a SQLite archive and copies it next to
// db, to replace it at the next start.
func StageRestore(backup, db string) error {
	f, err := os.Open(backup)
	if err != nil {
		return inputError("The backup file cannot be read: check that it still exists and that you may read it.")
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteHeader) {
		return inputError("This file is not a PolicyWatch backup (it is not a SQLite database). Choose the .db file written by Back up.")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read backup: %w", err)
	}
	tmp := db + restoreSuffix + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("stage restore: %w", err)
	}
	if _, err := io.Copy(out, f); err != nil {
		out.Close()
		os.Remove(tmp)
		return fmt.Errorf("stage restore: %w", err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(tmp)
		return fmt.Errorf("stage restore: %w", err)
	}
	out.Close()
	return os.Rename(tmp, db+restoreSuffix)
}

// ApplyPendingRestore replaces the archive at db with a staged backup, if
// there is one, keeping the old archive as <db>.before-restore. Call it
// before opening the archive. It reports whether a restore was applied.
func ApplyPendingRestore(db string) (bool, error) {
	staged := db + restoreSuffix
	if _, err := os.Stat(staged); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if _, err := os.Stat(db); err == nil {
		if err := os.Rename(db, db+beforeSuffix); err != nil {
			return false, fmt.Errorf("restore: keep the current archive: %w", err)
		}
	}
	for _, side := range []string{"-wal", "-shm"} {
		// The write-ahead log belongs to the old archive: keep it with it.
		if err := os.Rename(db+side, db+beforeSuffix+side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return false, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(staged, db); err != nil {
		return false, fmt.Errorf("restore: %w", err)
	}
	return true, nil
}
