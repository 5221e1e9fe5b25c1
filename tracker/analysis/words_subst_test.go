package analysis

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"policywatch/internal/sharedtest"
	"policywatch/internal/testpolicies"
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

// checkSubstitutionDiff checks, on every modified hunk of old → new, that
// the positional word diff gives what the full diff gives wherever it
// applies, and returns how many hunks it applied to.
func checkSubstitutionDiff(t *testing.T, name, old, new string) int {
	t.Helper()
	applied := 0
	for _, h := range Diff(old, new) {
		if h.Op != OpModified {
			continue
		}
		if _, ok := substitutionDiff(h.Old, h.New); ok {
			applied++
			if !slices.Equal(h.Words, goDiffWords(h.Old, h.New)) {
				t.Errorf("%s: positional %v, full diff %v", name, h.Words, goDiffWords(h.Old, h.New))
			}
		}
	}
	return applied
}

// substituteWords returns doc with every seventh word of each paragraph
// replaced, so that most blocks become same-length substitutions.
func substituteWords(doc string) string {
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, "|") {
			continue
		}
		words := strings.Split(l, " ")
		for k := 3; k < len(words); k += 7 {
			words[k] = "replaced" + strings.Repeat("x", k%3)
		}
		lines[i] = strings.Join(words, " ")
	}
	return strings.Join(lines, "\n")
}

// TestSubstitutionDiffMatchesFullDiff holds the positional word diff to the
// full diff on the project's test policies (their consecutive versions, and
// each version against a copy with words substituted).
func TestSubstitutionDiffMatchesFullDiff(t *testing.T) {
	applied := 0
	for _, p := range testpolicies.Pairs() {
		a, _ := testpolicies.File(p.Old)
		b, _ := testpolicies.File(p.New)
		applied += checkSubstitutionDiff(t, p.New, a, b)
		applied += checkSubstitutionDiff(t, p.New+" (substituted)", b, substituteWords(b))
	}
	if applied < 50 {
		t.Errorf("the positional diff applied to only %d hunks", applied)
	}
}

// TestSubstitutionDiffMatchesFullDiffOnCorpus does the same on every pair of
// consecutive versions of the shared corpus.
func TestSubstitutionDiffMatchesFullDiffOnCorpus(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(sharedtest.Corpus(t), "*", "*"))
	applied := 0
	for _, d := range dirs {
		fs, _ := filepath.Glob(d + "/*.md")
		sort.Strings(fs)
		for i := 1; i < len(fs); i++ {
			a, _ := os.ReadFile(fs[i-1])
			b, _ := os.ReadFile(fs[i])
			applied += checkSubstitutionDiff(t, fs[i], string(a), string(b))
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

// TestHasPlainWord holds hasPlainWord to its promise on every block of
// three real policies and on edge cases: when it finds a word, the block's
// key is not empty.
func TestHasPlainWord(t *testing.T) {
	raws := []string{"[](https://a.example/x)", "![](img.png)", "<img src=\"a.png\">", "&nbsp;", "[3]", "[-][ref]",
		"https://example.com/page", "www.example.com", "—", "](#18.1-Consent)", "[Learn more](https://x.example)", "**Note:**"}
	docs, _ := sampleDocs(t, diffbenchOld, largestOld, "Instagram/Privacy Policy/2025-12-17T00-39-12Z.md")
	for _, doc := range docs {
		ob, _ := parsePair(doc, "")
		for _, b := range ob {
			raws = append(raws, b.raw)
		}
	}
	found := 0
	for _, raw := range raws {
		if hasPlainWord(raw) {
			found++
			if _, key := deriveTexts(raw); key == "" {
				t.Errorf("hasPlainWord(%q) is true but the key is empty", raw)
			}
		}
	}
	if found < 100 {
		t.Errorf("hasPlainWord found words in only %d of %d blocks", found, len(raws))
	}
}

// FuzzHasPlainWord checks hasPlainWord's promise on arbitrary texts.
func FuzzHasPlainWord(f *testing.F) {
	f.Add("[x](https://a.example) and [3]")
	f.Add("&amp; <b>x</b>")
	f.Fuzz(func(t *testing.T, raw string) {
		if hasPlainWord(raw) {
			if _, key := deriveTexts(raw); key == "" {
				t.Errorf("hasPlainWord(%q) is true but the key is empty", raw)
			}
		}
	})
}

// FuzzCosmeticPair checks the promise of the cheap comparison: blocks it
// finds to differ only cosmetically have equal cosmetic keys.
func FuzzCosmeticPair(f *testing.F) {
	f.Add("We use your **data** for ads.", "We use your data for ads.")
	f.Add("See [our help](https://a.example/1) now.", "See [our help](https://b.example/2) now.")
	f.Add("One two three, four.", "One two three four")
	f.Add("One two a*b c", "One two ab c")
	f.Add("| Share information: we share data.<br><br>See [legal requests](https://a.example/x). | More |", "| Share information: we share data.<br><br>See [legal requests\\[60\\]](#annotation-60). | More |")
	f.Add("| A b: c d<br>*   e [f](u) g<br>h | i |", "| A b: c d<br>*   e **f** g<br>h | i |")
	f.Add("One two\nthree <b>four</b> five\nsix", "One two\nthree four five\nsix")
	f.Fuzz(func(t *testing.T, a, b string) {
		o := &block{kind: kindParagraph, raw: a, text: &blockText{raw: a}}
		n := &block{kind: kindParagraph, raw: b, text: &blockText{raw: b}}
		if _, ok := cosmeticPair(o, n); ok && o.key() != n.key() {
			t.Errorf("cosmeticPair(%q, %q) matched blocks with keys %q and %q", a, b, o.key(), n.key())
		}
	})
}

// segmentsSpec and balanced specify balancedSegments.
func segmentsSpec(s string) []string {
	var out []string
	for {
		end, next := len(s), len(s)
		for _, sep := range []string{"\n", " | ", "<br>"} {
			if k := strings.Index(s[:end], sep); k >= 0 {
				end, next = k, k+len(sep)
			}
		}
		out = append(out, s[:end])
		if end == len(s) {
			return out
		}
		s = s[next:]
	}
}

// balanced reports whether every bracket, parenthesis and angle bracket
// of s is closed within it, in order.
func balanced(s string) bool {
	var sq, par, ang int
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			sq++
		case ']':
			sq--
		case '(':
			par++
		case ')':
			par--
		case '<':
			ang++
		case '>':
			ang--
		}
		if sq < 0 || par < 0 || ang < 0 {
			return false
		}
	}
	return sq == 0 && par == 0 && ang == 0
}

func TestBalancedSegments(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		ok   bool
	}{
		{"", []string{""}, true},
		{"a", []string{"a"}, true},
		{"a | b<br>c\nd", []string{"a", "b", "c", "d"}, true},
		{"<br> | \n", []string{"", "", "", ""}, true},
		{"x<br><br>y", []string{"x", "", "y"}, true},
		{"[a](b) | <i>c</i>", []string{"[a](b)", "<i>c</i>"}, true},
		{"[a | b](c)", nil, false},
		{"a) (b", nil, false},
	} {
		got, ok := balancedSegments(c.in, nil)
		if ok != c.ok || ok && !slices.Equal(got, c.want) {
			t.Errorf("balancedSegments(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzBalancedSegments compares balancedSegments with its specification.
func FuzzBalancedSegments(f *testing.F) {
	f.Add("| a [b](c)<br>d | e |")
	f.Fuzz(func(t *testing.T, s string) {
		want := segmentsSpec(s)
		wantOK := true
		for _, seg := range want {
			wantOK = wantOK && balanced(seg)
		}
		got, ok := balancedSegments(s, nil)
		if ok != wantOK || ok && !slices.Equal(got, want) {
			t.Errorf("balancedSegments(%q) = %q, %v; want %q, %v", s, got, ok, want, wantOK)
		}
	})
}

// pairedWordsSpec is pairedWords written plainly: the windows split into
// fields, runs of equal and differing fields joined by spaces.
func pairedWordsSpec(before, wa, wb, after string) []WordOp {
	var out []WordOp
	add := func(op string, words []string) {
		if text := strings.Join(words, " "); text != "" {
			out = appendWordOp(out, op, text)
		}
	}
	fa, fb := strings.Fields(wa), strings.Fields(wb)
	add(OpEqual, strings.Fields(before))
	for k := 0; k < len(fa); {
		j := k
		for j < len(fa) && (fa[j] == fb[j]) == (fa[k] == fb[k]) {
			j++
		}
		if fa[k] == fb[k] {
			add(OpEqual, fb[k:j])
		} else {
			add(OpRemoved, fa[k:j])
			add(OpAdded, fb[k:j])
		}
		k = j
	}
	add(OpEqual, strings.Fields(after))
	return out
}

func FuzzPairedWords(f *testing.F) {
	f.Add("See", " [examples](https://x.example/a). ", " examples\\[8\\](#annotation-8). ", "More")
	f.Add("a b", "x  y\tz", "x Y z", "\u00a0c")
	f.Add("", "one\u2003two", "one two", "")
	f.Add(" x\n y  z\u00a0é ", "a b", "a c d", " e")
	f.Fuzz(func(t *testing.T, before, wa, wb, after string) {
		got, ok := pairedWords(before, wa, wb, after)
		if len(strings.Fields(wa)) != len(strings.Fields(wb)) {
			if ok {
				t.Errorf("pairedWords(%q, %q, %q, %q) paired windows of different lengths", before, wa, wb, after)
			}
			return
		}
		if want := pairedWordsSpec(before, wa, wb, after); !ok || !slices.Equal(got, want) {
			t.Errorf("pairedWords(%q, %q, %q, %q) = %q, %v; want %q", before, wa, wb, after, got, ok, want)
		}
		if got, want := joinedFields(before), strings.Join(strings.Fields(before), " "); got != want {
			t.Errorf("joinedFields(%q) = %q, want %q", before, got, want)
		}
	})
}

// FuzzHasField holds hasField, both ways of looking, to the fields of s.
func FuzzHasField(f *testing.F) {
	f.Add("a bb\u00a0ccc\n", "bb", "x", "")
	f.Add("é\xa9 x", "\xa9", "x", "y")
	f.Add("ab abc", "abc", "b", "ab c")
	f.Fuzz(func(t *testing.T, s, w1, w2, w3 string) {
		fs := strings.Fields(s)
		var words []string
		var lengths uint64
		want := false
		for _, w := range []string{w1, w2, w3} {
			if w == "" || len(strings.Fields(w)) != 1 || strings.Fields(w)[0] != w {
				continue // not a field
			}
			words = append(words, w)
			lengths |= 1 << (len(w) % 64)
			want = want || slices.Contains(fs, w)
		}
		if got := hasField(s, words, lengths); got != want {
			t.Errorf("hasField(%q, %q) = %v, want %v", s, words, got, want)
		}
		// the field-by-field way, with more than four words
		many := append(slices.Clone(words), "\x00a", "\x00b", "\x00c", "\x00d", "\x00e")
		wantMany := want || slices.Contains(fs, "\x00a") || slices.Contains(fs, "\x00b") || slices.Contains(fs, "\x00c") ||
			slices.Contains(fs, "\x00d") || slices.Contains(fs, "\x00e")
		if got := hasField(s, many, ^uint64(0)); got != wantMany {
			t.Errorf("hasField(%q, %q) = %v, want %v", s, many, got, wantMany)
		}
	})
}
