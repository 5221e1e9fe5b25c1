package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// This file holds the diff's byte-level fast paths: white-space fields,
// shared prefixes and changed windows computed eight or sixty-four bytes at
// a time instead of rune by rune. Each has a plain reference (strings.Fields,
// a byte loop, strings.Join) and a fuzzer in fastpath_test.go that holds
// it to that reference, so the algorithm in diff.go reads without them.

// sharedFieldsLen returns, for two texts that start at a field boundary
// (the start or end of a field), the length of their shared start cut back
// to just before ASCII white space, so that every field before is whole and
// equal in both; or their whole length when they are equal.
func sharedFieldsLen(x, y string) int {
	k := commonPrefixLen(x, y)
	if k == len(x) && k == len(y) {
		return k
	}
	for k > 0 && !isFieldSpace(x[k-1]) {
		k-- // back out of the field the texts part in
	}
	for k > 0 && isFieldSpace(x[k-1]) {
		k-- // and over the white space before it
	}
	return k
}

// commonPrefixLen returns how many bytes x and y share at the start.
func commonPrefixLen(x, y string) int {
	const chunk = 64 // compared at once, by the runtime's vectorised equality
	n := min(len(x), len(y))
	k := 0
	for k+chunk <= n && x[k:k+chunk] == y[k:k+chunk] {
		k += chunk
	}
	for k < n && x[k] == y[k] {
		k++
	}
	return k
}

// joinedFields is strings.Join(strings.Fields(s), " "): s without its
// leading and trailing spaces when its only other white space is single
// spaces between words, which is the common case and needs no copy; else
// its fields copied once, one space between them.
func joinedFields(s string) string {
	t := strings.Trim(s, " ")
	for i := 0; i < len(t); i++ {
		i += singleSpacedASCII(t[i:])
		if i == len(t) {
			break
		}
		c := t[i]
		if c >= utf8.RuneSelf {
			r, w := utf8.DecodeRuneInString(t[i:])
			if unicode.IsSpace(r) {
				return joinFields(t, i)
			}
			i += w - 1
			continue
		}
		if asciiSpace[c] != 0 && (c != ' ' || t[i+1] == ' ') {
			return joinFields(t, i)
		}
	}
	return t
}

// singleSpacedASCII returns the length of the start of s, in steps of
// eight bytes, that holds only printable ASCII without two spaces in a row
// (nor a space ending it, which may start a pair).
func singleSpacedASCII(s string) int {
	const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7F7F7F7F7F7F7F7F
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if ((x-0x20*ones)&^x|x)&highs != 0 { // a byte below 0x20 or above 0x7F
			break
		}
		t := x ^ ' '*ones
		spaces := ^((t&lows + lows) | t) & highs
		if spaces&(spaces>>8|1<<63) != 0 { // two spaces, or a space last
			break
		}
	}
	return i
}

// joinFields is joinedFields for a text t without leading or trailing
// spaces whose first i bytes are already single-spaced ASCII.
func joinFields(t string, i int) string {
	for i > 0 && t[i-1] != ' ' {
		i-- // back to the start of the field i is in
	}
	out := make([]byte, 0, len(t))
	if i > 0 {
		out = append(out, t[:i-1]...) // the fields before, without the space after them
	}
	for j := skipSpace(t, i); j < len(t); j = skipSpace(t, j) {
		if len(out) > 0 {
			out = append(out, ' ')
		}
		e := fieldEnd(t, j)
		out = append(out, t[j:e]...)
		j = e
	}
	// out is not written to again: the string may share its memory
	return unsafe.String(unsafe.SliceData(out), len(out))
}

// isFieldSpace reports whether a byte is ASCII white space as
// strings.Fields sees it (a byte of a multi-byte rune never is).
func isFieldSpace(c byte) bool { return c < utf8.RuneSelf && asciiSpace[c] != 0 }

// fields is strings.Fields(s), faster on texts with non-ASCII letters.
func fields(s string) []string {
	out := make([]string, 0, strings.Count(s, " ")+strings.Count(s, "\n")+1)
	i := 0
	for i < len(s) {
		for i < len(s) { // white space (loops written out: this is hot)
			if c := s[i]; c < utf8.RuneSelf {
				if asciiSpace[c] == 0 {
					break
				}
				i++
				continue
			}
			r, w := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += w
		}
		if i == len(s) {
			break
		}
		start := i
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				if asciiSpace[c] != 0 {
					break
				}
				i++
				continue
			}
			r, w := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			i += w
		}
		out = append(out, s[start:i])
	}
	return out
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace[c] == 0 {
				return i
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += w
	}
	return i
}

func fieldEnd(s string, i int) int {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace[c] != 0 {
				return i
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return i
		}
		i += w
	}
	return i
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// oddSpace reports whether s holds white space that Fields splits at but
// the markup expressions do not take for white space (a vertical tab, a
// no-break or other Unicode space): around it the two may disagree, so
// such texts are compared by their derived keys.
func oddSpace(s string) bool {
	if strings.IndexByte(s, '\v') >= 0 {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			r, w := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return true
			}
			i += w - 1
		}
	}
	return false
}

// wordByte reports whether c is an ASCII letter or digit or part of a
// multi-byte character (which may be a letter).
func wordByte(c byte) bool { return c >= utf8.RuneSelf || asciiWord[c] }

// changedWindow returns the stretches of a and b between the text they
// share at the start and at the end, both cut at RE2 white space (which
// is white space to Fields too). A mapping that changes only runs without
// white space, rune by rune or span by span (foldQuotes, stripLinkURLs),
// maps the shared text the same way in both, so the fields of the mapped
// texts are equal exactly when those of the mapped windows are.
func changedWindow(a, b string) (string, string) {
	d, ea, eb := changedSpan(a, b)
	return a[d:ea], b[d:eb]
}

// changedSpan returns where changedWindow's stretches start (d, the same in
// both texts) and end (ea in a, eb in b).
func changedSpan(a, b string) (d, ea, eb int) {
	d = commonPrefixLen(a, b)
	for d > 0 && !isRESpace(a[d-1]) {
		d--
	}
	const chunk = 64 // compared at once, by the runtime's vectorised equality
	s := 0           // bytes shared at the end, after d in both
	for s+chunk <= len(a)-d && s+chunk <= len(b)-d && a[len(a)-s-chunk:len(a)-s] == b[len(b)-s-chunk:len(b)-s] {
		s += chunk
	}
	for s < len(a)-d && s < len(b)-d && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	ea = len(a) - s
	for ea < len(a) && !isRESpace(a[ea]) {
		ea++
	}
	return d, ea, len(b) - (len(a) - ea)
}

// asciiSpace marks the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}
