package report

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/theme"
	"golang.org/x/image/font/sfnt"
)

// The embedded font lacks some characters documents and notes use (arrows,
// check marks, CJK, emoji). gofpdf would print nothing or garbage for them,
// so the PDF shows a stand-in; the XLSX and the archive keep the exact text.
var standIns = map[rune]string{
	'→': "->", '←': "<-", '⇒': "=>", '↔': "<->", '✓': "v", '✔': "v", '✗': "x", '☐': "[ ]", '☑': "[x]",
	'⚠': "(!)", '−': "-", '\u00a0': " ", '\u2009': " ", '\u202f': " ", '\u200b': "", '\ufeff': "", '\t': "    ",
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
		f, err := sfnt.Parse(theme.DefaultTextFont().Content())
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
			b.WriteByte('?')
		}
	}
	return b.String()
}
