package analysis

import (
	"iter"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Block kinds.
const (
	kindHeading   = "heading"
	kindParagraph = "paragraph"
	kindItem      = "item"
	kindRow       = "row"
)

// block is one unit of a document: a heading, a paragraph, a list item or a
// table row, with the heading path it sits under.
type block struct {
	kind  string
	level int        // heading level (1-6, 7 for a bold or short pseudo-heading)
	raw   string     // original text, lines joined by "\n"
	text  *blockText // texts derived from raw, shared by blocks of equal raw
	path  []string   // enclosing headings, outermost first; shared, never modified
	// lead is, for a list item, the sentence that introduces its list
	// ("We may share your information with the following parties:"):
	// the item is read as its continuation
	lead string
	// numbered marks an item of an ordered list: without a lead-in, a
	// short one that reads as a title is a numbered section heading ("9.
	// Children")
	numbered bool
	// indent is, for a list item, the width of the spaces before its
	// marker: a deeper item belongs to the sub-list of the item above
	indent int
	navOK  bool // nav has been computed
	navV   bool // only links (navigation / related-article lists)
}

// numberedTitle reports whether the block is a numbered section heading
// written as an ordered list item ("9. Children", "13. Changes to our
// Privacy Policy", "6. International transfers of personal data"): one
// line that isTitleLine reads as a title, with no lead-in. It names a
// section and states nothing.
func (b *block) numberedTitle() bool {
	if b.kind != kindItem || !b.numbered || b.lead != "" || strings.Contains(b.raw, "\n") {
		return false
	}
	text := b.plain()
	return isTitleLine(text, tokenize(text), true)
}

// plain is plainText(raw): what signals are matched against and evidence
// quotes. It is derived on first use, as is key.
func (b *block) plain() string { return b.text.derived().plain }

// key is the cosmetic key: textKey of the plain text without a leading
// enumerator. Blocks with equal keys differ only cosmetically.
func (b *block) key() string { return b.text.derived().key }

func (b *block) heading() string { return strings.Join(b.path, " > ") }

// nav reports whether the block is navigation (see isNavBlock). It is
// computed on first use: only changed blocks ever need it.
func (b *block) nav() bool {
	if !b.navOK {
		b.navV, b.navOK = isNavBlock(b), true
	}
	return b.navV
}

var (
	reTableSep = regexp.MustCompile(`^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$`)
	// reEnumerator matches a leading section or clause number ("3.", "10.2",
	// "(a)", "iv)"), which renumbers whenever a section is added elsewhere
	reEnumerator = regexp.MustCompile(`^\s*(?:(?:section|article|art\.)\s+)?(?:\d{1,3}(?:\.\d{1,3})+\.?|\(?\d{1,3}[.)]|\(?[a-z]\)|\(?[ivxlc]{1,5}[.)])\s+`)
	// reBrokenLinkHead and reBrokenLinkTail match the two halves of a link whose label
	// a captured menu broke over two lines: "* [Workspace" and "Webmail,
	// contacts, calendar](https://…)".
	reBrokenLinkHead = regexp.MustCompile(`^\s*(?:[*+-]\s+)?\[[^\]\n]{1,60}$`)
	reBrokenLinkTail = regexp.MustCompile(`^[^\[\]\n]{1,200}\]\([^)\s]*\)`)
	reNavHeader      = regexp.MustCompile(`(?i)^(related (articles|topics|links|pages|resources)|see also|useful links|more resources|helpful links|explore more|more from)\b`)
)

// blockText holds what is derived from a block's raw text alone. Two
// versions of a document share most blocks verbatim; a blockCache holds one
// blockText per distinct raw text for both. The texts are derived once, on
// first use: a diff needs them only for the blocks that changed (and for
// headings).
type blockText struct {
	raw        string
	id         rune      // the same for equal raw texts of one cache (see textRunes)
	once       sync.Once // derives plain and key
	plain, key string
	keyOfPlain bool // key is textKey(plain): no enumerator was removed
	dateLine   int8 // isDateLine(plain): 0 unknown, 1 false, 2 true; set while parsing, on one goroutine
}

// blockCache holds one blockText per distinct raw text, numbered in the
// order they are first seen.
type blockCache map[string]*blockText

// get returns the cache entry for raw, creating it (not yet derived).
func (c blockCache) get(raw string) *blockText {
	if t, ok := c[raw]; ok {
		return t
	}
	t := &blockText{raw: raw, id: textRune(len(c))}
	c[raw] = t
	return t
}

// textRune is the rune of the n-th distinct text: from 1 up, skipping the
// surrogates, which are not runes.
func textRune(n int) rune {
	r := rune(n + 1)
	if r >= 0xD800 {
		r += 0xE000 - 0xD800
	}
	return r
}

// derived returns t with its texts derived.
func (t *blockText) derived() *blockText {
	t.once.Do(func() { t.plain, t.key, t.keyOfPlain = derive(t.raw) })
	return t
}

// deriveTexts computes the plain text and cosmetic key of one raw block.
func deriveTexts(raw string) (plain, key string) {
	plain, key, _ = derive(raw)
	return plain, key
}

// derive is deriveTexts, also reporting whether the key is textKey(plain)
// (no leading enumerator was removed), whose words are then plain's token
// keys.
func derive(raw string) (plain, key string, ofPlain bool) {
	plain = plainText(raw)
	en := plain
	if mayEnumerate(en) && reEnumerator.MatchString(en) {
		en = reEnumerator.ReplaceAllString(en, "")
	}
	if key = textKey(en); key != "" && en != plain {
		return plain, key, false
	}
	if en != plain {
		key = textKey(plain)
	}
	return plain, key, true
}

func (t *blockText) isDateLine() bool {
	if t.dateLine == 0 {
		t.dateLine = 1
		// a date line needs an "updated"/"effective"-style word, which the
		// key holds too (an enumerator is never one)
		if d := t.derived(); hasKeyWord(d.key, dateContext) && isDateLine(d.plain) {
			t.dateLine = 2
		}
	}
	return t.dateLine == 2
}

// mayEnumerate is a cheap necessary condition for reEnumerator to match:
// the first character after leading white space is a digit, a lower-case
// ASCII letter or "(".
func mayEnumerate(s string) bool {
	i := 0
	for i < len(s) && isRESpace(s[i]) {
		i++
	}
	if i == len(s) {
		return false
	}
	c := s[i]
	return c == '(' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z'
}

// isRESpace is RE2's \s: ASCII space, tab, newline, form feed, carriage return.
func isRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// mayBeMarkup is a cheap necessary condition for a line (trimmed) to match
// one of the line expressions above (ATX or setext heading, rule, table row,
// list item): each needs one of these characters first.
func mayBeMarkup(trimmed string) bool {
	switch c := trimmed[0]; {
	case c == '#' || c == '=' || c == '-' || c == '*' || c == '_' || c == '|' || c == '+':
		return true
	case '0' <= c && c <= '9':
		return true
	}
	return strings.HasPrefix(trimmed, "•")
}

// edit replaces doc[from:to] with with.
type edit struct {
	from, to int
	with     string
}

// splitLinkEdits lists the replacements that put back on one line the link
// texts extraction spread over three (reSplitLink.ReplaceAllString(doc,
// "[$1](")), in order. A match starts at "[" followed by spaces or tabs and
// a line break, and holds no other bracket than its closing "](".
func splitLinkEdits(doc string) []edit {
	var edits []edit
	for p := 0; p < len(doc); {
		k := strings.IndexByte(doc[p:], '[')
		if k < 0 {
			break
		}
		p += k
		j := p + 1
		for j < len(doc) && (doc[j] == ' ' || doc[j] == '\t') {
			j++
		}
		if j < len(doc) && doc[j] == '\n' { // only then look for the closing bracket
			if q := strings.IndexAny(doc[p+1:], "[]"); q >= 0 && doc[p+1+q] == ']' && p+q+2 < len(doc) && doc[p+q+2] == '(' {
				if text, ok := splitLinkText(doc[j+1 : p+1+q]); ok {
					edits = append(edits, edit{p, p + q + 3, "[" + text + "]("})
					p += q + 3
					continue
				}
			}
		}
		p++
	}
	return edits
}

// eachLine yields the lines of joinSplitLinks(doc) (as strings.Split gives
// them) without copying the document, each with its offset in doc, or -1
// for a line a split link was joined into, the only lines built anew.
func eachLine(doc string) iter.Seq2[string, int] {
	return func(yield func(string, int) bool) {
		// plain yields the lines of doc[from:to], which holds whole lines
		plain := func(from, to int) bool {
			for from <= to {
				end := strings.IndexByte(doc[from:to], '\n')
				if end < 0 {
					return yield(doc[from:to], from)
				}
				if !yield(doc[from:from+end], from) {
					return false
				}
				from += end + 1
			}
			return true
		}
		edits := splitLinkEdits(doc)
		pos := 0 // start of the next line of doc still to be yielded
		for e := 0; e < len(edits); {
			start := strings.LastIndexByte(doc[:edits[e].from], '\n') + 1
			if start > pos && !plain(pos, start-1) {
				return
			}
			var b strings.Builder
			cur := start
			for e < len(edits) {
				b.WriteString(doc[cur:edits[e].from])
				b.WriteString(edits[e].with)
				cur = edits[e].to
				e++
				// the next edit may fall on the same joined line
				if e == len(edits) || strings.IndexByte(doc[cur:edits[e].from], '\n') >= 0 {
					break
				}
			}
			end := strings.IndexByte(doc[cur:], '\n')
			if end < 0 {
				b.WriteString(doc[cur:])
				yield(b.String(), -1)
				return
			}
			b.WriteString(doc[cur : cur+end])
			if !yield(b.String(), -1) {
				return
			}
			pos = cur + end + 1
		}
		plain(pos, len(doc))
	}
}

// splitLinkText matches t, the text between a split link's first line
// break and its "](" (no brackets in it), against the rest of reSplitLink,
// \s*([^\[\]\n]+?)\s*\n\s*, and returns the link text it captures. With
// greedy white space before a lazy text, the text is the one line holding
// every other character, and a line break must follow it; when t is only
// white space the text is the last space or tab followed by a line break.
func splitLinkText(t string) (string, bool) {
	k := leadRESpace(t)
	if k < len(t) {
		e := len(t)
		for isRESpace(t[e-1]) {
			e--
		}
		if strings.IndexByte(t[k:e], '\n') >= 0 || strings.IndexByte(t[e:], '\n') < 0 {
			return "", false
		}
		return t[k:e], true
	}
	for j := len(t) - 1; j >= 0; j-- {
		if t[j] != '\n' && strings.IndexByte(t[j+1:], '\n') >= 0 {
			return t[j : j+1], true
		}
	}
	return "", false
}

// parseBlocks splits a Markdown-like document into blocks, every one
// derived, and drops the blocks without words.
func parseBlocks(doc string) []*block {
	cache := blockCache{}
	raws := scanBlocks(doc, cache)
	blocks := buildBlocks(raws, cache)
	out := blocks[:0]
	for _, b := range blocks {
		if b.key() != "" {
			out = append(out, b)
		}
	}
	return out
}

// parsePair parses two versions of a document sharing one cache, so that a
// block both versions hold is derived (when it is at all) once. Only
// headings are derived here; a heading without words is dropped. Other
// blocks without words are dropped where they are compared (see
// compareRegion): a block both versions hold verbatim is never compared,
// nor derived by Diff.
func parsePair(oldText, newText string) (ob, nb []*block) {
	scanned := blockCache{} // the few texts scanning looks up (see isPseudoHeading)
	ro, rn := scanBlocks(oldText, scanned), scanBlocks(newText, scanned)
	// sized once for every text, which saves growing it block by block
	cache := make(blockCache, len(ro)+len(rn))
	for raw, t := range scanned {
		cache[raw] = t // keeps its number, unique in both caches
	}
	ob, nb = buildBlocks(ro, cache), buildBlocks(rn, cache)
	linkLeadIns(ob)
	linkLeadIns(nb)
	return ob, nb
}

// linkLeadIns gives each list item the sentence that introduces its list:
// the last sentence of the paragraph right before the list, when it ends
// with a colon, or of the list item above a more indented sub-list, when
// that item ends with one ("you agree that you will not use the AI
// services in the following ways: … 6. based on their biometric data, to
// categorise people" is conduct ruled out, not biometric processing). A
// heading, a table or another paragraph ends the list; an item as little
// indented as the one that introduced a sub-list ends the sub-list.
func linkLeadIns(bs []*block) {
	type level struct {
		indent int
		lead   string
	}
	lead := ""
	var subs []level // open sub-lists, outermost first
	for _, b := range bs {
		switch b.kind {
		case kindItem:
			for len(subs) > 0 && b.indent <= subs[len(subs)-1].indent {
				subs = subs[:len(subs)-1]
			}
			b.lead = lead
			if len(subs) > 0 {
				b.lead = subs[len(subs)-1].lead
			}
			if l := colonLead(b); l != "" {
				subs = append(subs, level{b.indent, l})
			}
		case kindParagraph:
			lead, subs = colonLead(b), subs[:0]
		default:
			lead, subs = "", subs[:0]
		}
	}
}

// colonLead returns the last sentence of a block that ends with a colon,
// or "".
func colonLead(b *block) string {
	if strings.IndexByte(b.raw, ':') < 0 {
		return "" // no colon in the markup, none in the text: no need to derive it
	}
	if text := strings.TrimSpace(b.plain()); strings.HasSuffix(text, ":") {
		if sents := splitSentences(text); len(sents) > 0 {
			return sents[len(sents)-1].text
		}
	}
	return ""
}

// rawBlock is a block as the line scanner finds it, before the texts
// derived from it are known.
type rawBlock struct {
	kind     string
	level    int
	raw      string
	numbered bool // an item of an ordered list ("9. Children")
	indent   int  // spaces before a list item's marker (a tab counts four)
}

// buildBlocks turns scanned blocks into blocks: texts from the cache,
// headings that are only a date turned into paragraphs, headings without
// words dropped, heading paths. Only headings are derived.
func buildBlocks(raws []rawBlock, cache blockCache) []*block {
	var (
		blocks    []*block
		stack     []*block // open headings
		path      []string // heading path of the open headings
		pathDirty bool
	)
	all := make([]block, len(raws)) // allocated at once
	for k, r := range raws {
		kind, level := r.kind, r.level
		t := cache.get(r.raw)
		b := &all[k]
		*b = block{kind: kind, level: level, raw: r.raw, text: t, numbered: r.numbered, indent: r.indent}
		if kind == kindHeading {
			if t.isDateLine() {
				// "Effective May 13, 2025" styled as a heading is not a section
				b.kind, b.level = kindParagraph, 0
				kind = kindParagraph
			} else if b.key() == "" {
				continue
			}
		}
		if kind == kindHeading {
			for len(stack) > 0 && stack[len(stack)-1].level >= level {
				stack = stack[:len(stack)-1]
				pathDirty = true
			}
		}
		if pathDirty {
			// a new slice: blocks already built keep sharing the old one
			path = nil
			for _, h := range stack {
				path = append(path, strings.ReplaceAll(h.plain(), "\n", " "))
			}
			pathDirty = false
		}
		b.path = path
		if kind == kindHeading {
			stack = append(stack, b)
			pathDirty = true
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// scanBlocks splits a document into blocks line by line.
func scanBlocks(doc string, cache blockCache) []rawBlock {
	doc = strings.ReplaceAll(doc, "\r\n", "\n")
	doc = strings.ReplaceAll(doc, "\r", "\n")
	var (
		blocks = make([]rawBlock, 0, strings.Count(doc, "\n")/2+1) // enough for most documents
		para   lineRun
		item   []string
	)
	push := func(kind string, level int, raw string) {
		blocks = append(blocks, rawBlock{kind: kind, level: level, raw: raw})
	}
	flushPara := func() {
		if para.empty() {
			return
		}
		raw := para.text(doc)
		para.reset()
		if strings.HasPrefix(raw, "**") || strings.HasPrefix(raw, "__") {
			if text, ok := boldOnly(raw); ok && countFields(text, 16) <= 15 {
				push(kindHeading, 7, text)
				return
			}
		}
		if isPseudoHeading(raw, cache) {
			push(kindHeading, 7, raw)
			return
		}
		push(kindParagraph, 0, raw)
	}
	itemNumbered, itemIndent := false, 0
	flushItem := func() {
		if len(item) == 0 {
			return
		}
		raw := strings.Join(item, "\n")
		item = item[:0]
		blocks = append(blocks, rawBlock{kind: kindItem, raw: raw, numbered: itemNumbered, indent: itemIndent})
	}
	flush := func() { flushPara(); flushItem() }

	for line, off := range eachLine(doc) {
		trimmed := strings.TrimSpace(line)
		if off >= 0 && !strings.HasPrefix(line, trimmed) {
			off = -1 // indented: not where the trimmed line starts
		}
		if trimmed != "" && trimmed[0] == '>' {
			// a block quote's marker is markup: what it quotes is read
			// like any other line ("> 5. circumventing …" is a list item)
			trimmed, line, off = unquote(trimmed, off)
		}
		if trimmed == "" {
			flush()
			continue
		}
		if !mayBeMarkup(trimmed) {
			// no line expression can match: a paragraph or item line
			if len(item) > 0 {
				item = append(item, trimmed)
			} else {
				para.add(trimmed, off)
			}
			continue
		}
		// matchATX is reATX, matchRun reSetext1/2… (lines.go)
		if level, text, ok := matchATX(line); ok {
			flush()
			push(kindHeading, level, text)
			continue
		}
		listText, isItem := matchListItem(line)
		switch {
		case len(para.lines) == 1 && matchRun(line, '='):
			raw := para.lines[0]
			para.reset()
			push(kindHeading, 1, raw)
		case len(para.lines) == 1 && matchRun(line, '-'):
			raw := para.lines[0]
			para.reset()
			push(kindHeading, 2, raw)
		case matchRule(line) || matchRun(line, '='):
			flush()
		case matchTableRow(line):
			flush()
			if !reTableSep.MatchString(line) {
				push(kindRow, 0, trimmed)
			}
		case isItem:
			flush()
			item = append(item, listText)
			first := strings.TrimLeft(line, " \t")
			itemNumbered = first != "" && '0' <= first[0] && first[0] <= '9'
			itemIndent = indentWidth(line)
		case len(item) > 0:
			item = append(item, trimmed)
		default:
			para.add(trimmed, off)
		}
	}
	flush()
	return blocks
}

// indentWidth returns the width of a line's leading spaces, a tab
// counting four.
func indentWidth(line string) int {
	w := 0
	for _, c := range line {
		switch c {
		case ' ':
			w++
		case '\t':
			w += 4
		default:
			return w
		}
	}
	return w
}

// unquote strips the block-quote markers ("> ", "> > ") from a trimmed
// line found at offset off of the document (-1: not there as it stands),
// and returns the rest, trimmed, as the line, with its offset.
func unquote(trimmed string, off int) (string, string, int) {
	for trimmed != "" && trimmed[0] == '>' {
		rest := trimmed[1:]
		lead := len(rest) - len(strings.TrimLeft(rest, " \t"))
		if off >= 0 {
			off += 1 + lead
		}
		trimmed = strings.TrimSpace(rest)
	}
	return trimmed, trimmed, off
}

// lineRun collects the trimmed lines of a paragraph. While they follow
// one another in the document, one line feed apart, their text is a slice
// of it and needs no copy.
type lineRun struct {
	lines    []string
	from, to int // the lines' span in the document, from < 0 when they are not one
}

// add appends a trimmed line found at offset off of the document (-1 when
// it is not there as it stands).
func (r *lineRun) add(line string, off int) {
	switch {
	case len(r.lines) == 0:
		r.from, r.to = off, off+len(line)
	case r.from >= 0 && off == r.to+1:
		r.to = off + len(line)
	default:
		r.from = -1
	}
	r.lines = append(r.lines, line)
}

func (r *lineRun) empty() bool { return len(r.lines) == 0 }

// text is strings.Join(r.lines, "\n").
func (r *lineRun) text(doc string) string {
	if r.from >= 0 {
		return doc[r.from:r.to]
	}
	return strings.Join(r.lines, "\n")
}

func (r *lineRun) reset() { r.lines = r.lines[:0] }

// boldOnly matches s against ^\s*(\*\*|__)([^*_]+)(\*\*|__)\s*:?\s*$, a
// paragraph that is only bold text, and returns the text. (The expression
// backtracks over every long paragraph that starts in bold; this stops at
// the first character after the bold text that is not white space or a
// colon.)
func boldOnly(s string) (string, bool) {
	i := leadRESpace(s)
	if !strings.HasPrefix(s[i:], "**") && !strings.HasPrefix(s[i:], "__") {
		return "", false
	}
	i += 2
	k := strings.IndexAny(s[i:], "*_")
	if k <= 0 {
		return "", false
	}
	text, rest := s[i:i+k], s[i+k:]
	if !strings.HasPrefix(rest, "**") && !strings.HasPrefix(rest, "__") {
		return "", false
	}
	rest = rest[2+leadRESpace(rest[2:]):]
	rest = strings.TrimPrefix(rest, ":")
	if leadRESpace(rest) != len(rest) {
		return "", false
	}
	return text, true
}

// isPseudoHeading reports whether a paragraph is a one-line title: short,
// capitalised, without links or closing punctuation. Many extracted policies
// lose their heading markup; treating such lines as headings keeps heading
// paths meaningful.
func isPseudoHeading(raw string, cache blockCache) bool {
	// the cheapest tests first: most paragraphs end with punctuation, and
	// counting stops after 11 words
	if raw == "" || strings.IndexByte(".,;:!)", raw[len(raw)-1]) >= 0 || raw[0] < 'A' || raw[0] > 'Z' {
		return false
	}
	if n := countFields(raw, 11); n == 0 || n > 10 {
		return false
	}
	if strings.Contains(raw, "\n") || strings.Contains(raw, "](") {
		return false
	}
	return !cache.get(raw).isDateLine()
}

// countFields counts the white-space separated fields of s (as
// strings.Fields splits them), stopping at limit.
func countFields(s string, limit int) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace[c] != 0 {
				in = false
				continue
			}
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			i += w - 1
			if unicode.IsSpace(r) {
				in = false
				continue
			}
		}
		if !in {
			in = true
			if n++; n >= limit {
				return n
			}
		}
	}
	return n
}

var navFiller = map[string]bool{
	"learn": true, "more": true, "see": true, "read": true, "visit": true, "here": true,
	"about": true, "the": true, "our": true, "and": true, "or": true, "to": true, "click": true,
	"view": true, "go": true, "back": true, "top": true, "also": true, "in": true, "on": true,
}

// boilerplate are cosmetic keys of page-chrome blocks that extraction
// sometimes keeps (table-of-contents toggles, share and print buttons).
var boilerplate = map[string]bool{
	"table of content": true, "skip to main content": true, "skip to content": true,
	"back to top": true, "print": true, "print thi page": true, "share": true,
	"wa thi helpful": true, "yes no": true, "other way to get help": true,
	"show more": true, "see more": true, "read more": true, "learn more": true,
	"related article": true, "on thi page": true, "in thi article": true,
}

// mayBeNavHeader is a cheap necessary condition for reNavHeader to match:
// the heading starts with the first letter of one of its phrases.
func mayBeNavHeader(h string) bool {
	if h == "" {
		return false
	}
	switch h[0] | 0x20 { // ASCII lower case
	case 'r', 's', 'u', 'm', 'h', 'e':
		return true
	}
	return false
}

// isNavBlock reports whether a block is navigation: links with (almost) no
// other words, or anything under a "Related articles"-style heading.
func isNavBlock(b *block) bool {
	for _, h := range b.path {
		if mayBeNavHeader(h) && reNavHeader.MatchString(h) {
			return true
		}
	}
	if boilerplate[b.key()] {
		return true
	}
	if reBrokenLinkHead.MatchString(b.raw) {
		return true // "[Workspace": a link label broken over lines starts here
	}
	if !strings.Contains(b.raw, "](") {
		return false
	}
	rest := stripImages(b.raw, false)
	rest = stripLinks(rest, false)
	// "Webmail, contacts, calendar](https://…)": the rest of a link label
	// broken over lines
	rest = reBrokenLinkTail.ReplaceAllString(rest, "")
	if strings.Contains(rest, "://") || strings.Contains(rest, "<") || strings.Contains(rest, "&") {
		rest = plainText(rest)
	}
	return !hasNavContent(rest)
}

// hasNavContent reports whether s holds a word (as tokenize splits them)
// whose key is not navigation filler, stopping at the first.
func hasNavContent(s string) bool {
	var buf [64]byte
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += w
			continue
		}
		j := wordEnd(s, i+w)
		if !navFiller[string(appendWordKey(buf[:0], s[i:j]))] {
			return true
		}
		i = j
	}
	return false
}
