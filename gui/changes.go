package gui

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// changePage is how many changes one query loads; the list asks for the
// next page as the user scrolls near its end.
const changePage = 200

// Filter choices shown in the Changes screen.
const (
	allPlatforms     = "All platforms"
	allKinds         = "All documents"
	allCategories    = "All categories"
	allJurisdictions = "All jurisdictions"
	anyExposure      = "Any exposure"
	reviewAll        = "Reviewed or not"
	reviewOpen       = "Not reviewed"
	reviewDone       = "Reviewed"
	periodCustom     = "Between dates…"
)

var (
	periodOptions   = []string{"Any time", "Last 30 days", "Last 90 days", "Last 12 months", periodCustom}
	exposureOptions = []string{anyExposure, "low", "medium", "high"}
	reviewOptions   = []string{reviewAll, reviewOpen, reviewDone}
)

// changeQuery is the Changes screen's filter as the user set it.
type changeQuery struct {
	Platform     string // slug, "" for all
	Kind         string
	Category     string
	Jurisdiction string
	MinExposure  string
	Period       string
	From, To     string // YYYY-MM-DD, with periodCustom
	Review       string
	Substantive  bool // hide cosmetic-only changes
}

// filter turns the query into a tracker filter at now.
func (q changeQuery) filter(now time.Time) (tracker.ChangeFilter, error) {
	f := tracker.ChangeFilter{Kind: q.Kind, Category: q.Category, Jurisdiction: q.Jurisdiction, MinExposure: q.MinExposure}
	if q.Platform != "" {
		f.PlatformSlugs = []string{q.Platform}
	}
	switch q.Period {
	case periodOptions[1]:
		f.Since = now.AddDate(0, 0, -30)
	case periodOptions[2]:
		f.Since = now.AddDate(0, 0, -90)
	case periodOptions[3]:
		f.Since = now.AddDate(-1, 0, 0)
	case periodCustom:
		var err error
		if f.Since, err = parseDay(q.From, "From"); err != nil {
			return f, err
		}
		if f.Until, err = parseDay(q.To, "To"); err != nil {
			return f, err
		}
		if !f.Until.IsZero() {
			f.Until = f.Until.AddDate(0, 0, 1)
		}
	}
	switch q.Review {
	case reviewOpen:
		no := false
		f.Reviewed = &no
	case reviewDone:
		yes := true
		f.Reviewed = &yes
	}
	if q.Substantive {
		yes := true
		f.Substantive = &yes
	}
	return f, nil
}

// parseDay reads a YYYY-MM-DD date typed in the field named name ("" is no date).
func parseDay(s, name string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return t, inputError(fmt.Sprintf("%s: type a date like 2025-03-31.", name))
	}
	return t, nil
}

// changesScreen is the filterable, paged list of changes with the selected
// change's detail.
type changesScreen struct {
	ui *UI

	platform     *widget.Select
	kind         *widget.Select
	category     *widget.Select
	jurisdiction *widget.Select
	exposure     *widget.Select
	period       *widget.Select
	from, to     *widget.Entry
	dates        *fyne.Container
	review       *widget.Select
	substantive  *widget.Check
	reset        *widget.Button

	list    *widget.List
	changes []tracker.ChangeSummary
	total   *widget.Label
	count   int  // matching changes, -1 while counting
	more    bool // a next page is loading
	gen     int  // bumps on every new query; stale results are dropped
	setting bool // filter widgets are being set programmatically
	slugs   map[string]string
	names   map[string]string

	detail *changeDetail
	// queryTime is how long the last first page took, for the status line.
	queryTime time.Duration
	// queryCtx carries the current filter's queries; cancelQuery interrupts
	// them when the filter changes.
	queryCtx    context.Context
	cancelQuery context.CancelFunc
	// categoryIDs are the category filter's ids by option index ("" for all)
	categoryIDs []string
}

func newChangesScreen(u *UI) *changesScreen {
	s := &changesScreen{ui: u, total: widget.NewLabel("Loading changes…"), slugs: map[string]string{}, names: map[string]string{}}
	changed := func(string) { s.onFilter() }
	s.platform = &widget.Select{Options: []string{allPlatforms}, Selected: allPlatforms, OnChanged: changed}
	s.kind = &widget.Select{Options: append([]string{allKinds}, kindTitles()...), Selected: allKinds, OnChanged: changed}
	// categories by name, from the rules in use (a user rules file may add some)
	s.categoryIDs = []string{""}
	names := []string{allCategories}
	if r := u.svc.Rules(); r != nil {
		for _, c := range r.Categories {
			s.categoryIDs = append(s.categoryIDs, c.ID)
			names = append(names, r.CategoryName(c.ID))
		}
	}
	s.category = &widget.Select{Options: names, Selected: allCategories, OnChanged: changed}
	s.jurisdiction = &widget.Select{Options: append([]string{allJurisdictions}, tracker.Jurisdictions...), Selected: allJurisdictions, OnChanged: changed}
	s.exposure = &widget.Select{Options: exposureOptions, Selected: anyExposure, OnChanged: changed}
	s.period = &widget.Select{Options: periodOptions, Selected: periodOptions[0], OnChanged: func(p string) {
		if p == periodCustom {
			s.dates.Show()
		} else {
			s.dates.Hide()
		}
		s.onFilter()
	}}
	s.from = &widget.Entry{PlaceHolder: "From YYYY-MM-DD", OnSubmitted: changed}
	s.to = &widget.Entry{PlaceHolder: "To YYYY-MM-DD", OnSubmitted: changed}
	s.review = &widget.Select{Options: reviewOptions, Selected: reviewAll, OnChanged: changed}
	s.substantive = &widget.Check{Text: "Hide cosmetic", OnChanged: func(bool) { s.onFilter() }}
	s.reset = widget.NewButton("Reset filters", func() { s.setQuery(changeQuery{}) })
	s.detail = newChangeDetail(u)
	return s
}

// kindTitles are the document kinds as titles.
func kindTitles() []string {
	var out []string
	for _, k := range tracker.Kinds {
		out = append(out, tracker.KindTitle(k))
	}
	return out
}

func (s *changesScreen) buildUI() fyne.CanvasObject {
	s.list = widget.NewList(func() int { return len(s.changes) }, newChangeRow, s.updateRow)
	s.list.OnSelected = func(id widget.ListItemID) {
		if id < len(s.changes) {
			s.detail.show(s.changes[id].ID)
		}
	}
	s.dates = container.NewGridWithColumns(2, s.from, s.to)
	s.dates.Hide()
	grid := container.NewGridWithColumns(4, s.platform, s.kind, s.category, s.jurisdiction,
		s.exposure, s.period, s.review, s.dates)
	filters := container.NewBorder(nil, nil, nil, container.NewVBox(s.reset, s.substantive), grid)
	left := container.NewBorder(s.total, nil, nil, nil, s.list)
	split := container.NewHSplit(left, s.detail.buildUI())
	split.Offset = 0.44
	return container.NewBorder(filters, nil, nil, nil, split)
}

// updateRow fills a list row and asks for the next page near the end.
func (s *changesScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.changes) {
		return
	}
	setChangeRow(o, s.changes[id], s.ui.svc.Rules())
	if id >= len(s.changes)-changePage/4 {
		s.loadMore()
	}
}

// query reads the filter widgets.
func (s *changesScreen) query() changeQuery {
	q := changeQuery{Platform: s.slugs[s.platform.Selected], Period: s.period.Selected,
		From: s.from.Text, To: s.to.Text, Substantive: s.substantive.Checked, Review: s.review.Selected}
	if s.kind.SelectedIndex() > 0 {
		q.Kind = tracker.Kinds[s.kind.SelectedIndex()-1]
	}
	if i := s.category.SelectedIndex(); i > 0 && i < len(s.categoryIDs) {
		q.Category = s.categoryIDs[i]
	}
	if s.jurisdiction.SelectedIndex() > 0 {
		q.Jurisdiction = s.jurisdiction.Selected
	}
	if s.exposure.SelectedIndex() > 0 {
		q.MinExposure = s.exposure.Selected
	}
	return q
}

// setQuery sets every filter widget from q and reloads once.
func (s *changesScreen) setQuery(q changeQuery) {
	s.setting = true
	if name, ok := s.names[q.Platform]; ok {
		s.platform.SetSelected(name)
	} else {
		if q.Platform != "" {
			s.slugs[q.Platform] = q.Platform
			s.names[q.Platform] = q.Platform
			s.platform.Options = append(s.platform.Options, q.Platform)
		}
		s.platform.SetSelected(orDefault(s.names[q.Platform], allPlatforms))
	}
	s.kind.SetSelected(allKinds)
	if q.Kind != "" {
		s.kind.SetSelected(tracker.KindTitle(q.Kind))
	}
	s.category.SetSelectedIndex(max(0, slices.Index(s.categoryIDs, q.Category)))
	s.jurisdiction.SetSelected(orDefault(q.Jurisdiction, allJurisdictions))
	s.exposure.SetSelected(orDefault(q.MinExposure, anyExposure))
	s.period.SetSelected(orDefault(q.Period, periodOptions[0]))
	s.from.SetText(q.From)
	s.to.SetText(q.To)
	s.review.SetSelected(orDefault(q.Review, reviewAll))
	s.substantive.SetChecked(q.Substantive)
	s.setting = false
	s.reload()
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func (s *changesScreen) onFilter() {
	if !s.setting {
		s.reload()
	}
}

// refresh reloads the platform choices and the list.
func (s *changesScreen) refresh() {
	background(s.ui, "load the platform list", func(ctx context.Context) ([]tracker.PlatformSummary, error) {
		return s.ui.svc.Platforms(ctx)
	}, func(list []tracker.PlatformSummary) {
		opts := []string{allPlatforms}
		for _, p := range list {
			if p.Versions == 0 && p.Tracked == 0 {
				continue
			}
			s.slugs[p.Name] = p.Slug
			s.names[p.Slug] = p.Name
			opts = append(opts, p.Name)
		}
		sort.Strings(opts[1:])
		s.platform.Options = opts
		s.platform.Refresh()
	})
	s.reload()
}

// reload runs the query from the first page.
func (s *changesScreen) reload() {
	s.gen++
	gen := s.gen
	if s.cancelQuery != nil {
		s.cancelQuery()
	}
	ctx, cancel := context.WithCancel(s.ui.ctx)
	s.queryCtx, s.cancelQuery = ctx, cancel
	f, err := s.query().filter(s.ui.svc.Now())
	if err != nil {
		s.total.SetText(err.Error())
		return
	}
	s.more = true
	s.count = -1
	s.total.SetText("Searching…")
	type page struct {
		list []tracker.ChangeSummary
		took time.Duration
	}
	first := f
	first.Limit, first.Offset = changePage, 0
	backgroundIn(s.ui, ctx, "load the changes", func(ctx context.Context) (page, error) {
		start := time.Now()
		list, err := s.ui.svc.Changes(ctx, first)
		return page{list, time.Since(start)}, err
	}, func(p page) {
		if gen != s.gen {
			return
		}
		s.more = false
		s.changes = p.list
		s.queryTime = p.took
		s.list.UnselectAll()
		s.list.Refresh()
		s.list.ScrollToTop()
		s.showTotal()
	})
	backgroundIn(s.ui, ctx, "count the changes", func(ctx context.Context) (int, error) {
		return s.ui.svc.CountChanges(ctx, f)
	}, func(n int) {
		if gen == s.gen {
			s.count = n
			s.showTotal()
		}
	})
}

// loadMore appends the next page, if there is one.
func (s *changesScreen) loadMore() {
	if s.more || (s.count >= 0 && len(s.changes) >= s.count) || len(s.changes)%changePage != 0 || len(s.changes) == 0 {
		return
	}
	f, err := s.query().filter(s.ui.svc.Now())
	if err != nil {
		return
	}
	f.Limit, f.Offset = changePage, len(s.changes)
	s.more = true
	gen := s.gen
	// The current filter's context: a new filter cancels this page too.
	ctx := s.queryCtx
	backgroundIn(s.ui, ctx, "load more changes", func(ctx context.Context) ([]tracker.ChangeSummary, error) {
		return s.ui.svc.Changes(ctx, f)
	}, func(list []tracker.ChangeSummary) {
		if gen != s.gen {
			return
		}
		s.more = false
		s.changes = append(s.changes, list...)
		s.list.Refresh()
		s.showTotal()
	})
}

func (s *changesScreen) showTotal() {
	switch {
	case s.count == 0 && s.isUnfiltered():
		s.total.SetText("No changes yet. Changes appear after a document's second version: run a check (Ctrl+R) or import a dataset.")
	case s.count == 0:
		s.total.SetText("No change matches these filters. Widen them or press Reset filters.")
	case s.count < 0:
		s.total.SetText(fmt.Sprintf("Showing %d changes (counting…)", len(s.changes)))
	default:
		s.total.SetText(fmt.Sprintf("%s matching changes, newest first · %d loaded", thousands(s.count), len(s.changes)))
	}
}

func (s *changesScreen) isUnfiltered() bool {
	q := s.query()
	q.Period, q.Review = "", ""
	if q == (changeQuery{}) {
		return s.period.SelectedIndex() <= 0 && s.review.Selected == reviewAll
	}
	return false
}

// thousands formats n with thin separators: 100000 → "100,000".
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// showChange switches to the Changes tab and opens one change.
func (u *UI) showChange(id int64) {
	u.tabs.SelectIndex(tabChanges)
	for i, c := range u.changes.changes {
		if c.ID == id {
			u.changes.list.Select(i)
			u.changes.list.ScrollTo(i)
			return
		}
	}
	u.changes.list.UnselectAll()
	u.changes.detail.show(id)
}
