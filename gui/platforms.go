package gui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

const allPlatformCategories = "All categories"

// platformsScreen lists catalog, imported and custom platforms: search,
// track/untrack, add a custom document with a preview, each document's
// history (versions, verifications, failed checks), check now, re-extract.
type platformsScreen struct {
	ui          *UI
	search      *widget.Entry
	category    *widget.Select
	list        *widget.List
	all         []tracker.PlatformSummary
	shown       []tracker.PlatformSummary
	current     tracker.PlatformSummary
	addBtn      *widget.Button
	discoverBtn *widget.Button

	name     *widget.Label
	facts    *widget.Label
	track    *widget.Button
	checkBtn *widget.Button
	docList  *widget.List
	docs     []tracker.DocumentSummary
	docBox   *fyne.Container
	empty    *widget.Label

	doc        tracker.DocumentSummary
	docTitle   *widget.Label
	docTrack   *widget.Button
	docCheck   *widget.Button
	reExtract  *widget.Button
	selectors  *widget.Button
	history    *widget.RichText
	historyBox *fyne.Container

	// addForm is the open add/edit dialog's form (tests drive it).
	addForm *docForm
	// discover is the open discovery dialog's form (tests drive it).
	discover *discoverForm
	gen      int
}

func newPlatformsScreen(u *UI) *platformsScreen {
	s := &platformsScreen{ui: u}
	s.search = &widget.Entry{PlaceHolder: "Search platforms…", OnChanged: func(string) { s.applyFilter() }}
	s.category = &widget.Select{Options: []string{allPlatformCategories}, Selected: allPlatformCategories, OnChanged: func(string) { s.applyFilter() }}
	s.addBtn = widget.NewButtonWithIcon("Add custom document…", theme.ContentAddIcon(), s.onAddDocument)
	s.discoverBtn = widget.NewButtonWithIcon("Discover a site's documents…", theme.SearchIcon(), s.onDiscover)
	s.name = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	s.facts = wrapLabel("")
	s.track = widget.NewButtonWithIcon("Track", theme.VisibilityIcon(), s.onToggleTrack)
	s.checkBtn = widget.NewButtonWithIcon("Check now", theme.ViewRefreshIcon(), s.onCheckPlatform)
	s.empty = wrapLabel("Select a platform on the left to see its documents, or add a custom document. Tracked platforms are checked by Check now (Ctrl+R) and on the schedule set in Settings.")
	s.docTitle = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	s.docTrack = widget.NewButton("Track", s.onToggleDocument)
	s.docCheck = widget.NewButtonWithIcon("Check", theme.ViewRefreshIcon(), s.onCheckDocument)
	s.reExtract = widget.NewButtonWithIcon("Re-extract", theme.MediaReplayIcon(), s.onReExtract)
	s.selectors = widget.NewButtonWithIcon("Selectors…", theme.DocumentCreateIcon(), s.onEditSelectors)
	s.history = &widget.RichText{Wrapping: fyne.TextWrapWord}
	return s
}

func (s *platformsScreen) buildUI() fyne.CanvasObject {
	s.list = widget.NewList(func() int { return len(s.shown) }, newPlatformRow,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(s.shown) {
				setPlatformRow(o, s.shown[id])
			}
		})
	s.list.OnSelected = s.onSelect
	s.docList = widget.NewList(func() int { return len(s.docs) }, newDocRow,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(s.docs) {
				setDocRow(o, s.docs[id])
			}
		})
	s.docList.OnSelected = s.onSelectDocument
	left := container.NewBorder(container.NewVBox(s.addBtn, s.discoverBtn, s.search, s.category), nil, nil, nil, s.list)
	docActions := container.NewHBox(s.docTrack, s.docCheck, s.reExtract, s.selectors)
	s.historyBox = container.NewBorder(container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, docActions, s.docTitle)),
		nil, nil, nil, container.NewVScroll(s.history))
	s.historyBox.Hide()
	platHead := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(s.track, s.checkBtn), s.name), s.facts,
		heading("Documents"))
	docs := container.NewBorder(platHead, nil, nil, nil, s.docList)
	split := container.NewVSplit(docs, s.historyBox)
	split.Offset = 0.42
	s.docBox = container.NewStack(split)
	s.docBox.Hide()
	right := container.NewStack(container.NewPadded(container.NewVBox(s.empty)), s.docBox)
	main := container.NewHSplit(left, right)
	main.Offset = 0.3
	return main
}

func (s *platformsScreen) refresh() {
	s.gen++
	gen := s.gen
	background(s.ui, "load the platforms", func(ctx context.Context) ([]tracker.PlatformSummary, error) {
		return s.ui.svc.Platforms(ctx)
	}, func(list []tracker.PlatformSummary) {
		if gen != s.gen {
			return
		}
		s.all = list
		cats := map[string]bool{}
		for _, p := range list {
			cats[p.Category] = true
		}
		opts := []string{allPlatformCategories}
		for c := range cats {
			if c != "" {
				opts = append(opts, c)
			}
		}
		sort.Strings(opts[1:])
		s.category.Options = opts
		s.applyFilter()
		if s.current.Slug != "" {
			for _, p := range list {
				if p.Slug == s.current.Slug {
					s.showPlatform(p)
				}
			}
		}
	})
}

// applyFilter shows the platforms matching the search and category, tracked first.
func (s *platformsScreen) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Text))
	cat := s.category.Selected
	s.shown = s.shown[:0]
	for _, p := range s.all {
		if cat != allPlatformCategories && cat != "" && p.Category != cat {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(p.Name+" "+p.Slug+" "+p.Category+" "+p.Owner), q) {
			s.shown = append(s.shown, p)
		}
	}
	sort.SliceStable(s.shown, func(i, j int) bool { return (s.shown[i].Tracked > 0) && s.shown[j].Tracked == 0 })
	s.list.UnselectAll()
	s.list.Refresh()
}

func (s *platformsScreen) onSelect(id widget.ListItemID) {
	if id < len(s.shown) {
		s.showPlatform(s.shown[id])
	}
}

// showPlatform shows a platform's facts and documents.
func (s *platformsScreen) showPlatform(p tracker.PlatformSummary) {
	s.current = p
	s.empty.Hide()
	s.docBox.Show()
	s.name.SetText(p.Name)
	var facts []string
	if p.Owner != "" {
		facts = append(facts, "Operated by "+p.Owner)
	}
	facts = append(facts, "category "+p.Category)
	if p.EULeadAuthority != "" {
		facts = append(facts, "EU lead authority: "+p.EULeadAuthority)
	}
	if p.VLOP {
		facts = append(facts, "DSA very large online platform")
	}
	if p.Gatekeeper {
		facts = append(facts, "DMA gatekeeper")
	}
	if p.Custom {
		facts = append(facts, "added by you")
	}
	s.facts.SetText(strings.Join(facts, " · ") + ".")
	if p.Tracked > 0 {
		s.track.SetText("Untrack all")
	} else {
		s.track.SetText("Track all documents")
	}
	slug := p.Slug
	background(s.ui, "load the platform's documents", func(ctx context.Context) ([]tracker.DocumentSummary, error) {
		_, docs, err := s.ui.svc.Platform(ctx, slug)
		if err != nil {
			return nil, err
		}
		states, err := s.ui.svc.Documents(ctx, slug)
		if err != nil {
			return nil, err
		}
		byID := map[int64]tracker.DocumentSummary{}
		for _, d := range states {
			byID[d.ID] = d
		}
		var out []tracker.DocumentSummary
		for _, d := range docs {
			if st, ok := byID[d.ID]; ok {
				out = append(out, st)
			} else {
				out = append(out, tracker.DocumentSummary{Document: d, PlatformSlug: slug, PlatformName: p.Name})
			}
		}
		return out, nil
	}, func(docs []tracker.DocumentSummary) {
		if s.current.Slug != slug {
			return
		}
		// Tracked and archived documents first, then by kind.
		sort.SliceStable(docs, func(i, j int) bool {
			return (docs[i].Tracked || docs[i].Versions > 0) && !(docs[j].Tracked || docs[j].Versions > 0)
		})
		s.docs = docs
		s.docList.UnselectAll()
		s.docList.Refresh()
		s.historyBox.Hide()
		for i, d := range docs {
			if d.ID == s.doc.ID {
				s.docList.Select(i)
			}
		}
	})
}

func (s *platformsScreen) onToggleTrack() {
	p := s.current
	if p.Slug == "" {
		return
	}
	track := p.Tracked == 0
	background(s.ui, "change what is tracked", func(ctx context.Context) (int, error) {
		return s.ui.svc.SetTracked(ctx, p.Slug, track)
	}, func(int) { s.refresh(); s.ui.dashboard.refresh() })
}

func (s *platformsScreen) onCheckPlatform() {
	if s.current.Slug == "" {
		return
	}
	if s.current.Tracked == 0 {
		s.ui.inform("Not tracked", "Track "+s.current.Name+" first: checks fetch tracked documents only.")
		return
	}
	s.ui.checker.start(tracker.CheckOptions{Platforms: []string{s.current.Slug}}, s.current.Name)
}

func (s *platformsScreen) onSelectDocument(id widget.ListItemID) {
	if id >= len(s.docs) {
		return
	}
	d := s.docs[id]
	s.doc = d
	s.historyBox.Show()
	s.docTitle.SetText(documentLabel(d.Kind, d.Title) + " — " + orNone(d.URL))
	if d.Tracked {
		s.docTrack.SetText("Untrack")
	} else {
		s.docTrack.SetText("Track")
	}
	s.history.Segments = []widget.RichTextSegment{rtNote("Loading history…")}
	s.history.Refresh()
	docID := d.ID
	background(s.ui, "load the document's history", func(ctx context.Context) (tracker.History, error) {
		return s.ui.svc.DocumentHistory(ctx, docID)
	}, func(h tracker.History) {
		if s.doc.ID == docID {
			s.history.Segments = historySegments(h)
			s.history.Refresh()
		}
	})
}

// historySegments lists a document's versions and checks, newest first.
func historySegments(h tracker.History) []widget.RichTextSegment {
	type event struct {
		at   string
		segs []*widget.TextSegment
	}
	var evs []event
	for _, v := range h.Versions {
		line := fmt.Sprintf("new version #%d archived (%s; %s bytes of text, sha256 %s…", v.ID, v.Provenance(), thousands(v.Bytes), shortHash(v.SHA256))
		if v.StatedDate != "" {
			line += ", states " + v.StatedDate
		}
		line += ")"
		evs = append(evs, event{v.FetchedAt.Local().Format("2006-01-02 15:04"), []*widget.TextSegment{
			rtInline("VERSION ", fyne.TextStyle{Bold: true}, theme.ColorNameSuccess), rtInline(line, fyne.TextStyle{}, "")}})
	}
	for _, c := range h.Checks {
		switch c.Status {
		case tracker.CheckFailed:
			msg := "check failed: " + orDefault(c.Reason, "unknown reason")
			if c.HTTPStatus != 0 {
				msg += fmt.Sprintf(" (HTTP %d)", c.HTTPStatus)
			}
			if c.Detail != "" {
				msg += " — " + c.Detail
			}
			evs = append(evs, event{c.At.Local().Format("2006-01-02 15:04"), []*widget.TextSegment{
				rtInline("FAILED ", fyne.TextStyle{Bold: true}, theme.ColorNameError), rtInline(msg, fyne.TextStyle{}, "")}})
		case tracker.CheckUnchanged:
			evs = append(evs, event{c.At.Local().Format("2006-01-02 15:04"), []*widget.TextSegment{
				rtInline("VERIFIED ", fyne.TextStyle{Bold: true}, theme.ColorNamePlaceHolder),
				rtInline("unchanged since the latest version (sha256 "+shortHash(c.SHA256)+"…)", fyne.TextStyle{}, "")}})
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at > evs[j].at })
	var out []widget.RichTextSegment
	out = append(out, rtHeading(fmt.Sprintf("History: %d versions, %d checks", len(h.Versions), len(h.Checks))))
	if c := h.Document.Churn; c != nil {
		msg := "This page changes on every request (" + strings.Join(c.Spans, "; ") + "), so those changes are not archived."
		if c.SuggestRemove != "" {
			msg += " Add “" + c.SuggestRemove + "” to its Remove selectors (Selectors…) to leave that part out."
		}
		out = append(out, rtNote(msg))
	}
	if len(evs) == 0 {
		out = append(out, rtNote("Never checked. Track the document and press Check to archive its first version."))
	}
	for i, e := range evs {
		if i == 400 {
			out = append(out, rtNote(fmt.Sprintf("… %d older events (the CLI's `policywatch history %d` lists them all).", len(evs)-400, h.Document.ID)))
			break
		}
		segs := append([]*widget.TextSegment{rtInline(e.at+"  ", fyne.TextStyle{Monospace: true}, "")}, e.segs...)
		out = append(out, rtLine(segs...)...)
	}
	return out
}

func (s *platformsScreen) onToggleDocument() {
	d := s.doc
	if d.ID == 0 {
		return
	}
	if !d.Tracked && d.URL == "" {
		s.ui.inform("No address", "This document has no URL to check. Add it as a custom document with its address.")
		return
	}
	background(s.ui, "change what is tracked", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.ui.svc.SetDocumentTracked(ctx, d.ID, !d.Tracked)
	}, func(struct{}) { s.refresh() })
}

func (s *platformsScreen) onCheckDocument() {
	if s.doc.ID == 0 {
		return
	}
	s.ui.checker.start(tracker.CheckOptions{DocumentIDs: []int64{s.doc.ID}},
		s.doc.PlatformName+" "+strings.ToLower(tracker.KindTitle(s.doc.Kind)))
}

// onReExtract re-extracts the latest archived bytes with the current selectors.
func (s *platformsScreen) onReExtract() {
	d := s.doc
	if d.ID == 0 {
		return
	}
	if d.Versions == 0 {
		s.ui.inform("Nothing to re-extract", "This document has no archived version yet. Check it first.")
		return
	}
	type out struct {
		ev     tracker.CheckEvent
		change int64
	}
	task(s.ui, s.ui.ctx, func(ctx context.Context) (out, error) {
		ev, change, err := s.ui.svc.ReExtract(ctx, d.ID)
		return out{ev, change}, err
	}, func(o out, err error) {
		if err != nil {
			if errors.Is(err, tracker.ErrNoRawBytes) {
				s.ui.inform("Nothing to re-extract", "The latest version was imported as text, without the page as served; re-extracting needs a version fetched by a check.")
				return
			}
			s.ui.showError("re-extract the document", err)
			return
		}
		if o.ev.Status == tracker.CheckUnchanged {
			s.ui.inform("Same text", "Re-extracting with the current selectors gives the same text as the latest version; nothing was added.")
		} else {
			s.ui.inform("New version", fmt.Sprintf("The selectors now extract different text: version #%d was archived and analysed as change #%d.", o.ev.VersionID, o.change))
		}
		s.ui.Refresh()
	})
}

// onEditSelectors edits the selected document's selectors with a preview.
func (s *platformsScreen) onEditSelectors() {
	d := s.doc
	if d.ID == 0 {
		return
	}
	f := newDocForm(s.ui, nil)
	f.editID = d.ID
	f.platform.SetText(d.PlatformName)
	f.platform.Disable()
	f.url.SetText(d.URL)
	f.url.Disable()
	f.kind.SetSelected(tracker.KindTitle(d.Kind))
	f.kind.Disable()
	f.selectCSS.SetText(d.Select)
	f.removeCSS.SetText(d.Remove)
	f.render.SetSelectedIndex(renderIndex(d.Render))
	f.saveBtn.SetText("Save settings")
	f.saved = func(int64) {
		s.ui.inform("Settings saved", "The next check captures the page in full with the new settings. Press Re-extract to apply new selectors to the archived page now.")
		s.refresh()
	}
	s.addForm = f
	f.show("Selectors of " + d.PlatformName + " " + strings.ToLower(tracker.KindTitle(d.Kind)))
}

// onAddDocument opens the add-document form.
func (s *platformsScreen) onAddDocument() {
	var names []string
	for _, p := range s.all {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	f := newDocForm(s.ui, names)
	if s.current.Name != "" {
		f.platform.SetText(s.current.Name)
	}
	f.saved = func(id int64) {
		s.ui.inform("Document added", "The document is tracked. Press Check now (Ctrl+R) to archive its first version.")
		s.refresh()
		s.ui.dashboard.refresh()
	}
	s.addForm = f
	f.show("Add a custom document")
}

// onDiscover opens the discovery form.
func (s *platformsScreen) onDiscover() {
	f := newDiscoverForm(s.ui)
	f.added = func(ids []int64) {
		s.ui.inform("Documents added", fmt.Sprintf("%d document(s) are tracked. Press Check now (Ctrl+R) to archive their first versions.", len(ids)))
		s.refresh()
		s.ui.dashboard.refresh()
	}
	s.discover = f
	f.show()
}

func orNone(s string) string {
	if s == "" {
		return "no URL"
	}
	return s
}

// newPlatformRow makes a platform row, its tracking badge on the right.
func newPlatformRow() fyne.CanvasObject { return newBadgeRow(74, true, true) }

func setPlatformRow(o fyne.CanvasObject, p tracker.PlatformSummary) {
	r := o.(*badgeRow)
	r.title.SetText(p.Name)
	r.sub.SetText(fmt.Sprintf("%s · %d document(s) · %s versions", p.Category, p.Documents, thousands(p.Versions)))
	if p.Tracked > 0 {
		r.badge.setText("TRACKED", colorOK, exposureInk(tracker.ExposureHigh))
	} else {
		r.badge.setText("NOT TRACKED", colorEmpty, theme.Color(theme.ColorNameForeground))
	}
}

// newDocRow makes a document row, its state badge on the left.
func newDocRow() fyne.CanvasObject { return newBadgeRow(74, false, true) }

func setDocRow(o fyne.CanvasObject, d tracker.DocumentSummary) {
	r := o.(*badgeRow)
	r.title.SetText(documentLabel(d.Kind, d.Title) + " — " + orNone(d.URL))
	last := "never checked"
	if c := d.LastCheck; c != nil {
		last = "last check " + c.At.Local().Format("2006-01-02 15:04") + ": " + eventWord(*c)
	}
	state := "not tracked"
	if d.Tracked {
		state = "tracked"
	}
	r.sub.SetText(fmt.Sprintf("%s · %d version(s) · %s", state, d.Versions, last))
	switch {
	case d.LastCheck != nil && d.LastCheck.Status == tracker.CheckFailed:
		r.badge.setText("FAILED", colorHigh, exposureInk(tracker.ExposureHigh))
	case d.Tracked:
		r.badge.setText("TRACKED", colorOK, exposureInk(tracker.ExposureHigh))
	default:
		r.badge.setText("OFF", colorEmpty, theme.Color(theme.ColorNameForeground))
	}
}
