package extract

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"unicode"
	"unicode/utf8"
	"unsafe"

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

// appendCanonical appends s to dst with the typography table applied, CR,
// CRLF, form feed and vertical tab turned into newlines and tabs into
// spaces, and other control characters and invalid UTF-8 dropped (each
// invalid byte becomes U+FFFD). The untouched runs between those are
// copied whole.
func appendCanonical(dst []byte, s string) []byte {
	last := 0 // s[last:i] is plain and still to be copied
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plainWord(s, i) {
			i += 8
			continue
		}
		c := s[i]
		if plainByte(c) {
			i++
			continue
		}
		dst = append(dst, s[last:i]...)
		if c < utf8.RuneSelf {
			switch c {
			case '\r':
				if i+1 == len(s) || s[i+1] != '\n' {
					dst = append(dst, '\n')
				}
			case '\f', '\v':
				dst = append(dst, '\n')
			case '\t':
				dst = append(dst, ' ')
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
			dst = utf8.AppendRune(dst, utf8.RuneError)
		case r < 0xA0 && r != 0x85:
			// C1 control characters carry no text
		default:
			if rep, ok := typography[r]; ok {
				dst = append(dst, rep...)
			} else {
				dst = append(dst, s[i:i+n]...)
			}
		}
		i += n
		last = i
	}
	return append(dst, s[last:]...)
}

// plainWord reports whether the eight bytes at s[i:] are all plain (see
// plainByte): printable ASCII (0x20 to 0x7E) or line feeds, tested at once.
func plainWord(s string, i int) bool {
	x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
	const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7F7F7F7F7F7F7F7F
	// line feeds (exactly: the bytes of t that are zero) become '*' (0x2A)
	t := x ^ '\n'*ones
	lf := ^((t&lows + lows) | t) & highs
	x += lf >> 2
	below := (x - 0x20*ones) &^ x & highs       // some byte < 0x20
	above := (x + (0x7F-0x7E)*ones | x) & highs // some byte > 0x7E
	return below|above == 0
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
	// All of it happens in one buffer: canonical text first, then its lines
	// tidied in place (a line never grows), and the buffer becomes the
	// result without a copy.
	buf := appendCanonical(make([]byte, 0, len(text)+1), text)
	if !isNFC(buf) {
		// NFC can produce a character the table maps (U+1FFD becomes
		// U+00B4); a second pass makes the result stable.
		nfc := norm.NFC.Bytes(buf)
		buf = appendCanonical(make([]byte, 0, len(nfc)+1), unsafe.String(unsafe.SliceData(nfc), len(nfc)))
	}
	buf = tidyLines(buf)
	if len(buf) == 0 {
		return ""
	}
	// buf is not written to again: the string may share its memory, as
	// strings.Builder's does.
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// normalizeInPlace is Normalize(string(data)) for valid UTF-8, written over
// data itself: data must not be used afterwards. In valid UTF-8 every
// character appendCanonical replaces becomes at most as many bytes as it
// had, so the canonical text never overtakes the bytes still to be read,
// and tidyLines only shortens lines.
func normalizeInPlace(data []byte) string {
	if !utf8.Valid(data) {
		return Normalize(string(data))
	}
	buf := appendCanonical(data[:0], unsafe.String(unsafe.SliceData(data), len(data)))
	if !isNFC(buf) {
		nfc := norm.NFC.Bytes(buf)
		buf = appendCanonical(make([]byte, 0, len(nfc)+1), unsafe.String(unsafe.SliceData(nfc), len(nfc)))
	}
	buf = tidyLines(buf)
	if len(buf) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// tidyLines rewrites canonical text in place (the only white space left is
// ' ' and '\n'): lines without leading indentation beyond 16 spaces, with
// runs of spaces collapsed and trailing spaces trimmed, at most one blank
// line between lines, and a final newline after non-empty text. buf needs
// room for one more byte than its length.
func tidyLines(buf []byte) []byte {
	w := 0 // write position; never passes the read position
	blank, wrote := false, false
	for r := 0; r < len(buf); {
		end := len(buf)
		if k := bytes.IndexByte(buf[r:], '\n'); k >= 0 {
			end = r + k
		}
		line := buf[r:end]
		r = end + 1
		i := 0
		for i < len(line) && line[i] == ' ' {
			i++
		}
		indent := i
		j := len(line)
		for j > i && line[j-1] == ' ' {
			j--
		}
		if i == j {
			blank = wrote
			continue
		}
		if wrote {
			buf[w] = '\n'
			w++
			if blank {
				buf[w] = '\n'
				w++
			}
		}
		blank = false
		for range min(indent, 16) {
			buf[w] = ' '
			w++
		}
		// copy the words, collapsing runs of spaces (copy handles overlap)
		body := line[i:j]
		for {
			k := indexDoubleSpace(body)
			if k < 0 {
				w += copy(buf[w:], body)
				break
			}
			w += copy(buf[w:], body[:k+1])
			body = bytes.TrimLeft(body[k+1:], " ")
		}
		wrote = true
	}
	if wrote {
		return append(buf[:w], '\n')
	}
	return buf[:0]
}

// indexDoubleSpace is bytes.Index(b, []byte("  ")), testing eight bytes
// at a time: spaces are frequent, which slows the library's search.
func indexDoubleSpace(b []byte) int {
	const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7F7F7F7F7F7F7F7F
	i := 0
	for ; i+9 <= len(b); i += 8 {
		t := binary.LittleEndian.Uint64(b[i:]) ^ ' '*ones
		spaces := ^((t&lows + lows) | t) & highs // the high bit of each space
		next := spaces >> 8                      // of each byte followed by a space
		if b[i+8] == ' ' {
			next |= 1 << 63
		}
		if m := spaces & next; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i+1 < len(b); i++ {
		if b[i] == ' ' && b[i+1] == ' ' {
			return i
		}
	}
	return -1
}

// isNFC is norm.NFC.IsNormal(b), checking only the runs of non-ASCII
// characters, each with the ASCII character before it. An ASCII character
// is a starter that no character before it combines or reorders with, so
// normalisation never reaches across one, and ASCII text is normal.
func isNFC(b []byte) bool {
	for i := 0; i < len(b); {
		if i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			i += 8
			continue
		}
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		from := max(i-1, 0) // the ASCII character before, which may combine with what follows
		for i < len(b) && b[i] >= utf8.RuneSelf {
			i++
		}
		if !norm.NFC.IsNormal(b[from:i]) {
			return false
		}
	}
	return true
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
