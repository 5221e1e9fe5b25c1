package gui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// checklistScreen lists due-diligence items and edits their status.
type checklistScreen struct {
	ui     *UI
	list   *widget.List
	items  []tracker.ChecklistRow
	header *widget.Label
}

func newChecklistScreen(u *UI) *checklistScreen {
	return &checklistScreen{ui: u, header: widget.NewLabel("")}
}

func (s *checklistScreen) buildUI() fyne.CanvasObject {
	s.list = widget.NewList(
		func() int { return len(s.items) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil,
				widget.NewSelect(tracker.Statuses, nil), widget.NewLabel("template checklist item"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			it := s.items[id]
			row := o.(*fyne.Container)
			label := row.Objects[0].(*widget.Label)
			label.SetText(fmt.Sprintf("%s · %s — %s", it.PlatformName, it.Category, it.Text))
			sel := row.Objects[1].(*widget.Select)
			sel.OnChanged = nil
			sel.SetSelected(it.Status)
			sel.OnChanged = func(status string) { s.onStatus(it.ID, status) }
		})
	return container.NewBorder(s.header, nil, nil, nil, s.list)
}

func (s *checklistScreen) refresh() {
	background(s.ui, func(ctx context.Context) ([]tracker.ChecklistRow, error) {
		return s.ui.svc.Checklist(ctx, tracker.ChecklistFilter{Limit: 1000})
	}, func(items []tracker.ChecklistRow) {
		s.items = items
		if len(items) == 0 {
			s.header.SetText("No checklist items yet: they are generated for each analysed change.")
		} else {
			s.header.SetText(fmt.Sprintf("%d checklist items", len(items)))
		}
		s.list.Refresh()
	})
}

func (s *checklistScreen) onStatus(id int64, status string) {
	background(s.ui, func(ctx context.Context) (tracker.ChecklistItem, error) {
		return s.ui.svc.UpdateChecklistItem(ctx, id, tracker.ChecklistUpdate{Status: &status})
	}, func(tracker.ChecklistItem) { s.refresh() })
}
