// Package extract turns a fetched document into the normalised, Markdown-like
// text that PolicyWatch versions, diffs and hashes.
//
// HTML is parsed with goquery (CSS select / remove as in Open Terms Archive
// declarations, range selectors included: see Selectors) and the selected
// content is converted to Markdown with
// github.com/JohannesKaufmann/html-to-markdown/v2: headings as "#", list items
// as "-", links as [text](url), tables as pipe tables. Scripts, styles,
// embedded media and form controls are always dropped; when no selector is
// given, the page's single <main>/<article> is used if there is one, and site
// chrome (nav, aside, header/footer outside the content) is dropped.
//
// PDF text is read with github.com/ledongthuc/pdf, a pure-Go reader (a
// maintained fork of rsc.io/pdf) that exposes the text of each page. pdfcpu,
// the other maintained pure-Go option, is a processing toolkit whose "extract
// content" gives raw page content streams rather than text, so it would need
// a text layer written on top.
//
// Extract also tells a real document from what a check must not record as a
// version: bot walls and challenge pages (reason "blocked"), pages that render
// only with JavaScript or hold almost no text ("empty"), selectors that match
// nothing ("selector-missing") and content types that carry no text
// ("unsupported-type"). Such failures are returned as *Error with advice.
package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Failure reasons carried by Error.Reason. They are stable: the store and the
// CLI's --json output use them.
const (
	ReasonEmpty           = "empty"
	ReasonSelectorMissing = "selector-missing"
	ReasonBlocked         = "blocked"
	ReasonUnsupportedType = "unsupported-type"
	ReasonTooLarge        = "too-large"
	ReasonTimeout         = "timeout"
)

// MaxElements caps the elements of an HTML page: a parsed element costs
// far more memory than its bytes (a page of 18 MiB of <p> took gigabytes),
// and no policy comes near it.
const MaxElements = 200_000

// Thresholds under which extracted text counts as empty.
const (
	MinChars = 200
	MinWords = 30
)

// Error is an extraction failure that a check records instead of a version.
type Error struct {
	// Reason is one of the Reason* constants.
	Reason string
	// Advice tells the user what happened and what to do.
	Advice string
	// JavaScript is true when the page seems to render its content with
	// JavaScript (Reason is then "empty"): a headless browser would be needed.
	JavaScript bool
	// Err is the underlying error, if any.
	Err error
}

// Error returns the reason and the advice.
func (e *Error) Error() string {
	msg := "extract: " + e.Reason + ": " + e.Advice
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Result is the text extracted from a document.
type Result struct {
	// Text is the normalised Markdown-like text (see Normalize).
	Text string
	// Title is the HTML <title> (or first heading), or "".
	Title string
	// StatedDate is the "last updated" / effective date the text states,
	// as YYYY-MM-DD, or YYYY-MM when the text names only a month and a year
	// (see StatedDate), or "".
	StatedDate string
}

// Extract turns a fetched body into normalised text. contentType is the
// Content-Type header as served; the body is decoded from its charset here
// (a body that is already UTF-8 is left alone). selectCSS and removeCSS are
// comma-separated CSS selector lists, whose items may also be range
// selectors (see Selectors); selectCSS may be empty. An *Error is
// returned for bot walls, JavaScript-only and near-empty pages, selectors
// that match nothing and content that is not text.
func Extract(body []byte, contentType string, selectCSS, removeCSS string) (Result, error) {
	return ExtractContext(context.Background(), body, contentType, selectCSS, removeCSS)
}

// ExtractContext is Extract under ctx: parsing stops when ctx ends, with a
// "timeout" *Error when ctx's deadline passed and ctx's error when it was
// cancelled. Pages with more than MaxElements elements fail as "too-large"
// before they are parsed.
func ExtractContext(ctx context.Context, body []byte, contentType string, selectCSS, removeCSS string) (Result, error) {
	res, err := extract(ctx, body, contentType, selectCSS, removeCSS)
	if err != nil && ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return Result{}, &Error{Reason: ReasonTimeout, Advice: "reading the document took longer than a check allows; check that the URL points to the document itself", Err: ctx.Err()}
		}
		return Result{}, ctx.Err()
	}
	return res, err
}

func extract(ctx context.Context, body []byte, contentType string, selectCSS, removeCSS string) (Result, error) {
	switch kindOf(body, contentType) {
	case kindPDF:
		text, err := PDFTextContext(ctx, body)
		if errors.Is(err, errPDFTooLarge) {
			return Result{}, &Error{Reason: ReasonTooLarge, Advice: "the PDF's text is larger than the size limit; check that the URL points to the document itself", Err: err}
		}
		if err != nil {
			return Result{}, &Error{Reason: ReasonUnsupportedType, Advice: "the PDF could not be read; check that the URL serves the document itself", Err: err}
		}
		text = Normalize(text)
		if err := checkLength(text, nil); err != nil {
			if len(text) == 0 {
				err.Advice = "the PDF contains no extractable text (it may be a scanned image); add the document's text by hand"
			}
			return Result{}, err
		}
		return Result{Text: text, StatedDate: statedDate(text)}, nil
	case kindText:
		text := Normalize(string(decode(body, contentType)))
		if err := checkLength(text, nil); err != nil {
			return Result{}, err
		}
		return Result{Text: text, StatedDate: statedDate(text)}, nil
	case kindHTML:
		p, err := parseContext(ctx, body, contentType)
		if err != nil {
			return Result{}, err
		}
		if p.blocked() {
			return Result{}, &Error{Reason: ReasonBlocked, Advice: "the site answered with a bot check or access-denied page instead of the document; open it in a browser, and try again later or add the text by hand"}
		}
		text, err := p.text(selectCSS, removeCSS)
		if err != nil {
			var xe *Error
			if errors.As(err, &xe) && xe.Reason == ReasonSelectorMissing && p.jsShell() {
				return Result{}, jsError()
			}
			return Result{}, err
		}
		if err := checkLength(text, p); err != nil {
			return Result{}, err
		}
		return Result{Text: text, Title: p.title(), StatedDate: statedDate(text)}, nil
	default:
		mt, _, _ := mime.ParseMediaType(contentType)
		if mt == "" {
			mt = "unknown"
		}
		return Result{}, &Error{Reason: ReasonUnsupportedType, Advice: fmt.Sprintf("the URL serves %s, not an HTML page, PDF or text; point it at the document itself", mt)}
	}
}

func jsError() *Error {
	return &Error{Reason: ReasonEmpty, JavaScript: true,
		Advice: "the page renders its content only with JavaScript: capture it in the browser (render mode auto or browser), or track a static or printable version of the document (or its PDF) instead"}
}

// checkLength fails text that is too short to be a real document.
func checkLength(text string, p *page) *Error {
	runes := utf8.RuneCountInString(text)
	words := countWords(text)
	if runes >= MinChars && words >= MinWords {
		return nil
	}
	if p != nil && p.jsShell() {
		return jsError()
	}
	return &Error{Reason: ReasonEmpty, Advice: fmt.Sprintf("the page yielded only %d characters (%d words) of text; check the URL and the selector", runes, words)}
}

// HTMLToText converts an HTML page to normalised Markdown-like text, keeping
// what selectCSS matches (the whole page's content when empty) minus what
// removeCSS matches. The charset comes from a BOM or <meta> declaration when
// the bytes are not UTF-8. The selectors are as in Extract. It fails only
// when a selector is invalid or matches nothing; it does not judge whether
// the text is long enough.
func HTMLToText(htmlBytes []byte, selectCSS, removeCSS string) (string, error) {
	p, err := parse(htmlBytes, "text/html")
	if err != nil {
		return "", err
	}
	return p.text(selectCSS, removeCSS)
}

type kind int

const (
	kindUnsupported kind = iota
	kindHTML
	kindText
	kindPDF
)

// kindOf decides how to read a body from its declared type and its bytes.
func kindOf(body []byte, contentType string) kind {
	if bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("%PDF-")) {
		return kindPDF
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" || mt == "application/octet-stream" || mt == "binary/octet-stream" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	switch {
	case mt == "application/pdf" || mt == "application/x-pdf":
		// No %PDF header: often an HTML error or consent page served
		// under the PDF's URL.
		if looksLikeHTML(body) {
			return kindHTML
		}
		return kindPDF
	case mt == "text/html" || mt == "application/xhtml+xml":
		return kindHTML
	case mt == "text/plain" || mt == "text/markdown" || mt == "text/x-markdown":
		if looksLikeHTML(body) {
			return kindHTML
		}
		return kindText
	case mt == "text/xml" || mt == "application/xml":
		if looksLikeHTML(body) {
			return kindHTML
		}
	}
	return kindUnsupported
}

func looksLikeHTML(body []byte) bool {
	head := bytes.ToLower(body[:min(len(body), 1024)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html")) ||
		bytes.Contains(head, []byte("<body")) || bytes.Contains(head, []byte("<div"))
}

// decode returns body as UTF-8 (see detect for the rules).
func decode(body []byte, contentType string) []byte {
	e, name := detect(body, contentType)
	body = bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF})
	if name == "utf-8" && utf8.Valid(body) {
		return body
	}
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		out = body
	}
	out = bytes.TrimPrefix(out, []byte{0xEF, 0xBB, 0xBF})
	return bytes.ToValidUTF8(out, []byte("\uFFFD"))
}

// detect picks the encoding of body: a byte-order mark or a declared UTF-16
// wins; otherwise valid UTF-8 is taken as UTF-8 whatever the labels say
// (mislabelled pages are common, and a real single-byte page with accented
// letters is almost never valid UTF-8); otherwise the Content-Type charset,
// a <meta> declaration, then windows-1252. It matches fetch.DecodeToUTF8.
func detect(body []byte, contentType string) (encoding.Encoding, string) {
	e, name, certain := charset.DetermineEncoding(body, contentType)
	if certain && (bytes.HasPrefix(body, []byte{0xFE, 0xFF}) || bytes.HasPrefix(body, []byte{0xFF, 0xFE}) || strings.HasPrefix(name, "utf-16")) {
		return e, name
	}
	if utf8.Valid(body) || e == nil || name == "utf-8" {
		return xunicode.UTF8, "utf-8"
	}
	return e, name
}

// noise is always removed: it never carries document text.
const noise = "script, style, noscript, template, svg, canvas, iframe, object, embed, img, picture, video, audio, source, track, map, link, meta, input, select, textarea, " +
	"#onetrust-consent-sdk, #CybotCookiebotDialog, #cookie-law-info-bar, #usercentrics-root"

// chrome is removed when no selector is given.
const chrome = "nav, aside, [role=navigation], [role=banner], [role=contentinfo], [role=search], dialog"

// page is a parsed HTML document plus facts gathered before it is pruned.
type page struct {
	doc        *goquery.Document
	raw        string // lower-cased decoded HTML
	scriptLen  int
	bodyWords  int
	titleText  string
	shellCache *bool
}

func parse(body []byte, contentType string) (*page, error) {
	return parseContext(context.Background(), body, contentType)
}

// parseContext parses a page under ctx, refusing one with more than
// MaxElements elements before building its tree.
func parseContext(ctx context.Context, body []byte, contentType string) (*page, error) {
	utf := decode(body, contentType)
	n, err := countElements(ctx, utf, MaxElements)
	if err != nil {
		return nil, err
	}
	if n > MaxElements {
		return nil, &Error{Reason: ReasonTooLarge, Advice: fmt.Sprintf("the page has more than %d HTML elements, more than any document; check that the URL points to the document itself", MaxElements)}
	}
	doc, err := goquery.NewDocumentFromReader(ctxReader{ctx, bytes.NewReader(utf)})
	if err != nil {
		return nil, &Error{Reason: ReasonEmpty, Advice: "the page could not be parsed as HTML", Err: err}
	}
	p := &page{doc: doc, raw: strings.ToLower(string(utf))}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) { p.scriptLen += len(s.Text()) })
	p.titleText = collapse(doc.Find("title").First().Text())
	if p.titleText == "" {
		p.titleText = collapse(doc.Find("h1").First().Text())
	}
	doc.Find(noise).Remove()
	p.bodyWords = countWords(doc.Find("body").Text())
	return p, nil
}

func (p *page) title() string { return p.titleText }

// countElements counts the start tags of an HTML page, stopping past limit
// or when ctx ends.
func countElements(ctx context.Context, utf []byte, limit int) (int, error) {
	z := html.NewTokenizer(bytes.NewReader(utf))
	z.SetMaxBuf(0)
	n := 0
	for i := 0; ; i++ {
		if i%4096 == 0 && ctx.Err() != nil {
			return n, ctx.Err()
		}
		switch z.Next() {
		case html.ErrorToken:
			return n, nil
		case html.StartTagToken, html.SelfClosingTagToken:
			if n++; n > limit {
				return n, nil
			}
		}
	}
}

// ctxReader fails reads once ctx has ended, which stops the HTML parser.
type ctxReader struct {
	ctx context.Context
	r   *bytes.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// Bot walls: titles, phrases and markup of challenge and access-denied pages
// (Cloudflare, Akamai, PerimeterX, DataDome, Imperva, reCAPTCHA/hCaptcha).
var (
	wallTitles = []string{
		"just a moment", "attention required", "access denied", "checking your browser",
		"please wait while we verify", "are you a robot", "are you a human", "security check",
		"captcha", "verify you are human", "human verification", "pardon our interruption",
		"request unsuccessful", "bot verification", "access to this page has been denied",
		"403 forbidden", "you have been blocked", "ddos protection",
	}
	wallMarkers = []string{
		"cf-browser-verification", "cf_chl_opt", "/cdn-cgi/challenge-platform", "cf-challenge",
		"challenges.cloudflare.com", "px-captcha", "perimeterx", "_pxappid", "captcha-delivery.com",
		"datadome", "_incapsula_resource", "incapsula incident id", "errors.edgesuite.net",
		"g-recaptcha", "h-captcha", "hcaptcha.com/1/api.js",
		"enable javascript and cookies to continue", "checking if the site connection is secure",
		"verify you are human", "press & hold", "please complete the security check",
		"you don't have permission to access", "you do not have permission to access",
		"this request was blocked by our security service", "sorry, you have been blocked",
	}
)

// maxWallWords: a bot wall is short; a real policy that merely mentions
// "captcha" or DataDome (as cookie policies do) is not.
const maxWallWords = 300

func (p *page) blocked() bool {
	if p.bodyWords >= maxWallWords {
		return false
	}
	title := strings.ToLower(p.titleText)
	for _, w := range wallTitles {
		if strings.Contains(title, w) {
			return true
		}
	}
	for _, m := range wallMarkers {
		if strings.Contains(p.raw, m) {
			return true
		}
	}
	return false
}

var shellMarkers = []string{
	`id="root"`, `id="__next"`, `id="app"`, `id="___gatsby"`, `id="__nuxt"`, `__next_data__`,
	`data-reactroot`, `ng-version`, `ng-app`, `id='root'`, `id='app'`,
	"you need to enable javascript", "please enable javascript", "requires javascript",
	"javascript is required", "javascript is disabled", "enable javascript to",
	"turn on javascript", "doesn't work properly without javascript",
}

// jsShell reports whether the page looks like a client-side rendered shell.
func (p *page) jsShell() bool {
	if p.shellCache != nil {
		return *p.shellCache
	}
	v := false
	for _, m := range shellMarkers {
		if strings.Contains(p.raw, m) {
			v = true
			break
		}
	}
	if !v && p.scriptLen > 5000 && p.bodyWords < 100 {
		v = true
	}
	p.shellCache = &v
	return v
}

// text selects, prunes and converts the page.
//
// Range selectors follow Open Terms Archive: remove ranges are resolved on
// the whole page before anything is removed and are deleted first; select
// ranges are then resolved on what is left, and copied without the nodes
// that the CSS part of removeCSS matches. CSS selection and removal work as
// they always have: the CSS part of selectCSS picks elements, and removeCSS
// prunes inside them.
func (p *page) text(selectCSS, removeCSS string) (string, error) {
	selSpec, err := ParseSelectors(selectCSS)
	if err != nil {
		return "", err
	}
	remSpec, err := ParseSelectors(removeCSS)
	if err != nil {
		return "", err
	}
	if err := p.removeRanges(remSpec.Ranges); err != nil {
		return "", err
	}
	var fragments []*html.Node
	if len(selSpec.Ranges) > 0 {
		var skip map[*html.Node]bool
		if remSpec.CSS != "" {
			skip = map[*html.Node]bool{}
			for _, n := range p.doc.Find(remSpec.CSS).Nodes {
				skip[n] = true
			}
		}
		if fragments, err = p.selectRanges(selSpec.Ranges, skip); err != nil {
			return "", err
		}
	}
	selectCSS, removeCSS = selSpec.CSS, remSpec.CSS
	sel := p.doc.FindNodes() // empty
	if selectCSS != "" {
		sel = p.doc.Find(selectCSS)
		if sel.Length() == 0 {
			return "", &Error{Reason: ReasonSelectorMissing, Advice: fmt.Sprintf("the selector %q matches nothing on the page; the site's layout may have changed: update the selector", selectCSS)}
		}
	} else if len(selSpec.Ranges) == 0 {
		sel = p.autoSelect()
	}
	if removeCSS != "" && sel.Length() > 0 {
		sel.Find(removeCSS).Remove()
		// A selected element that itself matches removeCSS goes too.
		sel = sel.Not(removeCSS)
	}
	nodes := append(outermost(sel.Nodes), fragments...)
	var out strings.Builder
	for _, n := range nodes {
		md, err := markdown().ConvertNode(n)
		if err != nil {
			return "", fmt.Errorf("convert html to markdown: %w", err)
		}
		out.Write(md)
		out.WriteString("\n\n")
	}
	return Normalize(out.String()), nil
}

// autoSelect picks the content when no selector is given: site chrome (nav,
// aside, banners) goes, then a single <main> (or role=main) is used, else a
// single <article>, else <body> without header and footer.
func (p *page) autoSelect() *goquery.Selection {
	p.doc.Find(chrome).Remove()
	for _, s := range []string{"main, [role=main]", "article"} {
		if m := outermostSel(p.doc, s); m.Length() == 1 && countWords(m.Text()) >= MinWords {
			return m
		}
	}
	body := p.doc.Find("body")
	body.Find("header, footer").Each(func(_ int, s *goquery.Selection) {
		if s.Closest("main, article, [role=main]").Length() == 0 {
			s.Remove()
		}
	})
	if body.Length() == 0 {
		return p.doc.Selection
	}
	return body
}

func outermostSel(doc *goquery.Document, css string) *goquery.Selection {
	return doc.FindNodes(outermost(doc.Find(css).Nodes)...)
}

// outermost drops nodes nested in another node of the list, so that text is
// not repeated when a selector matches both a block and its descendant.
func outermost(nodes []*html.Node) []*html.Node {
	in := make(map[*html.Node]bool, len(nodes))
	for _, n := range nodes {
		in[n] = true
	}
	var out []*html.Node
	for _, n := range nodes {
		nested := false
		for a := n.Parent; a != nil; a = a.Parent {
			if in[a] {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, n)
		}
	}
	return out
}

var markdown = sync.OnceValue(func() *converter.Converter {
	// Escaping is off: the text is read by people and by the diff, not
	// rendered, and "user\_id" or "1\. Scope" would be noise in evidence.
	return converter.NewConverter(converter.WithEscapeMode(converter.EscapeModeDisabled), converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(
			commonmark.WithHeadingStyle(commonmark.HeadingStyleATX),
			commonmark.WithBulletListMarker("-"),
			commonmark.WithListEndComment(false),
			commonmark.WithHorizontalRule("---"),
		),
		strikethrough.NewStrikethroughPlugin(),
		table.NewTablePlugin(
			table.WithCellPaddingBehavior(table.CellPaddingBehaviorMinimal),
			table.WithSkipEmptyRows(true),
			table.WithHeaderPromotion(true),
		),
	))
})

// Selectors is a parsed select or remove setting: CSS selectors plus Open
// Terms Archive range selectors.
//
// A document's select and remove settings are plain strings: a
// comma-separated list of CSS selectors, as in a style sheet. An item of the
// list may instead be a range selector written as a JSON object in Open
// Terms Archive's form, for example
//
//	main, {"startBefore": "h1", "endBefore": "[role=separator]"}
//
// A CSS selector never starts with "{", so a plain CSS list reads as it
// always has.
type Selectors struct {
	// CSS is the CSS part, a selector group ("" when there is none). Without
	// range selectors it is the setting itself, trimmed.
	CSS string
	// Ranges are the range selectors, in the order written.
	Ranges []RangeSelector
}

// RangeSelector is an Open Terms Archive range selector: the content from a
// start point to an end point of the page. The start point is just before
// (StartBefore) or just after (StartAfter) the first element the start CSS
// matches; the end point likewise with EndBefore or EndAfter. Exactly one
// start and one end are set.
type RangeSelector struct {
	StartBefore string `json:"startBefore,omitempty"`
	StartAfter  string `json:"startAfter,omitempty"`
	EndBefore   string `json:"endBefore,omitempty"`
	EndAfter    string `json:"endAfter,omitempty"`
}

// String returns the range selector as a compact JSON object, the form a
// select or remove setting holds it in.
func (r RangeSelector) String() string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(r)
	return strings.TrimSpace(b.String())
}

func (r RangeSelector) start() (css string, before bool) {
	if r.StartBefore != "" {
		return r.StartBefore, true
	}
	return r.StartAfter, false
}

func (r RangeSelector) end() (css string, before bool) {
	if r.EndBefore != "" {
		return r.EndBefore, true
	}
	return r.EndAfter, false
}

// check reports what is wrong with the range selector, or "".
func (r RangeSelector) check() string {
	switch {
	case (r.StartBefore == "") == (r.StartAfter == ""):
		return `it needs exactly one of "startBefore" and "startAfter"`
	case (r.EndBefore == "") == (r.EndAfter == ""):
		return `it needs exactly one of "endBefore" and "endAfter"`
	}
	for _, css := range []string{r.StartBefore, r.StartAfter, r.EndBefore, r.EndAfter} {
		if css == "" {
			continue
		}
		if _, err := cascadia.ParseGroup(css); err != nil {
			return fmt.Sprintf("%q is not a valid CSS selector", css)
		}
	}
	return ""
}

// ParseSelectors parses a select or remove setting (see Selectors) and
// checks every CSS selector in it. An invalid setting gives an *Error with
// reason "selector-missing" and advice naming the faulty part.
func ParseSelectors(setting string) (Selectors, error) {
	setting = strings.TrimSpace(setting)
	if setting == "" {
		return Selectors{}, nil
	}
	var css []string
	var out Selectors
	for _, item := range splitSelectorList(setting) {
		if !strings.HasPrefix(item, "{") {
			css = append(css, item)
			continue
		}
		var r RangeSelector
		dec := json.NewDecoder(strings.NewReader(item))
		dec.DisallowUnknownFields()
		err := dec.Decode(&r)
		if err == nil && dec.More() {
			err = errors.New("text after the object")
		}
		if err != nil {
			return Selectors{}, &Error{Reason: ReasonSelectorMissing, Err: err,
				Advice: fmt.Sprintf(`the range selector %s is not valid JSON of the form {"startBefore" or "startAfter": CSS, "endBefore" or "endAfter": CSS}; correct it in the document's settings`, item)}
		}
		if why := r.check(); why != "" {
			return Selectors{}, &Error{Reason: ReasonSelectorMissing,
				Advice: fmt.Sprintf("the range selector %s is not valid: %s; correct it in the document's settings", item, why)}
		}
		out.Ranges = append(out.Ranges, r)
	}
	if len(out.Ranges) == 0 {
		out.CSS = setting
	} else {
		out.CSS = strings.Join(css, ", ")
	}
	if out.CSS != "" {
		if _, err := cascadia.ParseGroup(out.CSS); err != nil {
			return Selectors{}, &Error{Reason: ReasonSelectorMissing, Advice: fmt.Sprintf("the CSS selector %q is not valid; correct it in the document's settings", out.CSS), Err: err}
		}
	}
	return out, nil
}

// CheckSelectors reports whether a select or remove setting is valid (see
// ParseSelectors).
func CheckSelectors(setting string) error {
	_, err := ParseSelectors(setting)
	return err
}

// SelectorsFromOTA turns the "select" or "remove" value of an Open Terms
// Archive declaration (a CSS string, a range selector object, or an array of
// both) into a setting string, and checks it.
func SelectorsFromOTA(value json.RawMessage) (string, error) {
	value = bytes.TrimSpace(value)
	if len(value) == 0 || string(value) == "null" {
		return "", nil
	}
	var items []json.RawMessage
	if value[0] == '[' {
		if err := json.Unmarshal(value, &items); err != nil {
			return "", fmt.Errorf("selectors: %w", err)
		}
	} else {
		items = []json.RawMessage{value}
	}
	parts := make([]string, 0, len(items))
	for _, it := range items {
		var css string
		if json.Unmarshal(it, &css) == nil {
			if css = strings.TrimSpace(css); css != "" {
				parts = append(parts, css)
			}
			continue
		}
		var r RangeSelector
		dec := json.NewDecoder(bytes.NewReader(it))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return "", fmt.Errorf("selectors: %s is neither a CSS string nor a range selector: %w", it, err)
		}
		parts = append(parts, r.String())
	}
	setting := strings.Join(parts, ", ")
	if err := CheckSelectors(setting); err != nil {
		return "", err
	}
	return setting, nil
}

// splitSelectorList splits a setting at the commas that separate its items,
// not at those inside quotes, brackets, parentheses or braces, and trims the
// items, dropping empty ones.
func splitSelectorList(s string) []string {
	var items []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\\':
			i++ // a CSS escape: "\," is part of a name
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth = max(depth-1, 0)
		case c == ',' && depth == 0:
			items = append(items, s[start:i])
			start = i + 1
		}
	}
	items = append(items, s[start:])
	out := items[:0]
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// A span is a DOM range whose boundary points sit before or after elements.
// Positions count the opening and closing of every node of the tree in
// document order (see treeIndex): "before n" is n's opening, "after n" just
// past its closing. The span covers the positions from start up to, not
// including, end.
type span struct {
	start, end int
	ix         treeIndex
}

// treeIndex numbers the opening and closing of every node.
type treeIndex struct{ open, close map[*html.Node]int }

func indexTree(root *html.Node) treeIndex {
	ix := treeIndex{open: map[*html.Node]int{}, close: map[*html.Node]int{}}
	pos := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		ix.open[n] = pos
		pos++
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		ix.close[n] = pos
		pos++
	}
	walk(root)
	return ix
}

// contains reports whether n lies wholly inside the span.
func (s span) contains(n *html.Node) bool {
	return s.start <= s.ix.open[n] && s.ix.close[n] < s.end
}

// overlaps reports whether some of n lies inside the span.
func (s span) overlaps(n *html.Node) bool {
	return s.ix.open[n] < s.end && s.ix.close[n] >= s.start
}

// resolve finds the span of a range selector on the page, failing when its
// start or end matches nothing. An end before the start gives an empty span.
func (p *page) resolve(r RangeSelector, ix treeIndex) (span, error) {
	root := p.doc.Get(0)
	point := func(which, css string, before bool) (int, error) {
		m, _ := cascadia.ParseGroup(css) // checked by ParseSelectors
		n := cascadia.Query(root, m)
		if n == nil {
			return 0, &Error{Reason: ReasonSelectorMissing, Advice: fmt.Sprintf("the %s of the range selector %s (%q) matches nothing on the page; the site's layout may have changed: update the selector", which, r, css)}
		}
		if before {
			return ix.open[n], nil
		}
		return ix.close[n] + 1, nil
	}
	startCSS, startBefore := r.start()
	endCSS, endBefore := r.end()
	start, err := point("start", startCSS, startBefore)
	if err != nil {
		return span{}, err
	}
	end, err := point("end", endCSS, endBefore)
	if err != nil {
		return span{}, err
	}
	return span{start: start, end: max(start, end), ix: ix}, nil
}

// removeRanges deletes the content of remove range selectors from the page,
// all resolved before any is deleted.
func (p *page) removeRanges(ranges []RangeSelector) error {
	if len(ranges) == 0 {
		return nil
	}
	root := p.doc.Get(0)
	ix := indexTree(root)
	spans := make([]span, len(ranges))
	for i, r := range ranges {
		s, err := p.resolve(r, ix)
		if err != nil {
			return err
		}
		spans[i] = s
	}
	for _, s := range spans {
		s.deleteIn(root)
	}
	return nil
}

// deleteIn removes from n's subtree the nodes inside the span, keeping the
// parts of partly covered elements outside it (DOM Range deleteContents).
func (s span) deleteIn(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if s.contains(c) {
			n.RemoveChild(c)
		} else if s.overlaps(c) {
			s.deleteIn(c)
		}
		c = next
	}
}

// selectRanges copies the content of select range selectors, in order, each
// as one detached element, leaving out the nodes in skip.
func (p *page) selectRanges(ranges []RangeSelector, skip map[*html.Node]bool) ([]*html.Node, error) {
	root := p.doc.Get(0)
	ix := indexTree(root)
	var out []*html.Node
	for _, r := range ranges {
		s, err := p.resolve(r, ix)
		if err != nil {
			return nil, err
		}
		if s.start == s.end {
			return nil, &Error{Reason: ReasonSelectorMissing, Advice: fmt.Sprintf("the range selector %s selects nothing: its end comes before its start on the page; update the selector", r)}
		}
		out = append(out, s.cloneFrom(root, skip))
	}
	return out, nil
}

// cloneFrom copies the span's content (DOM Range cloneContents) inside a
// shallow copy of the innermost element holding the whole span, so that list
// items keep their list and cells their table.
func (s span) cloneFrom(root *html.Node, skip map[*html.Node]bool) *html.Node {
	container := root
	for {
		var inner *html.Node
		for c := container.FirstChild; c != nil; c = c.NextSibling {
			if s.ix.open[c] < s.start && s.end <= s.ix.close[c] {
				inner = c
				break
			}
		}
		if inner == nil {
			break
		}
		container = inner
	}
	var out *html.Node
	if container.Type == html.ElementNode {
		out = shallowClone(container)
	} else {
		out = &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	}
	for c := container.FirstChild; c != nil; c = c.NextSibling {
		if cc := s.clone(c, skip); cc != nil {
			out.AppendChild(cc)
		}
	}
	return out
}

// clone copies the part of n inside the span, or returns nil.
func (s span) clone(n *html.Node, skip map[*html.Node]bool) *html.Node {
	if skip[n] || !s.overlaps(n) {
		return nil
	}
	c := shallowClone(n)
	whole := s.contains(n)
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if whole && skip == nil {
			c.AppendChild(deepClone(ch))
		} else if cc := s.clone(ch, skip); cc != nil {
			c.AppendChild(cc)
		}
	}
	return c
}

func shallowClone(n *html.Node) *html.Node {
	return &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace, Attr: slices.Clone(n.Attr)}
}

func deepClone(n *html.Node) *html.Node {
	c := shallowClone(n)
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.AppendChild(deepClone(ch))
	}
	return c
}

// Cost estimates the memory reading body takes, in bytes, for budgets: the
// decoded copies of an HTML page plus its tree (counted by its tags), the
// PDF reader's buffers and the text it may yield, or the copies of a text.
// It is cheap (one pass over the bytes) and errs on the high side.
func Cost(body []byte, contentType string) int64 {
	n := int64(len(body))
	switch kindOf(body, contentType) {
	case kindHTML:
		return 4*n + 300*int64(bytes.Count(body, []byte{'<'}))
	case kindPDF:
		return 2*n + 2*maxPDFText
	}
	return 3 * n
}
