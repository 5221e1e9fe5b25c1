package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// typography maps a character that changes between page builds without
// changing meaning to its canonical form; "" drops it. Line endings, tabs and
// control characters are handled in canonicalise itself.
var typography = map[rune]string{
	// line and paragraph separators
	'\u2028': "\n", '\u2029': "\n\n", '\u0085': "\n",
	// spaces
	'\u00A0': " ", '\u1680': " ", '\u2000': " ", '\u2001': " ", '\u2002': " ", '\u2003': " ",
	'\u2004': " ", '\u2005': " ", '\u2006': " ", '\u2007': " ", '\u2008': " ", '\u2009': " ", '\u200A': " ",
	'\u202F': " ", '\u205F': " ", '\u3000': " ",
	// invisible
	'\u200B': "", '\u200C': "", '\u200D': "", '\u2060': "", '\uFEFF': "", '\u00AD': "", '\u180E': "",
	'\u200E': "", '\u200F': "", '\u202A': "", '\u202B': "", '\u202C': "", '\u202D': "", '\u202E': "",
	// quotes
	'\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'", '\u00B4': "'",
	'\u201C': "\"", '\u201D': "\"", '\u201E': "\"", '\u201F': "\"", '\u2033': "\"", '\u00AB': "\"", '\u00BB': "\"",
	'\u2039': "'", '\u203A': "'",
	// dashes and hyphens
	'\u2010': "-", '\u2011': "-", '\u2012': "-", '\u2013': "-", '\u2014': "-", '\u2015': "-", '\u2212': "-",
	'\uFE58': "-", '\uFE63': "-", '\uFF0D': "-",
	// other
	'\u2026': "...", '\u2022': "-",
}

// canonicalise applies the typography table, turns CR, CRLF, form feed and
// vertical tab into newlines and tabs into spaces, and drops other control
// characters and invalid UTF-8. Plain ASCII text without those is returned
// as is.
func canonicalise(s string) string {
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

// Normalize canonicalises document text so that cosmetic churn (line
// endings, non-breaking and zero-width spaces, curly versus straight quotes,
// dash variants, trailing spaces, runs of blank lines) yields the same text
// and so the same Hash. It applies Unicode NFC, replaces invalid UTF-8 with
// U+FFFD, collapses runs of spaces inside a line (keeping the indentation that
// marks nested Markdown lists), trims trailing spaces, keeps at most one blank
// line between blocks, and ends non-empty text with exactly one newline.
// Normalize is idempotent.
func Normalize(text string) string {
	text = canonicalise(text)
	if !isASCII(text) {
		text = norm.NFC.String(text)
		// NFC can produce a character the table maps (U+1FFD becomes
		// U+00B4); a second pass makes the result stable.
		text = canonicalise(text)
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

// countWords counts runs of non-space characters.
func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Hash returns the hex SHA-256 of the normalised text. Because Normalize is
// idempotent, Hash(Normalize(t)) == Hash(t): stored normalised text hashes to
// its recorded hash.
func Hash(text string) string {
	sum := sha256.Sum256([]byte(Normalize(text)))
	return hex.EncodeToString(sum[:])
}
