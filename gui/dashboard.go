package gui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// dashboardScreen summarises the archive: key figures, the exposure heat map,
// changes per month, recent changes, open and overdue checklist items, and
// the last check with its failures.
type dashboardScreen struct {
	ui       *UI
	title    *widget.Label
	figures  map[string]*canvas.Text
	counts   *widget.Label // one-line summary, also read by tests
	period   *widget.Select
	heat     *heatMap
	chart    *timelineChart
	failures *widget.Label
	recent   *widget.List
	changes  []tracker.ChangeSummary
	items    []tracker.ChecklistRow
	itemList *widget.List
	emptyRec *widget.Label
	emptyIt  *widget.Label
	gen      int
	// autoPeriod widens the heat map's period (90 days, 12 months, all
	// time) until it shows something, until the user picks one.
	autoPeriod bool
}

// heatPeriods are the heat map's scopes.
var heatPeriods = []string{"Last 30 days", "Last 90 days", "Last 12 months", "All time"}

func newDashboardScreen(u *UI) *dashboardScreen {
	s := &dashboardScreen{ui: u, title: heading("PolicyWatch"), figures: map[string]*canvas.Text{},
		counts: &widget.Label{Text: "Loading…", Truncation: fyne.TextTruncateEllipsis}, failures: wrapLabel(""),
		emptyRec: wrapLabel("No changes recorded yet. Track platforms and run a check (Ctrl+R), or import an Open Terms Archive dataset."),
		emptyIt:  wrapLabel("No open checklist items. Items are created for every change with findings."),
	}
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.heat = newHeatMap(s.onCell)
	s.chart = newTimelineChart()
	s.period = &widget.Select{Options: heatPeriods, Selected: heatPeriods[1], OnChanged: func(string) {
		s.autoPeriod = false
		s.refresh()
	}}
	s.autoPeriod = true
	return s
}

// figureNames are the key figures, in display order.
var figureNames = []string{"Tracked documents", "Changes", "High exposure", "Unreviewed substantive", "Open items", "Overdue items"}

func (s *dashboardScreen) buildUI() fyne.CanvasObject {
	cards := container.NewGridWithColumns(len(figureNames))
	for _, name := range figureNames {
		v := canvas.NewText("–", themed(theme.ColorNameForeground))
		v.TextSize = 26
		v.TextStyle = fyne.TextStyle{Bold: true}
		s.figures[name] = v
		cap := canvas.NewText(name, themed(theme.ColorNamePlaceHolder))
		cap.TextSize = theme.TextSize()
		bg := canvas.NewRectangle(themed(theme.ColorNameInputBackground))
		bg.CornerRadius = 6
		cards.Add(container.NewStack(bg, container.NewPadded(container.NewVBox(v, cap))))
	}
	s.recent = widget.NewList(func() int { return len(s.changes) }, newChangeRow,
		func(id widget.ListItemID, o fyne.CanvasObject) { setChangeRow(o, s.changes[id], s.ui.svc.Rules()) })
	s.recent.OnSelected = func(id widget.ListItemID) {
		s.recent.UnselectAll()
		s.ui.showChange(s.changes[id].ID)
	}
	s.itemList = widget.NewList(func() int { return len(s.items) }, newItemRow,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			setItemRow(o, s.items[id], s.ui.today(), s.ui.svc.Rules())
		})
	s.itemList.OnSelected = func(id widget.ListItemID) {
		s.itemList.UnselectAll()
		s.ui.tabs.SelectIndex(tabChecklist)
	}
	heatPane := container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, heading("Exposure by platform and jurisdiction"), s.period), legend(), s.heat.header),
		nil, nil, nil, container.NewVScroll(s.heat.box))
	chartTitle := heading("Changes per month, by exposure")
	chartTitle.Truncation = fyne.TextTruncateEllipsis
	chartPane := container.NewBorder(container.NewVBox(chartTitle, chartLegend()), s.failures, nil, nil, s.chart)
	top := container.NewHSplit(heatPane, chartPane)
	top.Offset = 0.58
	recentPane := container.NewBorder(heading("Recent changes"), nil, nil, nil, container.NewStack(s.recent, s.emptyRec))
	itemsPane := container.NewBorder(heading("Open and overdue checklist items"), nil, nil, nil, container.NewStack(s.itemList, s.emptyIt))
	bottom := container.NewHSplit(recentPane, itemsPane)
	bottom.Offset = 0.58
	body := container.NewVSplit(top, bottom)
	body.Offset = 0.56
	head := container.NewVBox(container.NewBorder(nil, nil, s.title, nil, s.counts), cards)
	return container.NewBorder(head, nil, nil, nil, body)
}

type dashboardData struct {
	profile  tracker.Profile
	overview tracker.Overview
	timeline []tracker.TimelineBucket
	recent   []tracker.ChangeSummary
	items    []tracker.ChecklistRow
	open     int
}

// heatSince is the start of the heat map's period (zero for all time).
func heatSince(period string, now time.Time) time.Time {
	switch period {
	case heatPeriods[0]:
		return now.AddDate(0, 0, -30)
	case heatPeriods[1]:
		return now.AddDate(0, 0, -90)
	case heatPeriods[2]:
		return now.AddDate(-1, 0, 0)
	}
	return time.Time{}
}

func (s *dashboardScreen) refresh() {
	s.gen++
	gen := s.gen
	now := s.ui.svc.Now()
	periods := []string{s.period.Selected}
	if s.autoPeriod {
		periods = heatPeriods[1:]
	}
	background(s.ui, "load the dashboard", func(ctx context.Context) (dashboardData, error) {
		var d dashboardData
		var err error
		svc := s.ui.svc
		if d.profile, err = svc.Profile(ctx); err != nil {
			return d, err
		}
		if d.overview, err = svc.Overview(ctx); err != nil {
			return d, err
		}
		no := false
		if d.open, err = svc.CountChanges(ctx, tracker.ChangeFilter{Reviewed: &no, MinExposure: tracker.ExposureLow}); err != nil {
			return d, err
		}
		if d.timeline, err = svc.ChangeTimeline(ctx, svc.Now(), 12); err != nil {
			return d, err
		}
		if d.recent, err = svc.Changes(ctx, tracker.ChangeFilter{Limit: 30}); err != nil {
			return d, err
		}
		d.items, err = svc.Checklist(ctx, tracker.ChecklistFilter{OpenOnly: true, Limit: 100})
		return d, err
	}, func(d dashboardData) {
		if gen == s.gen {
			s.show(d)
		}
	})
	// The heat map is the slowest part: it loads alongside, not after.
	type heat struct {
		matrix tracker.ExposureMatrix
		codes  []string
		period string
	}
	background(s.ui, "load the exposure heat map", func(ctx context.Context) (heat, error) {
		p, err := s.ui.svc.Profile(ctx)
		if err != nil {
			return heat{}, err
		}
		var h heat
		for _, period := range periods {
			h = heat{codes: p.Jurisdictions, period: period}
			h.matrix, err = s.ui.svc.ExposureMatrix(ctx, tracker.ExposureMatrixOptions{Since: heatSince(period, now),
				Jurisdictions: p.Jurisdictions, OpenOnly: true})
			if err != nil || len(h.matrix.Platforms) > 0 {
				break
			}
		}
		return h, err
	}, func(h heat) {
		if gen != s.gen {
			return
		}
		if s.period.Selected != h.period {
			s.period.Selected = h.period // no OnChanged: keep widening automatically
			s.period.Refresh()
		}
		empty := "No unreviewed change with findings in this period. Pick a longer period above, or run a check."
		if len(h.codes) == 0 {
			empty += " Set the jurisdictions you operate in (Settings) to focus the map on them."
			h.matrix.Jurisdictions = usedJurisdictions(h.matrix) // no profile: only the columns with something
		}
		s.heat.set(h.matrix, empty)
	})
}

func (s *dashboardScreen) show(d dashboardData) {
	o := d.overview
	s.ui.lastCheck = o.LastCheck
	if d.profile.Organisation != "" {
		s.title.SetText(d.profile.Organisation)
	}
	set := func(name string, v int) {
		s.figures[name].Text = thousands(v)
		s.figures[name].Color = themed(theme.ColorNameForeground) // follows a theme switch
		s.figures[name].Refresh()
	}
	set("Tracked documents", o.TrackedDocuments)
	set("Changes", o.Changes)
	set("High exposure", o.HighExposure)
	set("Unreviewed substantive", d.open)
	set("Open items", o.OpenItems)
	set("Overdue items", o.OverdueItems)
	if o.OverdueItems > 0 {
		s.figures["Overdue items"].Color = themed(theme.ColorNameError)
		s.figures["Overdue items"].Refresh()
	}
	last := "never — press Ctrl+R to check now"
	if !o.LastCheck.IsZero() {
		last = o.LastCheck.Local().Format("2 Jan 2006 15:04")
	}
	s.counts.SetText(fmt.Sprintf("%d documents tracked · %d archived · %d versions · %d changes · last check %s",
		o.TrackedDocuments, o.Documents, o.Versions, o.Changes, last))
	s.chart.set(d.timeline)
	if n := len(o.FailingDocuments); n > 0 {
		var names []string
		for i, f := range o.FailingDocuments {
			if i == 4 {
				names = append(names, fmt.Sprintf("and %d more", n-4))
				break
			}
			reason := "failed"
			if f.LastCheck != nil && f.LastCheck.Reason != "" {
				reason = f.LastCheck.Reason
			}
			names = append(names, fmt.Sprintf("%s %s (%s)", f.PlatformName, strings.ToLower(tracker.KindTitle(f.Kind)), reason))
		}
		s.failures.SetText(fmt.Sprintf("Attention: %d document(s) failed their last check: %s. Open Platforms for the reasons and advice.", n, strings.Join(names, ", ")))
	} else if !o.LastCheck.IsZero() {
		s.failures.SetText("Every tracked document passed its last check.")
	} else {
		s.failures.SetText("")
	}
	s.changes = d.recent
	s.emptyRec.Hidden = len(d.recent) > 0
	s.emptyRec.Refresh()
	s.recent.Refresh()
	s.items = d.items
	s.emptyIt.Hidden = len(d.items) > 0
	s.emptyIt.Refresh()
	s.itemList.Refresh()
}

// usedJurisdictions lists the matrix's jurisdictions that have a cell.
func usedJurisdictions(m tracker.ExposureMatrix) []string {
	var out []string
	for _, code := range m.Jurisdictions {
		for _, p := range m.Platforms {
			if m.Cell(p.Slug, code).Changes > 0 {
				out = append(out, code)
				break
			}
		}
	}
	return out
}

// onCell lists a heat map cell's unreviewed changes in the Changes tab.
func (s *dashboardScreen) onCell(slug, code, level string) {
	f := changeQuery{Platform: slug, Jurisdiction: code, MinExposure: level, Review: reviewOpen}
	switch s.period.Selected {
	case heatPeriods[0]:
		f.Period = periodOptions[1]
	case heatPeriods[1]:
		f.Period = periodOptions[2]
	case heatPeriods[2]:
		f.Period = periodOptions[3]
	}
	s.ui.changes.setQuery(f)
	s.ui.tabs.SelectIndex(tabChanges)
}
