package main

import (
	"os"
	"testing"

	"policywatch/cmd/policywatch/internal/quietgc"
)

// TestMain gives the tests the collector main would give the GUI: the test
// binary imports quietgc too, which switched it off during initialisation.
func TestMain(m *testing.M) {
	quietgc.Restore()
	os.Exit(m.Run())
}
