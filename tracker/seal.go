package tracker

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"policywatch/tracker/evidence"
)

// Seal is what a report or an evidence bundle prints so that it can be
// verified later: a signed checkpoint of the archive's log and the
// fingerprint of the archive's signing key.
type Seal struct {
	// Checkpoint is the newest checkpoint (nil when none was ever signed).
	Checkpoint *evidence.Checkpoint
	// Key is the fingerprint of the archive's newest signing key ("" before
	// the first checkpoint).
	Key string
	// Problem says why Checkpoint does not cover the log as it stands (no
	// signing key here, none yet): the entries after it are not vouched for.
	Problem string
	// Warning says what went wrong with the optional trusted timestamp.
	Warning string
}

// SealNow signs a checkpoint of the log as it stands (unless the newest one
// already covers it) and returns it with the key's fingerprint. When no
// checkpoint can be signed (no keyring, an archive copied without its key)
// it returns the newest earlier one, if any, and says why in Problem; only a
// failure to read the archive is an error.
func (s *Service) SealNow(ctx context.Context) (Seal, error) {
	var seal Seal
	res, err := s.Checkpoint(ctx)
	switch {
	case err == nil:
		cp := res.Checkpoint
		seal.Checkpoint, seal.Warning = &cp, res.Warning
	case errors.Is(err, ErrNoSigningKey):
		seal.Problem = "no checkpoint could be signed: " + err.Error()
		cp, ok, lerr := s.LatestCheckpoint(ctx)
		if lerr != nil {
			return seal, lerr
		}
		if ok {
			seal.Checkpoint = &cp
		}
	default:
		return seal, fmt.Errorf("sign a checkpoint: %w", err)
	}
	err = s.store.View(ctx, func(tx Tx) error {
		_, key, err := currentKey(tx)
		seal.Key = key.Fingerprint
		return err
	})
	return seal, err
}

// RecordFile logs a file PolicyWatch wrote, under action report.write or
// evidence.export: its name, format, SHA-256, size and the checkpoint
// printed in it. It then signs a checkpoint covering that entry and returns
// the line saying so, as after a check or an import.
func (s *Service) RecordFile(ctx context.Context, action string, f evidence.FileFacts) (string, error) {
	if action != evidence.ActionReport && action != evidence.ActionBundle {
		return "", fmt.Errorf("record file: unknown action %q", action)
	}
	f.File = filepath.Base(f.File)
	detail := fmt.Sprintf("%s (%s, %d bytes), sha256 %s", f.File, f.Format, f.Bytes, f.SHA256)
	if f.Checkpoint > 0 {
		detail += fmt.Sprintf(", printing the checkpoint of %d entries", f.Checkpoint)
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		return appendEntry(tx, s.now(), s.who(), action, "file:"+f.SHA256, detail, f)
	})
	if err != nil {
		return "", fmt.Errorf("log %s: %w", f.File, err)
	}
	return s.seal(ctx), nil
}
