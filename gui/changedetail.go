package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
	"policywatch/tracker/analysis"
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
	record *widget.RichText
	diff   *widget.RichText
	items  *fyne.Container

	versions   []tracker.VersionInfo
	fromSel    *widget.Select
	toSel      *widget.Select
	compareBtn *widget.Button
	compareOut *widget.RichText

	empty *widget.Label
	body  *fyne.Container
	stack *fyne.Container
	// startTab, when set, is the detail tab to open with the first change.
	startTab int
}

func newChangeDetail(u *UI) *changeDetail {
	d := &changeDetail{ui: u, badge: newBadge(76),
		title:      &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameSubHeadingText},
		meta:       wrapLabel(""),
		record:     &widget.RichText{Wrapping: fyne.TextWrapWord},
		diff:       &widget.RichText{Wrapping: fyne.TextWrapWord},
		compareOut: &widget.RichText{Wrapping: fyne.TextWrapWord},
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
	return d
}

func (d *changeDetail) buildUI() fyne.CanvasObject {
	compareBar := container.NewBorder(nil, nil, widget.NewLabel("From"), d.compareBtn,
		container.NewGridWithColumns(3, d.fromSel, container.NewCenter(widget.NewLabel("to")), d.toSel))
	d.tabs = container.NewAppTabs(
		container.NewTabItem("Analysis", container.NewVScroll(d.record)),
		container.NewTabItem("Changed text", container.NewVScroll(d.diff)),
		container.NewTabItem("Checklist", container.NewVScroll(d.items)),
		container.NewTabItem("Compare versions", container.NewBorder(compareBar, nil, nil, nil, container.NewVScroll(d.compareOut))),
	)
	head := container.NewVBox(
		container.NewBorder(nil, nil, vcenter(d.badge.box), container.NewHBox(d.undo, d.review), d.title),
		d.meta)
	d.body = container.NewBorder(head, nil, nil, nil, d.tabs)
	d.body.Hide()
	d.stack = container.NewStack(container.NewPadded(container.NewVBox(d.empty)), d.body)
	return d.stack
}

type detailData struct {
	detail   tracker.ChangeDetail
	versions []tracker.VersionInfo
	peers    []tracker.Comparable
}

// show loads and shows change id.
func (d *changeDetail) show(id int64) {
	d.gen++
	gen := d.gen
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
		out.peers, err = d.ui.svc.Comparables(ctx, id, 2)
		return out, err
	}, func(v detailData) {
		if gen == d.gen {
			d.render(v)
		}
	})
}

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
	d.record.Segments = recordSegments(c, v.peers)
	d.record.Refresh()
	d.diff.Segments = diffSegments(c.Record.Hunks)
	d.diff.Refresh()
	d.renderItems(c.Checklist)
	if d.startTab > 0 {
		d.tabs.SelectIndex(d.startTab)
		d.startTab = 0
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
	d.compareOut.Segments = []widget.RichTextSegment{rtNote(fmt.Sprintf(
		"This document has %d archived versions. Pick any two and press Compare to analyse the difference between them (nothing is stored).", len(v.versions)))}
	d.compareOut.Refresh()
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

// renderItems lists the change's checklist with an editable status each.
func (d *changeDetail) renderItems(items []tracker.ChecklistRow) {
	d.items.RemoveAll()
	if len(items) == 0 {
		d.items.Add(wrapLabel("This change has no checklist item: items are generated for changes with findings."))
	}
	for _, it := range items {
		id := it.ID
		sel := widget.NewSelect(statusTitles(), nil)
		sel.SetSelected(statusTitle(it.Status))
		sel.OnChanged = func(title string) {
			status := statusFromTitle(title)
			d.ui.checklist.update(id, tracker.ChecklistUpdate{Status: &status}, nil)
		}
		meta := fmt.Sprintf("%s · due %s · owner %s", it.Category, orDefault(it.DueDate, "not set"), orDefault(it.Owner, "unassigned"))
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
	d.compareOut.Segments = []widget.RichTextSegment{rtNote("Comparing…")}
	d.compareOut.Refresh()
	d.compareBtn.Disable()
	task(d.ui, d.ui.ctx, func(ctx context.Context) (analysis.Result, error) {
		return d.ui.svc.Compare(ctx, from.ID, to.ID)
	}, func(r analysis.Result, err error) {
		d.compareBtn.Enable()
		if err != nil {
			d.compareOut.Segments = nil
			d.compareOut.Refresh()
			d.ui.showError("compare the versions", err)
			return
		}
		segs := []widget.RichTextSegment{rtNote(fmt.Sprintf("Version #%d (%s) compared with #%d (%s).", from.ID,
			from.FetchedAt.Local().Format("2006-01-02"), to.ID, to.FetchedAt.Local().Format("2006-01-02")))}
		rec := recordSegments(resultAsDetail(r), nil)
		segs = append(segs, rec[:len(rec)-2]...) // without the peers section
		segs = append(segs, rtHeading("Changed text"))
		segs = append(segs, diffSegments(r.Hunks)...)
		d.compareOut.Segments = segs
		d.compareOut.Refresh()
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
