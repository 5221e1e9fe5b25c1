package analysis

import (
	"regexp"
	"slices"
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
	docs, real := sampleDocs(t, goldenPairs[0].new, diffbenchOld, largestNew)
	for _, d := range docs {
		lines = append(lines, strings.Split(d, "\n")...)
	}
	want := 100
	if real {
		want = 500
	}
	matched := 0
	for _, l := range lines {
		if checkLineMatchers(t, l) {
			matched++
		}
	}
	if matched < want {
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

// joinSplitLinks is reSplitLink.ReplaceAllString(doc, "[$1]("): link texts
// that extraction spread over three lines are put back on one. A match
// starts at "[" followed by spaces or tabs and a line break, and holds no
// other bracket than its closing "](".
func joinSplitLinks(doc string) string {
	w := rewriter{s: doc}
	for _, e := range splitLinkEdits(doc) {
		w.replace(e.from, e.to, e.with)
	}
	return w.result()
}

// splitLines lists the lines eachLine yields, checking their offsets.
func splitLines(tb testing.TB, doc string) []string {
	var lines []string
	for line, off := range eachLine(doc) {
		if off >= 0 && doc[off:off+len(line)] != line {
			tb.Fatalf("eachLine(%.60q): line %q is not at offset %d", doc, line, off)
		}
		lines = append(lines, line)
	}
	return lines
}

// eachLine must yield the lines of joinSplitLinks(doc).
func TestSplitLinesMatchesJoin(t *testing.T) {
	docs := []string{"", "\n", "a\n[\nx\n](u) b\nc", "[\n\n t \n\n](u)[\ny\n](v)\n", "p [ \nq\n](r) s [\nt\n](u)"}
	samples, _ := sampleDocs(t, diffbenchOld, diffbenchNew, largestOld)
	docs = append(docs, samples...)
	for _, d := range docs {
		if got, want := splitLines(t, d), strings.Split(joinSplitLinks(d), "\n"); !slices.Equal(got, want) {
			t.Errorf("eachLine(%.60q) differs from the joined document's lines", d)
		}
	}
}

func FuzzSplitLines(f *testing.F) {
	f.Add("a\n[\nx\n](u) b [\ny\n](v)\nc")
	f.Fuzz(func(t *testing.T, d string) {
		if got, want := splitLines(t, d), strings.Split(joinSplitLinks(d), "\n"); !slices.Equal(got, want) {
			t.Errorf("eachLine(%q) = %q, want %q", d, got, want)
		}
	})
}

// A paragraph's text is its trimmed lines joined by line feeds, whether
// its lines lie one after the other in the document (and are sliced from
// it) or not: indented, followed by spaces, or joined from a split link.
func TestParagraphTextFromLines(t *testing.T) {
	doc := "First line\nsecond line\n\n  indented\nnext\n\ntrailing  \nnext\n\nsee [\nthe\n](u) page\nafter\n\nlast\nline"
	var got []string
	for _, b := range scanBlocks(doc, blockCache{}) {
		got = append(got, b.raw)
	}
	want := []string{"First line\nsecond line", "indented\nnext", "trailing\nnext", "see [the](u) page\nafter", "last\nline"}
	if !slices.Equal(got, want) {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}

// reBoldOnly is the expression boldOnly stands for.
var reBoldOnly = regexp.MustCompile(`^\s*(\*\*|__)([^*_]+)(\*\*|__)\s*:?\s*$`)

func FuzzBoldOnly(f *testing.F) {
	for _, s := range []string{"**Title**", " __Title__ : ", "**Bold.** and more text", "**a*b**", "****", "**x__", "**x**:\n", "__\n__", "**Cookies**\v"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text, ok := boldOnly(s)
		m := reBoldOnly.FindStringSubmatch(s)
		if ok != (m != nil) || ok && text != m[2] {
			t.Errorf("boldOnly(%q) = %q, %v; the expression gives %q", s, text, ok, m)
		}
	})
}
