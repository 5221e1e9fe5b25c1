package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// changesScreen lists analysed changes, newest first, with their detail.
type changesScreen struct {
	ui      *UI
	list    *widget.List
	changes []tracker.ChangeSummary
	total   *widget.Label
	detail  *widget.Label
}

func newChangesScreen(u *UI) *changesScreen {
	return &changesScreen{ui: u, total: widget.NewLabel(""),
		detail: &widget.Label{Text: "Select a change to read its analysis.", Wrapping: fyne.TextWrapWord}}
}

func (s *changesScreen) buildUI() fyne.CanvasObject {
	s.list = widget.NewList(
		func() int { return len(s.changes) },
		func() fyne.CanvasObject { return widget.NewLabel("template change row") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(changeLine(s.changes[id])) })
	s.list.OnSelected = func(id widget.ListItemID) { s.showDetail(s.changes[id]) }
	split := container.NewHSplit(container.NewBorder(s.total, nil, nil, nil, s.list), container.NewVScroll(s.detail))
	split.Offset = 0.45
	return split
}

func (s *changesScreen) refresh() {
	background(s.ui, func(ctx context.Context) ([]tracker.ChangeSummary, error) {
		return s.ui.svc.Changes(ctx, tracker.ChangeFilter{Limit: 500})
	}, func(list []tracker.ChangeSummary) {
		s.changes = list
		if len(list) == 0 {
			s.total.SetText("No changes yet.")
		} else {
			s.total.SetText(fmt.Sprintf("%d most recent changes", len(list)))
		}
		s.list.Refresh()
	})
}

func (s *changesScreen) showDetail(c tracker.ChangeSummary) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\nDetected %s · versions #%d → #%d\n\n", c.PlatformName, tracker.KindTitle(c.Kind),
		c.DetectedAt.Format("2006-01-02 15:04"), c.FromVersionID, c.ToVersionID)
	fmt.Fprintf(&b, "Exposure: %s\n%s\n\n%s\n", c.Exposure, c.Summary, c.Rationale)
	if len(c.Categories) > 0 {
		fmt.Fprintf(&b, "\nCategories: %s\n", strings.Join(c.Categories, ", "))
	}
	s.detail.SetText(b.String())
}

// showChange switches to the Changes tab and shows one change.
func (u *UI) showChange(id int64) {
	for i, c := range u.changes.changes {
		if c.ID == id {
			u.tabs.SelectIndex(2)
			u.changes.list.Select(i)
			return
		}
	}
	u.tabs.SelectIndex(2)
}
