package analysis

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file decides when an edit is cosmetic: whitespace, punctuation, case,
// quote styles, link targets, a bare "last updated"/"effective" date bump,
// navigation link lists, or a removed update-notice banner.

// Reasons a hunk is not substantive.
const (
	ReasonWhitespace  = "whitespace"
	ReasonQuotes      = "quotes"
	ReasonLinkTarget  = "link target"
	ReasonPunctuation = "punctuation or markup"
	ReasonDate        = "date bump"
	ReasonNavigation  = "navigation links"
	ReasonMoved       = "moved"
	ReasonTypo        = "typo fix"
	// ReasonUpdateNotice is a removed "We've updated our Privacy Policy…"
	// banner: it announced an earlier update and states no practice.
	ReasonUpdateNotice = "update notice removed"
	// ReasonChrome is page chrome captured into the text: a cookie-consent
	// banner with its buttons, which states nothing of the policy.
	ReasonChrome = "consent banner or page chrome"
	// ReasonImages is a change of images or their alt text only: page
	// chrome such as a menu's promo pictures.
	ReasonImages = "images"
)

// cosmeticReason returns why a pair of blocks differs only cosmetically, or
// "" when the change is substantive.
func cosmeticReason(o, n *block) string {
	if o.key() == n.key() {
		switch {
		case sameFields(o.raw, n.raw):
			return ReasonWhitespace
		case sameQuoteFolded(o.raw, n.raw):
			return ReasonQuotes
		case sameWithoutLinkURLs(o.raw, n.raw):
			return ReasonLinkTarget
		}
		return ReasonPunctuation
	}
	if equalIgnoringSpaces(o.key(), n.key()) {
		// "ThisArbitration" → "This Arbitration": a space added or lost
		return ReasonWhitespace
	}
	if o.nav() && n.nav() {
		return ReasonNavigation
	}
	if keyWithoutImages(o) == keyWithoutImages(n) {
		return ReasonImages // the keys differ, so some image did
	}
	if isConsentBanner(o.plain()) && isConsentBanner(n.plain()) {
		return ReasonChrome
	}
	if strings.Count(o.key(), " ") == strings.Count(n.key(), " ") && isTypoFix(o.key(), n.key()) {
		return ReasonTypo // a typo fix replaces words one for one
	}
	if mayBeDateBump(o, n) && hasKeyWord(o.key(), dateContext) && isDateBump(o.plain(), n.plain()) {
		return ReasonDate // a date bump needs an "updated"/"effective" word
	}
	return ""
}

// keyWithoutImages is a block's cosmetic key with its images ("![alt](src)")
// taken out: blocks whose keys differ only in images have the same one.
func keyWithoutImages(b *block) string {
	if !strings.Contains(b.raw, "![") {
		return b.key()
	}
	_, k := deriveTexts(stripImages(b.raw, false))
	return k
}

// soloCosmeticReason returns why an added or removed block is not
// substantive on its own (navigation links, a bare date line, a consent
// banner), or "".
func soloCosmeticReason(b *block) string {
	if b.nav() {
		return ReasonNavigation
	}
	if isConsentBanner(b.plain()) {
		return ReasonChrome
	}
	if strings.Count(b.key(), " ") < 12 && isDateLine(b.plain()) {
		return ReasonDate // a date line has at most 12 words
	}
	return ""
}

var months = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
}

var reOrdinal = regexp.MustCompile(`^\d{1,4}(st|nd|rd|th)?$`)

func isDateToken(k string) bool { return months[k] || reOrdinal.MatchString(k) }

var dateContext = map[string]bool{
	"updated": true, "update": true, "effective": true, "revised": true, "modified": true,
	"date": true, "version": true, "published": true, "amended": true, "last": true, "since": true,
	"dated": true, "valid": true, "issued": true,
}

// isDateBump reports whether two texts differ only in date tokens and read
// like a "last updated"/"effective" line: a date-context word and a month
// name or year must be present, so "30 days" → "90 days" is never a bump.
func isDateBump(o, n string) bool {
	ot, nt := tokenize(o), tokenize(n)
	var os, ns []string
	ctx, calendar := false, false
	for _, t := range ot {
		if dateContext[t.key] {
			ctx = true
		}
		if !isDateToken(t.key) {
			os = append(os, t.key)
		}
	}
	for _, t := range nt {
		if months[t.key] || reYear.MatchString(t.key) {
			calendar = true
		}
		if !isDateToken(t.key) {
			ns = append(ns, t.key)
		}
	}
	if strings.Join(os, " ") != strings.Join(ns, " ") {
		return false
	}
	return ctx && calendar
}

// mayBeDateBump is a cheap necessary condition for isDateBump on two
// blocks' plain texts: the words where their keys differ, date tokens
// left out, are the same. (When a key is textKey(plain), its words are the
// plain text's token keys, so isDateBump compares the words outside these
// windows, which are shared, and these.) Blocks whose key lost an
// enumerator are not judged here.
func mayBeDateBump(o, n *block) bool {
	ot, nt := o.text.derived(), n.text.derived()
	if !ot.keyOfPlain || !nt.keyOfPlain {
		return true
	}
	wa, wb := changedWindow(ot.key, nt.key)
	next := func(s string, i int) (string, int) { // the next word that is not a date token
		for {
			i = skipSpace(s, i)
			if i == len(s) {
				return "", i
			}
			e := fieldEnd(s, i)
			if !isDateToken(s[i:e]) {
				return s[i:e], e
			}
			i = e
		}
	}
	for i, j := 0, 0; ; {
		var x, y string
		x, i = next(wa, i)
		y, j = next(wb, j)
		if x != y {
			return false
		}
		if x == "" {
			return true
		}
	}
}

var reYear = regexp.MustCompile(`^(?:19|20)\d\d$`)

// isDateLine reports whether a text is only a dated "last updated" /
// "effective" line: "Last updated: 3 May 2024", "This Privacy Policy was
// last modified on May 24, 2018", "Acme revised these Terms on May 10,
// 2019" (a name may open the line before its date word).
func isDateLine(s string) bool {
	toks := tokenize(s)
	if len(toks) == 0 || len(toks) > 12 {
		return false
	}
	ctx, date := false, false
	for k, t := range toks {
		switch {
		case dateContext[t.key]:
			ctx = true
		case isDateToken(t.key):
			date = true
		case dateLineFiller[t.key]:
		case k == 0 && len(toks) > 1 && dateContext[toks[1].key]:
			// the company's name: "Acme revised these Terms on …"
		default:
			return false
		}
	}
	return ctx && date
}

// dateLineFiller are the keys of the other words a date line may have.
var dateLineFiller = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range tokenize("on as of at in from this these the it we our was were is are has been " +
		"policy policies terms agreement notice statement privacy cookie document page site website service services use conditions and") {
		m[t.key] = true
	}
	return m
}()

// isTypoFix reports whether two cosmetic keys differ only by up to three
// single-word substitutions that are spelling fixes: both words at least
// five letters long and one edit apart (two for words of nine or more),
// e.g. "Ppromotion" → "Promotion", "licence" → "license".
func isTypoFix(oldKey, newKey string) bool {
	ow, nw := strings.Fields(oldKey), strings.Fields(newKey)
	ops := diffSeq(ow, nw, func(s string) string { return s })
	fixes := 0
	for i := 0; i < len(ops); i++ {
		op := ops[i]
		if op.op == OpEqual {
			continue
		}
		if op.op != OpRemoved || i+1 >= len(ops) || ops[i+1].op != OpAdded ||
			len(op.items) != 1 || len(ops[i+1].items) != 1 {
			return false
		}
		a, b := op.items[0], ops[i+1].items[0]
		shortest := min(len(a), len(b))
		allowed := 1
		if shortest >= 9 {
			allowed = 2
		}
		if shortest < 5 || editDistance(a, b) > allowed {
			return false
		}
		fixes++
		i++
	}
	return fixes > 0 && fixes <= 3
}

// editDistance is the Levenshtein distance of two short strings (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Sentences of an update-notice banner: the announcement itself, the
// invitation to read it before it takes effect, and the pointer to the
// previous version.
var (
	// the announcement, optionally dated, naming the documents, and giving
	// at most a date and a general purpose ("to make it easier to read")
	reUpdateAnnouncement = regexp.MustCompile(`(?i)^_?(?:(?:as of|on|since|from|effective|starting) [^.]{1,30}?,? )?(?:` +
		`we(?:'ve| have|'re| are)? (?:recently )?(?:updated|updating|revised|revising|changed|changing|made (?:some |a few )?(?:updates|changes) to) ` + updateDocs +
		`|[\w ]{0,40}(?:policy|terms|agreement|notice|statement) (?:was|has been|have been|is being|are being) (?:recently )?(?:updated|revised|changed)` +
		`)(?: and (?:our |the )?` + updateDocNames + `)?` +
		`(?:,? (?:today|now))?(?: \([^)]{0,40}\))?` +
		`(?:,? (?:effective|on|as of|from|with effect from|starting|in)\b[^.]{0,40})?` +
		`(?:,? (?:to|in order to) (?:(?:make|improve|reflect|include|add|clarify|comply|explain|better|simplify)\b[^.,]{0,120}` +
		`|ensure (?:that )?(?:our |the |these )?(?:language|wording|terms|policy|text|they|it)\b[^.,]{0,60}))?` +
		`(?:,? (?:but|and) we(?: are not|'re not| aren't| have not| haven't) (?:making|made) any (?:material|substantive) changes\b[^.]{0,120})?\.?_?$`)
	reUpdateNoticeAside = regexp.MustCompile(`(?i)^_?(?:please (?:take a (?:moment|look)|review|read)\b[^.]{0,160}` +
		`|(?:you can )?(?:view|see|read|access) (?:our|the) (?:previous|prior|earlier|old|former|current)\b[^.]{0,160}` +
		`|this page is the (?:updated|new|current)\b[^.]{0,160}` +
		`|(?:for|to see) the (?:version|policy|terms) (?:effective|in effect|that applied) (?:until|before)\b[^.]{0,160}` +
		`|(?:this|the) [\w ]{0,60}? (?:will )?(?:go|goes|come|comes|take|takes) (?:into )?effect\b[^.]{0,80}` +
		`|the current [\w ]{0,40}(?:policy|terms|agreement|notice|statement)(?: of (?:service|use))? (?:is|are) below` +
		`|your privacy (?:is|matters)[^.]{0,40}` +
		`|from time to time,? we (?:clarify|update|revise) (?:our|these|the) (?:terms|policy|policies|agreement)\b[^.]{0,120}` +
		`|we(?:'ve| have) also moved (?:the |our )?[\w ]{1,60} to (?:a |its own )?(?:standalone|separate|new|dedicated) page\b[^.]{0,120})\.?_?$`)
)

// updateDocs is the object of an update announcement: "our Privacy
// Policy", "the Meta Terms of Service", "these Terms".
const (
	updateDocs     = `(?:our|the|this|these) ` + updateDocNames
	updateDocNames = `(?:[\w'-]+ ){0,3}?(?:policy|policies|terms|agreement|notice|statement|conditions)(?: of (?:service|use))?`
)

// maxNoticeWords bounds the length of an update-notice banner.
const maxNoticeWords = 80

// isUpdateNotice reports whether a block is only an update-notice banner:
// an announcement that the document was updated, with at most an
// invitation to read it, a pointer to the previous version, a date line or
// a "learn more" pointer beside it. Removing one says nothing about the
// platform's practices, so a removed banner is not substantive; an added
// one stays substantive, because it states when the new version applies.
func isUpdateNotice(b *block) bool {
	if b.kind == kindHeading || countFields(b.plain(), maxNoticeWords+1) > maxNoticeWords {
		return false
	}
	// every announcement holds one of these (lower case in the key)
	if k := b.key(); !strings.Contains(k, "updat") && !strings.Contains(k, "revis") && !strings.Contains(k, "chang") {
		return false
	}
	announced := false
	for _, s := range splitSentences(b.plain()) {
		switch {
		case reUpdateAnnouncement.MatchString(s.text):
			announced = true
		case reUpdateNoticeAside.MatchString(s.text), isPointer(s.text), isDateLine(s.text):
		default:
			return false
		}
	}
	return announced
}

// equalIgnoringSpaces reports whether a and b are equal once their spaces
// are removed.
func equalIgnoringSpaces(a, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) && a[i] == ' ' {
			i++
		}
		for j < len(b) && b[j] == ' ' {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] {
			return false
		}
		i++
		j++
	}
}

// hasKeyWord reports whether a cosmetic key (word keys joined by spaces)
// holds one of words.
func hasKeyWord(key string, words map[string]bool) bool {
	for w := range strings.SplitSeq(key, " ") {
		if words[w] {
			return true
		}
	}
	return false
}

// bannerControls are the button and link labels of cookie-consent banners.
var bannerControls = []string{
	"accept all", "reject all", "allow all", "deny all", "decline all", "accept cookies", "allow cookies",
	"reject cookies", "cookie settings", "cookies settings", "manage preferences", "manage cookies",
	"cookie preferences", "manage settings", "customise settings", "customize settings", "only necessary",
	"necessary cookies only", "by clicking",
}

// isConsentBanner reports whether a block is a cookie-consent banner that
// page capture swept into the policy: short, about cookies, and carrying
// at least two of a banner's button labels ("Accept all", "Cookie
// settings"), so that a policy sentence naming one control ("you can change
// your cookie settings") is not taken for one. A label counts as a button
// when it is written as one: capitalised or quoted ("Accept all",
// "[Reject all]"); "you can configure your browser to accept all cookies,
// reject all cookies …" is a sentence of the policy.
func isConsentBanner(plain string) bool {
	if len(plain) > 800 {
		return false
	}
	lower := strings.ToLower(plain)
	if !strings.Contains(lower, "cookie") {
		return false
	}
	n := 0
	for _, c := range bannerControls {
		if labelledControl(plain, lower, c) {
			n++
		}
	}
	return n >= 2
}

// labelledControl reports whether control (lower case) occurs in plain as
// a button label: capitalised, or right after a quote or bracket. "by
// clicking" counts anywhere: it only ever introduces a button.
func labelledControl(plain, lower, control string) bool {
	if len(lower) != len(plain) { // lower-casing changed the byte offsets
		return strings.Contains(lower, control)
	}
	for from := 0; ; {
		i := strings.Index(lower[from:], control)
		if i < 0 {
			return false
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(plain[:i])
		if control == "by clicking" || plain[i] >= 'A' && plain[i] <= 'Z' || strings.ContainsRune("\"'[(“‘", before) {
			return true
		}
		from = i + 1
	}
}

// markMenuLabels makes an added or removed menu label ("Resources",
// "Add-ons", "Legal") navigation when a neighbouring hunk is navigation
// and the label heads no section that follows: a site menu captured with
// the page renames or drops its section labels with its links, and the
// label alone states nothing.
func markMenuLabels(hunks []Hunk) {
	isNav := func(k int) bool {
		return k >= 0 && k < len(hunks) && hunks[k].Reason == ReasonNavigation
	}
	for k := range hunks {
		h := &hunks[k]
		if !h.Substantive || h.Op != OpAdded && h.Op != OpRemoved {
			continue
		}
		b := h.newBlock
		if h.Op == OpRemoved {
			b = h.oldBlock
		}
		label := b.plain()
		if isMenuLabel(label) && (isNav(k-1) || isNav(k+1)) && !headsNext(hunks, k, label) {
			h.Reason, h.Substantive = ReasonNavigation, false
		}
	}
}

// headsNext reports whether the label heads the next hunk's section: then
// it is a section heading of the document, not a menu label.
func headsNext(hunks []Hunk, k int, label string) bool {
	if k+1 >= len(hunks) {
		return false
	}
	h := strings.TrimSpace(hunks[k+1].Heading)
	l := strings.TrimSpace(label)
	return h == l || strings.HasSuffix(h, " > "+l)
}

// isMenuLabel reports whether a block is a short label: one to three
// words, capitalised, with no sentence punctuation.
func isMenuLabel(plain string) bool {
	t := strings.TrimSpace(plain)
	if t == "" || strings.ContainsAny(t, ".,;:!?\n") {
		return false
	}
	n := len(strings.Fields(t))
	return n >= 1 && n <= 3 && t[0] >= 'A' && t[0] <= 'Z'
}
