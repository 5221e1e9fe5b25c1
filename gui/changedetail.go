package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/report/record"
	"policywatch/tracker"
)

// changeDetail shows one change: its analysis record, its word-level diff,
// its checklist, and a comparison of any two versions of its document.
type changeDetail struct {
	ui  *UI
	cur tracker.ChangeDetail
	gen int

	badge  *badge
	title  *widget.Label
	meta   *widget.Label
	review *widget.Button
	undo   *widget.Button // withdraws a review (a new log entry)
	tabs   *container.AppTabs
	// view is the open change's record as every renderer shows it.
	view *record.Record
	// analysis shows the record's sections; diff its changed passages,
	// both made lazily (long changes have thousands of passages).
	analysis *blockList
	diff     *blockList
	// passages are the diff's blocks before the quoted-only filter;
	// position says which passage navigation is on.
	passages    []block
	flaggedOnly *widget.Check
	prevBtn     *widget.Button
	nextBtn     *widget.Button
	position    *widget.Label
	at          int // index in diff.blocks of the passage navigated to, -1 before
	items       *fyne.Container
	// pendingItems are the checklist rows to show when the tab opens.
	pendingItems []tracker.ChecklistRow
	itemsShown   bool

	versions   []tracker.VersionInfo
	fromSel    *widget.Select
	toSel      *widget.Select
	compareBtn *widget.Button
	compareOut *blockList

	empty *widget.Label
	body  *fyne.Container
	stack *fyne.Container
}

func newChangeDetail(u *UI) *changeDetail {
	d := &changeDetail{ui: u, badge: newBadge(76),
		title:      &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameSubHeadingText},
		meta:       wrapLabel(""),
		analysis:   newBlockList(u),
		diff:       newBlockList(u),
		compareOut: newBlockList(u),
		position:   &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		at:         -1,
		items:      container.NewVBox(),
		empty:      wrapLabel("Select a change on the left to read its analysis, the changed text and its checklist."),
	}
	d.review = widget.NewButtonWithIcon("Mark reviewed", theme.ConfirmIcon(), d.onMarkReviewed)
	d.review.Importance = widget.HighImportance
	d.undo = widget.NewButtonWithIcon("Undo review", theme.ContentUndoIcon(), d.onUndoReview)
	d.undo.Hide()
	d.fromSel = &widget.Select{PlaceHolder: "Older version"}
	d.toSel = &widget.Select{PlaceHolder: "Newer version"}
	d.compareBtn = widget.NewButtonWithIcon("Compare", theme.SearchReplaceIcon(), d.onCompare)
	d.prevBtn = widget.NewButtonWithIcon("Previous change", theme.NavigateBackIcon(), func() { d.step(-1) })
	d.nextBtn = widget.NewButtonWithIcon("Next change", theme.NavigateNextIcon(), func() { d.step(1) })
	d.nextBtn.IconPlacement = widget.ButtonIconTrailingText
	d.flaggedOnly = &widget.Check{Text: "Quoted by findings only", OnChanged: func(bool) { d.showPassages() }}
	return d
}

func (d *changeDetail) buildUI() fyne.CanvasObject {
	compareBar := container.NewBorder(nil, nil, widget.NewLabel("From"), d.compareBtn,
		container.NewGridWithColumns(3, d.fromSel, container.NewCenter(widget.NewLabel("to")), d.toSel))
	nav := container.NewBorder(nil, nil, container.NewHBox(d.prevBtn, d.nextBtn), d.flaggedOnly, d.position)
	defer func() {
		// a tab's content is made when first shown: laid out while hidden it
		// would have no width to wrap its text at
		d.tabs.OnSelected = func(*container.TabItem) {
			switch d.tabs.SelectedIndex() {
			case tabItems:
				d.showItems()
			case tabDiff:
				d.diff.fill(len(d.diff.blocks))
			}
		}
	}()
	d.tabs = container.NewAppTabs(
		container.NewTabItem("Analysis", d.analysis.scroll),
		container.NewTabItem("Changed text", container.NewBorder(nav, nil, nil, nil, d.diff.scroll)),
		container.NewTabItem("Checklist", container.NewVScroll(d.items)),
		container.NewTabItem("Compare versions", container.NewBorder(compareBar, nil, nil, nil, d.compareOut.scroll)),
	)
	head := container.NewVBox(
		container.NewBorder(nil, nil, vcenter(d.badge.box), container.NewHBox(d.undo, d.review), d.title),
		d.meta)
	d.body = container.NewBorder(head, nil, nil, nil, d.tabs)
	d.body.Hide()
	d.stack = container.NewStack(container.NewPadded(container.NewVBox(d.empty)), d.body)
	return d.stack
}

// detailData is what opening a change reads and prepares off the UI
// goroutine: the change, its document's versions, and its record rendered
// into blocks (rich-text segments, not yet widgets).
type detailData struct {
	detail   tracker.ChangeDetail
	versions []tracker.VersionInfo
	view     *record.Record
	analysis []block
	passages []block
}

// show loads and shows change id: the header, analysis and diff as soon as
// the change is read, then the comparison with other platforms, which reads
// their documents, in a second step.
func (d *changeDetail) show(id int64) {
	d.gen++
	gen := d.gen
	rules, today := d.ui.svc.Rules(), d.ui.today()
	background(d.ui, "open the change", func(ctx context.Context) (detailData, error) {
		var out detailData
		var err error
		if out.detail, err = d.ui.svc.Change(ctx, id); err != nil {
			return out, err
		}
		h, err := d.ui.svc.DocumentHistory(ctx, out.detail.DocumentID)
		if err != nil {
			return out, err
		}
		out.versions = h.Versions
		out.view = record.Build(out.detail.Record, record.Input{Rules: rules, Checklist: out.detail.Checklist, Today: today})
		out.analysis = recordBlocks(out.view, true)
		out.passages = passageBlocks(out.view)
		return out, nil
	}, func(v detailData) {
		if gen != d.gen {
			return
		}
		d.render(v)
		d.loadOthers(gen, id, v)
	})
}

// loadOthers reads how other tracked platforms handle the change's
// categories and shows it in the record's last section.
func (d *changeDetail) loadOthers(gen int, id int64, v detailData) {
	if len(v.view.Findings) == 0 {
		return
	}
	rules, today := d.ui.svc.Rules(), d.ui.today()
	background(d.ui, "compare with other platforms", func(ctx context.Context) ([]block, error) {
		others, err := d.ui.svc.Comparables(ctx, id, 2)
		if err != nil {
			return nil, err
		}
		view := record.Build(v.detail.Record, record.Input{Rules: rules, Checklist: v.detail.Checklist, Today: today,
			Others: others, OthersPerCategory: peersPerCategory})
		var out []block
		for _, b := range recordBlocks(view, true) {
			if b.section == record.SectionOthers {
				out = append(out, b)
			}
		}
		return out, nil
	}, func(blocks []block) {
		if gen == d.gen && len(blocks) == 1 {
			d.analysis.replaceSection(record.SectionOthers, blocks[0])
		}
	})
}

// peersPerCategory caps the platforms quoted per category.
const peersPerCategory = 4

func (d *changeDetail) render(v detailData) {
	c := v.detail
	d.cur = c
	d.empty.Hide()
	d.body.Show()
	if c.Substantive {
		d.badge.set(c.Exposure)
	} else {
		d.badge.setText("COSMETIC", colorNone, exposureInk(tracker.ExposureNone))
	}
	d.title.SetText(c.PlatformName + " — " + tracker.KindTitle(c.Kind))
	// Keep the list's row in step with the archive (after Mark reviewed).
	if s := d.ui.changes; s.list != nil {
		for i := range s.changes {
			if s.changes[i].ID == c.ID && !s.changes[i].ReviewedAt.Equal(c.ReviewedAt) {
				s.changes[i].ReviewedAt, s.changes[i].ReviewedBy = c.ReviewedAt, c.ReviewedBy
				s.list.RefreshItem(i)
			}
		}
	}
	review := "Not reviewed yet."
	if !c.ReviewedAt.IsZero() {
		review = fmt.Sprintf("Reviewed by %s on %s.", c.ReviewedBy, c.ReviewedAt.Local().Format("2006-01-02 15:04"))
		if c.ReviewNote != "" {
			review += " Note: " + c.ReviewNote
		}
		d.review.Disable()
		d.review.SetText("Reviewed")
		d.undo.Enable()
		d.undo.Show()
	} else {
		d.review.Enable()
		d.review.SetText("Mark reviewed")
		d.undo.Hide()
	}
	d.meta.SetText(fmt.Sprintf("Change #%d detected %s · version #%d (%s, sha256 %s…) to #%d (%s, sha256 %s…) · +%d / -%d words · %s",
		c.ID, c.DetectedAt.Local().Format("2006-01-02 15:04"), c.From.ID, c.From.FetchedAt.Local().Format("2006-01-02"),
		shortHash(c.From.SHA256), c.To.ID, c.To.FetchedAt.Local().Format("2006-01-02"), shortHash(c.To.SHA256),
		c.AddedWords, c.RemovedWords, review))
	d.view = v.view
	d.analysis.set(v.analysis)
	d.passages = v.passages
	// The diff and the checklist in UI callbacks of their own, so that no
	// one callback holds the window long.
	gen := d.gen
	later(d.ui, func() {
		if gen == d.gen {
			d.showPassages()
		}
	})
	d.itemsShown = false
	d.pendingItems = c.Checklist
	if d.tabs.SelectedIndex() == tabItems {
		later(d.ui, func() {
			if gen == d.gen {
				d.showItems()
			}
		})
	}
	d.versions = v.versions
	var opts []string
	for _, ver := range v.versions {
		opts = append(opts, versionLabel(ver))
	}
	d.fromSel.Options, d.toSel.Options = opts, opts
	for i, ver := range v.versions {
		if ver.ID == c.From.ID {
			d.fromSel.SetSelectedIndex(i)
		}
		if ver.ID == c.To.ID {
			d.toSel.SetSelectedIndex(i)
		}
	}
	d.compareOut.set([]block{richBlock([]widget.RichTextSegment{rtNote(fmt.Sprintf(
		"This document has %d archived versions. Pick any two and press Compare to analyse the difference between them (nothing is stored).", len(v.versions)))}, -1)})
}

// showPassages shows the diff's passages, all or those findings quote.
func (d *changeDetail) showPassages() {
	blocks := d.passages
	if d.flaggedOnly.Checked && d.view != nil {
		blocks = nil
		for _, b := range d.passages {
			if b.passage >= 0 && d.view.Passages[b.passage].Flagged {
				blocks = append(blocks, b)
			}
		}
		if len(blocks) == 0 {
			blocks = []block{richBlock([]widget.RichTextSegment{rtNote("No finding quotes a passage of this change.")}, -1)}
		}
	}
	d.at = -1
	d.diff.set(blocks)
	d.updatePosition()
}

// step moves to the previous (-1) or next (+1) changed passage.
func (d *changeDetail) step(dir int) {
	blocks := d.diff.blocks
	for i := d.at + dir; i >= 0 && i < len(blocks); i += dir {
		if blocks[i].passage >= 0 {
			d.at = i
			d.diff.reveal(i)
			break
		}
	}
	d.updatePosition()
}

// updatePosition says where navigation is and enables its buttons.
func (d *changeDetail) updatePosition() {
	total, n, quoted := 0, 0, 0
	for i, b := range d.diff.blocks {
		if b.passage < 0 {
			continue
		}
		total++
		if i <= d.at {
			n = total
		}
		if d.view != nil && d.view.Passages[b.passage].Flagged {
			quoted++
		}
	}
	switch {
	case total == 0:
		d.position.SetText("No changed passage.")
	case d.at < 0:
		d.position.SetText(fmt.Sprintf("%d changed passages, %d quoted by findings", total, quoted))
	default:
		d.position.SetText(fmt.Sprintf("Change %d of %d", n, total))
	}
	if n <= 1 {
		d.prevBtn.Disable()
	} else {
		d.prevBtn.Enable()
	}
	if n >= total {
		d.nextBtn.Disable()
	} else {
		d.nextBtn.Enable()
	}
}

// versionLabel names a version in the compare pickers.
func versionLabel(v tracker.VersionInfo) string {
	return fmt.Sprintf("#%d · %s · %s", v.ID, v.FetchedAt.Local().Format("2006-01-02 15:04"), v.Source)
}

func shortHash(h string) string {
	if len(h) > 10 {
		return h[:10]
	}
	return h
}

// Detail tab indexes.
const (
	tabAnalysis = iota
	tabDiff
	tabItems
	tabCompare
)

// showItems shows the pending checklist rows once.
func (d *changeDetail) showItems() {
	if d.itemsShown {
		return
	}
	d.itemsShown = true
	d.renderItems(d.pendingItems)
}

// renderItems lists the change's checklist with an editable status each.
func (d *changeDetail) renderItems(items []tracker.ChecklistRow) {
	d.items.RemoveAll()
	if len(items) == 0 {
		d.items.Add(wrapLabel("This change has no checklist item: items are generated for changes with findings."))
	}
	for _, it := range items {
		id, version := it.ID, it.Version
		sel := widget.NewSelect(statusTitles(), nil)
		sel.SetSelected(statusTitle(it.Status))
		var onChanged func(string)
		onChanged = func(title string) {
			status := statusFromTitle(title)
			d.ui.checklist.update(id, tracker.ChecklistUpdate{Status: &status, Version: version}, func(now tracker.ChecklistItem) {
				version = now.Version
				sel.OnChanged = nil
				sel.SetSelected(statusTitle(now.Status))
				sel.OnChanged = onChanged
			})
		}
		sel.OnChanged = onChanged
		meta := fmt.Sprintf("%s · due %s · owner %s", record.CategoryName(d.ui.svc.Rules(), it.Category), orDefault(it.DueDate, "not set"), orDefault(it.Owner, "unassigned"))
		d.items.Add(container.NewBorder(nil, nil, nil, fixedWidth(150, sel),
			container.NewVBox(wrapLabel(it.Text), &widget.Label{Text: meta, SizeName: theme.SizeNameCaptionText})))
		d.items.Add(widget.NewSeparator())
	}
	d.items.Refresh()
}

// onMarkReviewed records the review (audit-logged) and refreshes the list.
func (d *changeDetail) onMarkReviewed() {
	id := d.cur.ID
	if id == 0 {
		return
	}
	d.review.Disable()
	task(d.ui, d.ui.ctx, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, d.ui.svc.MarkReviewed(ctx, id)
	}, func(_ struct{}, err error) {
		d.ui.showError("mark the change reviewed", err)
		d.show(id)
	})
}

// onUndoReview withdraws the review; the log keeps both entries.
func (d *changeDetail) onUndoReview() {
	id := d.cur.ID
	if id == 0 {
		return
	}
	d.undo.Disable()
	task(d.ui, d.ui.ctx, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, d.ui.svc.UnreviewChange(ctx, id)
	}, func(_ struct{}, err error) {
		d.ui.showError("undo the review", err)
		d.show(id)
	})
}

// onCompare analyses the two picked versions.
func (d *changeDetail) onCompare() {
	fi, ti := d.fromSel.SelectedIndex(), d.toSel.SelectedIndex()
	if fi < 0 || ti < 0 {
		d.ui.inform("Pick two versions", "Choose an older and a newer version of the document to compare.")
		return
	}
	if fi == ti {
		d.ui.inform("Pick two versions", "Choose two different versions: the same version has no difference.")
		return
	}
	from, to := d.versions[fi], d.versions[ti]
	if from.FetchedAt.After(to.FetchedAt) {
		from, to = to, from
	}
	d.compareOut.set([]block{richBlock([]widget.RichTextSegment{rtNote("Comparing…")}, -1)})
	d.compareBtn.Disable()
	rules := d.ui.svc.Rules()
	task(d.ui, d.ui.ctx, func(ctx context.Context) ([]block, error) {
		r, err := d.ui.svc.Compare(ctx, from.ID, to.ID)
		if err != nil {
			return nil, err
		}
		view := record.Build(r, record.Input{Rules: rules})
		blocks := []block{richBlock([]widget.RichTextSegment{rtNote(fmt.Sprintf("Version #%d (%s) compared with #%d (%s).", from.ID,
			from.FetchedAt.Local().Format("2006-01-02"), to.ID, to.FetchedAt.Local().Format("2006-01-02")))}, -1)}
		// nothing is stored, so no comparison with other platforms
		blocks = append(blocks, recordBlocks(view, false, record.SectionOthers)...)
		blocks = append(blocks, richBlock([]widget.RichTextSegment{rtHeading("Changed text")}, -1))
		return append(blocks, passageBlocks(view)...), nil
	}, func(blocks []block, err error) {
		d.compareBtn.Enable()
		if err != nil {
			d.compareOut.set(nil)
			d.ui.showError("compare the versions", err)
			return
		}
		d.compareOut.set(blocks)
	})
}

// statusTitles lists the checklist statuses for display.
func statusTitles() []string {
	var out []string
	for _, s := range tracker.Statuses {
		out = append(out, statusTitle(s))
	}
	return out
}

// statusFromTitle maps a displayed status back to its id.
func statusFromTitle(title string) string {
	for _, s := range tracker.Statuses {
		if strings.EqualFold(statusTitle(s), title) {
			return s
		}
	}
	return title
}
