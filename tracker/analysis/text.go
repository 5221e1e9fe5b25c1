package analysis

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file turns Markdown-like block text into plain text, tokens and
// sentences. Plain text is what signals are matched against and what
// evidence quotes; token keys are what cosmetic comparisons use.

// plainText strips Markdown and HTML markup from a block: links and images
// keep their text, emphasis and tags go, entities are decoded, quotes and
// dashes are folded to ASCII, runs of spaces collapse. Line breaks (including
// <br> and table cell borders) are kept as "\n" so sentences split there.
func plainText(md string) string {
	s := md
	if strings.Contains(s, "<") {
		s = stripBR(s) // reBR, reAutoLink, reHTMLTag (markup.go)
		s = stripAutoLinks(s)
		s = stripHTMLTags(s)
	}
	if strings.Contains(s, "]") {
		// stripImages is reImage with "$1", stripLinks reLink… (markup.go)
		s = stripImages(s, true)
		s = stripLinks(s, true)
		s = stripRefLinks(s)
		s = stripLinkTails(s)
	}
	if strings.Contains(s, "://") || strings.Contains(s, "www.") {
		s = stripBareURLs(s)
	}
	s = stripEmphasis(s)
	if strings.Contains(s, "[") {
		// footnote and annotation markers ("Products[3]") renumber freely
		s = stripFootnotes(s)
	}
	if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	s = foldQuotes(s)
	for strings.Contains(s, "''") {
		s = strings.ReplaceAll(s, "''", "'")
	}
	if !strings.Contains(s, "\n") && !strings.Contains(s, " | ") && isCollapsed(s) && strings.Trim(s, "| ") == s {
		return s // one clean line: the loop below would copy it unchanged
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, l := range strings.Split(s, "\n") {
		l = collapseSpaces(l)
		l = strings.Trim(l, "| ")
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.ReplaceAll(l, " | ", "\n"))
	}
	return b.String()
}

// foldQuotes is quoteFolder.Replace(s) (curly quotes, primes, guillemets
// and dashes to ASCII; soft hyphens, zero-width spaces and byte-order marks
// dropped) without its copy of texts it does not change. Every string the
// folder replaces is one rune starting with a backtick or 0xC2, 0xE2 or
// 0xEF; TestMarkupMatchesRegexps holds the two to the same output.
func foldQuotes(s string) string {
	var b strings.Builder
	used, last := false, 0 // s[last:i] is still to be copied
	for i := 0; i < len(s); {
		if c := s[i]; c != '`' && c != 0xC2 && c != 0xE2 && c != 0xEF {
			i++
			continue
		}
		r, n := quoteAt(s, i)
		if n == 0 {
			i++
			continue
		}
		if !used {
			b.Grow(len(s))
			used = true
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		i += n
		last = i
	}
	if !used {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// quoteAt returns quoteFolder's replacement for the rune at s[i] and its
// length, or n == 0 when it keeps it.
func quoteAt(s string, i int) (repl string, n int) {
	switch s[i] {
	case '`':
		return "'", 1
	case 0xC2:
		if i+1 < len(s) {
			switch s[i+1] {
			case 0xAB, 0xBB: // « »
				return `"`, 2
			case 0xAD: // soft hyphen
				return "", 2
			}
		}
	case 0xE2:
		if i+2 >= len(s) {
			return "", 0
		}
		if s[i+1] == 0x88 && s[i+2] == 0x92 { // −
			return "-", 3
		}
		if s[i+1] != 0x80 {
			return "", 0
		}
		switch s[i+2] {
		case 0x9C, 0x9D, 0x9E, 0x9F, 0xB3: // “ ” „ ‟ ″
			return `"`, 3
		case 0x98, 0x99, 0x9A, 0x9B, 0xB2: // ‘ ’ ‚ ‛ ′
			return "'", 3
		case 0x90, 0x91, 0x93, 0x94: // ‐ ‑ – —
			return "-", 3
		case 0x8B: // zero-width space
			return "", 3
		}
	case 0xEF:
		if i+2 < len(s) && s[i+1] == 0xBB && s[i+2] == 0xBF { // byte-order mark
			return "", 3
		}
	}
	return "", 0
}

// stripEmphasis removes Markdown emphasis and code markers: every '*',
// backtick and "~~", and runs of two or more underscores.
func stripEmphasis(s string) string {
	var b strings.Builder
	used, last := false, 0 // s[last:i] is still to be copied
	for i := 0; i < len(s); i++ {
		k := strings.IndexAny(s[i:], "*_~`\\")
		if k < 0 {
			break
		}
		i += k
		skip := 0 // bytes dropped at i
		switch s[i] {
		case '*', '`', '\\':
			skip = 1
		case '~':
			if i+1 < len(s) && s[i+1] == '~' {
				skip = 2
			}
		case '_':
			for i+skip < len(s) && s[i+skip] == '_' {
				skip++
			}
			if skip < 2 {
				skip = 0
			}
		}
		if skip == 0 {
			continue
		}
		if !used {
			b.Grow(len(s))
			used = true
		}
		b.WriteString(s[last:i])
		i += skip - 1
		last = i + 1
	}
	if !used {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// collapseSpaces trims a line and turns every run of spaces (including
// no-break and other Unicode spaces) into one ASCII space.
func collapseSpaces(l string) string {
	if isCollapsed(l) {
		return l
	}
	b := make([]byte, 0, len(l))
	space := false
	for i := 0; i < len(l); {
		c := l[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' {
				space = true
				continue
			}
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			b = append(b, c)
			continue
		}
		r, n := utf8.DecodeRuneInString(l[i:])
		if unicode.IsSpace(r) || r == '\u200b' {
			space = true
			i += n
			continue
		}
		if space && len(b) > 0 {
			b = append(b, ' ')
		}
		space = false
		b = append(b, l[i:i+n]...)
		i += n
	}
	return string(b)
}

// isCollapsed reports whether collapseSpaces would return l unchanged: no
// space at either end, no two in a row, and no space other than ' '.
func isCollapsed(l string) bool {
	prevSpace := true // a leading space is not collapsed
	for i := 0; i < len(l); {
		c := l[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case '\t', '\f', '\v', '\r':
				return false
			default:
				prevSpace = false
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(l[i:])
		if unicode.IsSpace(r) || r == '\u200b' {
			return false
		}
		prevSpace = false
		i += n
	}
	return len(l) == 0 || l[len(l)-1] != ' '
}

// token is one word of a plain text with its byte span.
type token struct {
	start, end int
	key        string // cosmetic key: lower case, no apostrophes, stemmed
}

// tokenize splits plain text into words (letters, digits, inner apostrophes).
func tokenize(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += w
			continue
		}
		j := wordEnd(s, i+w)
		toks = append(toks, token{start: i, end: j, key: wordKey(s[i:j])})
		i = j
	}
	return toks
}

// wordEnd returns the end of the word that continues at j: letters, digits
// and apostrophes followed by a letter.
func wordEnd(s string, j int) int {
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf && c != '\'' {
			if !asciiWord[c] {
				break
			}
			j++
			continue
		}
		r2, w2 := utf8.DecodeRuneInString(s[j:])
		if isWordRune(r2) {
			j += w2
			continue
		}
		if r2 == '\'' && j+w2 < len(s) {
			r3, _ := utf8.DecodeRuneInString(s[j+w2:])
			if unicode.IsLetter(r3) {
				j += w2
				continue
			}
		}
		break
	}
	return j
}

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wordKey folds a word for cosmetic comparison: lower case, apostrophes
// removed, and a light stem so that "ads"/"ad", "gives"/"give",
// "policies"/"policy" compare equal.
func wordKey(w string) string {
	var buf [64]byte
	b := appendWordKey(buf[:0], w)
	return string(b)
}

// appendWordKey appends wordKey(w) to b without intermediate strings.
func appendWordKey(b []byte, w string) []byte {
	start := len(b)
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\'':
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(w[i:])
		b = utf8.AppendRune(b, unicode.ToLower(r))
		i += n
	}
	k := b[start:]
	n := len(k)
	switch {
	case n > 4 && k[n-3] == 'i' && k[n-2] == 'e' && k[n-1] == 's':
		b = append(b[:start+n-3], 'y')
	case n >= 3 && k[n-1] == 's' && k[n-2] != 's' && k[n-2] != 'u' && k[n-2] != 'i':
		b = b[:start+n-1]
	}
	return b
}

// textKey is the cosmetic key of a text: its word keys joined by spaces.
func textKey(s string) string {
	b := make([]byte, 0, len(s))
	i := 0
	for i < len(s) {
		w := 1
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiWord[c] {
				i++
				continue
			}
		} else {
			var r rune
			r, w = utf8.DecodeRuneInString(s[i:])
			if !isWordRune(r) {
				i += w
				continue
			}
		}
		j := wordEnd(s, i+w)
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = appendWordKey(b, s[i:j])
		i = j
	}
	return string(b)
}

// sentence is a span of a plain text.
type sentence struct {
	start, end int
	text       string
}

var abbreviations = map[string]bool{
	"e.g": true, "i.e": true, "etc": true, "inc": true, "ltd": true, "co": true,
	"no": true, "art": true, "arts": true, "sec": true, "u.s": true, "u.k": true,
	"mr": true, "ms": true, "dr": true, "st": true, "vs": true, "para": true,
	"cf": true, "approx": true, "corp": true, "llc": true, "s.a": true, "b.v": true,
	"u.s.c": true, "u.s.a": true,
}

// missingSpace reports whether the full stop at i ends a sentence that the
// next one follows without a space: a lower-case word before it, a
// capitalised word after it ("account.For more"), and no web address or
// file name around it.
func missingSpace(s string, i int) bool {
	if i < 2 || i+2 >= len(s) || !isLowerASCII(s[i-1]) || !isLowerASCII(s[i-2]) ||
		!(s[i+1] >= 'A' && s[i+1] <= 'Z') || !isLowerASCII(s[i+2]) {
		return false
	}
	k := i
	for k > 0 && s[k-1] != ' ' && s[k-1] != '\n' {
		k--
	}
	e := i
	for e < len(s) && s[e] != ' ' && s[e] != '\n' {
		e++
	}
	word := s[k:e]
	return !strings.Contains(word, "/") && !strings.Contains(word, "@") && !strings.Contains(word, "www")
}

func isLowerASCII(c byte) bool { return c >= 'a' && c <= 'z' }

// reItemMarker matches a section or list marker before its full stop: a
// letter, a roman numeral or a section number ("c", "iv", "3.2").
var reItemMarker = regexp.MustCompile(`^(?:[A-Za-z]|[ivxIVX]{1,4}|\d{1,3}(?:\.\d{1,3})*)$`)

// splitSentences splits plain text at line breaks and at sentence-ending
// punctuation followed by a space and a capital, digit, quote or bracket,
// skipping common abbreviations.
func splitSentences(s string) []sentence {
	var out []sentence
	add := func(a, b int) {
		for a < b && (s[a] == ' ' || s[a] == '\n') {
			a++
		}
		for b > a && (s[b-1] == ' ' || s[b-1] == '\n') {
			b--
		}
		if a < b {
			out = append(out, sentence{start: a, end: b, text: s[a:b]})
		}
	}
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' {
			add(start, i)
			start = i + 1
			continue
		}
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		if c == '.' && missingSpace(s, i) {
			add(start, j) // "… your account.For more details …": a space lost in capture
			start = j
			continue
		}
		for j < len(s) && (s[j] == '"' || s[j] == '\'' || s[j] == ')') {
			j++
		}
		if j >= len(s) || s[j] != ' ' || j+1 >= len(s) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[j+1:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '\'' || r == '(' || r == '[') {
			continue
		}
		if c == '.' {
			k := i
			for k > start && s[k-1] != ' ' && s[k-1] != '(' {
				k--
			}
			if abbreviations[strings.ToLower(s[k:i])] || (i-k == 1 && unicode.IsUpper(rune(s[k]))) ||
				k == start && reItemMarker.MatchString(s[k:i]) {
				continue // an initial, or a section marker opening the line ("c. Fees", "iv. Transfers")
			}
		}
		add(start, j)
		start = j + 1
	}
	add(start, len(s))
	return out
}

// shorten trims a text to about max bytes at a word boundary, adding "…".
func shorten(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= max {
		return s
	}
	cut := strings.LastIndex(s[:max], " ")
	if cut < max/2 {
		cut = max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}
