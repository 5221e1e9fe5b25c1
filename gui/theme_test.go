package gui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"policywatch/tracker"
)

// luminance is the WCAG 2 relative luminance of c over an opaque base.
func luminance(c, base color.Color) float64 {
	r, g, b, a := c.RGBA()
	br, bg, bb, _ := base.RGBA()
	mix := func(v, bv uint32) float64 {
		x := (float64(v) + float64(bv)*(1-float64(a)/0xFFFF)) / 0xFFFF // premultiplied over base
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*mix(r, br) + 0.7152*mix(g, bg) + 0.0722*mix(b, bb)
}

// contrast is the WCAG contrast ratio of text colour fg on background bg
// (each composited over base when translucent).
func contrast(fg, bg, base color.Color) float64 {
	lb := luminance(bg, base)
	bgOpaque := opaque(bg, base)
	lf := luminance(fg, bgOpaque)
	hi, lo := math.Max(lf, lb), math.Min(lf, lb)
	return (hi + 0.05) / (lo + 0.05)
}

func opaque(c, base color.Color) color.Color {
	r, g, b, a := c.RGBA()
	br, bg, bb, _ := base.RGBA()
	k := 1 - float64(a)/0xFFFF
	return color.RGBA64{R: uint16(float64(r) + float64(br)*k), G: uint16(float64(g) + float64(bg)*k), B: uint16(float64(b) + float64(bb)*k), A: 0xFFFF}
}

// TestThemeContrast computes every text and background pair of both
// variants from the theme's colours: at least 4.5:1 (WCAG AA for body text).
func TestThemeContrast(t *testing.T) {
	texts := []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNamePlaceHolder, theme.ColorNamePrimary,
		theme.ColorNameHyperlink, theme.ColorNameSuccess, theme.ColorNameError, theme.ColorNameWarning}
	grounds := []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground,
		theme.ColorNameMenuBackground, theme.ColorNameHeaderBackground, theme.ColorNameButton, theme.ColorNameHover, theme.ColorNameSelection}
	inks := map[fyne.ThemeColorName]fyne.ThemeColorName{
		theme.ColorNameForegroundOnPrimary: theme.ColorNamePrimary, theme.ColorNameForegroundOnSuccess: theme.ColorNameSuccess,
		theme.ColorNameForegroundOnError: theme.ColorNameError, theme.ColorNameForegroundOnWarning: theme.ColorNameWarning,
	}
	for _, choice := range []string{themeLight, themeDark} {
		th := newAppTheme(choice)
		v := theme.VariantLight
		if choice == themeDark {
			v = theme.VariantDark
		}
		base := th.Color(theme.ColorNameBackground, v)
		check := func(what string, fg, bg color.Color) {
			t.Helper()
			if r := contrast(fg, bg, base); r < 4.5 {
				t.Errorf("%s theme: %s: contrast %.2f:1, want 4.5:1 or more", choice, what, r)
			}
		}
		for _, fg := range texts {
			for _, bg := range grounds {
				check(string(fg)+" on "+string(bg), th.Color(fg, v), th.Color(bg, v))
			}
		}
		for ink, fill := range inks {
			check(string(ink)+" on "+string(fill), th.Color(ink, v), th.Color(fill, v))
		}
		// badges and heat-map cells: each level's ink on its fill
		for _, level := range []string{tracker.ExposureHigh, tracker.ExposureMedium, tracker.ExposureLow, tracker.ExposureNone} {
			check("badge "+level, exposureInk(level), exposureColor(level))
		}
		check("tracked badge", color.White, colorOK)
		// the dash of an empty heat-map cell, drawn in the muted colour
		check("empty cell", th.Color(theme.ColorNamePlaceHolder, v), th.Color(theme.ColorNameInputBackground, v))
	}
}

// The theme's choices pin the variant; "system" follows it.
func TestThemeVariants(t *testing.T) {
	light, dark := newAppTheme(themeLight), newAppTheme(themeDark)
	if light.Color(theme.ColorNameBackground, theme.VariantDark) == dark.Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Error("the light choice follows the dark system variant")
	}
	sys := newAppTheme(themeSystem)
	if sys.Color(theme.ColorNameBackground, theme.VariantDark) != dark.Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Error("the system choice does not follow the system variant")
	}
}
