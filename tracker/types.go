package tracker

import (
	"time"

	"policywatch/tracker/analysis"
	"policywatch/tracker/evidence"
)

// Document kinds, a fixed list shared by the catalog, the store and reports.
const (
	KindPrivacyPolicy       = "privacy-policy"
	KindTermsOfService      = "terms-of-service"
	KindAITerms             = "ai-terms"
	KindCommunityGuidelines = "community-guidelines"
	KindCookiePolicy        = "cookie-policy"
	KindDPA                 = "data-processing-agreement"
	KindAcceptableUse       = "acceptable-use-policy"
	KindFeeSchedule         = "fee-schedule"
	KindOther               = "other"
)

// Kinds lists every document kind in display order.
var Kinds = []string{KindPrivacyPolicy, KindTermsOfService, KindAITerms, KindCommunityGuidelines,
	KindCookiePolicy, KindDPA, KindAcceptableUse, KindFeeSchedule, KindOther}

// ValidKind reports whether k is one of Kinds.
func ValidKind(k string) bool { return contains(Kinds, k) }

// Jurisdictions lists the jurisdiction codes an organisation profile and a
// finding may carry (analysis.JurisdictionCodes is their one definition).
var Jurisdictions = analysis.JurisdictionCodes

// ValidJurisdiction reports whether code is one of Jurisdictions.
func ValidJurisdiction(code string) bool { return contains(Jurisdictions, code) }

// Exposure levels, lowest first, as the store and the screens write them;
// "none" marks a cosmetic change (a substantive one without findings is
// low). analysis.Level is their one definition.
const (
	ExposureNone   = string(analysis.LevelNone)
	ExposureLow    = string(analysis.LevelLow)
	ExposureMedium = string(analysis.LevelMedium)
	ExposureHigh   = string(analysis.LevelHigh)
)

// ExposureRank orders exposure levels: none 0, low 1, medium 2, high 3; -1 for unknown.
func ExposureRank[S ~string](level S) int { return analysis.Level(level).Rank() }

// Check statuses recorded in check events.
const (
	CheckChanged   = "changed"
	CheckUnchanged = "unchanged"
	CheckFailed    = "failed"
)

// Checklist statuses.
const (
	StatusOpen          = "open"
	StatusInProgress    = "in-progress"
	StatusDone          = "done"
	StatusNotApplicable = "not-applicable"
)

// Statuses lists every checklist status.
var Statuses = []string{StatusOpen, StatusInProgress, StatusDone, StatusNotApplicable}

// ValidStatus reports whether s is a checklist status.
func ValidStatus(s string) bool { return contains(Statuses, s) }

// Platform is a service whose documents the organisation depends on.
type Platform struct {
	ID              int64
	Slug            string
	Name            string
	Category        string // social, messaging, ai, fintech, collaboration, cloud, commerce, custom
	Owner           string
	EULeadAuthority string
	VLOP            bool
	Gatekeeper      bool
	AllowsMinors    bool
	Custom          bool // added by the user, not from the catalog
	CreatedAt       time.Time
}

// Document is one governance document of a platform, fetched from URL.
type Document struct {
	ID           int64
	PlatformID   int64
	Kind         string
	Title        string
	URL          string
	Select       string // CSS selectors of the content to keep, comma-separated
	Remove       string // CSS selectors of noise to drop, comma-separated
	Tracked      bool
	ETag         string // validators of the last successful fetch
	LastModified string
	RawSHA256    string // SHA-256 of the bytes the last successful fetch served
	CreatedAt    time.Time
	Render       string // RenderAuto (default), RenderHTTP or RenderBrowser
	// Churn, when set, says the page changes on every request (see ChurnNote).
	Churn *ChurnNote
}

// Render modes: how a document is captured.
const (
	// RenderAuto fetches over HTTP and renders in the browser when the
	// result is empty, a JavaScript shell or a bot wall.
	RenderAuto = "auto"
	// RenderHTTP fetches over HTTP only.
	RenderHTTP = "http"
	// RenderBrowser always renders the page in headless Chromium.
	RenderBrowser = "browser"
)

// RenderModes lists the render modes.
var RenderModes = []string{RenderAuto, RenderHTTP, RenderBrowser}

// ValidRender reports whether m is a render mode ("" counts as auto).
func ValidRender(m string) bool { return m == "" || contains(RenderModes, m) }

// StoredRender is the render mode a store keeps for m: auto when unset.
func StoredRender(m string) string {
	if m == "" {
		return RenderAuto
	}
	return m
}

// Version is one archived state of a document's text, kept as evidence.
type Version struct {
	ID          int64
	DocumentID  int64
	FetchedAt   time.Time
	URL         string
	HTTPStatus  int
	ContentType string
	SHA256      string // of Text
	Text        string // normalised Markdown-like text
	Raw         []byte // the bytes as served (uncompressed in memory; stored compressed)
	StatedDate  string // "last updated"/effective date found in the text: YYYY-MM-DD, or YYYY-MM when only a month is stated
	Source      string // "check", "import" or "re-extract"
	RawSHA256   string // of Raw; set when the version is archived
	Origin      Origin // where an imported version came from
	// CapturedWith says how Raw was obtained: RenderHTTP (the bytes as
	// served) or RenderBrowser (the DOM after the page's scripts ran); ""
	// for imported texts.
	CapturedWith string
}

// Origin names the dataset and file an imported version came from; its
// file's own SHA-256 is the version's RawSHA256 (the raw bytes are the file).
type Origin struct {
	Dataset string `json:"dataset,omitempty"` // the dataset's name
	Release string `json:"release,omitempty"` // its release or version, when it says
	Commit  string `json:"commit,omitempty"`  // the source repository commit, when known
	File    string `json:"file,omitempty"`    // the file's path inside the dataset
}

// VersionInfo is a version without its text and raw bytes, for listings.
type VersionInfo struct {
	ID         int64     `json:"id"`
	DocumentID int64     `json:"document_id"`
	FetchedAt  time.Time `json:"fetched_at"`
	URL        string    `json:"url"`
	HTTPStatus int       `json:"http_status"`
	SHA256     string    `json:"sha256"`
	StatedDate string    `json:"stated_date,omitempty"`
	Source     string    `json:"source"`
	Bytes      int       `json:"bytes"`
	RawSHA256  string    `json:"raw_sha256,omitempty"`
	Origin     *Origin   `json:"origin,omitempty"` // imported versions only
	// CapturedWith is "http", "browser", or "" for imported texts.
	CapturedWith string `json:"captured_with,omitempty"`
}

// CheckEvent records one attempt to fetch a document.
type CheckEvent struct {
	ID         int64     `json:"id"`
	DocumentID int64     `json:"document_id"`
	At         time.Time `json:"at"`
	Status     string    `json:"status"`           // changed, unchanged, failed
	Reason     string    `json:"reason,omitempty"` // why it failed: blocked, empty, selector-missing, too-large, http-status, network, ...
	Detail     string    `json:"detail,omitempty"` // advice in words
	HTTPStatus int       `json:"http_status,omitempty"`
	VersionID  int64     `json:"version_id,omitempty"`
	SHA256     string    `json:"sha256,omitempty"`
}

// Change is the analysed difference between two consecutive versions.
type Change struct {
	ID            int64
	DocumentID    int64
	FromVersionID int64
	ToVersionID   int64
	DetectedAt    time.Time
	Substantive   bool
	Exposure      string
	Summary       string
	Rationale     string
	AddedWords    int
	RemovedWords  int
	ReviewedAt    time.Time // zero until a person marks it reviewed
	ReviewedBy    string
	ReviewNote    string
}

// ChecklistItem is one due-diligence step generated for a change and category.
type ChecklistItem struct {
	ID          int64     `json:"id"`
	ChangeID    int64     `json:"change_id"`
	Category    string    `json:"category"`
	Seq         int       `json:"seq"`
	Text        string    `json:"text"`
	Status      string    `json:"status"`
	Owner       string    `json:"owner"`
	DueDate     string    `json:"due_date"` // YYYY-MM-DD
	Note        string    `json:"note"`
	EvidenceRef string    `json:"evidence_ref"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Version rises with every update; an update made from an older read
	// of the item is refused (ErrConflict) instead of overwriting it.
	Version int64 `json:"version"`
}

// AuditEntry is one append-only, hash-chained log record (see
// tracker/evidence).
type AuditEntry = evidence.Entry

// Profile describes the organisation; it selects which jurisdiction flags
// apply and how exposed a change leaves it.
type Profile struct {
	Organisation   string   `json:"organisation"`
	Jurisdictions  []string `json:"jurisdictions"`
	ServesChildren bool     `json:"serves_children"`
	HealthData     bool     `json:"health_data"`
	FinancialData  bool     `json:"financial_data"`
	Advertises     bool     `json:"advertises"`
	Role           string   `json:"role"` // controller, processor, joint-controller
	B2BNegotiated  bool     `json:"b2b_negotiated"`
}

// Roles lists the organisation roles a profile may state.
var Roles = []string{"controller", "processor", "joint-controller"}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
