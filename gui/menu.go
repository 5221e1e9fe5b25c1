package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// tabTitles are the tabs as the View menu names them, in tab order.
var tabTitles = []string{"Dashboard", "Platforms", "Changes", "Checklist", "Reports", "Settings"}

// mainMenu is the window's menu. Its items carry the app's shortcuts:
// the window offers a shortcut to its main menu before the focused widget,
// so Ctrl+1…6, Ctrl+R and Ctrl+E work while a text field has focus too
// (a focused entry keeps every other shortcut for itself).
func (u *UI) mainMenu() *fyne.MainMenu {
	mod := fyne.KeyModifierShortcutDefault
	check := fyne.NewMenuItem("Check now", u.onCheckNow)
	check.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: mod}
	export := fyne.NewMenuItem("Export report…", func() {
		u.tabs.SelectIndex(tabReports)
		u.reports.onExport()
	})
	export.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: mod}
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6}
	var views []*fyne.MenuItem
	for i, title := range tabTitles {
		item := fyne.NewMenuItem(title, func() { u.tabs.SelectIndex(i) })
		item.Shortcut = &desktop.CustomShortcut{KeyName: keys[i], Modifier: mod}
		views = append(views, item)
	}
	return fyne.NewMainMenu(
		fyne.NewMenu("File", check, export),
		fyne.NewMenu("View", views...),
	)
}
