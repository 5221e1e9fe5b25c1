package main

import (
	"fmt"

	"policywatch/gui"
)

// runGUI opens the desktop app on the archive, first applying a restore the
// user staged in Settings (the archive cannot be replaced while open).
func runGUI(e *env) error { return runGUIOn(e, 0) }

// runGUIOn opens the desktop app, on a change when change is not 0 (a
// policywatch://change/ID link from an alert). A team archive has no
// staged restore: it is restored with PostgreSQL's tools.
func runGUIOn(e *env, change int64) error {
	restored := false
	if !isTeamArchive(e.dbPath) {
		var err error
		if restored, err = gui.ApplyPendingRestore(e.dbPath); err != nil {
			return err
		}
	}
	if restored {
		fmt.Fprintf(e.stderr, "policywatch: restored the archive from the staged backup (the previous one is kept as %s.before-restore)\n", e.dbPath)
	}
	svc, err := e.service()
	if err != nil {
		return err
	}
	gui.Run(svc, gui.Options{Version: version, RulesPath: rulesPath(), OpenChange: change,
		ChooseDatabase: chooseDatabase})
	return nil
}
