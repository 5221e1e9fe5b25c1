package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// timelineChart draws changes per month as stacked bars (high, medium, low,
// no findings from the bottom up) with canvas rectangles, month labels under
// the bars and the tallest bar's total above it.
type timelineChart struct {
	widget.BaseWidget
	buckets []tracker.TimelineBucket
}

func newTimelineChart() *timelineChart {
	c := &timelineChart{}
	c.ExtendBaseWidget(c)
	return c
}

// set shows new buckets.
func (c *timelineChart) set(b []tracker.TimelineBucket) {
	c.buckets = b
	c.Refresh()
}

// CreateRenderer draws the chart.
func (c *timelineChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c, axis: canvas.NewLine(themed(theme.ColorNameForeground))}
	r.rebuild()
	return r
}

type chartRenderer struct {
	c       *timelineChart
	axis    *canvas.Line
	bars    [][4]*canvas.Rectangle
	labels  []*canvas.Text
	totals  []*canvas.Text
	objects []fyne.CanvasObject
}

// rebuild makes one stack of rectangles and two labels per bucket.
func (r *chartRenderer) rebuild() {
	r.bars, r.labels, r.totals = nil, nil, nil
	r.objects = []fyne.CanvasObject{r.axis}
	levels := []string{tracker.ExposureHigh, tracker.ExposureMedium, tracker.ExposureLow, tracker.ExposureNone}
	fg := themed(theme.ColorNameForeground)
	for _, b := range r.c.buckets {
		var stack [4]*canvas.Rectangle
		for i, l := range levels {
			stack[i] = canvas.NewRectangle(exposureColor(l))
			r.objects = append(r.objects, stack[i])
		}
		r.bars = append(r.bars, stack)
		lab := canvas.NewText(b.Month.Format("Jan 06"), fg)
		lab.TextSize = theme.CaptionTextSize()
		lab.Alignment = fyne.TextAlignCenter
		tot := canvas.NewText("", fg)
		tot.TextSize = theme.CaptionTextSize()
		tot.Alignment = fyne.TextAlignCenter
		if b.Total > 0 {
			tot.Text = fmt.Sprint(b.Total)
		}
		r.labels = append(r.labels, lab)
		r.totals = append(r.totals, tot)
		r.objects = append(r.objects, lab, tot)
	}
}

func (r *chartRenderer) Layout(s fyne.Size) {
	n := len(r.c.buckets)
	if n == 0 {
		return
	}
	textH := r.labels[0].MinSize().Height
	top := textH + 2
	base := s.Height - textH - 4
	r.axis.Position1 = fyne.NewPos(0, base)
	r.axis.Position2 = fyne.NewPos(s.Width, base)
	max := 1
	for _, b := range r.c.buckets {
		if b.Total > max {
			max = b.Total
		}
	}
	slot := s.Width / float32(n)
	barW := slot * 0.6
	scale := (base - top) / float32(max)
	// Month labels no wider than their slot: every k-th one when narrow.
	every := 1
	if lw := r.labels[0].MinSize().Width + 6; slot < lw {
		every = int(lw/slot) + 1
	}
	for i, b := range r.c.buckets {
		x := slot*float32(i) + (slot-barW)/2
		y := base
		for j, count := range []int{b.High, b.Medium, b.Low, b.Total - b.High - b.Medium - b.Low} {
			h := float32(count) * scale
			rect := r.bars[i][j]
			rect.Move(fyne.NewPos(x, y-h))
			rect.Resize(fyne.NewSize(barW, h))
			y -= h
		}
		r.totals[i].Move(fyne.NewPos(slot*float32(i), y-textH-1))
		r.totals[i].Resize(fyne.NewSize(slot, textH))
		if r.totals[i].MinSize().Width > slot {
			r.totals[i].Hide()
		} else {
			r.totals[i].Show()
		}
		// the label centred under its bar, as wide as it needs
		lw := r.labels[i].MinSize().Width
		r.labels[i].Move(fyne.NewPos(slot*float32(i)+slot/2-lw/2, base+3))
		r.labels[i].Resize(fyne.NewSize(lw, textH))
		if (n-1-i)%every == 0 { // keep the latest month labelled
			r.labels[i].Show()
		} else {
			r.labels[i].Hide()
		}
	}
}

func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(300, 150) }

func (r *chartRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) Destroy()                     {}

// chartLegend names the chart's colours; each level's word stands beside
// its colour.
func chartLegend() fyne.CanvasObject {
	box := container.NewHBox()
	for _, l := range []struct{ level, name string }{{tracker.ExposureHigh, "High"}, {tracker.ExposureMedium, "Medium"},
		{tracker.ExposureLow, "Low"}, {tracker.ExposureNone, "Cosmetic"}} {
		sw := canvas.NewRectangle(exposureColor(l.level))
		sw.SetMinSize(fyne.NewSize(12, 12))
		box.Add(container.NewCenter(sw))
		box.Add(widget.NewLabel(l.name))
	}
	return box
}
