package analysis

import (
	"strings"
	"testing"
)

var lineSeeds = []string{
	"", "#", "# ", "# Title", "#Title", "####### Seven", "###### Six ###", "   # indented", "    # four", "\t# tab",
	"# Title #  ", "# ###", "## a # b ##", "# a\\#", "=", "===", "  ===  ", "    ===", "== =", "-", "---", "- - -", "* * *",
	"_ _ _", "-*_", "--", "  ***", "    ***", "*** x", "|a|b|", "  | x", "x | y", "* item", "*item", "+ item", "- item",
	"• item", "•item", "1. one", "12) two", "123. three", "1234. four", "1.two", "a. no", "* ", "*", "1.", "1. ",
	"  -   spaced  ", "\f# ff", "#\f", "-\t-\t-", "•", "\xe2\x80", "1)\xff",
}

// TestLineMatchers checks the line matchers against their expressions on
// the seeds and every line of three real policies.
func TestLineMatchers(t *testing.T) {
	lines := append([]string(nil), lineSeeds...)
	for _, rel := range []string{goldenPairs[0].new, diffbenchOld, largestNew} {
		lines = append(lines, strings.Split(corpusFile(t, rel), "\n")...)
	}
	matched := 0
	for _, l := range lines {
		if checkLineMatchers(t, l) {
			matched++
		}
	}
	if matched < 500 {
		t.Errorf("only %d lines matched an expression", matched)
	}
}

// checkLineMatchers compares every matcher with its expression on line and
// reports whether any expression matched.
func checkLineMatchers(t *testing.T, l string) bool {
	t.Helper()
	any := false
	m := reATX.FindStringSubmatch(l)
	level, text, ok := matchATX(l)
	if ok != (m != nil) || ok && (level != len(m[1]) || text != m[2]) {
		t.Fatalf("matchATX(%q) = %d %q %v, want %q", l, level, text, ok, m)
	}
	any = any || ok
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"setext =", matchRun(l, '='), reSetext1.MatchString(l)},
		{"setext -", matchRun(l, '-'), reSetext2.MatchString(l)},
		{"rule", matchRule(l), reRule.MatchString(l)},
		{"table row", matchTableRow(l), reTableRow.MatchString(l)},
	} {
		if c.got != c.want {
			t.Fatalf("%s on %q: %v, want %v", c.name, l, c.got, c.want)
		}
		any = any || c.got
	}
	lm := reListItem.FindStringSubmatch(l)
	item, ok := matchListItem(l)
	if ok != (lm != nil) || ok && item != lm[3] {
		t.Fatalf("matchListItem(%q) = %q %v, want %q", l, item, ok, lm)
	}
	return any || ok
}

func FuzzLineMatchers(f *testing.F) {
	for _, s := range lineSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, l string) {
		if strings.Contains(l, "\n") {
			return // parseBlocks matches single lines
		}
		checkLineMatchers(t, l)
	})
}
