package analysis

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// goDiffWords is wordDiff without its positional shortcut.
func goDiffWords(oldText, newText string) []WordOp {
	ops := diffSeq(fields(oldText), fields(newText), func(s string) string { return s })
	var out []WordOp
	for _, op := range ops {
		text := strings.Join(op.items, " ")
		if n := len(out); n > 0 && out[n-1].Op == op.op {
			out[n-1].Text += " " + text
			continue
		}
		out = append(out, WordOp{Op: op.op, Text: text})
	}
	return out
}

// TestSubstitutionDiffMatchesFullDiff checks, on every modified hunk of the
// corpus's consecutive versions, that the positional word diff gives what
// the full diff gives wherever it applies.
func TestSubstitutionDiffMatchesFullDiff(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(corpusRoot, "dataset", "*", "*"))
	if len(dirs) == 0 {
		t.Fatal("no corpus: ../shared/corpus must sit beside the repository")
	}
	applied := 0
	for _, d := range dirs {
		fs, _ := filepath.Glob(d + "/*.md")
		sort.Strings(fs)
		for i := 1; i < len(fs); i++ {
			a, _ := os.ReadFile(fs[i-1])
			b, _ := os.ReadFile(fs[i])
			for _, h := range Diff(string(a), string(b)) {
				if h.Op != OpModified {
					continue
				}
				if _, ok := substitutionDiff(h.Old, h.New); ok {
					applied++
					if !slices.Equal(h.Words, goDiffWords(h.Old, h.New)) {
						t.Errorf("%s: positional %v, full diff %v", fs[i], h.Words, goDiffWords(h.Old, h.New))
					}
				}
			}
		}
	}
	if applied < 100 {
		t.Errorf("the positional diff applied to only %d hunks", applied)
	}
}

// FuzzSubstitutionDiff compares the positional word diff, where it applies,
// with the full diff.
func FuzzSubstitutionDiff(f *testing.F) {
	f.Add("a b c d", "a x c y")
	f.Add("see [x](u1) and [y](u2)", "see [x](v1) and [y](v2)")
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, ok := substitutionDiff(a, b); ok {
			if want := goDiffWords(a, b); !slices.Equal(got, want) {
				t.Errorf("substitutionDiff(%q, %q) = %v, full diff %v", a, b, got, want)
			}
		}
	})
}
