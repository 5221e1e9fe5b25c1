package tracker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"policywatch/tracker/evidence"
)

// ErrNoSigningKey is returned when checkpoints cannot be signed because no
// secret store is configured or this installation lacks the archive's key.
var ErrNoSigningKey = errors.New("no signing key")

// KeyInfo describes the archive's signing key, for Settings and reports.
type KeyInfo struct {
	Archive string
	// Fingerprint is the hex SHA-256 of the newest public key the log
	// records ("" before the first checkpoint).
	Fingerprint string
	// Held is true when this installation holds that key's private half;
	// Where then says where ("the OS keyring" or the file's path).
	Held  bool
	Where string
	// Problem says why the key is not held, when it is not.
	Problem string
}

func keyName(archive string) string { return "signing-key/" + archive }

// SigningKeySecret names the secret that holds the archive's signing key,
// so that a copy of the archive can take its key along.
func SigningKeySecret(archive string) string { return keyName(archive) }

// whereSecret asks a secret store that can tell where a secret lives.
func (s *Service) whereSecret(name string) string {
	if w, ok := s.secrets.(interface{ Where(string) string }); ok {
		return w.Where(name)
	}
	return ""
}

// currentKey reads the archive id and the newest logged key.
func currentKey(tx Tx) (archive string, key evidence.KeyFacts, err error) {
	if archive, err = archiveID(tx); err != nil {
		return "", key, err
	}
	e, err := tx.FindAudit(evidence.ActionKey, true)
	if errors.Is(err, ErrNotFound) {
		return archive, key, nil
	}
	if err != nil {
		return "", key, err
	}
	if err := json.Unmarshal(e.Data, &key); err != nil {
		return "", key, fmt.Errorf("the log's signing key entry %d is unreadable: %w", e.ID, err)
	}
	return archive, key, nil
}

// SigningKey describes the archive's signing key and whether this
// installation holds it.
func (s *Service) SigningKey(ctx context.Context) (KeyInfo, error) {
	var info KeyInfo
	var logged evidence.KeyFacts
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		info.Archive, logged, err = currentKey(tx)
		return err
	}); err != nil {
		return info, err
	}
	info.Fingerprint = logged.Fingerprint
	if s.secrets == nil {
		info.Problem = "no keyring or key file is configured for this session"
		return info, nil
	}
	if logged.Fingerprint == "" {
		info.Problem = "no key yet: one is made at the first checkpoint"
		return info, nil
	}
	k, err := s.loadKey(info.Archive)
	switch {
	case err != nil:
		info.Problem = err.Error()
	case evidence.Fingerprint(k.Public()) != logged.Fingerprint:
		info.Problem = fmt.Sprintf("this installation holds key %s, not the archive's key %s",
			evidence.ShortFingerprint(evidence.Fingerprint(k.Public())), evidence.ShortFingerprint(logged.Fingerprint))
	default:
		info.Held, info.Where = true, s.whereSecret(keyName(info.Archive))
	}
	return info, nil
}

func (s *Service) loadKey(archive string) (evidence.Key, error) {
	secret, err := s.secrets.Get(keyName(archive))
	if errors.Is(err, fs.ErrNotExist) {
		return evidence.Key{}, fmt.Errorf("this installation does not hold the archive's signing key (an archive copied from another machine? `policywatch audit new-key` makes a new one, logged): %w", ErrNoSigningKey)
	}
	if err != nil {
		return evidence.Key{}, fmt.Errorf("read the signing key: %w", err)
	}
	return evidence.ParseSecret(secret)
}

// signingKey returns this installation's key for the archive, making and
// logging one when the archive has none yet.
func (s *Service) signingKey(ctx context.Context) (evidence.Key, string, error) {
	if s.secrets == nil {
		return evidence.Key{}, "", fmt.Errorf("no keyring or key file is configured: %w", ErrNoSigningKey)
	}
	var archive string
	var logged evidence.KeyFacts
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		archive, logged, err = currentKey(tx)
		return err
	}); err != nil {
		return evidence.Key{}, "", err
	}
	if logged.Fingerprint == "" {
		k, err := s.makeKey(ctx, archive, "")
		return k, archive, err
	}
	k, err := s.loadKey(archive)
	if err != nil {
		return k, archive, err
	}
	if fp := evidence.Fingerprint(k.Public()); fp != logged.Fingerprint {
		return k, archive, fmt.Errorf("this installation's key %s is not the archive's key %s: %w",
			evidence.ShortFingerprint(fp), evidence.ShortFingerprint(logged.Fingerprint), ErrNoSigningKey)
	}
	return k, archive, nil
}

// makeKey makes a key, keeps it in the secret store and logs its public
// half (the log is the register of the archive's keys).
func (s *Service) makeKey(ctx context.Context, archive, replaces string) (evidence.Key, error) {
	k, err := evidence.NewKey()
	if err != nil {
		return k, err
	}
	if err := s.secrets.Set(keyName(archive), k.Secret()); err != nil {
		return k, fmt.Errorf("keep the signing key: %w", err)
	}
	f := evidence.KeyFacts{Fingerprint: evidence.Fingerprint(k.Public()), PublicKey: evidence.EncodePublic(k.Public()), Replaces: replaces}
	detail := "installation signing key " + f.Fingerprint
	if replaces != "" {
		detail += ", replacing " + replaces
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		return appendEntry(tx, s.now(), s.who(), evidence.ActionKey, "key:"+f.Fingerprint, detail, f)
	})
	return k, err
}

// NewSigningKey makes a new installation key for the archive and logs it,
// naming the key it replaces and why: for an archive moved to a machine
// that lacks its key. Earlier checkpoints still verify with the old key,
// which the log keeps.
func (s *Service) NewSigningKey(ctx context.Context, reason string) (KeyInfo, error) {
	if s.secrets == nil {
		return KeyInfo{}, fmt.Errorf("no keyring or key file is configured: %w", ErrNoSigningKey)
	}
	if strings.TrimSpace(reason) == "" {
		return KeyInfo{}, errors.New("say why the archive needs a new key (--reason): the log records it")
	}
	var archive string
	var logged evidence.KeyFacts
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		archive, logged, err = currentKey(tx)
		return err
	}); err != nil {
		return KeyInfo{}, err
	}
	replaces := logged.Fingerprint
	if replaces != "" {
		replaces += " (" + strings.TrimSpace(reason) + ")"
	}
	if _, err := s.makeKey(ctx, archive, replaces); err != nil {
		return KeyInfo{}, err
	}
	return s.SigningKey(ctx)
}

// CheckpointResult is a checkpoint and whether it was just signed.
type CheckpointResult struct {
	Checkpoint evidence.Checkpoint
	// New is false when the newest checkpoint already covered the log.
	New bool
	// Warning says what went wrong with the optional trusted timestamp.
	Warning string
}

// Checkpoint signs a checkpoint of the log as it stands (entry count, head
// hash, time) with the installation key, adds a trusted timestamp when a
// TSA URL is set, and stores it. When the newest checkpoint already covers
// every entry it is returned as it is.
func (s *Service) Checkpoint(ctx context.Context) (CheckpointResult, error) {
	var res CheckpointResult
	var head AuditEntry
	var latest *evidence.Checkpoint
	var tsa string
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if head, err = tx.LastAudit(); err != nil {
			return err
		}
		cps, err := tx.ListCheckpoints()
		if err != nil {
			return err
		}
		if n := len(cps); n > 0 {
			latest = &cps[n-1]
		}
		tsa, err = tx.Setting(SettingTSAURL)
		return err
	}); err != nil {
		return res, err
	}
	if latest != nil && latest.Entries == head.ID && latest.Head == head.Hash {
		return CheckpointResult{Checkpoint: *latest}, nil
	}
	key, archive, err := s.signingKey(ctx)
	if err != nil {
		return res, err
	}
	// A key made just now was logged after head: cover its entry too.
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		head, err = tx.LastAudit()
		return err
	}); err != nil {
		return res, err
	}
	cp := evidence.Checkpoint{Archive: archive, Entries: head.ID, Head: head.Hash, At: s.now()}
	evidence.SignCheckpoint(&cp, key)
	if tsa != "" {
		token, err := evidence.RequestTimestamp(ctx, s.tsaClient(), tsa, cp.SignedText())
		if err != nil {
			res.Warning = "no trusted timestamp: " + err.Error()
		} else {
			cp.TSA, cp.Timestamp = tsa, token
		}
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		cps, err := tx.ListCheckpoints()
		if err != nil {
			return err
		}
		if n := len(cps); n > 0 && cps[n-1].Entries >= cp.Entries {
			cp = cps[n-1] // another process signed the same or a later state
			return nil
		}
		res.New = true
		return tx.InsertCheckpoint(&cp)
	})
	res.Checkpoint = cp
	return res, err
}

func (s *Service) tsaClient() *http.Client { return &http.Client{Timeout: 20 * time.Second} }

// seal signs a checkpoint after a check, import or report and says in one
// line what happened; failing to sign never undoes the work it follows.
func (s *Service) seal(ctx context.Context) string {
	res, err := s.Checkpoint(ctx)
	if err != nil {
		return "no checkpoint signed: " + err.Error()
	}
	note := "checkpoint " + res.Checkpoint.Summary()
	if res.Warning != "" {
		note += " (" + res.Warning + ")"
	}
	return note
}

// LatestCheckpoint returns the newest stored checkpoint; ok is false when
// none has been signed.
func (s *Service) LatestCheckpoint(ctx context.Context) (cp evidence.Checkpoint, ok bool, err error) {
	err = s.store.View(ctx, func(tx Tx) error {
		cps, err := tx.ListCheckpoints()
		if n := len(cps); err == nil && n > 0 {
			cp, ok = cps[n-1], true
		}
		return err
	})
	return cp, ok, err
}

// SetTSAURL sets (or, with "", clears) the RFC 3161 time-stamping authority
// asked to timestamp every checkpoint.
func (s *Service) SetTSAURL(ctx context.Context, raw string) error {
	raw = strings.TrimSpace(raw)
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &InputError{Msg: fmt.Sprintf("%q is not an http(s) URL of a time-stamping authority", raw)}
		}
	}
	return s.SetSetting(ctx, SettingTSAURL, raw)
}
