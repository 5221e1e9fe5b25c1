package gui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"policywatch/tracker"
	"policywatch/tracker/evidence"
)

// liveDelay gathers the entries of a burst (a check round commits many)
// into one update of the screens.
const liveDelay = 300 * time.Millisecond

// liveChanges is what the log entries heard since the last update touch.
type liveChanges struct {
	items   map[int64]bool // checklist items edited or created
	reviews map[int64]bool // changes reviewed or unreviewed
	fresh   bool           // new versions, analyses, documents or platforms
	any     bool
}

// followArchive keeps the open screens in step with the archive while the
// window is open: every change, review and checklist edit another desktop
// or a `watch` worker (or this window) makes is logged, and the service
// hands each new entry over within moments (PostgreSQL announces them; an
// SQLite file is read every two seconds). The visible screen is updated in
// place — rows change, selections and filters stay.
func (u *UI) followArchive() {
	go func() {
		err := u.svc.Subscribe(u.ctx, func(batch []tracker.AuditEntry) {
			ui(func() { u.heard(batch) })
		})
		if err != nil {
			fyne.LogError("follow the archive's changes", err)
		}
	}()
}

// heard notes what a batch of entries touches and schedules one update.
func (u *UI) heard(batch []tracker.AuditEntry) {
	if u.live.items == nil {
		u.live = liveChanges{items: map[int64]bool{}, reviews: map[int64]bool{}}
	}
	for _, e := range batch {
		kind, id := subjectOf(e.Subject)
		switch {
		case kind == "checklist":
			u.live.items[id] = true
		case e.Action == evidence.ActionReview || e.Action == evidence.ActionUnreview:
			u.live.reviews[id] = true
		case e.Action == evidence.ActionVersion || e.Action == evidence.ActionAnalysis ||
			strings.HasPrefix(e.Action, "document.") || strings.HasPrefix(e.Action, "platform.") || e.Action == "dataset.import":
			u.live.fresh = true
		}
		u.live.any = true
	}
	if u.liveArmed || !u.live.any {
		return
	}
	u.liveArmed = true
	time.AfterFunc(liveDelay, func() {
		ui(func() {
			u.liveArmed = false
			if u.ctx.Err() == nil {
				u.applyLive()
			}
		})
	})
}

// subjectOf splits "checklist:12" into its kind and id.
func subjectOf(s string) (string, int64) {
	kind, rest, ok := strings.Cut(s, ":")
	if !ok {
		return s, 0
	}
	id, _ := strconv.ParseInt(rest, 10, 64)
	return kind, id
}

// applyLive updates what the user sees for the entries heard: the visible
// screen, and the open change. Other screens load afresh when opened.
func (u *UI) applyLive() {
	c := u.live
	u.live = liveChanges{}
	if u.tabs == nil {
		return
	}
	switch u.tabs.SelectedIndex() {
	case tabDashboard:
		u.dashboard.refresh()
	case tabPlatforms:
		if c.fresh {
			u.platforms.refresh()
		}
	case tabChecklist:
		if len(c.items) > 0 || c.fresh {
			u.checklist.refresh()
		}
	case tabChanges:
		u.changes.live(c)
	}
}

// live brings the changes list and the open change up to date: a review
// made elsewhere shows on its row and in the detail, an edit of the open
// change's checklist in its items, and new changes at the top of the list
// while the user is not reading one.
func (s *changesScreen) live(c liveChanges) {
	open := s.detail.cur.ID
	reopen := open != 0 && c.reviews[open]
	for _, it := range s.detail.cur.Checklist {
		reopen = reopen || c.items[it.ID]
	}
	if reopen {
		s.detail.show(open)
	}
	if c.fresh && open == 0 {
		s.reload()
		return
	}
	for id := range c.reviews {
		if id == open {
			continue // the detail keeps its row in step
		}
		for i := range s.changes {
			if s.changes[i].ID == id {
				s.refreshRow(i, id)
			}
		}
	}
}

// refreshRow reads change id again and shows it in row i.
func (s *changesScreen) refreshRow(i int, id int64) {
	background(s.ui, "update the changes list", func(ctx context.Context) (tracker.ChangeSummary, error) {
		d, err := s.ui.svc.Change(ctx, id)
		return d.ChangeSummary, err
	}, func(c tracker.ChangeSummary) {
		if i < len(s.changes) && s.changes[i].ID == id {
			s.changes[i] = c
			s.list.RefreshItem(i)
		}
	})
}
