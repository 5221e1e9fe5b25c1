package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// Preference keys (UI settings only; domain settings live in the archive).
const (
	// prefTheme holds "system", "light" or "dark".
	prefTheme = "theme"
)

// Theme choices stored under prefTheme.
const (
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// variantTheme is the default theme forced to one variant.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

// Color returns the base theme's colour for the forced variant.
func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// applyTheme sets the app theme from a theme choice.
func applyTheme(a fyne.App, choice string) {
	switch choice {
	case themeLight:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	case themeDark:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	default:
		a.Settings().SetTheme(theme.DefaultTheme())
	}
}

// Exposure colours: readable on both light and dark backgrounds, always
// shown with the level's word or letter so colour is never the only cue.
var (
	colorHigh   = color.NRGBA{R: 0xC6, G: 0x28, B: 0x28, A: 0xFF}
	colorMedium = color.NRGBA{R: 0xE6, G: 0x6A, B: 0x00, A: 0xFF}
	colorLow    = color.NRGBA{R: 0xF2, G: 0xB7, B: 0x05, A: 0xFF}
	colorNone   = color.NRGBA{R: 0x90, G: 0x96, B: 0x9E, A: 0xFF}
	colorEmpty  = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x22}
	colorOK     = color.NRGBA{R: 0x2E, G: 0x7D, B: 0x32, A: 0xFF}
)

// exposureColor is the fill colour of an exposure level.
func exposureColor(level string) color.Color {
	switch level {
	case tracker.ExposureHigh:
		return colorHigh
	case tracker.ExposureMedium:
		return colorMedium
	case tracker.ExposureLow:
		return colorLow
	case tracker.ExposureNone:
		return colorNone
	}
	return colorEmpty
}

// exposureInk is the text colour that reads on exposureColor(level).
func exposureInk(level string) color.Color {
	if level == tracker.ExposureLow {
		return color.Black
	}
	if level == "" {
		return theme.Color(theme.ColorNameForeground)
	}
	return color.White
}

// exposureLabel is the word shown for a level.
func exposureLabel(level string) string {
	switch level {
	case tracker.ExposureHigh:
		return "HIGH"
	case tracker.ExposureMedium:
		return "MEDIUM"
	case tracker.ExposureLow:
		return "LOW"
	case tracker.ExposureNone, "":
		return "NONE"
	}
	return level
}

// badge is a small coloured pill with a word, for exposure levels.
type badge struct {
	bg   *canvas.Rectangle
	text *canvas.Text
	box  *fyne.Container
}

func newBadge(width float32) *badge {
	b := &badge{bg: canvas.NewRectangle(colorNone), text: canvas.NewText("NONE", color.White)}
	b.bg.CornerRadius = 4
	b.text.TextSize = theme.CaptionTextSize()
	b.text.TextStyle = fyne.TextStyle{Bold: true}
	b.text.Alignment = fyne.TextAlignCenter
	h := b.text.MinSize().Height + 6
	b.box = container.NewGridWrap(fyne.NewSize(width, h), container.NewStack(b.bg, container.NewCenter(b.text)))
	return b
}

// set shows an exposure level.
func (b *badge) set(level string) {
	b.setText(exposureLabel(level), exposureColor(level), exposureInk(level))
}

// setText shows any word on any colour.
func (b *badge) setText(word string, bg, ink color.Color) {
	b.text.Text = word
	b.text.Color = ink
	b.bg.FillColor = bg
	b.text.Refresh()
	b.bg.Refresh()
}

// heading is a bold section title.
func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// wrapLabel is a word-wrapped label.
func wrapLabel(text string) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
}

// vcenter centres an object vertically in a row.
func vcenter(o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(layout.NewVBoxLayout(), layout.NewSpacer(), o, layout.NewSpacer())
}
