package main

import (
	"os"
	"testing"

	"policywatch/cmd/policywatch/internal/quietgc"
	"policywatch/internal/pgtest"
)

// TestMain gives the tests the collector main would give the GUI: the test
// binary imports quietgc too, which switched it off during initialisation.
// The team archive's tests share one throwaway PostgreSQL server.
// With POLICYWATCH_TEST_MAIN set, the test binary is the policywatch
// command itself (main, with its signal handling), for tests that signal a
// real process.
func TestMain(m *testing.M) {
	if os.Getenv("POLICYWATCH_TEST_MAIN") == "1" {
		os.Args = append([]string{"policywatch"}, os.Args[1:]...)
		main()
		return
	}
	quietgc.Restore()
	os.Exit(pgtest.Main(m))
}
