// Package sharedtest locates the project's shared material (the corpus of
// real policy versions, the checked regulatory reference and the labelled
// evaluation set) for tests and benchmarks.
//
// The material lives in a folder named "shared" beside the checkout (CI puts
// it there); POLICYWATCH_SHARED names another place. A clone with nothing
// beside it has none: tests that need it skip with one line, and when
// POLICYWATCH_SKIP_LOG names a file, each such skip appends a line to it so
// that `make test` can say how many tests were skipped for lack of it.
package sharedtest

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var (
	rootOnce sync.Once
	rootDir  string
)

// Root returns the shared folder, or "" when there is none.
func Root() string {
	rootOnce.Do(func() {
		if dir := os.Getenv("POLICYWATCH_SHARED"); dir != "" {
			if isDir(dir) {
				rootDir, _ = filepath.Abs(dir)
			}
			return
		}
		// Tests run in their package's folder and tools from the module
		// root: walk up to the folder holding go.mod; shared sits beside it.
		dir, err := os.Getwd()
		if err != nil {
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return
			}
			dir = parent
		}
		if shared := filepath.Join(filepath.Dir(dir), "shared"); isDir(shared) {
			rootDir = shared
		}
	})
	return rootDir
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// Path returns the path of parts under the shared folder, or "" when the
// folder or that entry is absent.
func Path(parts ...string) string {
	root := Root()
	if root == "" {
		return ""
	}
	p := filepath.Join(append([]string{root}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// Require returns the path of parts under the shared folder, or skips the
// test with one line when it is absent.
func Require(tb testing.TB, parts ...string) string {
	tb.Helper()
	p := Path(parts...)
	if p == "" {
		Skip(tb, filepath.Join(append([]string{"shared"}, parts...)...))
	}
	return p
}

// Corpus returns the corpus dataset folder (shared/corpus/dataset), or skips.
func Corpus(tb testing.TB) string {
	tb.Helper()
	return Require(tb, "corpus", "dataset")
}

// CorpusFile reads a file of the corpus dataset by its path relative to the
// dataset folder, or skips when the corpus is absent. A file missing from a
// corpus that is present fails the test.
func CorpusFile(tb testing.TB, rel string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(Corpus(tb), rel))
	if err != nil {
		tb.Fatalf("corpus file: %v", err)
	}
	return data
}

// Skip skips the test because the shared entry what is absent, and logs
// the skip for `make test`'s count.
func Skip(tb testing.TB, what string) {
	tb.Helper()
	if log := os.Getenv("POLICYWATCH_SKIP_LOG"); log != "" {
		if f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(f, "%s\n", tb.Name())
			f.Close()
		}
	}
	tb.Skipf("needs ../%s beside the checkout (absent here)", what)
}
