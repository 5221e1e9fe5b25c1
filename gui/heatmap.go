package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// heatMap draws the platform × jurisdiction exposure matrix. Each cell shows
// the level's letter and the number of changes, so colour is not the only
// cue; tapping a cell calls onTap with the platform slug and jurisdiction.
// The column headers sit in header, outside the scrolled rows, so they stay
// in view; rows are compact so that a screen holds most platforms.
type heatMap struct {
	header *fyne.Container
	box    *fyne.Container
	onTap  func(slug, code, level string)
	// cells are the drawn cells, by "slug|code", for tests.
	cells map[string]*heatCell
}

func newHeatMap(onTap func(slug, code, level string)) *heatMap {
	return &heatMap{header: container.NewStack(), box: container.New(&tightRows{}), onTap: onTap, cells: map[string]*heatCell{}}
}

const heatNameWidth = 140

// set redraws the matrix; empty says what to do when there is nothing to show.
func (h *heatMap) set(m tracker.ExposureMatrix, empty string) {
	h.box.RemoveAll()
	h.header.RemoveAll()
	h.cells = map[string]*heatCell{}
	if len(m.Platforms) == 0 {
		h.box.Add(wrapLabel(empty))
		h.box.Refresh()
		h.header.Refresh()
		return
	}
	header := container.NewGridWithColumns(len(m.Jurisdictions))
	for _, code := range m.Jurisdictions {
		t := canvas.NewText(code, themed(theme.ColorNameForeground))
		t.TextStyle = fyne.TextStyle{Bold: true}
		t.Alignment = fyne.TextAlignCenter
		header.Add(t)
	}
	h.header.Add(container.NewBorder(nil, nil, fixedWidth(heatNameWidth, canvas.NewText("", nil)), nil, header))
	for _, p := range m.Platforms {
		row := container.NewGridWithColumns(len(m.Jurisdictions))
		for _, code := range m.Jurisdictions {
			c := newHeatCell(p.Slug, code, m.Cell(p.Slug, code), h.onTap)
			h.cells[p.Slug+"|"+code] = c
			row.Add(c)
		}
		name := &widget.Label{Text: p.Name, Truncation: fyne.TextTruncateEllipsis}
		h.box.Add(container.NewBorder(nil, nil, fixedWidth(heatNameWidth, name), nil, row))
	}
	h.box.Refresh()
	h.header.Refresh()
}

// tightRows stacks rows without padding and no taller than their cells:
// a label's own padding would let only a few platforms fit a screen.
type tightRows struct{}

// rowHeight is the height of one heat-map row.
func rowHeight() float32 { return theme.TextSize() + 14 }

// MinSize is the widest row by the rows' summed heights.
func (tightRows) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		if _, ok := o.(*widget.Label); ok {
			s.Height += m.Height
		} else {
			s.Height += rowHeight()
		}
	}
	return s
}

// Layout stacks the rows.
func (tightRows) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objects {
		h := rowHeight()
		if _, ok := o.(*widget.Label); ok {
			h = o.MinSize().Height
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
	}
}

// fixedWidth gives o a fixed width at its own height.
func fixedWidth(w float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

// heatCell is one tappable cell of the heat map.
type heatCell struct {
	widget.BaseWidget
	slug, code string
	cell       tracker.ExposureCell
	onTap      func(slug, code, level string)
}

func newHeatCell(slug, code string, cell tracker.ExposureCell, onTap func(slug, code, level string)) *heatCell {
	c := &heatCell{slug: slug, code: code, cell: cell, onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

// Tapped opens the cell's changes.
func (c *heatCell) Tapped(*fyne.PointEvent) {
	if c.onTap != nil && c.cell.Changes > 0 {
		c.onTap(c.slug, c.code, c.cell.Exposure)
	}
}

// Cursor shows a pointer over cells with changes.
func (c *heatCell) Cursor() desktop.Cursor {
	if c.cell.Changes > 0 {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// CreateRenderer draws the cell.
func (c *heatCell) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(exposureColor(c.cell.Exposure))
	bg.CornerRadius = 3
	txt := canvas.NewText("", exposureInk(c.cell.Exposure))
	txt.Alignment = fyne.TextAlignCenter
	if c.cell.Changes > 0 {
		txt.Text = fmt.Sprintf("%s %d", exposureLabel(c.cell.Exposure)[:1], c.cell.Changes)
		txt.TextStyle = fyne.TextStyle{Bold: true}
	} else {
		txt.Text = "–"
		txt.Color = themed(theme.ColorNamePlaceHolder)
	}
	return &heatCellRenderer{bg: bg, txt: txt}
}

type heatCellRenderer struct {
	bg  *canvas.Rectangle
	txt *canvas.Text
}

func (r *heatCellRenderer) Layout(s fyne.Size) {
	pad := float32(1.5)
	r.bg.Move(fyne.NewPos(pad, pad))
	r.bg.Resize(fyne.NewSize(s.Width-2*pad, s.Height-2*pad))
	ts := r.txt.MinSize()
	r.txt.Move(fyne.NewPos(0, (s.Height-ts.Height)/2))
	r.txt.Resize(fyne.NewSize(s.Width, ts.Height))
}

func (r *heatCellRenderer) MinSize() fyne.Size {
	return fyne.NewSize(38, r.txt.MinSize().Height+6)
}
func (r *heatCellRenderer) Refresh()                     { r.bg.Refresh(); r.txt.Refresh() }
func (r *heatCellRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.txt} }
func (r *heatCellRenderer) Destroy()                     {}

// legend explains the heat map's colours and letters.
func legend() fyne.CanvasObject {
	box := container.NewHBox()
	for _, l := range []string{tracker.ExposureHigh, tracker.ExposureMedium, tracker.ExposureLow} {
		b := newBadge(64)
		b.set(l)
		box.Add(vcenter(b.box))
	}
	note := &widget.Label{Text: "letter = level, number = unreviewed changes; click a cell to list them", Truncation: fyne.TextTruncateEllipsis}
	return container.NewBorder(nil, nil, box, nil, note)
}
