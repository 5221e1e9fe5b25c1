package report

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"

	"policywatch/resources"
)

// The embedded font lacks some characters documents and notes use (arrows,
// check marks, circled letters, CJK, emoji). gofpdf would print nothing or
// garbage for them, so the PDF shows a stand-in: a fixed ASCII one, else
// the character's compatibility decomposition when the font has it (ⓘ is
// "i"), else "?". The XLSX and the archive keep the exact text.
var standIns = map[rune]string{
	'→': "->", '←': "<-", '⇒': "=>", '↔': "<->", '✓': "v", '✔': "v", '✗': "x", '☐': "[ ]", '☑': "[x]",
	'⚠': "(!)", '−': "-", '≥': ">=", '≤': "<=", '≠': "!=", '\u00a0': " ", '\u2009': " ", '\u202f': " ",
	'\u200b': "", '\ufeff': "", '\t': "    ", 'ⓘ': "(i)",
}

// fontCoverage answers whether the regular text font has a glyph for a rune.
var fontCoverage = struct {
	once sync.Once
	mu   sync.Mutex
	font *sfnt.Font
	buf  sfnt.Buffer
}{}

func fontHas(r rune) bool {
	fontCoverage.once.Do(func() {
		f, err := sfnt.Parse(resources.FontRegular)
		if err == nil {
			fontCoverage.font = f
		}
	})
	if fontCoverage.font == nil {
		return r < 0x250 // Latin only if the font cannot be read
	}
	fontCoverage.mu.Lock()
	defer fontCoverage.mu.Unlock()
	i, err := fontCoverage.font.GlyphIndex(&fontCoverage.buf, r)
	return err == nil && i != 0
}

// glyphCache remembers fontHas answers for one document.
type glyphCache map[rune]bool

func newGlyphCache() glyphCache { return glyphCache{} }

func (g glyphCache) has(r rune) bool {
	v, ok := g[r]
	if !ok {
		v = fontHas(r)
		g[r] = v
	}
	return v
}

// txt makes s printable with the embedded font.
func (d *pdfDoc) txt(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c < ' ' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case standIns[r] != "" || r == '\u200b' || r == '\ufeff':
			b.WriteString(standIns[r])
		case r < ' ' || r == utf8.RuneError || unicode.Is(unicode.Cf, r):
			// drop control and format characters
		case r < 0x80 || d.glyphs.has(r):
			b.WriteRune(r)
		default:
			b.WriteString(d.decomposed(r))
		}
	}
	return b.String()
}

// decomposed is a character the font lacks as its compatibility
// decomposition, when the font has all of that, else "?".
func (d *pdfDoc) decomposed(r rune) string {
	dec := norm.NFKD.String(string(r))
	if dec == string(r) {
		return "?"
	}
	var b strings.Builder
	for _, c := range dec {
		switch {
		case unicode.Is(unicode.Mn, c):
			// accents the font lacks on their own are dropped
		case c < 0x80 || d.glyphs.has(c):
			b.WriteRune(c)
		default:
			return "?"
		}
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}
