package gui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// settingsScreen edits the organisation profile and shows where the archive is.
type settingsScreen struct {
	ui            *UI
	organisation  *widget.Entry
	jurisdictions *widget.CheckGroup
	role          *widget.Select
	children      *widget.Check
	health        *widget.Check
	financial     *widget.Check
	advertises    *widget.Check
	b2b           *widget.Check
	database      *widget.Label
}

func newSettingsScreen(u *UI) *settingsScreen {
	s := &settingsScreen{ui: u,
		organisation:  &widget.Entry{PlaceHolder: "Organisation name"},
		jurisdictions: widget.NewCheckGroup(tracker.Jurisdictions, nil),
		role:          widget.NewSelect(tracker.Roles, nil),
		children:      widget.NewCheck("Serves children (under 18)", nil),
		health:        widget.NewCheck("Processes health data", nil),
		financial:     widget.NewCheck("Processes financial data", nil),
		advertises:    widget.NewCheck("Advertises on the tracked platforms", nil),
		b2b:           widget.NewCheck("Uses platforms under negotiated B2B terms", nil),
		database:      widget.NewLabel(u.svc.Store().Path()),
	}
	s.jurisdictions.Horizontal = true
	return s
}

func (s *settingsScreen) buildUI() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem("Organisation", s.organisation),
		widget.NewFormItem("Operates in", s.jurisdictions),
		widget.NewFormItem("Role", s.role),
		widget.NewFormItem("", s.children),
		widget.NewFormItem("", s.health),
		widget.NewFormItem("", s.financial),
		widget.NewFormItem("", s.advertises),
		widget.NewFormItem("", s.b2b),
	)
	form.SubmitText = "Save profile"
	form.OnSubmit = s.onSave
	return container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle("Organisation profile", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form,
		widget.NewLabelWithStyle("Database", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.database))
}

func (s *settingsScreen) refresh() {
	background(s.ui, func(ctx context.Context) (tracker.Profile, error) {
		return s.ui.svc.Profile(ctx)
	}, s.show)
}

func (s *settingsScreen) show(p tracker.Profile) {
	s.organisation.SetText(p.Organisation)
	s.jurisdictions.SetSelected(p.Jurisdictions)
	s.role.SetSelected(p.Role)
	s.children.SetChecked(p.ServesChildren)
	s.health.SetChecked(p.HealthData)
	s.financial.SetChecked(p.FinancialData)
	s.advertises.SetChecked(p.Advertises)
	s.b2b.SetChecked(p.B2BNegotiated)
}

func (s *settingsScreen) profile() tracker.Profile {
	return tracker.Profile{Organisation: strings.TrimSpace(s.organisation.Text), Jurisdictions: s.jurisdictions.Selected,
		Role: s.role.Selected, ServesChildren: s.children.Checked, HealthData: s.health.Checked,
		FinancialData: s.financial.Checked, Advertises: s.advertises.Checked, B2BNegotiated: s.b2b.Checked}
}

func (s *settingsScreen) onSave() {
	p := s.profile()
	background(s.ui, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.ui.svc.SetProfile(ctx, p)
	}, func(struct{}) {
		dialog.ShowInformation("Profile saved", "Exposure of new analyses will follow this profile.", s.ui.win)
	})
}
