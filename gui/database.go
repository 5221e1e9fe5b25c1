package gui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
)

// accessText says who is signed in to the archive and what they may do.
func accessText(a tracker.Access) string {
	switch {
	case !a.Team():
		return "This archive is a file of your own: you may do everything."
	case a.ReadOnly() && a.Log:
		return "As " + a.Describe() + ": you can see everything and export reports and evidence (exports are logged); the database refuses changes."
	case a.ReadOnly():
		return "As " + a.Describe() + ": you can see everything; the database refuses changes."
	case a.Admin:
		return "As " + a.Describe() + ": you may do everything, and create or upgrade the archive's tables."
	}
	return "As " + a.Describe() + ": you may check, review and edit; the evidence log, checkpoints and versions are append-only."
}

// databaseForm asks for another archive: a file path or a postgres:// URL,
// and a team database's password (kept in the OS keyring, never in a file).
type databaseForm struct {
	location *widget.Entry
	password *widget.Entry
}

// onChooseDatabase opens the form; the choice is checked (the archive must
// open) and takes effect at the next start.
func (s *settingsScreen) onChooseDatabase() {
	f := &databaseForm{
		location: &widget.Entry{PlaceHolder: "postgres://you@db.example.org/policywatch or /path/to/archive.db"},
		password: &widget.Entry{PlaceHolder: "password of a team database (kept in the keyring)", Password: true},
	}
	items := []*widget.FormItem{
		{Text: "Archive", Widget: f.location, HintText: "A file path, or a team's PostgreSQL connection string."},
		{Text: "Password", Widget: f.password, HintText: "Leave empty for a file, or when ~/.pgpass or PGPASSWORD has it."},
	}
	d := dialog.NewForm("Change database", "Use it", "Cancel", items, func(ok bool) {
		if ok {
			s.chooseDatabase(strings.TrimSpace(f.location.Text), f.password.Text)
		}
	}, s.ui.win)
	d.Resize(fyne.NewSize(640, 260))
	d.Show()
}

// chooseDatabase checks and saves the choice in the background.
func (s *settingsScreen) chooseDatabase(location, password string) {
	if location == "" {
		s.ui.showError("change the database", inputError("Enter a file path or a postgres:// connection string."))
		return
	}
	task(s.ui, s.ui.ctx, func(ctx context.Context) (string, error) {
		return s.ui.opts.ChooseDatabase(ctx, location, password)
	}, func(shown string, err error) {
		if err != nil {
			// The reasons (unreachable server, wrong password, not an
			// archive) are written for the user, without the password.
			s.ui.inform("That archive did not open", sentence(err.Error())+". Nothing was changed.")
			return
		}
		s.ui.inform("Restart to use it", "PolicyWatch opened "+shown+" and will use it from its next start (the command line too, unless --db or POLICYWATCH_DB says otherwise).")
	})
}
