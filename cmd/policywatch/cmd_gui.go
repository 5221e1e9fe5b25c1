package main

import "policywatch/gui"

// runGUI opens the desktop app on the archive.
func runGUI(e *env) error {
	svc, err := e.service()
	if err != nil {
		return err
	}
	gui.Run(svc, version)
	return nil
}
