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

// appTheme is Fyne's default theme with PolicyWatch's colours: every text
// colour reads at 4.5:1 or more on every background it is drawn on, in both
// variants (TestThemeContrast computes it). forced, when set, pins one
// variant whatever the system asks.
type appTheme struct {
	forced *fyne.ThemeVariant
}

// Palettes of the two variants. Text colours: foreground, placeholder
// (muted text), primary and hyperlink (links, accents), success (added
// text), error (removed text), warning; and the inks drawn on primary,
// success, error and warning fills.
var palettes = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameBackground:          rgb(0xFF, 0xFF, 0xFF),
		theme.ColorNameForeground:          rgb(0x1F, 0x23, 0x28),
		theme.ColorNamePlaceHolder:         rgb(0x57, 0x60, 0x6A),
		theme.ColorNameDisabled:            rgb(0x8C, 0x95, 0x9F),
		theme.ColorNameInputBackground:     rgb(0xF3, 0xF4, 0xF6),
		theme.ColorNameInputBorder:         rgb(0x8C, 0x95, 0x9F),
		theme.ColorNameOverlayBackground:   rgb(0xFF, 0xFF, 0xFF),
		theme.ColorNameMenuBackground:      rgb(0xFF, 0xFF, 0xFF),
		theme.ColorNameHeaderBackground:    rgb(0xEE, 0xF0, 0xF3),
		theme.ColorNameButton:              rgb(0xE8, 0xEB, 0xEF),
		theme.ColorNameDisabledButton:      rgb(0xF0, 0xF2, 0xF4),
		theme.ColorNameHover:               rgb(0xE4, 0xE8, 0xEC),
		theme.ColorNamePressed:             rgb(0xD5, 0xDA, 0xE0),
		theme.ColorNameSelection:           rgb(0xCC, 0xE0, 0xF5),
		theme.ColorNameSeparator:           rgb(0xD0, 0xD7, 0xDE),
		theme.ColorNameScrollBar:           color.NRGBA{R: 0x57, G: 0x60, B: 0x6A, A: 0x99},
		theme.ColorNameShadow:              color.NRGBA{A: 0x33},
		theme.ColorNameFocus:               color.NRGBA{R: 0x0B, G: 0x5C, B: 0xAD, A: 0x66},
		theme.ColorNamePrimary:             rgb(0x0B, 0x5C, 0xAD),
		theme.ColorNameHyperlink:           rgb(0x0B, 0x5C, 0xAD),
		theme.ColorNameSuccess:             rgb(0x11, 0x63, 0x29),
		theme.ColorNameError:               rgb(0xB3, 0x26, 0x1E),
		theme.ColorNameWarning:             rgb(0x8A, 0x4B, 0x00),
		theme.ColorNameForegroundOnPrimary: rgb(0xFF, 0xFF, 0xFF),
		theme.ColorNameForegroundOnSuccess: rgb(0xFF, 0xFF, 0xFF),
		theme.ColorNameForegroundOnError:   rgb(0xFF, 0xFF, 0xFF),
		theme.ColorNameForegroundOnWarning: rgb(0xFF, 0xFF, 0xFF),
	},
	theme.VariantDark: {
		theme.ColorNameBackground:          rgb(0x16, 0x18, 0x1D),
		theme.ColorNameForeground:          rgb(0xE6, 0xED, 0xF3),
		theme.ColorNamePlaceHolder:         rgb(0xA3, 0xAC, 0xB6),
		theme.ColorNameDisabled:            rgb(0x6E, 0x76, 0x81),
		theme.ColorNameInputBackground:     rgb(0x22, 0x26, 0x2D),
		theme.ColorNameInputBorder:         rgb(0x6E, 0x76, 0x81),
		theme.ColorNameOverlayBackground:   rgb(0x1C, 0x1F, 0x25),
		theme.ColorNameMenuBackground:      rgb(0x1C, 0x1F, 0x25),
		theme.ColorNameHeaderBackground:    rgb(0x20, 0x24, 0x2B),
		theme.ColorNameButton:              rgb(0x2A, 0x2F, 0x37),
		theme.ColorNameDisabledButton:      rgb(0x22, 0x26, 0x2D),
		theme.ColorNameHover:               rgb(0x2E, 0x34, 0x3D),
		theme.ColorNamePressed:             rgb(0x3A, 0x41, 0x4B),
		theme.ColorNameSelection:           rgb(0x1A, 0x33, 0x50),
		theme.ColorNameSeparator:           rgb(0x30, 0x36, 0x3D),
		theme.ColorNameScrollBar:           color.NRGBA{R: 0xA3, G: 0xAC, B: 0xB6, A: 0x99},
		theme.ColorNameShadow:              color.NRGBA{A: 0x66},
		theme.ColorNameFocus:               color.NRGBA{R: 0x58, G: 0xA6, B: 0xFF, A: 0x66},
		theme.ColorNamePrimary:             rgb(0x58, 0xA6, 0xFF),
		theme.ColorNameHyperlink:           rgb(0x58, 0xA6, 0xFF),
		theme.ColorNameSuccess:             rgb(0x3F, 0xB9, 0x50),
		theme.ColorNameError:               rgb(0xFF, 0x7B, 0x72),
		theme.ColorNameWarning:             rgb(0xD2, 0x99, 0x22),
		theme.ColorNameForegroundOnPrimary: rgb(0x0D, 0x11, 0x17),
		theme.ColorNameForegroundOnSuccess: rgb(0x0D, 0x11, 0x17),
		theme.ColorNameForegroundOnError:   rgb(0x0D, 0x11, 0x17),
		theme.ColorNameForegroundOnWarning: rgb(0x0D, 0x11, 0x17),
	},
}

func rgb(r, g, b uint8) color.NRGBA { return color.NRGBA{R: r, G: g, B: b, A: 0xFF} }

// Color returns the palette's colour, else the default theme's.
func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced != nil {
		v = *t.forced
	}
	if v != theme.VariantDark {
		v = theme.VariantLight
	}
	if c, ok := palettes[v][n]; ok {
		return c
	}
	return theme.DefaultTheme().Color(n, v)
}

// Font is the default theme's.
func (appTheme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon is the default theme's.
func (appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size is the default theme's.
func (appTheme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }

// newAppTheme returns the theme for a theme choice.
func newAppTheme(choice string) fyne.Theme {
	switch choice {
	case themeLight:
		v := theme.VariantLight
		return appTheme{forced: &v}
	case themeDark:
		v := theme.VariantDark
		return appTheme{forced: &v}
	}
	return appTheme{}
}

// applyTheme sets the app theme from a theme choice.
func applyTheme(a fyne.App, choice string) {
	a.Settings().SetTheme(newAppTheme(choice))
}

// themed is a theme colour read whenever it is drawn, so that hand-drawn
// parts (badges, tiles, the heat map and chart) follow a theme switch.
type themed fyne.ThemeColorName

// RGBA is the current theme's colour.
func (t themed) RGBA() (r, g, b, a uint32) { return theme.Color(fyne.ThemeColorName(t)).RGBA() }

// Exposure colours: white text reads on high, medium and none at 4.5:1 or
// more, black text on low (TestThemeContrast); a level is always shown
// with its word or letter, so colour is never the only cue.
var (
	colorHigh   = rgb(0xB4, 0x23, 0x18)
	colorMedium = rgb(0xB5, 0x47, 0x08)
	colorLow    = rgb(0xF2, 0xC9, 0x4C)
	colorNone   = rgb(0x5F, 0x6B, 0x7A)
	colorOK     = rgb(0x11, 0x63, 0x29)
	// colorEmpty is the fill of an empty cell or an inactive badge.
	colorEmpty = themed(theme.ColorNameInputBackground)
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
	switch level {
	case tracker.ExposureLow:
		return color.Black
	case "":
		return themed(theme.ColorNameForeground)
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

// badge is a small coloured pill with a word, for exposure levels and states.
type badge struct {
	bg   *canvas.Rectangle
	text *canvas.Text
	box  fyne.CanvasObject
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
