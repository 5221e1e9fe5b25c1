package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"policywatch/internal/sharedtest"

	"policywatch/internal/testpolicies"
)

// specCanonicalise is the plain rune-by-rune canonicalise this package had first; it
// is kept as the specification the faster version is compared with. It applies the typography table, turns CR, CRLF, form feed and
// vertical tab into newlines and tabs into spaces, and drops other control
// characters and invalid UTF-8. Plain ASCII text without those is returned
// as is.
func specCanonicalise(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || (c < 0x20 && c != '\n') || c == 0x7F {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == '\n' || r == '\f' || r == '\v':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError:
			// Invalid bytes (or a literal U+FFFD) stay visible as U+FFFD.
			b.WriteRune(utf8.RuneError)
		case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0 && r != 0x85):
			// control characters carry no text
		case r < 0x80:
			b.WriteRune(r)
		default:
			if rep, ok := typography[r]; ok {
				b.WriteString(rep)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// specNormalize canonicalises document text so that cosmetic churn (line
// endings, non-breaking and zero-width spaces, curly versus straight quotes,
// dash variants, trailing spaces, runs of blank lines) yields the same text
// and so the same Hash. It applies Unicode NFC, replaces invalid UTF-8 with
// U+FFFD, collapses runs of spaces inside a line (keeping the indentation that
// marks nested Markdown lists), trims trailing spaces, keeps at most one blank
// line between blocks, and ends non-empty text with exactly one newline.
// Normalize is idempotent.
func specNormalize(text string) string {
	text = specCanonicalise(text)
	if !isASCII(text) {
		text = norm.NFC.String(text)
		// NFC can produce a character the table maps (U+1FFD becomes
		// U+00B4); a second pass makes the result stable.
		text = specCanonicalise(text)
	}

	// After canonicalise the only whitespace left is ' ' and '\n'.
	var b strings.Builder
	b.Grow(len(text) + 1)
	blank := false
	wrote := false
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		body := strings.TrimLeft(line, " ")
		indent := len(line) - len(body)
		body = strings.TrimRight(body, " ")
		if body == "" {
			blank = wrote
			continue
		}
		if wrote {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		blank = false
		for range min(indent, 16) {
			b.WriteByte(' ')
		}
		// Collapse runs of spaces inside the line.
		for i := 0; i < len(body); i++ {
			if body[i] == ' ' && body[i-1] == ' ' {
				continue
			}
			b.WriteByte(body[i])
		}
		wrote = true
	}
	if wrote {
		b.WriteByte('\n')
	}
	return b.String()
}

// TestNormalizeMatchesSpec holds Normalize to the plain implementation on
// hand-picked edge cases, the project's test policies and, when the shared
// corpus is present, its first 120 documents.
func TestNormalizeMatchesSpec(t *testing.T) {
	cases := []string{"", "a", "a\r\nb\rc\r", "tab\there", "x\x00y\x7fz", "\xc2\x85nel", "\xc2\x80c1",
		"bad \xff\xfe utf8", "lit \uFFFD", "\u1ffd", "e\u0301", "  a   b  \n\n\n  c  ", "\u2028\u2029", "a\u00a0\u00a0b", "\ufeffstart"}
	for _, d := range testpolicies.Documents() {
		for _, rel := range testpolicies.Versions(d) {
			text, err := testpolicies.File(rel)
			if err != nil {
				t.Fatal(err)
			}
			// each also with the typography normalisation undoes
			cases = append(cases, text, strings.NewReplacer("'", "\u2019", " ", "\u00a0 ", "\n", "\r\n").Replace(text))
		}
	}
	var files []string
	if dir := sharedtest.Path("corpus", "dataset"); dir != "" {
		files, _ = filepath.Glob(filepath.Join(dir, "*", "*", "*.md"))
	}
	for _, f := range files[:min(len(files), 120)] {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, string(data))
	}
	for k, c := range cases {
		if got, want := Normalize(c), specNormalize(c); got != want {
			t.Errorf("case %d: Normalize differs from the specification", k)
		}
	}
}

// FuzzNormalizeMatchesSpec compares Normalize and normalizeInPlace with the
// plain implementation.
func FuzzNormalizeMatchesSpec(f *testing.F) {
	for _, s := range []string{"a\r\n b", "\u2019x\u00a0 \t", "\xff\u1ffd", "  \n\n x  y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := specNormalize(s)
		if got := Normalize(s); got != want {
			t.Errorf("Normalize(%q) = %q, specification gives %q", s, got, want)
		}
		if got := normalizeInPlace([]byte(s)); got != want {
			t.Errorf("normalizeInPlace(%q) = %q, specification gives %q", s, got, want)
		}
	})
}

// FuzzIsNFC holds isNFC to norm.NFC.IsNormal.
func FuzzIsNFC(f *testing.F) {
	for _, s := range []string{"e\u0301", "caf\u00e9", "\u0301x", "a\u0328\u0301 b", "\u1100\u1161\u11a8", "x\u00e9\u0301y", "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := isNFC(b), norm.NFC.IsNormal(b); got != want {
			t.Errorf("isNFC(%q) = %v, want %v", b, got, want)
		}
	})
}

// FuzzPlainWord holds the eight-byte test to plainByte byte by byte.
func FuzzPlainWord(f *testing.F) {
	for _, s := range []string{"abcdefgh", "abc\ndefg", "\n\n\n\n\n\n\n\n", "abc\tdefg", "\x0b\x0a\x09\x7e\x7f\x20\x1f\x80", "\xff\n \x00~}|{"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) < 8 {
			return
		}
		want := true
		for k := 0; k < 8; k++ {
			want = want && plainByte(s[k])
		}
		if got := plainWord(s, 0); got != want {
			t.Errorf("plainWord(%q) = %v, want %v", s[:8], got, want)
		}
	})
}

func FuzzIndexDoubleSpace(f *testing.F) {
	for _, s := range []string{"", " ", "  ", "a b  c", "abcdefg  h", "abcdefgh  ", "       x  ", "1234567 8 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := indexDoubleSpace([]byte(s)), strings.Index(s, "  "); got != want {
			t.Errorf("indexDoubleSpace(%q) = %d, want %d", s, got, want)
		}
	})
}
