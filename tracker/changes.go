package tracker

import "time"

// ChangeTx reads and writes analysed changes.
type ChangeTx interface {
	// SaveChange stores c (keyed by its version pair) with its analysis record
	// (JSON) and findings, replacing an earlier analysis of the same pair but
	// keeping its review state. It sets c.ID.
	SaveChange(c *Change, record []byte, findings []FindingRow) error
	// ChangeByID returns a change and its stored analysis record (JSON).
	ChangeByID(id int64) (ChangeSummary, []byte, error)
	// ChangeForPair returns the change between two versions, or ErrNotFound.
	ChangeForPair(fromID, toID int64) (Change, error)
	// ListChanges lists changes matching f, newest first, paged by f.Limit/f.Offset.
	ListChanges(f ChangeFilter) ([]ChangeSummary, error)
	// CountChanges counts changes matching f.
	CountChanges(f ChangeFilter) (int, error)
	// ListFindings lists the stored findings of a change.
	ListFindings(changeID int64) ([]FindingRow, error)
	// MarkReviewed records that a person reviewed a change, with a note;
	// a zero at clears the review.
	MarkReviewed(changeID int64, at time.Time, by, note string) error
}

// ChecklistTx reads and writes due-diligence checklist items.
type ChecklistTx interface {
	// EnsureChecklistItem inserts it unless an item with the same change,
	// category and sequence exists; it sets it.ID and reports whether it inserted.
	EnsureChecklistItem(it *ChecklistItem) (bool, error)
	ChecklistItemByID(id int64) (ChecklistItem, error)
	// UpdateChecklistItem saves the item's editable fields if the stored item is
	// still at it.Version, raising its version by one; otherwise it fails
	// with ErrConflict and writes nothing.
	UpdateChecklistItem(it ChecklistItem) error
	// ListChecklist lists items matching f, by due date then id.
	ListChecklist(f ChecklistFilter) ([]ChecklistRow, error)
	// CountOpenChecklist counts open or in-progress items, and those of them
	// due before today (YYYY-MM-DD).
	CountOpenChecklist(today string) (open, overdue int, err error)
	// OpenChecklistItemFor returns the oldest open or in-progress item of a
	// document's changes for a category and template position, or
	// ErrNotFound.
	OpenChecklistItemFor(docID int64, category string, seq int) (ChecklistItem, error)
	// LinkChecklistItem records that a change raises the concern of an
	// existing item; it reports whether the link is new.
	LinkChecklistItem(itemID, changeID int64, at time.Time) (bool, error)
}

// FindingRow is a stored finding, flattened for queries and registers.
type FindingRow struct {
	Category      string   `json:"category"`
	Direction     string   `json:"direction"`
	Exposure      string   `json:"exposure"`
	Heading       string   `json:"heading"`
	Evidence      string   `json:"evidence"`
	Rule          string   `json:"rule"`
	Jurisdictions []string `json:"jurisdictions"`
}

// ChangeSummary is a change with its platform, document kind and categories.
type ChangeSummary struct {
	Change
	PlatformSlug string
	PlatformName string
	Kind         string
	Categories   []string
}

// ChangeFilter narrows ListChanges and CountChanges; zero fields match all.
type ChangeFilter struct {
	Since, Until  time.Time
	PlatformSlugs []string
	DocumentID    int64
	Kind          string
	Category      string
	Jurisdiction  string
	MinExposure   string
	Substantive   *bool
	Reviewed      *bool
	Limit, Offset int
}

// ChecklistFilter narrows ListChecklist; zero fields match all.
type ChecklistFilter struct {
	// ChangeID keeps the items a change raised, its own and those it links to.
	ChangeID     int64
	Status       string
	OpenOnly     bool // open or in progress
	PlatformSlug string
	Limit        int
}

// ChecklistRow is a checklist item with the change it belongs to.
type ChecklistRow struct {
	ChecklistItem
	PlatformName string
	Kind         string
	Exposure     string
	DetectedAt   time.Time
	// AlsoRaisedBy lists later changes that raise the same concern and link
	// to this item instead of adding one of their own.
	AlsoRaisedBy []int64 `json:"also_raised_by,omitempty"`
}
