package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/report/record"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

// badgeRow is a two-line list row: a coloured badge beside a title and a
// caption line. Changes, checklist items, platforms and documents use it.
type badgeRow struct {
	widget.BaseWidget
	badge   *badge
	title   *widget.Label
	sub     *widget.Label
	content fyne.CanvasObject
}

// newBadgeRow makes a row with a badge of the given width, on the left or
// (badgeRight) on the right; boldTitle sets the title's style.
func newBadgeRow(badgeWidth float32, badgeRight, boldTitle bool) *badgeRow {
	r := &badgeRow{badge: newBadge(badgeWidth),
		title: &widget.Label{Text: "Title", TextStyle: fyne.TextStyle{Bold: boldTitle}, Truncation: fyne.TextTruncateEllipsis},
		sub:   &widget.Label{Text: "caption", Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText}}
	lines := container.New(&tightVBox{}, r.title, r.sub)
	if badgeRight {
		r.content = container.NewBorder(nil, nil, nil, vcenter(r.badge.box), lines)
	} else {
		r.content = container.NewBorder(nil, nil, vcenter(r.badge.box), nil, lines)
	}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the row.
func (r *badgeRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// newChangeRow makes a change row: exposure badge, platform and document,
// date, categories and review state.
func newChangeRow() fyne.CanvasObject { return newBadgeRow(68, false, true) }

// setChangeRow fills a row made by newChangeRow; rules name the categories.
func setChangeRow(o fyne.CanvasObject, c tracker.ChangeSummary, rules *analysis.Rules) {
	r := o.(*badgeRow)
	if c.Substantive {
		r.badge.set(c.Exposure)
	} else {
		r.badge.setText("COSMETIC", colorNone, exposureInk(tracker.ExposureNone))
	}
	r.title.SetText(c.PlatformName + " — " + tracker.KindTitle(c.Kind))
	parts := []string{c.DetectedAt.Local().Format("2006-01-02 15:04")}
	if len(c.Categories) > 0 {
		parts = append(parts, strings.Join(record.CategoryNames(rules, c.Categories), "; "))
	} else if c.Substantive {
		parts = append(parts, "no classified provision")
	} else {
		parts = append(parts, "wording and layout only")
	}
	if !c.ReviewedAt.IsZero() {
		parts = append(parts, "reviewed by "+c.ReviewedBy)
	}
	r.sub.SetText(strings.Join(parts, " · "))
}

// newItemRow makes a compact checklist item row (dashboard).
func newItemRow() fyne.CanvasObject { return newBadgeRow(76, false, false) }

// setItemRow fills a row made by newItemRow; today is YYYY-MM-DD and rules
// name the categories.
func setItemRow(o fyne.CanvasObject, it tracker.ChecklistRow, today string, rules *analysis.Rules) {
	r := o.(*badgeRow)
	switch {
	case isOverdue(it.ChecklistItem, today):
		r.badge.setText("OVERDUE", colorHigh, exposureInk(tracker.ExposureHigh))
	case it.Status == tracker.StatusInProgress:
		r.badge.setText("IN PROGRESS", colorLow, exposureInk(tracker.ExposureLow))
	default:
		r.badge.setText(strings.ToUpper(statusTitle(it.Status)), colorNone, exposureInk(tracker.ExposureNone))
	}
	r.title.SetText(it.Text)
	due := "no due date"
	if it.DueDate != "" {
		due = "due " + it.DueDate
	}
	owner := "unassigned"
	if it.Owner != "" {
		owner = it.Owner
	}
	r.sub.SetText(fmt.Sprintf("%s %s · %s · %s · %s", it.PlatformName, strings.ToLower(tracker.KindTitle(it.Kind)), record.CategoryName(rules, it.Category), due, owner))
}

// isOverdue reports whether an open item's due date has passed.
func isOverdue(it tracker.ChecklistItem, today string) bool {
	return it.DueDate != "" && it.DueDate < today &&
		(it.Status == tracker.StatusOpen || it.Status == tracker.StatusInProgress)
}

// statusTitle is a checklist status for display.
func statusTitle(s string) string {
	switch s {
	case tracker.StatusInProgress:
		return "In progress"
	case tracker.StatusNotApplicable:
		return "Not applicable"
	}
	return sentence(s)
}

// tightVBox stacks objects vertically without padding (two-line rows).
type tightVBox struct{}

// MinSize is the widest child by the children's summed height.
func (tightVBox) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - 2*theme.Padding()
	}
	return s.AddWidthHeight(0, 2*theme.Padding())
}

// Layout stacks the children, overlapping their inner padding.
func (tightVBox) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objects {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - 2*theme.Padding()
	}
}

// documentLabel names a document: its kind, or for kind "other" its own
// title, so that two "other" documents of a platform read apart.
func documentLabel(kind, title string) string {
	if kind == tracker.KindOther && strings.TrimSpace(title) != "" {
		return title
	}
	return tracker.KindTitle(kind)
}
