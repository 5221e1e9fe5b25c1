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
// characters and invalid UTF-8 (each invalid byte becomes U+FFFD). Text
// without any of those is returned as is; otherwise the untouched runs
// between them are copied whole.
func canonicalise(s string) string {
	i := 0
	for i < len(s) && plainByte(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0 // s[last:i] is plain and still to be copied
	for i < len(s) {
		c := s[i]
		if plainByte(c) {
			i++
			continue
		}
		b.WriteString(s[last:i])
		if c < utf8.RuneSelf {
			switch c {
			case '\r':
				if i+1 == len(s) || s[i+1] != '\n' {
					b.WriteByte('\n')
				}
			case '\f', '\v':
				b.WriteByte('\n')
			case '\t':
				b.WriteByte(' ')
			}
			// other control characters carry no text
			i++
			last = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError:
			// Invalid bytes (or a literal U+FFFD) stay visible as U+FFFD.
			b.WriteRune(utf8.RuneError)
		case r < 0xA0 && r != 0x85:
			// C1 control characters carry no text
		default:
			if rep, ok := typography[r]; ok {
				b.WriteString(rep)
			} else {
				b.WriteString(s[i : i+n])
			}
		}
		i += n
		last = i
	}
	b.WriteString(s[last:])
	return b.String()
}

// plainByte reports whether canonicalise keeps a byte as it is: printable
// ASCII and the line feed.
func plainByte(c byte) bool {
	return c >= 0x20 && c < 0x7F || c == '\n'
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
	if !isASCII(text) && !norm.NFC.IsNormalString(text) {
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
		for {
			k := strings.Index(body, "  ")
			if k < 0 {
				break
			}
			b.WriteString(body[:k+1])
			body = strings.TrimLeft(body[k+1:], " ")
		}
		b.WriteString(body)
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
