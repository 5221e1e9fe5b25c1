package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// reportsScreen exports the audit-ready PDF and Excel reports.
type reportsScreen struct {
	ui     *UI
	status *widget.Label
}

func newReportsScreen(u *UI) *reportsScreen {
	return &reportsScreen{ui: u, status: &widget.Label{Wrapping: fyne.TextWrapWord,
		Text: "Report export (PDF and Excel) arrives with the reports engine; meanwhile the command line's `policywatch changes --json` lists every change."}}
}

func (s *reportsScreen) buildUI() fyne.CanvasObject {
	return container.NewVBox(widget.NewLabelWithStyle("Reports", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.status)
}
