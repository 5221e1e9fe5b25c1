// Package builtintest gives tests the built-in catalog and rules that the
// application loads from resources, parsed once per call, so a test opening
// a service does not repeat the parsing and its error checks.
package builtintest

import (
	"testing"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

// Load parses the built-in platform catalog and analysis rules, failing the
// test if either does not parse.
func Load(tb testing.TB) (*tracker.Catalog, *analysis.Rules) {
	tb.Helper()
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		tb.Fatalf("built-in catalog: %v", err)
	}
	rules, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		tb.Fatalf("built-in rules: %v", err)
	}
	return cat, rules
}
