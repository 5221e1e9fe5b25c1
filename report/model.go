package report

import (
	"time"

	"policywatch/report/record"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

// Filter selects what a report covers. Zero fields match everything.
type Filter struct {
	// Since is the first instant covered; Until is exclusive.
	Since, Until time.Time
	// Platforms are platform slugs.
	Platforms []string
	// Jurisdictions keep changes with a finding flagged in one of these codes.
	Jurisdictions []string
	// MinExposure keeps changes at or above low, medium or high.
	MinExposure string
}

// Options controls how a report is built.
type Options struct {
	// GeneratedAt is the time printed as generated-at; zero means now, or,
	// in deterministic mode, the newest time found in the report's data.
	GeneratedAt time.Time
	// Deterministic makes the output depend only on the archive and filter.
	Deterministic bool
	// Progress, if set, is called by Build and the writers with the stage
	// ("read", "pdf", "xlsx") and the work done out of total.
	Progress func(stage string, done, total int)
	// Excerpts is ExcerptsFlagged (the default) or ExcerptsAll: which
	// changed passages a change's record prints in the PDF. With
	// ExcerptsFlagged the passages no finding quotes go to an appendix.
	Excerpts string
}

// Excerpt modes of Options.Excerpts.
const (
	// ExcerptsFlagged prints the passages findings quote in each change's
	// record and every other changed passage in an appendix.
	ExcerptsFlagged = "flagged"
	// ExcerptsAll prints every changed passage in each change's record,
	// the flagged ones first.
	ExcerptsAll = "all"
)

// Model is one report, rendered the same way to PDF and XLSX.
type Model struct {
	Title        string
	Organisation string
	Profile      tracker.Profile
	Filter       Filter
	// Period describes Filter's dates in words.
	Period string
	// Scope describes the rest of the filter in words.
	Scope       string
	GeneratedAt time.Time
	AppVersion  string
	// Fingerprint is the SHA-256 over the sorted SHA-256s of the versions cited.
	Fingerprint   string
	Deterministic bool
	// Excerpts is ExcerptsFlagged or ExcerptsAll (see Options).
	Excerpts string
	// Rules name the categories; nil prints their ids.
	Rules *analysis.Rules

	// AuditEntries is the size of the whole audit log; AuditVerified is true
	// when its hash chain verified, else AuditProblem says where it broke.
	AuditEntries  int
	AuditVerified bool
	AuditProblem  string
	// Seal is the signed checkpoint of the archive's log the report prints
	// (cover, Summary) and embeds, so that verify-report can check it.
	Seal tracker.Seal

	// archive is the service the model was built from: WritePDF and
	// WriteXLSX log each report written in it (see publish).
	archive *tracker.Service

	Totals         Totals
	ByExposure     []Count // high, medium, low, none
	ByPlatform     []Count // most changes first
	ByJurisdiction []Count // most changes first
	// Top lists the high-exposure changes, most findings first (at most 10).
	Top []*Change

	Platforms  []*PlatformSection
	Changes    []*Change // oldest first
	Checklist  []ChecklistItem
	Monitoring []Monitoring
	Evidence   []Evidence
	Audit      []tracker.AuditEntry

	progress func(stage string, done, total int)
}

// Totals are the report's key figures.
type Totals struct {
	Changes, Substantive, Cosmetic, Reviewed int
	High, Medium, Low, None                  int
	Findings, Platforms, Documents           int
	Checks, FailedChecks                     int
	Items, OpenItems, InProgressItems        int
	DoneItems, NotApplicable, OverdueItems   int
	VersionsCited, AuditInPeriod             int
}

// Count is one bar of a breakdown.
type Count struct {
	Label string
	// Level is the exposure level the bar stands for, or "" for other breakdowns.
	Level string
	N     int
}

// PlatformSection is one platform's part of the report.
type PlatformSection struct {
	Slug, Name string
	// Exposure is the highest exposure among its changes.
	Exposure string
	Changes  []*Change // oldest first
}

// Change is one change with its full analysis record.
type Change struct {
	tracker.ChangeSummary
	DocumentURL string
	Record      analysis.Result
	From, To    tracker.VersionInfo
	// View is the analysis record as every renderer shows it (sections,
	// category names, each finding's before and after, the passages).
	View *record.Record
	// Peers tell how other platforms in the report changed the same categories.
	Peers []Peer
	// Comparables quote how other tracked platforms' latest archived
	// documents treat the same categories.
	Comparables []tracker.Comparable
	Checklist   []ChecklistItem
}

// Peer is another platform's change in the same category.
type Peer struct {
	Category  string
	Platform  string
	ChangeID  int64
	Date      time.Time
	Direction string
	Exposure  string
}

// ChecklistItem is a due-diligence item as reported.
type ChecklistItem struct {
	tracker.ChecklistRow
	PlatformSlug string
	// Due is DueDate parsed (zero when unset); Overdue is true when an open or
	// in-progress item's due date is before the report date.
	Due     time.Time
	Overdue bool
}

// Monitoring is one document's proof of monitoring in the period.
type Monitoring struct {
	tracker.MonitoringStat
	// Reasons describes the failures: "blocked ×2, network ×1".
	Reasons string
}

// Evidence is one archived version the report cites.
type Evidence struct {
	tracker.CitedVersion
}
