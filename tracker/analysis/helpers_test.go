package analysis

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// corpusRoot is the shared corpus of real policy versions.
const corpusRoot = "../../../shared/corpus"

var (
	rulesOnce sync.Once
	rulesVal  *Rules
	rulesErr  error
)

// testRules parses resources/rules.json once per test binary.
func testRules(tb testing.TB) *Rules {
	tb.Helper()
	rulesOnce.Do(func() {
		data, err := os.ReadFile("../../resources/rules.json")
		if err != nil {
			rulesErr = err
			return
		}
		rulesVal, rulesErr = ParseRules(data)
	})
	if rulesErr != nil {
		tb.Fatalf("load rules: %v", rulesErr)
	}
	return rulesVal
}

// corpusFile reads a corpus file relative to the dataset folder, skipping
// the test when the corpus is not present.
func corpusFile(tb testing.TB, rel string) string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(corpusRoot, "dataset", rel))
	if os.IsNotExist(err) {
		tb.Skipf("corpus not available: %v", err)
	}
	if err != nil {
		tb.Fatalf("read corpus file: %v", err)
	}
	return string(data)
}
