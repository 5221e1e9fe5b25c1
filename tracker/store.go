package tracker

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by stores when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned by stores when a record changed after the caller
// read it (a checklist item's version moved on); nothing was written.
var ErrConflict = errors.New("changed by someone else since it was read")

// ErrPermission is returned by stores when the signed-in database role may
// not make a change (a read-only reviewer editing, say); nothing was written.
var ErrPermission = errors.New("your database role may read and export this archive but not change it")

// ErrBackupElsewhere is returned by Store.Backup of a store that is not
// copied to a file by itself (PostgreSQL: pg_dump, or `policywatch migrate`
// into an SQLite file).
var ErrBackupElsewhere = errors.New("a team archive is backed up with pg_dump, or copied into an SQLite file with `policywatch migrate --from postgres://… --to FILE.db`")

// Store is the archive behind PolicyWatch. Every read and write happens in a
// transaction: View for reads, Update for writes that commit together or not
// at all. tracker/sqlite is the embedded implementation, tracker/postgres the
// one a team shares; tracker/storetest holds both to the same behaviour.
type Store interface {
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a write transaction; writers queue, one at a time
	// per archive, and see everything committed before them. A statement
	// that fails spoils the transaction on PostgreSQL: fn returns its error
	// rather than carrying on.
	Update(ctx context.Context, fn func(Tx) error) error
	// Backup writes a consistent copy of the whole archive to dest.
	Backup(ctx context.Context, dest string) error
	// Path names where the archive lives, for display.
	Path() string
	Close() error
}

// Tx is one transaction's view of the store.
type Tx interface {
	PlatformTx
	DocumentTx
	VersionTx
	ChangeTx
	ChecklistTx
	AuditTx
	EvidenceTx
	SettingsTx
	LockTx
	AlertTx
	QueueTx
}

// PlatformTx reads and writes platforms.
type PlatformTx interface {
	// UpsertPlatform inserts p or updates the platform with the same slug; it sets p.ID.
	UpsertPlatform(p *Platform) error
	PlatformBySlug(slug string) (Platform, error)
	PlatformByID(id int64) (Platform, error)
	PlatformByName(name string) (Platform, error)
	// ListPlatforms lists every platform with document counts, by name.
	ListPlatforms() ([]PlatformSummary, error)
}

// DocumentTx reads and writes documents.
type DocumentTx interface {
	// InsertDocument stores d and sets d.ID.
	InsertDocument(d *Document) error
	UpdateDocument(d Document) error
	DocumentByID(id int64) (Document, error)
	// FindDocument finds a platform's document by kind and URL.
	FindDocument(platformID int64, kind, url string) (Document, error)
	// PlatformDocuments lists all documents of a platform.
	PlatformDocuments(platformID int64) ([]Document, error)
	// ListDocuments lists documents with their platform, version count and last check.
	ListDocuments(f DocumentFilter) ([]DocumentSummary, error)
	// SetValidators stores the HTTP validators and the raw-bytes digest of a
	// document's last successful fetch.
	SetValidators(docID int64, etag, lastModified, rawSHA256 string) error
}

// VersionTx reads and writes versions and check events.
type VersionTx interface {
	// InsertVersion stores v and sets v.ID.
	InsertVersion(v *Version) error
	// LatestVersion returns the newest version of a document, or ErrNotFound.
	LatestVersion(docID int64) (Version, error)
	// LatestVersionInfo is LatestVersion without the text and raw bytes.
	LatestVersionInfo(docID int64) (VersionInfo, error)
	VersionByID(id int64) (Version, error)
	// VersionAt returns a document's version fetched at exactly t, or ErrNotFound.
	VersionAt(docID int64, t time.Time) (Version, error)
	// ListVersions lists a document's versions, oldest first.
	ListVersions(docID int64) ([]VersionInfo, error)
	// InsertCheckEvent stores e and sets e.ID.
	InsertCheckEvent(e *CheckEvent) error
	// ListCheckEvents lists a document's check events, oldest first.
	ListCheckEvents(docID int64) ([]CheckEvent, error)
	// CheckStats counts checks per document between from and to (zero times are open ends).
	CheckStats(from, to time.Time) ([]CheckStat, error)
}

// SettingsTx reads and writes the organisation profile and app settings.
type SettingsTx interface {
	Profile() (Profile, error)
	SaveProfile(p Profile) error
	// Setting returns a setting's value, or "" when unset.
	Setting(key string) (string, error)
	SetSetting(key, value string) error
}

// LockTx reads and writes the archive's check lock (see CheckLock).
type LockTx interface {
	// CheckLock returns the lock row; Holder is "" when nobody holds it.
	CheckLock() (CheckLock, error)
	// SetCheckLock writes the lock row.
	SetCheckLock(l CheckLock) error
}

// AuditTx appends to and reads the audit log.
type AuditTx interface {
	// LastAudit returns the newest entry, or ErrNotFound when the log is empty.
	LastAudit() (AuditEntry, error)
	// InsertAudit appends e as given (hashes already computed) and sets e.ID.
	InsertAudit(e *AuditEntry) error
	// ListAudit lists entries with id > afterID, oldest first, at most limit (0 = all).
	ListAudit(afterID int64, limit int) ([]AuditEntry, error)
	// LastAuditAbout returns the newest entry about subject ("checklist:12"),
	// or ErrNotFound.
	LastAuditAbout(subject string) (AuditEntry, error)
}

// PlatformSummary is a platform with the state of its documents.
type PlatformSummary struct {
	Platform
	Documents int // documents known
	Tracked   int // documents tracked
	Versions  int // versions archived across its documents
}

// DocumentFilter narrows ListDocuments.
type DocumentFilter struct {
	PlatformSlug string
	// TrackedOrArchived keeps documents that are tracked or have versions.
	TrackedOrArchived bool
}

// DocumentSummary is a document with its platform and state, for listings.
type DocumentSummary struct {
	Document
	PlatformSlug string
	PlatformName string
	Versions     int
	LastCheck    *CheckEvent // nil before the first check
}

// CheckStat counts a document's checks in a period, for proof of monitoring.
type CheckStat struct {
	DocumentID int64
	Checks     int
	Failures   int
	First      time.Time
	Last       time.Time
}
