package gui

import (
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// jurisdictionNames describes the jurisdiction codes for check boxes.
var jurisdictionNames = map[string]string{
	"EU": "EU / EEA", "UK": "United Kingdom", "US": "United States (federal)", "US-CA": "California", "US-VA": "Virginia",
	"US-CO": "Colorado", "US-CT": "Connecticut", "US-TX": "Texas", "US-IL": "Illinois", "US-WA": "Washington",
	"CA": "Canada", "CA-QC": "Québec", "BR": "Brazil", "IN": "India", "JP": "Japan", "AU": "Australia",
	"CN": "China", "SG": "Singapore",
}

// profileForm edits the organisation profile; Settings and the onboarding
// both use it.
type profileForm struct {
	organisation  *widget.Entry
	jurisdictions map[string]*widget.Check
	role          *widget.Select
	children      *widget.Check
	health        *widget.Check
	financial     *widget.Check
	advertises    *widget.Check
	b2b           *widget.Check

	// The reviewer identity of this OS account, shown when withIdentity
	// (Settings): reviews and log entries record it.
	withIdentity bool
	name, email  *widget.Entry
}

func newProfileForm() *profileForm {
	f := &profileForm{
		organisation:  &widget.Entry{PlaceHolder: "Organisation name, as printed on reports"},
		jurisdictions: map[string]*widget.Check{},
		role:          widget.NewSelect(tracker.Roles, nil),
		children:      widget.NewCheck("Serves children (users under 18)", nil),
		health:        widget.NewCheck("Processes health data", nil),
		financial:     widget.NewCheck("Processes financial data", nil),
		advertises:    widget.NewCheck("Advertises on the tracked platforms", nil),
		b2b:           widget.NewCheck("Uses platforms under negotiated business terms", nil),
		name:          &widget.Entry{PlaceHolder: "Jane Doe"},
		email:         &widget.Entry{PlaceHolder: "jane@acme.example"},
	}
	for _, code := range tracker.Jurisdictions {
		f.jurisdictions[code] = widget.NewCheck(code+" · "+jurisdictionNames[code], nil)
	}
	f.role.SetSelected("controller")
	return f
}

// items returns the form's rows.
func (f *profileForm) items() []*widget.FormItem {
	grid := container.NewGridWithColumns(4)
	for _, code := range tracker.Jurisdictions {
		grid.Add(f.jurisdictions[code])
	}
	items := []*widget.FormItem{
		widget.NewFormItem("Organisation", f.organisation),
		{Text: "Operates in", Widget: grid, HintText: "Only these jurisdictions are flagged; none ticked flags all of them."},
		{Text: "Role", Widget: f.role, HintText: "Towards the platforms' processing of your data (GDPR terms)."},
		widget.NewFormItem("Data and activity", container.NewGridWithColumns(2, f.children, f.health, f.financial, f.advertises, f.b2b)),
	}
	if f.withIdentity {
		items = append(items,
			&widget.FormItem{Text: "Your name", Widget: f.name, HintText: "The reviewer on this computer account: reviews and every log entry record it."},
			&widget.FormItem{Text: "Your e-mail", Widget: f.email})
	}
	return items
}

// setIdentity shows the reviewer identity.
func (f *profileForm) setIdentity(id tracker.Identity) {
	f.name.SetText(id.Name)
	f.email.SetText(id.Email)
}

// identity reads the reviewer identity.
func (f *profileForm) identity() tracker.Identity {
	return tracker.Identity{Name: strings.TrimSpace(f.name.Text), Email: strings.TrimSpace(f.email.Text)}
}

// buildUI returns the form as a widget.Form.
func (f *profileForm) buildUI() *widget.Form { return widget.NewForm(f.items()...) }

// set shows p.
func (f *profileForm) set(p tracker.Profile) {
	f.organisation.SetText(p.Organisation)
	on := map[string]bool{}
	for _, c := range p.Jurisdictions {
		on[c] = true
	}
	for code, c := range f.jurisdictions {
		c.SetChecked(on[code])
	}
	f.role.SetSelected(orDefault(p.Role, "controller"))
	f.children.SetChecked(p.ServesChildren)
	f.health.SetChecked(p.HealthData)
	f.financial.SetChecked(p.FinancialData)
	f.advertises.SetChecked(p.Advertises)
	f.b2b.SetChecked(p.B2BNegotiated)
}

// profile reads the form.
func (f *profileForm) profile() tracker.Profile {
	p := tracker.Profile{Organisation: strings.TrimSpace(f.organisation.Text), Role: f.role.Selected,
		ServesChildren: f.children.Checked, HealthData: f.health.Checked, FinancialData: f.financial.Checked,
		Advertises: f.advertises.Checked, B2BNegotiated: f.b2b.Checked}
	for _, code := range tracker.Jurisdictions {
		if f.jurisdictions[code].Checked {
			p.Jurisdictions = append(p.Jurisdictions, code)
		}
	}
	return p
}

// setJurisdictions ticks exactly codes (tests and presets).
func (f *profileForm) setJurisdictions(codes ...string) {
	on := map[string]bool{}
	for _, c := range codes {
		on[c] = true
	}
	for code, c := range f.jurisdictions {
		c.SetChecked(on[code])
	}
}
