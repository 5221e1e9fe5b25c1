package analysis

import (
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// markupCases pair each hand-written stripper with the expression and
// replacement it stands for.
var markupCases = []struct {
	name string
	re   *regexp.Regexp
	repl string
	fn   func(string) string
}{
	{"image keep", reImage, "$1", func(s string) string { return stripImages(s, true) }},
	{"image drop", reImage, " ", func(s string) string { return stripImages(s, false) }},
	{"link keep", reLink, "$1", func(s string) string { return stripLinks(s, true) }},
	{"link drop", reLink, " ", func(s string) string { return stripLinks(s, false) }},
	{"ref link", reRefLink, "$1", stripRefLinks},
	{"link tail", reLinkTail, " ", stripLinkTails},
	{"footnote", reFootnote, "", stripFootnotes},
	{"bare URL", reBareURL, " ", stripBareURLs},
	{"link URL", reLinkURL, "](", stripLinkURLs},
	{"br", reBR, "\n", stripBR},
	{"autolink", reAutoLink, "$1", stripAutoLinks},
	{"HTML tag", reHTMLTag, " ", stripHTMLTags},
	{"split link", reSplitLink, "[$1](", joinSplitLinks},
}

var markupSeeds = []string{
	"", "plain text", "[a](b)", "![i](x.png)", "[a [b](u) c](v)", "[a](b \"t\")", "[a](b  \"t\" )", "[a](b (c) d)",
	"[a](b(c)d)", "[a](b(c)", "[a](b", "[a] (b)", "[a][r]", "[][r]", "[a][]", "[a]]", "[[a]](b)", "[a[b]c](d)",
	"[a[b[c]]](d)", "![a](b)![c](d)", "![a]b](c)", "!![a](b)", "](x) ](y z)", "](a(b)c) ](", "[1] [12] [123] [1234] [x1]",
	"http://a https://b/c www.d.e http:// www. (http://x) <https://y> http://a]b", "[t](http://x/?a=(1)&b=2)",
	"[a](\xff) [\xff](b) ![\xff](\xff) http://\xff", "[a](b\n\"t\")", "[a](b \"t\"x)", "[a](b \"t)", "[a\n](b)",
	"<br><BR/><br  /><br/ ><bR\n>< br><b>x</b><a href='x'>y</a></ p><1><https://a> <http:x y> <mailto:m@x.y><http:><HTTP://x>",
	"[\n\ntext\n\n](u) [ \t\n  \n](x) [\n  \n](y) [\nab]\n](z) [\na\nb\n](w) [\n x \n ] (v) [\n[\ny\n](q)",
	"“a” „b‟ «c» ″d′ ‘e’ ‚f‛ g–h—i‐j‑k−l m\u00adn o\u200bp \ufeffq `r` \xe2\x80 \xe2\xe2\x80\x9c \xc2\xc2\xab \xef\xbb \u2019",
	"text [link](https://example.com/path_(x)) more [x][y] and ![img](/i.png \"title\") end[3].",
}

// TestMarkupMatchesRegexps checks the strippers against their expressions
// on the seeds and on every block of three real policies.
func TestMarkupMatchesRegexps(t *testing.T) {
	inputs := append([]string(nil), markupSeeds...)
	docs, real := sampleDocs(t, goldenPairs[1].new, diffbenchOld, largestNew)
	want := 100
	if real {
		want = 1000
	}
	for _, doc := range docs {
		inputs = append(inputs, doc)
		for _, b := range parseBlocks(doc) {
			inputs = append(inputs, b.raw)
		}
	}
	changed := 0
	for _, s := range inputs {
		if got, want := foldQuotes(s), quoteFolder.Replace(s); got != want {
			t.Fatalf("foldQuotes(%q) = %q, want %q", s, got, want)
		}
		for _, mc := range markupCases {
			want := mc.re.ReplaceAllString(s, mc.repl)
			if got := mc.fn(s); got != want {
				t.Fatalf("%s on %q:\n got %q\nwant %q", mc.name, s, got, want)
			}
			if want != s {
				changed++
			}
		}
	}
	if changed < want {
		t.Errorf("only %d replacements exercised", changed)
	}
}

func FuzzMarkupMatchesRegexps(f *testing.F) {
	for _, s := range markupSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isCollapsed(s), collapseSpaces(s) == s; got != want {
			t.Fatalf("isCollapsed(%q) = %v", s, got)
		}
		if got, want := fields(s), strings.Fields(s); !slices.Equal(got, want) {
			t.Fatalf("fields(%q) = %q, want %q", s, got, want)
		}
		spec := func(a, b string) bool {
			return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
		}
		for _, o := range []string{s[:len(s)/2], strings.ReplaceAll(s, " ", "\t "), s[:len(s)/2] + " " + s[len(s)/2:], s[:len(s)/2] + "x" + s[len(s)/2:],
			s[:len(s)/2] + "’" + s[len(s)/2:], s[:len(s)/2] + "](u)" + s[len(s)/2:], strings.ReplaceAll(s, "'", "’")} {
			if sameFields(s, o) != spec(s, o) || sameFields(o, s) != spec(o, s) {
				t.Fatalf("sameFields(%q, %q) wrong", s, o)
			}
			if sameQuoteFolded(s, o) != spec(quoteFolder.Replace(s), quoteFolder.Replace(o)) {
				t.Fatalf("sameQuoteFolded(%q, %q) wrong", s, o)
			}
			if sameWithoutLinkURLs(s, o) != spec(reLinkURL.ReplaceAllString(s, "]("), reLinkURL.ReplaceAllString(o, "](")) {
				t.Fatalf("sameWithoutLinkURLs(%q, %q) wrong", s, o)
			}
		}
		if got, want := foldQuotes(s), quoteFolder.Replace(s); got != want {
			t.Fatalf("foldQuotes(%q) = %q, want %q", s, got, want)
		}
		if got, want := stripEmphasis(s), stripEmphasisSpec(s); got != want {
			t.Fatalf("stripEmphasis(%q) = %q, want %q", s, got, want)
		}
		for _, mc := range markupCases {
			if got, want := mc.fn(s), mc.re.ReplaceAllString(s, mc.repl); got != want {
				t.Fatalf("%s on %q:\n got %q\nwant %q", mc.name, s, got, want)
			}
		}
	})
}

// stripEmphasisSpec is the original byte-by-byte stripEmphasis, the
// specification of the faster one.
func stripEmphasisSpec(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '*' || c == '`' || c == '\\':
			continue
		case c == '~' && i+1 < len(s) && s[i+1] == '~':
			i++
			continue
		case c == '_' && i+1 < len(s) && s[i+1] == '_':
			for i+1 < len(s) && s[i+1] == '_' {
				i++
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func TestStripEmphasis(t *testing.T) {
	for _, s := range append([]string{"", "*a* _b_ __c__ ~d~ ~~e~~ ~~~f `g` \\h ___i____", "_", "__", "~", "~~", "a_b", "x\\\\y"}, markupSeeds...) {
		if got, want := stripEmphasis(s), stripEmphasisSpec(s); got != want {
			t.Errorf("stripEmphasis(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestMarkupDenseAlphabet compares the strippers with their expressions on
// random strings over the few characters their syntax uses, where the
// corpus and the fuzzer rarely go (split links, nested brackets…).
func TestMarkupDenseAlphabet(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	const alphabet = "[]()!\n \t\f\v\"ab<>/:h"
	for k := 0; k < 60000; k++ {
		b := make([]byte, 1+rng.Intn(14))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		s := string(b)
		if rng.Intn(4) == 0 {
			s = "[" + s + "](x"
		}
		for _, mc := range markupCases {
			if got, want := mc.fn(s), mc.re.ReplaceAllString(s, mc.repl); got != want {
				t.Fatalf("%s on %q:\n got %q\nwant %q", mc.name, s, got, want)
			}
		}
	}
}

// FuzzCosmeticComparisons compares sameWithoutLinkURLs, sameLinkTexts and
// sameQuoteFolded with their expressions on pairs of texts.
func FuzzCosmeticComparisons(f *testing.F) {
	f.Add("see [x](https://a.example/1) now", "see [x](https://b.example/2)  now")
	f.Add("a ](u v) b", "a ](w v) b")
	f.Add("don’t “stop”", "don't \"stop\"")
	f.Add("x](\u00a0y", "x](\u2003y")
	f.Add("it’s x \u00ad y", "it's x y") // a field folded to nothing
	spec := func(a, b string) bool {
		return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := sameWithoutLinkURLs(a, b), spec(reLinkURL.ReplaceAllString(a, "]("), reLinkURL.ReplaceAllString(b, "](")); got != want {
			t.Errorf("sameWithoutLinkURLs(%q, %q) = %v, want %v", a, b, got, want)
		}
		if got, want := sameLinkTexts(a, b), spec(reLinkURL.ReplaceAllString(a, "]("), reLinkURL.ReplaceAllString(b, "](")); got != want {
			t.Errorf("sameLinkTexts(%q, %q) = %v, want %v", a, b, got, want)
		}
		if got, want := sameQuoteFolded(a, b), spec(quoteFolder.Replace(a), quoteFolder.Replace(b)); got != want {
			t.Errorf("sameQuoteFolded(%q, %q) = %v, want %v", a, b, got, want)
		}
	})
}

// A block quote's markers are stripped wherever they stand, and the text
// they quote is read whole: one line, several lines, nested quotes, a
// quoted list.
func TestBlockQuoteText(t *testing.T) {
	cases := map[string][]string{
		"> We share your data with advertisers.\n":              {"We share your data with advertisers."},
		">We share your data\n> with advertisers.\n":            {"We share your data\nwith advertisers."},
		"> > Nested quote of a rule.\n":                         {"Nested quote of a rule."},
		"> 1.  sell the service;\n> 2.  share your password.\n": {"sell the service;", "share your password."},
		"Intro:\n\n>    Indented quote.\n\nAfter.\n":            {"Intro:", "Indented quote.", "After."},
		">\n> Second line after an empty quote line.\n":         {"Second line after an empty quote line."},
	}
	for doc, want := range cases {
		var got []string
		for _, b := range parseBlocks(doc) {
			got = append(got, b.plain())
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: blocks %q, want %q", doc, got, want)
		}
	}
}

// containsWord finds whole words only, in any script.
func TestContainsWord(t *testing.T) {
	for _, c := range []struct {
		s, w string
		want bool
	}{
		{"we use copilot daily", "copilot", true},
		{"we use copilots daily", "copilot", false},
		{"microcopilot", "copilot", false},
		{"copilot", "copilot", true},
		{"über-copilot, niño", "niño", true},
		{"age 16 or older", "16", true},
		{"age 160 or older", "16", false},
		{"", "x", false},
	} {
		if got := containsWord(c.s, c.w); got != c.want {
			t.Errorf("containsWord(%q, %q) = %v, want %v", c.s, c.w, got, c.want)
		}
	}
}
