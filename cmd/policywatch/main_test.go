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
func TestMain(m *testing.M) {
	quietgc.Restore()
	os.Exit(pgtest.Main(m))
}
