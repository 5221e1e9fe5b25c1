package gui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// dashboardScreen summarises the archive: counts, last check, recent changes.
type dashboardScreen struct {
	ui       *UI
	counts   *widget.Label
	lastRun  *widget.Label
	failures *widget.Label
	recent   *widget.List
	changes  []tracker.ChangeSummary
	empty    *widget.Label
}

func newDashboardScreen(u *UI) *dashboardScreen {
	return &dashboardScreen{ui: u,
		counts:   widget.NewLabel("Loading…"),
		lastRun:  widget.NewLabel(""),
		failures: &widget.Label{Wrapping: fyne.TextWrapWord},
		empty:    &widget.Label{Text: "No changes recorded yet. Track platforms and run a check, or import an Open Terms Archive dataset.", Wrapping: fyne.TextWrapWord},
	}
}

func (s *dashboardScreen) buildUI() fyne.CanvasObject {
	s.recent = widget.NewList(
		func() int { return len(s.changes) },
		func() fyne.CanvasObject { return widget.NewLabel("template change row") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := s.changes[id]
			o.(*widget.Label).SetText(changeLine(c))
		})
	s.recent.OnSelected = func(id widget.ListItemID) {
		s.recent.UnselectAll()
		s.ui.showChange(s.changes[id].ID)
	}
	head := container.NewVBox(
		widget.NewLabelWithStyle("Overview", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.counts, s.lastRun, s.failures,
		widget.NewLabelWithStyle("Recent changes", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.empty)
	return container.NewBorder(head, nil, nil, nil, s.recent)
}

// changeLine is a one-line description of a change for lists.
func changeLine(c tracker.ChangeSummary) string {
	what := "cosmetic only"
	if c.Substantive {
		what = "exposure " + c.Exposure
	}
	return fmt.Sprintf("%s  %s %s — %s", c.DetectedAt.Format("2006-01-02"), c.PlatformName, tracker.KindTitle(c.Kind), what)
}

type dashboardData struct {
	overview tracker.Overview
	recent   []tracker.ChangeSummary
}

func (s *dashboardScreen) refresh() {
	background(s.ui, func(ctx context.Context) (dashboardData, error) {
		var d dashboardData
		var err error
		if d.overview, err = s.ui.svc.Overview(ctx); err != nil {
			return d, err
		}
		d.recent, err = s.ui.svc.Changes(ctx, tracker.ChangeFilter{Limit: 50})
		return d, err
	}, s.show)
}

func (s *dashboardScreen) show(d dashboardData) {
	o := d.overview
	s.counts.SetText(fmt.Sprintf("%d documents tracked · %d archived · %d versions · %d changes (%d substantive, %d high exposure) · %d open checklist items (%d overdue)",
		o.TrackedDocuments, o.Documents, o.Versions, o.Changes, o.Substantive, o.HighExposure, o.OpenItems, o.OverdueItems))
	if o.LastCheck.IsZero() {
		s.lastRun.SetText("Last check: never")
	} else {
		s.lastRun.SetText("Last check: " + o.LastCheck.Local().Format("2006-01-02 15:04"))
	}
	if n := len(o.FailingDocuments); n > 0 {
		s.failures.SetText(fmt.Sprintf("%d document(s) failed their last check: see Platforms for the reasons.", n))
	} else {
		s.failures.SetText("")
	}
	s.changes = d.recent
	if len(d.recent) == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
	s.recent.Refresh()
}
