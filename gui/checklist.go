package gui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/report"
	"policywatch/report/record"
	"policywatch/tracker"
)

// checklistLimit caps the items one load reads.
const checklistLimit = 5000

// Checklist filter and sort choices.
const (
	statusOpenOrProgress = "Open or in progress"
	statusAny            = "Any status"
	sortDue              = "Sort by due date"
	sortExposure         = "Sort by exposure"
	sortPlatform         = "Sort by platform"
	sortUpdated          = "Sort by last update"
)

// checklistScreen lists every due-diligence item with inline editing of
// status, owner, due date and note; every edit is audit-logged by the service.
type checklistScreen struct {
	ui       *UI
	status   *widget.Select
	platform *widget.Select
	overdue  *widget.Check
	sortBy   *widget.Select
	header   *widget.Label
	list     *widget.List
	all      []tracker.ChecklistRow
	items    []tracker.ChecklistRow
	slugs    map[string]string
	// editBase is the version each item had when the user entered one of
	// its fields; saving holds the edits of an item waiting for its save.
	editBase map[int64]int64
	saving   map[int64][]pendingEdit
	gen      int
	detail   *widget.Label
	openBtn  *widget.Button
	// importBtn reads back the edits a team made in an exported workbook.
	importBtn *widget.Button
	// lastImport says what the last import did (for the user and tests).
	lastImport string
	selected   tracker.ChecklistRow
}

func newChecklistScreen(u *UI) *checklistScreen {
	s := &checklistScreen{ui: u, header: widget.NewLabel("Loading checklist…"), slugs: map[string]string{},
		editBase: map[int64]int64{}, saving: map[int64][]pendingEdit{},
		detail: wrapLabel("Select an item to read it in full with its evidence reference.")}
	s.openBtn = widget.NewButtonWithIcon("Open the change", theme.NavigateNextIcon(), func() {
		if s.selected.ChangeID != 0 {
			u.showChange(s.selected.ChangeID)
		}
	})
	s.openBtn.Disable()
	s.importBtn = widget.NewButtonWithIcon("Import edits from Excel…", theme.UploadIcon(), s.onImport)
	s.status = &widget.Select{Options: append([]string{statusOpenOrProgress, statusAny}, statusTitles()...),
		Selected: statusOpenOrProgress, OnChanged: func(string) { s.refresh() }}
	s.platform = &widget.Select{Options: []string{allPlatforms}, Selected: allPlatforms, OnChanged: func(string) { s.refresh() }}
	s.overdue = &widget.Check{Text: "Overdue only", OnChanged: func(bool) { s.applyFilter() }}
	s.sortBy = &widget.Select{Options: []string{sortDue, sortExposure, sortPlatform, sortUpdated}, Selected: sortDue,
		OnChanged: func(string) { s.applyFilter() }}
	return s
}

func (s *checklistScreen) buildUI() fyne.CanvasObject {
	s.list = widget.NewList(func() int { return len(s.items) }, s.newRow, s.updateRow)
	s.list.OnSelected = s.onSelect
	cols := container.NewBorder(nil, nil, fixedWidth(86, widget.NewLabel("")), container.NewHBox(
		fixedWidth(150, heading("Status")), fixedWidth(250, heading("Owner")), fixedWidth(120, heading("Due")), fixedWidth(200, heading("Note"))),
		heading("Item"))
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(s.overdue, fixedWidth(190, s.sortBy), s.importBtn),
		container.NewGridWithColumns(2, s.status, s.platform))
	hint := &widget.Label{Text: "Edit owner, due date (YYYY-MM-DD) and note in place, then press Enter or move on: each change is saved and written to the audit log.",
		SizeName: theme.SizeNameCaptionText, Wrapping: fyne.TextWrapWord}
	bottom := container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, vcenter(s.openBtn), s.detail))
	return container.NewBorder(container.NewVBox(bar, s.header, hint, cols), bottom, nil, nil, s.list)
}

// onSelect shows the item in full under the list.
func (s *checklistScreen) onSelect(id widget.ListItemID) {
	if id >= len(s.items) {
		return
	}
	it := s.items[id]
	s.selected = it
	s.openBtn.Enable()
	text := fmt.Sprintf("%s\n%s %s · %s · %s exposure · status %s · due %s · owner %s · evidence: %s", it.Text, it.PlatformName,
		strings.ToLower(tracker.KindTitle(it.Kind)), record.CategoryName(s.ui.svc.Rules(), it.Category), it.Exposure, strings.ToLower(statusTitle(it.Status)),
		orDefault(it.DueDate, "not set"), orDefault(it.Owner, "unassigned"), orDefault(it.EvidenceRef, "none"))
	if it.Note != "" {
		text += "\nNote: " + it.Note
	}
	s.detail.SetText(text)
}

// filter is the store filter for the current status and platform choice.
func (s *checklistScreen) filter() tracker.ChecklistFilter {
	f := tracker.ChecklistFilter{Limit: checklistLimit, PlatformSlug: s.slugs[s.platform.Selected]}
	switch s.status.Selected {
	case statusOpenOrProgress:
		f.OpenOnly = true
	case statusAny:
	default:
		f.Status = statusFromTitle(s.status.Selected)
	}
	return f
}

func (s *checklistScreen) refresh() {
	s.gen++
	gen := s.gen
	f := s.filter()
	type data struct {
		items     []tracker.ChecklistRow
		platforms []tracker.PlatformSummary
	}
	background(s.ui, "load the checklist", func(ctx context.Context) (data, error) {
		var d data
		var err error
		if d.items, err = s.ui.svc.Checklist(ctx, f); err != nil {
			return d, err
		}
		d.platforms, err = s.ui.svc.Platforms(ctx)
		return d, err
	}, func(d data) {
		if gen != s.gen {
			return
		}
		opts := []string{allPlatforms}
		for _, p := range d.platforms {
			if p.Versions > 0 {
				s.slugs[p.Name] = p.Slug
				opts = append(opts, p.Name)
			}
		}
		s.platform.Options = opts
		s.all = d.items
		s.applyFilter()
	})
}

// applyFilter applies the overdue filter and the sort to the loaded items.
func (s *checklistScreen) applyFilter() {
	today := s.ui.today()
	s.items = s.items[:0]
	overdue := 0
	for _, it := range s.all {
		od := isOverdue(it.ChecklistItem, today)
		if od {
			overdue++
		}
		if s.overdue.Checked && !od {
			continue
		}
		s.items = append(s.items, it)
	}
	less := map[string]func(a, b tracker.ChecklistRow) bool{
		sortDue: func(a, b tracker.ChecklistRow) bool {
			if (a.DueDate == "") != (b.DueDate == "") {
				return b.DueDate == ""
			}
			return a.DueDate < b.DueDate
		},
		sortExposure: func(a, b tracker.ChecklistRow) bool {
			return tracker.ExposureRank(a.Exposure) > tracker.ExposureRank(b.Exposure)
		},
		sortPlatform: func(a, b tracker.ChecklistRow) bool {
			return strings.ToLower(a.PlatformName) < strings.ToLower(b.PlatformName)
		},
		sortUpdated: func(a, b tracker.ChecklistRow) bool { return a.UpdatedAt.After(b.UpdatedAt) },
	}[s.sortBy.Selected]
	if less != nil {
		sort.SliceStable(s.items, func(i, j int) bool { return less(s.items[i], s.items[j]) })
	}
	switch {
	case len(s.all) == 0 && s.status.Selected == statusOpenOrProgress && s.platform.Selected == allPlatforms:
		s.header.SetText("No open checklist items. Items are generated for every change with findings; run a check or import a dataset to get some.")
	case len(s.items) == 0:
		s.header.SetText("No item matches these filters.")
	default:
		more := ""
		if len(s.all) == checklistLimit {
			more = fmt.Sprintf(" (the first %d; narrow the filters to see others)", checklistLimit)
		}
		s.header.SetText(fmt.Sprintf("%d items shown%s · %d overdue", len(s.items), more, overdue))
	}
	s.list.Refresh()
}

// checklistRow is an editable list row.
type checklistRow struct {
	widget.BaseWidget
	id      int64
	badge   *badge
	text    *widget.Label
	meta    *widget.Label
	status  *widget.Select
	owner   *commitEntry
	due     *commitEntry
	note    *commitEntry
	content fyne.CanvasObject
}

// CreateRenderer draws the row.
func (r *checklistRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(r.content)
}

func (s *checklistScreen) newRow() fyne.CanvasObject {
	r := &checklistRow{badge: newBadge(78),
		text:   &widget.Label{Text: "item", Truncation: fyne.TextTruncateEllipsis},
		meta:   &widget.Label{Text: "meta", Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText},
		status: widget.NewSelect(statusTitles(), nil),
		owner:  newCommitEntry("Owner"), due: newCommitEntry("YYYY-MM-DD"), note: newCommitEntry("Note"),
	}
	for _, e := range []*commitEntry{r.owner, r.due, r.note} {
		e.onFocus = func() { s.editBase[r.id] = s.versionOf(r.id) }
	}
	r.owner.onCommit = func(v string) { s.update(r.id, tracker.ChecklistUpdate{Owner: &v, Version: s.baseOf(r.id)}, nil) }
	r.note.onCommit = func(v string) { s.update(r.id, tracker.ChecklistUpdate{Note: &v, Version: s.baseOf(r.id)}, nil) }
	r.due.onCommit = func(v string) {
		v = strings.TrimSpace(v)
		if _, err := parseDay(v, "Due date"); err != nil {
			s.ui.showError("save the due date", err)
			return
		}
		s.update(r.id, tracker.ChecklistUpdate{DueDate: &v, Version: s.baseOf(r.id)}, nil)
	}
	editors := container.NewHBox(fixedWidth(150, r.status), fixedWidth(250, r.owner), fixedWidth(120, r.due), fixedWidth(200, r.note))
	r.content = container.NewBorder(nil, nil, vcenter(r.badge.box), vcenter(editors), container.New(&tightVBox{}, r.text, r.meta))
	r.ExtendBaseWidget(r)
	return r
}

func (s *checklistScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.items) {
		return
	}
	it := s.items[id]
	r := o.(*checklistRow)
	// While the user types in this row, a reload (another desktop's edit
	// arriving) leaves the editors alone; saving then meets the newer edit
	// as a conflict (the edit keeps the version it started from), not over it.
	editing := r.id == it.ID && r.editing()
	r.id = it.ID
	today := s.ui.today()
	switch {
	case isOverdue(it.ChecklistItem, today):
		r.badge.setText("OVERDUE", colorHigh, exposureInk(tracker.ExposureHigh))
	default:
		r.badge.set(it.Exposure)
	}
	r.text.SetText(it.Text)
	r.meta.SetText(fmt.Sprintf("%s %s · %s · change #%d of %s · %s exposure", it.PlatformName,
		strings.ToLower(tracker.KindTitle(it.Kind)), record.CategoryName(s.ui.svc.Rules(), it.Category), it.ChangeID, it.DetectedAt.Local().Format("2006-01-02"), it.Exposure))
	if editing {
		return
	}
	r.status.OnChanged = nil
	r.status.SetSelected(statusTitle(it.Status))
	itemID := it.ID
	r.status.OnChanged = func(title string) {
		status := statusFromTitle(title)
		s.update(itemID, tracker.ChecklistUpdate{Status: &status, Version: s.versionOf(itemID)}, nil)
	}
	r.owner.set(it.Owner)
	r.due.set(it.DueDate)
	r.note.set(it.Note)
}

// versionOf is the version of an item as the screen shows it.
func (s *checklistScreen) versionOf(id int64) int64 {
	for _, it := range s.all {
		if it.ID == id {
			return it.Version
		}
	}
	return 0
}

// baseOf is the version an edit of item id starts from: the one shown when
// the user entered the field (a newer one may have arrived since).
func (s *checklistScreen) baseOf(id int64) int64 {
	if v, ok := s.editBase[id]; ok {
		return v
	}
	return s.versionOf(id)
}

// editing reports whether the user is typing in one of the row's editors.
func (r *checklistRow) editing() bool {
	return r.owner.dirty() || r.due.dirty() || r.note.dirty()
}

// update saves one item's edit through the service (audit-logged) and
// shows the saved item; after, if set, gets the item as it now stands.
// Edits of one item are saved one after the other: an edit made while the
// one before it is being saved goes next, on top of it. When someone else
// changed the item since the screen showed it, nothing is saved: the rows
// (and after) get their edit, and a dialog says who made it.
func (s *checklistScreen) update(id int64, upd tracker.ChecklistUpdate, after func(tracker.ChecklistItem)) {
	if id == 0 {
		return
	}
	if queue, busy := s.saving[id]; busy {
		s.saving[id] = append(queue, pendingEdit{upd, after})
		return
	}
	s.saving[id] = nil
	task(s.ui, s.ui.ctx, func(ctx context.Context) (tracker.ChecklistItem, error) {
		return s.ui.svc.UpdateChecklistItem(ctx, id, upd)
	}, func(saved tracker.ChecklistItem, err error) {
		queued := s.saving[id]
		delete(s.saving, id)
		var conflict *tracker.ConflictError
		if errors.As(err, &conflict) {
			saved = conflict.Item
		} else if err != nil {
			s.ui.showError("save the checklist item", err)
			return
		}
		// The user has now seen this state: an edit still in progress in
		// the row starts from it (their own save, or the newer one shown).
		if _, ok := s.editBase[id]; ok {
			s.editBase[id] = saved.Version
		}
		s.show(saved)
		if after != nil {
			after(saved)
		}
		if conflict != nil {
			// Edits queued behind the refused one started from the same
			// stale item: the dialog asks for them again.
			s.ui.showError("save the checklist item", conflict)
			return
		}
		for _, q := range queued {
			if q.upd.Version == upd.Version {
				q.upd.Version = saved.Version // made on top of the edit just saved
			}
			s.update(id, q.upd, q.after)
		}
	})
}

// pendingEdit is an edit waiting for the save of the one before it.
type pendingEdit struct {
	upd   tracker.ChecklistUpdate
	after func(tracker.ChecklistItem)
}

// show puts an item as saved into the list's rows.
func (s *checklistScreen) show(saved tracker.ChecklistItem) {
	for i := range s.all {
		if s.all[i].ID == saved.ID {
			s.all[i].ChecklistItem = saved
		}
	}
	for i := range s.items {
		if s.items[i].ID == saved.ID {
			s.items[i].ChecklistItem = saved
			s.list.RefreshItem(i)
		}
	}
}

// today is the service clock's date, YYYY-MM-DD (local time).
func (u *UI) today() string { return u.svc.Now().Local().Format("2006-01-02") }

// commitEntry is an entry that reports its text when the user presses
// Enter or leaves the field, if the text changed.
type commitEntry struct {
	widget.Entry
	saved    string
	focused  bool
	onFocus  func()
	onCommit func(string)
}

func newCommitEntry(placeholder string) *commitEntry {
	e := &commitEntry{}
	e.PlaceHolder = placeholder
	e.ExtendBaseWidget(e)
	e.OnSubmitted = func(string) { e.commit() }
	return e
}

// set shows a saved value without committing it.
func (e *commitEntry) set(v string) {
	e.saved = v
	e.SetText(v)
}

// FocusGained notes that the user is in the field.
func (e *commitEntry) FocusGained() {
	e.focused = true
	if e.onFocus != nil {
		e.onFocus()
	}
	e.Entry.FocusGained()
}

// FocusLost commits the edit.
func (e *commitEntry) FocusLost() {
	e.focused = false
	e.Entry.FocusLost()
	e.commit()
}

// dirty reports whether the user is in the field with text not yet saved.
func (e *commitEntry) dirty() bool { return e.focused && e.Text != e.saved }

func (e *commitEntry) commit() {
	if e.Text == e.saved || e.onCommit == nil {
		return
	}
	e.saved = e.Text
	e.onCommit(e.Text)
}

// onImport asks for a workbook exported from Reports and edited by a team,
// then imports its checklist edits.
func (s *checklistScreen) onImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		s.importFrom(path)
	}, s.ui.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// importFrom applies the status, owner, due date and note edited in the
// workbook at path: every row or none. Conflicts with edits made in the app
// since the export, and invalid values, are listed by row.
func (s *checklistScreen) importFrom(path string) {
	s.importBtn.Disable()
	task(s.ui, s.ui.ctx, func(ctx context.Context) (tracker.ChecklistImport, error) {
		edits, err := report.ReadChecklistEdits(path)
		if err != nil {
			return tracker.ChecklistImport{}, inputError(sentence(err.Error()) + ".")
		}
		return s.ui.svc.ImportChecklist(ctx, filepath.Base(path), edits)
	}, func(res tracker.ChecklistImport, err error) {
		s.importBtn.Enable()
		var ie *tracker.ChecklistImportError
		switch {
		case errors.As(err, &ie):
			var lines []string
			for i, p := range ie.Problems {
				if i == 12 {
					lines = append(lines, fmt.Sprintf("… and %d more.", len(ie.Problems)-12))
					break
				}
				kind := ""
				if p.Conflict {
					kind = " (changed in the app since the export)"
				}
				lines = append(lines, fmt.Sprintf("Row %d, item %d%s: %s.", p.Row, p.ID, kind, sentence(p.Problem)))
			}
			s.lastImport = "Nothing imported: " + strings.Join(lines, " ")
			s.ui.inform("Nothing imported", "No edit was saved: fix these rows in the workbook (or export it again) and import it again.\n\n"+strings.Join(lines, "\n"))
		case err != nil:
			s.lastImport = ""
			s.ui.showError("import the checklist edits", err)
		default:
			s.lastImport = fmt.Sprintf("Imported %s: %d item(s) updated, %d unchanged.", filepath.Base(path), res.Updated, res.Unchanged)
			s.header.SetText(s.lastImport)
			s.refresh()
		}
	})
}
