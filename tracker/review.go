package tracker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"policywatch/tracker/evidence"
)

// Changes lists changes matching f, newest first.
func (s *Service) Changes(ctx context.Context, f ChangeFilter) ([]ChangeSummary, error) {
	var out []ChangeSummary
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.ListChanges(f)
		return err
	})
	return out, err
}

// CountChanges counts changes matching f.
func (s *Service) CountChanges(ctx context.Context, f ChangeFilter) (int, error) {
	var n int
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		n, err = tx.CountChanges(f)
		return err
	})
	return n, err
}

// MarkReviewed records that the current user reviewed a change, without a note.
func (s *Service) MarkReviewed(ctx context.Context, changeID int64) error {
	return s.ReviewChange(ctx, changeID, "")
}

// ReviewChange records that the named reviewer reviewed a change, with an
// optional note; the review enters the evidence log. It needs a reviewer
// identity (ErrNoIdentity otherwise).
func (s *Service) ReviewChange(ctx context.Context, changeID int64, note string) error {
	if !s.hasIdentity() {
		return ErrNoIdentity
	}
	return s.store.Update(ctx, func(tx Tx) error {
		if err := tx.MarkReviewed(changeID, s.now(), s.who(), strings.TrimSpace(note)); err != nil {
			return noChange(changeID, err)
		}
		return recordReview(tx, s.now(), s.who(), changeID)
	})
}

// UnreviewChange withdraws a change's review; the undo is a new log entry
// and the earlier review stays in the log.
func (s *Service) UnreviewChange(ctx context.Context, changeID int64) error {
	if !s.hasIdentity() {
		return ErrNoIdentity
	}
	return s.store.Update(ctx, func(tx Tx) error {
		c, _, err := tx.ChangeByID(changeID)
		if err != nil {
			return noChange(changeID, err)
		}
		if c.ReviewedAt.IsZero() {
			return fmt.Errorf("change %d is not marked reviewed", changeID)
		}
		if err := tx.MarkReviewed(changeID, time.Time{}, "", ""); err != nil {
			return err
		}
		return recordReview(tx, s.now(), s.who(), changeID)
	})
}

func noChange(id int64, err error) error {
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("no change %d: run `policywatch changes` to list them: %w", id, ErrNotFound)
	}
	return err
}

// Checklist lists checklist items matching f.
func (s *Service) Checklist(ctx context.Context, f ChecklistFilter) ([]ChecklistRow, error) {
	var out []ChecklistRow
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.ListChecklist(f)
		return err
	})
	return out, err
}

// ChecklistUpdate holds the fields of a checklist item to change; nil keeps a field.
type ChecklistUpdate struct {
	Status, Owner, DueDate, Note, EvidenceRef *string
	// Version, when not zero, is the item's version the editor was shown:
	// if someone has changed the item since, nothing is saved and the
	// update fails with a *ConflictError showing the item as it now is.
	Version int64
}

// ConflictError is returned when a checklist item was changed by someone
// else after the editor read it. Nothing was saved; Item is the item as it
// now stands, By and At name the newer change from the log.
type ConflictError struct {
	Item ChecklistItem
	By   string
	At   time.Time
}

// Error says who changed the item and what it now holds.
func (e *ConflictError) Error() string {
	who := "someone else"
	if e.By != "" {
		who = e.By
	}
	when := ""
	if !e.At.IsZero() {
		when = " at " + e.At.Local().Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("checklist item %d was changed by %s%s while you were editing it, so your edit was not saved; it now reads: status %s, owner %q, due %q, note %q",
		e.Item.ID, who, when, e.Item.Status, e.Item.Owner, e.Item.DueDate, e.Item.Note)
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// conflict describes the newer state of an item an edit was refused on.
func conflict(tx Tx, id int64) error {
	it, err := tx.ChecklistItemByID(id)
	if err != nil {
		return err
	}
	ce := &ConflictError{Item: it}
	if e, err := tx.LastAuditAbout(evidence.ChecklistSubject(id)); err == nil {
		ce.By, ce.At = e.Actor, e.At
	}
	return ce
}

// UpdateChecklistItem applies u to an item and writes one audit entry naming
// every field that changed. Unknown statuses and malformed dates are
// refused; an edit of an item someone changed since u.Version gives a
// *ConflictError.
func (s *Service) UpdateChecklistItem(ctx context.Context, id int64, u ChecklistUpdate) (ChecklistItem, error) {
	var it ChecklistItem
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		it, _, err = s.updateChecklist(tx, id, u, "")
		return err
	})
	return it, err
}

// updateChecklist applies u to item id inside tx and, when a field changed,
// writes the item's evidence entry naming each change (and the suffix,
// e.g. where the edit came from). It returns the item and the
// fields that changed.
func (s *Service) updateChecklist(tx Tx, id int64, u ChecklistUpdate, suffix string) (ChecklistItem, []string, error) {
	it, err := tx.ChecklistItemByID(id)
	if err != nil {
		return it, nil, err
	}
	if u.Version != 0 && u.Version != it.Version {
		return it, nil, conflict(tx, id)
	}
	var changed []string
	set := func(name string, dst *string, v *string) {
		if v != nil && *v != *dst {
			changed = append(changed, fmt.Sprintf("%s: %q → %q", name, *dst, *v))
			*dst = *v
		}
	}
	if u.Status != nil && !ValidStatus(*u.Status) {
		return it, nil, fmt.Errorf("unknown status %q (one of %s)", *u.Status, strings.Join(Statuses, ", "))
	}
	if u.DueDate != nil && *u.DueDate != "" {
		if _, err := time.Parse("2006-01-02", *u.DueDate); err != nil {
			return it, nil, fmt.Errorf("due date %q is not a date like 2025-12-31", *u.DueDate)
		}
	}
	set("status", &it.Status, u.Status)
	set("owner", &it.Owner, u.Owner)
	set("due", &it.DueDate, u.DueDate)
	set("note", &it.Note, u.Note)
	set("evidence", &it.EvidenceRef, u.EvidenceRef)
	if len(changed) == 0 {
		return it, nil, nil
	}
	it.UpdatedAt = s.now()
	if err := tx.UpdateChecklistItem(it); errors.Is(err, ErrConflict) {
		return it, nil, conflict(tx, id)
	} else if err != nil {
		return it, nil, err
	}
	it.Version++
	detail := strings.Join(changed, "; ")
	if suffix != "" {
		detail += " (" + suffix + ")"
	}
	return it, changed, RecordChecklistItem(tx, s.now(), s.who(), evidence.ActionChecklistSet, id, detail)
}

// Overview is the dashboard's summary of the archive.
type Overview struct {
	TrackedDocuments int
	Documents        int
	Versions         int
	Changes          int
	Substantive      int
	HighExposure     int
	OpenItems        int
	OverdueItems     int
	LastCheck        time.Time
	FailingDocuments []DocumentSummary // documents whose latest check failed
}

// Overview summarises the archive for the dashboard.
func (s *Service) Overview(ctx context.Context) (Overview, error) {
	var o Overview
	today := s.now().Format("2006-01-02")
	err := s.store.View(ctx, func(tx Tx) error {
		docs, err := tx.ListDocuments(DocumentFilter{TrackedOrArchived: true})
		if err != nil {
			return err
		}
		o.Documents = len(docs)
		for _, d := range docs {
			o.Versions += d.Versions
			if d.Tracked {
				o.TrackedDocuments++
			}
			if c := d.LastCheck; c != nil {
				if c.At.After(o.LastCheck) {
					o.LastCheck = c.At
				}
				if c.Status == CheckFailed {
					o.FailingDocuments = append(o.FailingDocuments, d)
				}
			}
		}
		yes := true
		if o.Changes, err = tx.CountChanges(ChangeFilter{}); err != nil {
			return err
		}
		if o.Substantive, err = tx.CountChanges(ChangeFilter{Substantive: &yes}); err != nil {
			return err
		}
		if o.HighExposure, err = tx.CountChanges(ChangeFilter{MinExposure: ExposureHigh}); err != nil {
			return err
		}
		o.OpenItems, o.OverdueItems, err = tx.CountOpenChecklist(today)
		return err
	})
	return o, err
}
