package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// platformsScreen lists catalog, imported and custom platforms with their
// tracking state and lets the user track or untrack them.
type platformsScreen struct {
	ui       *UI
	search   *widget.Entry
	list     *widget.List
	all      []tracker.PlatformSummary
	shown    []tracker.PlatformSummary
	selected int
	detail   *widget.Label
	track    *widget.Button
}

func newPlatformsScreen(u *UI) *platformsScreen {
	s := &platformsScreen{ui: u, selected: -1}
	s.search = &widget.Entry{PlaceHolder: "Search platforms…", OnChanged: func(string) { s.applyFilter() }}
	s.detail = &widget.Label{Text: "Select a platform to see its documents.", Wrapping: fyne.TextWrapWord}
	s.track = &widget.Button{Text: "Track", OnTapped: s.onToggleTrack}
	s.track.Disable()
	return s
}

func (s *platformsScreen) buildUI() fyne.CanvasObject {
	s.list = widget.NewList(
		func() int { return len(s.shown) },
		func() fyne.CanvasObject { return widget.NewLabel("template platform row") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			p := s.shown[id]
			state := "not tracked"
			if p.Tracked > 0 {
				state = fmt.Sprintf("%d/%d tracked", p.Tracked, p.Documents)
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s  (%s) — %s, %d versions", p.Name, p.Category, state, p.Versions))
		})
	s.list.OnSelected = s.onSelect
	right := container.NewBorder(container.NewHBox(s.track), nil, nil, nil, container.NewVScroll(s.detail))
	split := container.NewHSplit(container.NewBorder(s.search, nil, nil, nil, s.list), right)
	split.Offset = 0.45
	return split
}

func (s *platformsScreen) refresh() {
	background(s.ui, func(ctx context.Context) ([]tracker.PlatformSummary, error) {
		return s.ui.svc.Platforms(ctx)
	}, func(list []tracker.PlatformSummary) {
		s.all = list
		s.applyFilter()
	})
}

func (s *platformsScreen) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(s.search.Text))
	s.shown = s.shown[:0]
	for _, p := range s.all {
		if q == "" || strings.Contains(strings.ToLower(p.Name+" "+p.Slug+" "+p.Category), q) {
			s.shown = append(s.shown, p)
		}
	}
	s.selected = -1
	s.list.UnselectAll()
	s.track.Disable()
	s.list.Refresh()
}

func (s *platformsScreen) onSelect(id widget.ListItemID) {
	s.selected = id
	p := s.shown[id]
	if p.Tracked > 0 {
		s.track.SetText("Untrack")
	} else {
		s.track.SetText("Track")
	}
	s.track.Enable()
	background(s.ui, func(ctx context.Context) ([]tracker.Document, error) {
		_, docs, err := s.ui.svc.Platform(ctx, p.Slug)
		return docs, err
	}, func(docs []tracker.Document) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n", p.Name)
		if p.EULeadAuthority != "" {
			fmt.Fprintf(&b, "EU lead authority: %s\n", p.EULeadAuthority)
		}
		if p.VLOP || p.Gatekeeper {
			fmt.Fprintf(&b, "DSA VLOP: %t · DMA gatekeeper: %t\n", p.VLOP, p.Gatekeeper)
		}
		b.WriteString("\nDocuments:\n")
		for _, d := range docs {
			state := "not tracked"
			if d.Tracked {
				state = "tracked"
			}
			fmt.Fprintf(&b, "• %s (%s): %s\n", tracker.KindTitle(d.Kind), state, orNone(d.URL))
		}
		s.detail.SetText(b.String())
	})
}

func orNone(s string) string {
	if s == "" {
		return "no URL"
	}
	return s
}

func (s *platformsScreen) onToggleTrack() {
	if s.selected < 0 || s.selected >= len(s.shown) {
		return
	}
	p := s.shown[s.selected]
	track := p.Tracked == 0
	background(s.ui, func(ctx context.Context) (int, error) {
		return s.ui.svc.SetTracked(ctx, p.Slug, track)
	}, func(int) { s.ui.Refresh() })
}
