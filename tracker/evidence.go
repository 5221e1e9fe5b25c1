package tracker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"policywatch/tracker/evidence"
)

// EvidenceTx reads what verifying the archive against its log needs, in
// one pass over each kind of record, and keeps the signed checkpoints.
type EvidenceTx interface {
	// FindAudit returns the oldest (or, with newest, the newest) entry with
	// the given action, or ErrNotFound.
	FindAudit(action string, newest bool) (AuditEntry, error)
	// EachAudit calls fn with every entry after afterID, oldest first.
	EachAudit(afterID int64, fn func(AuditEntry) error) error
	// InsertCheckpoint appends a signed checkpoint and sets its ID.
	InsertCheckpoint(c *evidence.Checkpoint) error
	// ListCheckpoints lists every checkpoint, oldest first.
	ListCheckpoints() ([]evidence.Checkpoint, error)
	// EachVersion calls fn with every version (text and raw bytes), by id.
	EachVersion(fn func(Version) error) error
	// ChangeEvidence returns everything stored of one change's analysis.
	ChangeEvidence(id int64) (ChangeEvidence, error)
	// EachChangeEvidence calls fn with every change and its findings, by id.
	EachChangeEvidence(fn func(ChangeEvidence) error) error
	// EachChecklistItem calls fn with every checklist item, by id.
	EachChecklistItem(fn func(ChecklistItem) error) error
}

// ChangeEvidence is everything stored of a change's analysis and review:
// the row, its analysis record (JSON) and its findings in order.
type ChangeEvidence struct {
	Change
	ExposureRank int
	Record       []byte
	Findings     []FindingRow
}

// SecretStore keeps named secrets: the OS keyring or a 0600 file
// (tracker/secrets). A missing secret is an error wrapping fs.ErrNotExist.
// The archive's signing key lives there, and so do alert channels' SMTP
// passwords and webhook addresses (whose path is their token): the archive
// keeps only the name they are filed under.
type SecretStore interface {
	Get(name string) (string, error)
	Set(name, value string) error
	Delete(name string) error
}

// WithSecrets sets where secrets are kept. Without it checkpoints are not
// signed (and verification says so), and alert channels that need a secret
// cannot be added.
func WithSecrets(s SecretStore) Option { return func(sv *Service) { sv.secrets = s } }

// Log actions of checklist items, for code whose locals shadow the
// evidence package's name.
const (
	actionChecklistNew = evidence.ActionChecklistNew
	actionChecklistSet = evidence.ActionChecklistSet
)

// SettingTSAURL is the setting naming an RFC 3161 time-stamping authority;
// when set, every checkpoint also gets a trusted timestamp.
const SettingTSAURL = "evidence.tsa_url"

// versionFacts describes a version for the log, recomputing the hashes of
// its text and raw bytes from the bytes themselves.
func versionFacts(v Version) evidence.VersionFacts {
	f := evidence.VersionFacts{Version: v.ID, Document: v.DocumentID, CapturedAt: evidence.FormatTime(v.FetchedAt),
		Source: v.Source, URL: v.URL, HTTPStatus: v.HTTPStatus, ContentType: v.ContentType,
		TextSHA256: evidence.SHA256Hex([]byte(v.Text)), TextBytes: len(v.Text), RawBytes: len(v.Raw),
		StatedDate: v.StatedDate, Dataset: v.Origin.Dataset, DatasetRelease: v.Origin.Release,
		DatasetCommit: v.Origin.Commit, SourceFile: v.Origin.File}
	if len(v.Raw) > 0 {
		f.RawSHA256 = evidence.SHA256Hex(v.Raw)
	}
	return f
}

// analysisFacts describes a stored analysis for the log.
func analysisFacts(c ChangeEvidence) evidence.AnalysisFacts {
	a := evidence.AnalysisFacts{Change: c.ID, Document: c.DocumentID, From: c.FromVersionID, To: c.ToVersionID,
		DetectedAt: evidence.FormatTime(c.DetectedAt), Substantive: c.Substantive, Exposure: c.Exposure,
		Summary: c.Summary, Rationale: c.Rationale, AddedWords: c.AddedWords, RemovedWords: c.RemovedWords,
		RecordSHA256: evidence.SHA256Hex(c.Record)}
	for _, f := range c.Findings {
		a.Findings = append(a.Findings, evidence.FindingFacts{Category: f.Category, Direction: f.Direction,
			Exposure: f.Exposure, Heading: f.Heading, Evidence: f.Evidence, Rule: f.Rule, Jurisdictions: f.Jurisdictions})
	}
	a.Canonical()
	return a
}

func itemFacts(it ChecklistItem) evidence.ItemFacts {
	return evidence.ItemFacts{Item: it.ID, Change: it.ChangeID, Category: it.Category, Seq: it.Seq, Text: it.Text,
		Status: it.Status, Owner: it.Owner, DueDate: it.DueDate, Note: it.Note, EvidenceRef: it.EvidenceRef,
		CreatedAt: evidence.FormatTime(it.CreatedAt), UpdatedAt: evidence.FormatTime(it.UpdatedAt)}
}

func reviewFacts(c Change) evidence.ReviewFacts {
	return evidence.ReviewFacts{Change: c.ID, Reviewed: !c.ReviewedAt.IsZero(), At: evidence.FormatTime(c.ReviewedAt),
		By: c.ReviewedBy, Note: c.ReviewNote}
}

// appendEntry seals and appends an entry, with the facts it vouches for
// (nil for a plain event), inside tx.
func appendEntry(tx Tx, at time.Time, actor, action, subject, detail string, facts any) error {
	e := AuditEntry{At: at, Actor: actor, Action: action, Subject: subject, Detail: detail}
	if facts != nil {
		e.Data = evidence.Encode(facts)
	}
	last, err := tx.LastAudit()
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	evidence.Seal(&e, last)
	return tx.InsertAudit(&e)
}

// RecordVersion logs an archived version (already inserted, so with its
// id): its capture, provenance and the hashes of its text and raw bytes.
// Every path that inserts a version calls it in the same transaction.
func RecordVersion(tx Tx, at time.Time, actor string, v Version, detail string) error {
	f := versionFacts(v)
	if detail == "" {
		detail = fmt.Sprintf("document %d, %s, sha256 %s", v.DocumentID, v.Source, short(f.TextSHA256))
	}
	return appendEntry(tx, at, actor, evidence.ActionVersion, evidence.VersionSubject(v.ID), detail, f)
}

// RecordAnalysis logs a change's analysis as stored (findings, exposure and
// the digest of all of it). saveAnalysis calls it after every save.
func RecordAnalysis(tx Tx, at time.Time, actor string, changeID int64, detail string) error {
	c, err := tx.ChangeEvidence(changeID)
	if err != nil {
		return err
	}
	f := analysisFacts(c)
	if detail == "" {
		detail = fmt.Sprintf("exposure %s, %d finding(s), versions %d → %d", f.Exposure, len(f.Findings), f.From, f.To)
	}
	return appendEntry(tx, at, actor, evidence.ActionAnalysis, evidence.ChangeSubject(changeID), detail, f.Entry())
}

// RecordChecklistItem logs a checklist item's whole state as stored, under
// action checklist.create or checklist.update.
func RecordChecklistItem(tx Tx, at time.Time, actor, action string, itemID int64, detail string) error {
	it, err := tx.ChecklistItemByID(itemID)
	if err != nil {
		return err
	}
	f := itemFacts(it)
	if detail == "" {
		detail = fmt.Sprintf("%s, change %d, %s", it.Status, it.ChangeID, it.Category)
	}
	return appendEntry(tx, at, actor, action, evidence.ChecklistSubject(itemID), detail, f)
}

// recordReview logs a change's review state as stored.
func recordReview(tx Tx, at time.Time, actor string, changeID int64) error {
	c, _, err := tx.ChangeByID(changeID)
	if err != nil {
		return err
	}
	f := reviewFacts(c.Change)
	action, detail := evidence.ActionReview, "reviewed"
	if f.Note != "" {
		detail += ": " + f.Note
	}
	if !f.Reviewed {
		action, detail = evidence.ActionUnreview, "review withdrawn"
	}
	return appendEntry(tx, at, actor, action, evidence.ChangeSubject(changeID), detail, f)
}

// archiveVersion inserts a new version and logs it, inside tx: the one
// place versions enter the archive.
func (s *Service) archiveVersion(tx Tx, v *Version) error {
	if len(v.Raw) > 0 {
		v.RawSHA256 = evidence.SHA256Hex(v.Raw)
	}
	if err := tx.InsertVersion(v); err != nil {
		return err
	}
	return RecordVersion(tx, s.now(), s.who(), *v, "")
}

// startEvidence opens the evidence log of an archive that has none: it
// names the archive, then logs every record already stored (an archive
// from before evidence logging) so that from now on each one is vouched
// for. It runs once: the start entry is itself in the hash chain.
func (s *Service) startEvidence(ctx context.Context) error {
	started := false
	if err := s.store.View(ctx, func(tx Tx) error {
		_, err := tx.FindAudit(evidence.ActionStart, false)
		started = err == nil
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}); err != nil || started {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.FindAudit(evidence.ActionStart, false); err == nil {
			return nil
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		id := make([]byte, 16)
		if _, err := rand.Read(id); err != nil {
			return fmt.Errorf("name the archive: %w", err)
		}
		at, actor := s.now(), s.who()
		if err := appendEntry(tx, at, actor, evidence.ActionStart, "archive", "evidence log started",
			evidence.StartFacts{Archive: hex.EncodeToString(id), Format: 1}); err != nil {
			return err
		}
		const found = "in the archive when evidence logging began"
		if err := tx.EachVersion(func(v Version) error { return RecordVersion(tx, at, actor, v, found) }); err != nil {
			return err
		}
		var reviewed []int64
		var changes []int64
		if err := tx.EachChangeEvidence(func(c ChangeEvidence) error {
			changes = append(changes, c.ID)
			if !c.ReviewedAt.IsZero() {
				reviewed = append(reviewed, c.ID)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, id := range changes {
			if err := RecordAnalysis(tx, at, actor, id, found); err != nil {
				return err
			}
		}
		for _, id := range reviewed {
			if err := recordReview(tx, at, actor, id); err != nil {
				return err
			}
		}
		var items []int64
		if err := tx.EachChecklistItem(func(it ChecklistItem) error {
			items = append(items, it.ID)
			return nil
		}); err != nil {
			return err
		}
		for _, id := range items {
			if err := RecordChecklistItem(tx, at, actor, evidence.ActionChecklistNew, id, found); err != nil {
				return err
			}
		}
		return nil
	})
}

// ArchiveID returns the random id naming this archive in its log.
func (s *Service) ArchiveID(ctx context.Context) (string, error) {
	var id string
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		id, err = archiveID(tx)
		return err
	})
	return id, err
}

func archiveID(tx Tx) (string, error) {
	e, err := tx.FindAudit(evidence.ActionStart, false)
	if err != nil {
		return "", fmt.Errorf("the archive's evidence log has no start entry: %w", err)
	}
	var f evidence.StartFacts
	if err := json.Unmarshal(e.Data, &f); err != nil {
		return "", fmt.Errorf("the evidence log's start entry is unreadable: %w", err)
	}
	return f.Archive, nil
}
