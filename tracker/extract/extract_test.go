package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"

	"policywatch/internal/sharedtest"
)

// policyHTML is a realistic page: site chrome and noise around the policy.
func policyHTML(extra string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Privacy Policy | Acme</title>
<style>body{font:14px sans-serif}</style><script>window.dataLayer=[];function track(){}</script></head>
<body>
<div id="onetrust-consent-sdk"><p>We use cookies. Accept all cookies?</p></div>
<header class="site-header"><a href="/">Acme home</a><nav><a href="/products">Products</a><a href="/careers">Careers</a></nav></header>
<main>
<div class="policy">
<h1>Acme Privacy&nbsp;Policy</h1>
<p class="meta">Last updated: <strong>January 5, 2025</strong></p>
<h2>1. Information we collect</h2>
<p>We collect information you give us when you create an account, such as your name, email address and phone number, and information about how you use the service.</p>
<ul><li>Account data such as your name and email address.</li><li>Usage data such as pages visited and features used.</li></ul>
<h2>2. How we use information</h2>
<p>We use the information to provide, secure and improve the service, to communicate with you and to comply with legal obligations that apply to us.</p>
<div class="related"><h3>Related articles</h3><a href="/blog/1">Ten tips for a better profile</a></div>
` + extra + `
</div>
<aside class="promo">Download our app today!</aside>
</main>
<footer><p>© 2025 Acme Inc. All rights reserved.</p><a href="/terms">Terms</a></footer>
<script>track("page")</script>
</body></html>`
}

func extractErr(t *testing.T, err error, reason string) *Error {
	t.Helper()
	var xe *Error
	if !errors.As(err, &xe) {
		t.Fatalf("want *Error %s, got %T %v", reason, err, err)
	}
	if xe.Reason != reason {
		t.Fatalf("reason %q, want %q: %v", xe.Reason, reason, err)
	}
	if xe.Advice == "" || !strings.HasPrefix(err.Error(), "extract: "+reason) {
		t.Errorf("error lacks advice: %q", err.Error())
	}
	return xe
}

func TestExtractSelectRemove(t *testing.T) {
	res, err := Extract([]byte(policyHTML("")), "text/html; charset=utf-8", "main .policy", ".related, .meta")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# Acme Privacy Policy\n",
		"## 1. Information we collect\n",
		"- Account data such as your name and email address.\n",
		"We use the information to provide, secure and improve the service",
	} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, res.Text)
		}
	}
	for _, noise := range []string{"Acme home", "Products", "cookies", "Related articles", "Ten tips", "Download our app", "All rights reserved", "track(", "dataLayer", "font:", "Last updated"} {
		if strings.Contains(res.Text, noise) {
			t.Errorf("noise %q in text:\n%s", noise, res.Text)
		}
	}
	if res.Title != "Privacy Policy | Acme" {
		t.Errorf("title %q", res.Title)
	}
	if res.StatedDate != "" {
		t.Errorf("stated date %q from removed .meta", res.StatedDate)
	}

	// Without remove, the date is stated.
	res, err = Extract([]byte(policyHTML("")), "text/html", "main .policy", "")
	if err != nil {
		t.Fatal(err)
	}
	if res.StatedDate != "2025-01-05" {
		t.Errorf("stated date %q", res.StatedDate)
	}
	if res.Text != Normalize(res.Text) {
		t.Errorf("text is not normalised")
	}
}

func TestExtractAutoSelect(t *testing.T) {
	// No selector: the single <main> is used, chrome is dropped.
	res, err := Extract([]byte(policyHTML("")), "text/html", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, "## 2. How we use information") {
		t.Errorf("content missing:\n%s", res.Text)
	}
	for _, noise := range []string{"Acme home", "Careers", "cookies", "All rights reserved", "Download our app"} {
		if strings.Contains(res.Text, noise) {
			t.Errorf("noise %q in text", noise)
		}
	}
	// No <main>: body without nav/header/footer/aside.
	page := strings.NewReplacer("<main>", "<div>", "</main>", "</div>").Replace(policyHTML(""))
	res, err = Extract([]byte(page), "text/html", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, "## 1. Information we collect") || strings.Contains(res.Text, "Careers") || strings.Contains(res.Text, "All rights reserved") {
		t.Errorf("auto-select without main:\n%s", res.Text)
	}
}

// Open Terms Archive-style declarations: several matches, nested matches,
// remove lists.
func TestExtractMultipleAndNested(t *testing.T) {
	body := `<html><body>
<div class="section-rich"><h2>Terms</h2><p>` + strings.Repeat("These terms govern your use of the service. ", 8) + `</p>
  <div class="section-rich"><p>Nested section text appears once.</p></div>
  <a class="archived-link" href="/old">See archived versions</a></div>
<div class="ad">Buy now</div>
<div class="section-rich"><h2>Privacy</h2><p>Second section text.</p><p class="link-terms">Link to terms</p></div>
</body></html>`
	res, err := Extract([]byte(body), "text/html", ".section-rich", ".archived-link, .link-terms")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(res.Text, "Nested section text appears once.") != 1 {
		t.Errorf("nested match duplicated or lost:\n%s", res.Text)
	}
	if !strings.Contains(res.Text, "Second section text.") || strings.Contains(res.Text, "Buy now") ||
		strings.Contains(res.Text, "archived versions") || strings.Contains(res.Text, "Link to terms") {
		t.Errorf("selection wrong:\n%s", res.Text)
	}
	if strings.Index(res.Text, "## Terms") > strings.Index(res.Text, "## Privacy") {
		t.Errorf("document order lost")
	}
}

func TestExtractLinksAndTables(t *testing.T) {
	body := `<main><h2>Sharing</h2><p>` + strings.Repeat("We share data with partners as described here. ", 6) +
		`Read the <a href="https://example.com/partners">partner list</a>.</p>
<table><thead><tr><th>Category</th><th>Retention</th></tr></thead><tbody>
<tr><td>Account data</td><td>Life of the account</td></tr><tr><td></td><td></td></tr><tr><td>Logs</td><td>18 months</td></tr></tbody></table></main>`
	res, err := Extract([]byte(body), "text/html", "main", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[partner list](https://example.com/partners)", "| Category | Retention |", "| Logs | 18 months |"} {
		if !strings.Contains(res.Text, want) {
			t.Errorf("lacks %q:\n%s", want, res.Text)
		}
	}
}

func TestBotWalls(t *testing.T) {
	walls := map[string]string{
		"cloudflare": `<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><div id="cf-wrapper">Checking if the site connection is secure</div><script>window._cf_chl_opt={cvId:'3'}</script><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>`,
		"akamai":     `<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>You don't have permission to access "http://www.example.com/legal/privacy" on this server.<P>Reference #18.3ac1d417.1700000000.2b3c4d</BODY></HTML>`,
		"perimeterx": `<html><head><title>Access to this page has been denied.</title></head><body><div id="px-captcha"></div><p>Press &amp; Hold to confirm you are a human (and not a bot).</p><script>window._pxAppId='PXabc';</script></body></html>`,
		"datadome":   `<html><head><title>example.com</title></head><body><p>Please enable JS and disable any ad blocker</p><script>var dd={'rt':'c','cid':'AHrlqAAAAAMA','hsh':'AB','s':17434};</script><script src="https://ct.captcha-delivery.com/c.js"></script></body></html>`,
		"cookies-js": `<html><head><title>example.com</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>`,
		"recaptcha":  `<html><head><title>Verify</title></head><body><form><div class="g-recaptcha" data-sitekey="x"></div></form><p>Please verify you are human.</p></body></html>`,
	}
	for name, body := range walls {
		t.Run(name, func(t *testing.T) {
			// With and without a selector: a wall is "blocked", not "selector-missing".
			for _, sel := range []string{"", "main .policy"} {
				_, err := Extract([]byte(body), "text/html", sel, "")
				extractErr(t, err, ReasonBlocked)
			}
		})
	}
}

func TestRealPolicyMentioningCaptchaIsNotAWall(t *testing.T) {
	extra := "<h2>3. Security</h2><p>We use reCAPTCHA and DataDome (captcha-delivery.com) to protect our forms from bots; see g-recaptcha. " +
		strings.Repeat("We keep your data secure with encryption and access controls. ", 40) + "</p>"
	res, err := Extract([]byte(policyHTML(extra)), "text/html", "main", "")
	if err != nil {
		t.Fatalf("a real policy mentioning captcha was rejected: %v", err)
	}
	if !strings.Contains(res.Text, "DataDome") {
		t.Errorf("text lost")
	}
	// A short page whose title merely contains "forbidden".
	short := `<html><head><title>Forbidden Items Policy</title></head><body><main><p>` +
		strings.Repeat("You may not sell weapons, drugs or counterfeit goods. ", 12) + `</p></main></body></html>`
	if _, err := Extract([]byte(short), "text/html", "main", ""); err != nil {
		t.Errorf("short legitimate page rejected: %v", err)
	}
}

func TestJavaScriptShells(t *testing.T) {
	bigScript := "<script>" + strings.Repeat("function a(){return 1+2;}", 600) + "</script>"
	shells := map[string]string{
		"react-root": `<!doctype html><html><head><title>Acme</title>` + bigScript + `</head><body><div id="root"></div></body></html>`,
		"next-empty": `<html><head><title>Acme</title></head><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">{"props":{}}</script></body></html>`,
		"noscript":   `<html><head><title>Acme</title></head><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="app"></div></body></html>`,
		"big-script": `<html><head><title>Acme</title></head><body><div class="x">Loading…</div>` + bigScript + `</body></html>`,
	}
	for name, body := range shells {
		t.Run(name, func(t *testing.T) {
			for _, sel := range []string{"", "main"} {
				_, err := Extract([]byte(body), "text/html; charset=utf-8", sel, "")
				xe := extractErr(t, err, ReasonEmpty)
				if !xe.JavaScript || !strings.Contains(xe.Advice, "JavaScript") {
					t.Errorf("selector %q: not flagged as JavaScript-rendered: %+v", sel, xe)
				}
			}
		})
	}
}

func TestEmptyAndSelectorMissing(t *testing.T) {
	_, err := Extract([]byte(`<html><body><main><p>Coming soon.</p></main></body></html>`), "text/html", "", "")
	xe := extractErr(t, err, ReasonEmpty)
	if xe.JavaScript {
		t.Errorf("short static page flagged as JavaScript")
	}

	_, err = Extract([]byte(policyHTML("")), "text/html", "#policy-body, .terms-content", "")
	xe = extractErr(t, err, ReasonSelectorMissing)
	if !strings.Contains(xe.Advice, "#policy-body, .terms-content") {
		t.Errorf("advice does not name the selector: %q", xe.Advice)
	}

	_, err = Extract([]byte(policyHTML("")), "text/html", "div[", "")
	xe = extractErr(t, err, ReasonSelectorMissing)
	if !strings.Contains(xe.Advice, "not valid") {
		t.Errorf("invalid selector advice: %q", xe.Advice)
	}
	_, err = Extract([]byte(policyHTML("")), "text/html", "main", "p[[")
	extractErr(t, err, ReasonSelectorMissing)

	// Selection exists but everything in it is removed.
	_, err = Extract([]byte(policyHTML("")), "text/html", "main", "main *")
	extractErr(t, err, ReasonEmpty)

	_, err = HTMLToText([]byte(policyHTML("")), ".nothing-here", "")
	extractErr(t, err, ReasonSelectorMissing)
}

func TestUnsupportedTypes(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	for _, tc := range []struct {
		body []byte
		ct   string
	}{
		{png, "image/png"},
		{png, ""},
		{[]byte(`{"policy":"json"}`), "application/json"},
		{[]byte("\x00\x01\x02binary"), "application/octet-stream"},
	} {
		_, err := Extract(tc.body, tc.ct, "", "")
		extractErr(t, err, ReasonUnsupportedType)
	}
}

func TestWindows1252Page(t *testing.T) {
	para := strings.Repeat("Nous traitons vos donn\xe9es personnelles avec soin. ", 10)
	body := []byte("<html><body><main><h1>Caf\xe9 \x93Privacy\x94 Policy</h1><p>" + para + "</p></main></body></html>")
	for _, ct := range []string{"text/html; charset=windows-1252", "text/html; charset=iso-8859-1"} {
		res, err := Extract(body, ct, "main", "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.Text, `# Café "Privacy" Policy`) || !strings.Contains(res.Text, "données personnelles") {
			t.Errorf("%s: decoded wrongly:\n%s", ct, res.Text)
		}
	}
	// Declared only in <meta>, through HTMLToText.
	meta := append([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`), body...)
	text, err := HTMLToText(meta, "main", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Café") {
		t.Errorf("meta charset ignored: %q", text)
	}
	// UTF-8 body mislabelled as latin-1 stays right.
	res, err := Extract([]byte("<main><p>"+strings.Repeat("Café “quoted” données ", 20)+"</p></main>"), "text/html; charset=iso-8859-1", "main", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, `Café "quoted" données`) {
		t.Errorf("mislabelled UTF-8 mangled: %q", res.Text[:60])
	}
}

func TestPlainTextAndMalformedHTML(t *testing.T) {
	txt := strings.Repeat("These are the terms of the service in plain text.\r\n", 10)
	res, err := Extract([]byte(txt), "text/plain; charset=utf-8", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.Text, "\r") {
		t.Errorf("plain text not normalised")
	}
	// Unclosed tags, stray end tags, broken attributes: still text.
	broken := "<html><body><main><h2>Terms<p>" + strings.Repeat("You agree to these terms when you use the service ", 8) +
		"<div><span>unclosed <b>bold <i>italic</p></table></main attr=\"x><p>tail text here"
	res, err = Extract([]byte(broken), "text/html", "main", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, "You agree to these terms") {
		t.Errorf("malformed HTML lost text: %q", res.Text)
	}
}

var fixedTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// makePDF writes a small real PDF with gofpdf.
func makePDF(t testing.TB, paragraphs ...string) []byte {
	t.Helper()
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(fixedTime)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 11)
	for _, p := range paragraphs {
		pdf.MultiCell(0, 5, p, "", "L", false)
		pdf.Ln(3)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPDF(t *testing.T) {
	data := makePDF(t,
		"Acme Data Processing Agreement",
		"Effective date: 2025-03-01",
		"The processor shall process personal data only on documented instructions from the controller.",
		"The processor shall ensure that persons authorised to process the personal data have committed themselves to confidentiality.",
	)
	for _, ct := range []string{"application/pdf", "application/octet-stream", ""} {
		res, err := Extract(data, ct, "", "")
		if err != nil {
			t.Fatalf("%q: %v", ct, err)
		}
		if !strings.Contains(res.Text, "documented instructions from the controller") || res.StatedDate != "2025-03-01" {
			t.Errorf("%q: pdf text %q date %q", ct, res.Text, res.StatedDate)
		}
	}
	text, err := FromFile("dpa.pdf", data)
	if err != nil || !strings.Contains(text, "confidentiality") {
		t.Errorf("FromFile pdf: %q %v", text, err)
	}

	// Truncated and garbage PDFs fail cleanly.
	for _, bad := range [][]byte{data[:len(data)/2], []byte("%PDF-1.4\ngarbage"), append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xff}, 500)...)} {
		_, err := Extract(bad, "application/pdf", "", "")
		extractErr(t, err, ReasonUnsupportedType)
	}
	// An HTML wall served as application/pdf is judged as HTML.
	_, err = Extract([]byte(`<html><head><title>Access Denied</title></head><body>You don't have permission to access this resource.</body></html>`), "application/pdf", "", "")
	extractErr(t, err, ReasonBlocked)
	// A PDF without text (a scan) is empty.
	_, err = Extract(makePDF(t), "application/pdf", "", "")
	extractErr(t, err, ReasonEmpty)
}

func TestFromFile(t *testing.T) {
	html := []byte(policyHTML(""))
	for _, name := range []string{"a.html", "a.HTM", "a.xhtml", "noext"} {
		text, err := FromFile(name, html)
		if err != nil || !strings.Contains(text, "## 1. Information we collect") || strings.Contains(text, "Careers") {
			t.Errorf("%s: %v\n%s", name, err, text)
		}
	}
	const md = "# Terms\r\n\r\n\r\nYou agree\u00a0to “these” terms.  \n"
	for _, name := range []string{"t.md", "t.txt", "t"} {
		text, err := FromFile(name, []byte(md)) // FromFile may write over its input
		if err != nil || text != "# Terms\n\nYou agree to \"these\" terms.\n" {
			t.Errorf("%s: %q %v", name, text, err)
		}
	}
	if _, err := FromFile("x.bin", []byte{0, 1, 2, 0xff, 0xfe}); err == nil || !strings.Contains(err.Error(), "unsupported") {
		t.Errorf("binary file: %v", err)
	}
	if _, err := FromFile("x.pdf", []byte("not a pdf")); err == nil {
		t.Errorf("bad pdf accepted")
	}
}

func TestNormalize(t *testing.T) {
	a := "Privacy\u00a0Policy\r\n\r\n\r\n\r\nWe \u201cshare\u201d data \u2014 sometimes\u2026  \t \nIt\u2019s fine\u200b.   \n\n\n- item\u00ad\n  - nested\n"
	b := "Privacy Policy\n\nWe \"share\" data - sometimes...\nIt's fine.\n\n- item\n  - nested"
	if Normalize(a) != Normalize(b) {
		t.Errorf("cosmetic variants differ:\n%q\n%q", Normalize(a), Normalize(b))
	}
	if Hash(a) != Hash(b) || len(Hash(a)) != 64 {
		t.Errorf("hashes differ or malformed: %s %s", Hash(a), Hash(b))
	}
	if Hash(a) == Hash(b+" extra") {
		t.Errorf("a real change kept the hash")
	}
	if Hash(Normalize(a)) != Hash(a) {
		t.Errorf("Hash(Normalize(t)) != Hash(t)")
	}
	want := "Privacy Policy\n\nWe \"share\" data - sometimes...\nIt's fine.\n\n- item\n  - nested\n"
	if got := Normalize(a); got != want {
		t.Errorf("Normalize:\n got %q\nwant %q", got, want)
	}
	cases := map[string]string{
		"":                    "",
		"   \n\n\t\n":         "",
		"a\x00b\x1bc":         "abc\n",
		"bad \xff utf8":       "bad \uFFFD utf8\n",
		"e\u0301":             "\u00e9\n",
		"\ufeffBOM":           "BOM\n",
		"x\u2028y":            "x\ny\n",
		"   lead":             "   lead\n",
		"a\u3000\u2003b":      "a b\n",
		"\u201ehi\u201f":      "\"hi\"\n",
		"10\u201312 \u2212 3": "10-12 - 3\n",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStatedDate(t *testing.T) {
	cases := map[string]string{
		"Last updated: January 5, 2025":                            "2025-01-05",
		"Effective date: 2025-01-05":                               "2025-01-05",
		"Updated: 5 January 2025":                                  "2025-01-05",
		"Effective as of July 1, 2026":                             "2026-07-01",
		"Last modified: 9 August 2023 | [Archived versions](x)":    "2023-08-09",
		"#### Effective: September 29, 2025\n\n#### Last Updated:": "2025-09-29",
		"_[Effective November 3, 2025](https://example.com/a1)_":   "2025-11-03",
		"Effective: **30 September 2025**":                         "2025-09-30",
		"Effective: Jan 06, 2026. Last Revised: Jan 06, 2026.":     "2026-01-06",
		"Last updated: _30 November 2025_":                         "2025-11-30",
		"Last updated and effective: June 23, 2020":                "2020-06-23",
		"Effective Date: 1st of January, 2025":                     "2025-01-01",
		"Last Revised: Sept. 12, 2024":                             "2024-09-12",
		"Last updated 03/04/2024":                                  "2024-03-04",
		"Last updated 25/04/2024":                                  "2024-04-25",
		"Date of last revision: 2.5.2023":                          "2023-05-02",
		"Effective\n\nMay 13, 2026":                                "2026-05-13",
		"Last updated: November 8 , 2022":                          "2022-11-08",
		"Dated: June 9, 2010":                                      "2010-06-09",
		"# Terms\n\nDated: 1 June 2021\n\nWelcome.":                "2021-06-01",
		"We keep a copy of the letter dated June 9, 2010.":         "",
		"We updated 3 features in 2024":                            "",
		"We may publish an updated version and effective date on this page. Contact us on 5 May 2020.": "",
		"Effective: February 30, 2025":  "",
		"No date here at all.":          "",
		"Effective January 1, 1850":     "",
		"The “Last Updated” date below": "",
	}
	for in, want := range cases {
		if got := StatedDate(in); got != want {
			t.Errorf("StatedDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// A month without a day is a stated date of month precision (YYYY-MM), only
// right after a label and right before a year; a full date always wins.
func TestStatedDateMonthOnly(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Last Updated: June 2024", "2024-06"},
		{"_Last updated: July 2020_", "2020-07"},
		{"# Privacy Statement\n\nLast Updated: January 2021\n\nYour privacy is important to us.", "2021-01"},
		{"Updated June 2024", "2024-06"},
		{"Effective as of March 2025", "2025-03"},
		{"**Effective date:** Sept. 2024", "2024-09"},
		{"Last revised - May 2023", "2023-05"},
		{"Effective from\n\nAugust 2025", "2025-08"},
		{"Last updated and effective: December 2019", "2019-12"},
		// A full date wins over a month, before or after it, under any label.
		{"Effective: 1 June 2024", "2024-06-01"},
		{"Effective: June 2024 (last updated May 3, 2024)", "2024-05-03"},
		{"Last updated: June 2024\n\nThese terms are effective on July 1, 2024.", "2024-07-01"},
		{"Last updated: March 2024. Effective March 15, 2024.", "2024-03-15"},
		{"Last updated: May 5, 2024", "2024-05-05"},
		// Month names that are words, and months without a label or a year.
		{"We may 2024 features we keep.", ""},
		{"we may 2024", ""},
		{"In March 2024 we launched a new app.", ""},
		{"in March 2024 we launched", ""},
		{"We updated our policy in March 2024 to add a section on AI.", ""},
		{"The GDPR became effective in May 2018.", ""},
		{"Last updated: March", ""},
		{"Effective: 2024", ""},
		{"Last updated: Summer 2024", ""},
		{"Updated may apply to 2024 plans", ""},
		{"Effective: June 1850", ""},
		{"Effective: June 20245", ""},
	}
	for _, c := range cases {
		if got := StatedDate(c.in); got != c.want {
			t.Errorf("StatedDate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCorpusNormalizeAndDates(t *testing.T) {
	corpusDir := sharedtest.Corpus(t)
	want := map[string]string{
		"Discord/Privacy Policy/2026-02-20T00-37-15Z.md": "2025-09-29",
	}
	// The first and the latest version of every document: the whole corpus
	// (21 MB) is too slow under -race for a unit test.
	docs, _ := filepath.Glob(filepath.Join(corpusDir, "*", "*"))
	var files []string
	for _, d := range docs {
		versions, _ := filepath.Glob(filepath.Join(d, "*.md"))
		if len(versions) > 0 {
			files = append(files, versions[0], versions[len(versions)-1])
		}
	}
	if len(files) < 60 {
		t.Fatalf("only %d corpus files", len(files))
	}
	dated := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n := Normalize(string(data))
		if Normalize(n) != n {
			t.Errorf("%s: Normalize not idempotent", f)
		}
		if len(n) < len(data)/2 {
			t.Errorf("%s: normalisation lost text (%d -> %d bytes)", f, len(data), len(n))
		}
		rel, _ := filepath.Rel(corpusDir, f)
		d := StatedDate(n)
		if d != "" {
			dated++
		}
		if w, ok := want[filepath.ToSlash(rel)]; ok && d != w {
			t.Errorf("%s: stated date %q, want %q", rel, d, w)
		}
	}
	// Most real policies state a full date.
	if dated < len(files)/2 {
		t.Errorf("only %d of %d corpus versions have a stated date", dated, len(files))
	}
	t.Logf("%d of %d corpus versions state a date", dated, len(files))
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(policyHTML("")), "main", ".related")
	f.Add([]byte("<p>a\u00a0b</p><script>x</script>"), "", "")
	f.Add([]byte("<table><tr><td>1<td>2<tr><td colspan=9>3</table>"), "table", "td")
	f.Add([]byte("\xff\xfe<\x00p\x00>"), "p", "")
	f.Add([]byte("<ul><li><ul><li><ol><li>deep"), "li", "ul")
	f.Add([]byte(rangePage), `{"startBefore": "h1", "endAfter": "ul"}`, `li, {"startAfter": "#s1", "endBefore": "#s2"}`)
	f.Fuzz(func(t *testing.T, data []byte, sel, rem string) {
		text, err := HTMLToText(data, sel, rem)
		if err == nil && Normalize(text) != text {
			t.Errorf("HTMLToText output not normalised: %q", text)
		}
		n := Normalize(string(data))
		if Normalize(n) != n {
			t.Errorf("Normalize not idempotent on %q:\n%q\n%q", data, n, Normalize(n))
		}
		_, _ = Extract(data, "", sel, rem)
		_ = StatedDate(string(data))
	})
}

func BenchmarkExtract(b *testing.B) {
	extra := strings.Repeat("<h2>Section</h2><p>"+strings.Repeat("We process personal data lawfully and transparently. ", 30)+"</p><ul><li>one</li><li>two</li></ul>", 50)
	page := []byte(policyHTML(extra))
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := Extract(page, "text/html", "main", ".related"); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleNormalize() {
	fmt.Printf("%q\n", Normalize("It\u2019s \u201cfine\u201d\u00a0\u2014 really.  \r\n\r\n\r\nNext"))
	// Output: "It's \"fine\" - really.\n\nNext\n"
}

// Every select and remove value of the real Open Terms Archive declarations,
// CSS strings and range selectors alike, also inside "combine", must give a
// valid setting that HTML extraction accepts.
func TestDeclarationSelectorsAreValid(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedtest.Require(t, "corpus", "declarations"), "*.json"))
	if len(files) == 0 {
		t.Fatal("no declarations in the shared corpus")
	}
	css, ranges := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var decl struct {
			Terms map[string]struct {
				Select  json.RawMessage `json:"select"`
				Remove  json.RawMessage `json:"remove"`
				Combine []struct {
					Select json.RawMessage `json:"select"`
					Remove json.RawMessage `json:"remove"`
				} `json:"combine"`
			} `json:"terms"`
		}
		if json.Unmarshal(data, &decl) != nil {
			continue // history files have another shape
		}
		for name, terms := range decl.Terms {
			values := []json.RawMessage{terms.Select, terms.Remove}
			for _, c := range terms.Combine {
				values = append(values, c.Select, c.Remove)
			}
			for _, v := range values {
				setting, err := SelectorsFromOTA(v)
				if err != nil {
					t.Errorf("%s %s: %s rejected: %v", filepath.Base(f), name, v, err)
					continue
				}
				s, _ := ParseSelectors(setting)
				ranges += len(s.Ranges)
				if s.CSS != "" {
					css += len(splitSelectorList(s.CSS))
				}
				if len(s.Ranges) == 0 && setting != "" {
					if _, err := HTMLToText([]byte("<html><body><main><p>x</p></main></body></html>"), "", setting); err != nil {
						t.Errorf("%s %s: remove %q rejected: %v", filepath.Base(f), name, setting, err)
					}
				}
			}
		}
	}
	if css < 50 || ranges < 5 {
		t.Errorf("only %d CSS and %d range selectors found", css, ranges)
	}
	t.Logf("%d CSS and %d range selectors", css, ranges)
}

// rangePage is a small page for range selectors: everything in #content is
// a sibling, so before/after points fall between blocks.
const rangePage = `<!DOCTYPE html><html><head><title>Terms</title></head><body>
<header><p>Site header</p></header>
<div id="content">
<h1>Terms of Use</h1>
<p id="intro">Intro text.</p>
<section id="s1"><h2>One</h2><p>First section.</p></section>
<hr class="sep">
<section id="s2"><h2>Two</h2><p>Second section.</p></section>
<ul><li class="a">Item A</li><li class="b">Item B</li><li class="c">Item C</li></ul>
<div id="related"><p>Related links</p></div>
</div>
<footer><p>Footer text</p></footer>
</body></html>`

func TestRangeSelectors(t *testing.T) {
	all := []string{"Site header", "# Terms of Use", "Intro text.", "## One", "First section.", "---", "## Two", "Second section.",
		"- Item A", "- Item B", "- Item C", "Related links", "Footer text"}
	cases := []struct {
		name, sel, remove string
		want              []string // the rest of all must be absent
	}{
		{"startBefore-endBefore", `{"startBefore": "h1", "endBefore": ".sep"}`, "",
			[]string{"# Terms of Use", "Intro text.", "## One", "First section."}},
		{"startAfter-endBefore", `{"startAfter": "h1", "endBefore": ".sep"}`, "",
			[]string{"Intro text.", "## One", "First section."}},
		{"startBefore-endAfter", `{"startBefore": "h1", "endAfter": "#s2"}`, "",
			[]string{"# Terms of Use", "Intro text.", "## One", "First section.", "---", "## Two", "Second section."}},
		{"startAfter-endAfter", `{"startAfter": "#s1", "endAfter": "#s2"}`, "",
			[]string{"---", "## Two", "Second section."}},
		// Points inside an element: the element is copied in part.
		{"end inside", `{"startAfter": "#intro", "endAfter": "#s1 h2"}`, "",
			[]string{"## One"}},
		{"start inside", `{"startBefore": "#s1 p", "endBefore": "#s2 p"}`, "",
			[]string{"First section.", "---", "## Two"}},
		// List items keep their list.
		{"list items", `{"startBefore": "li.b", "endAfter": "li.c"}`, "",
			[]string{"- Item B", "- Item C"}},
		// The first match counts: "section" is #s1.
		{"first match", `{"startBefore": "section", "endAfter": "section"}`, "",
			[]string{"## One", "First section."}},
		// CSS first, then the ranges in the order written.
		{"mixed", `footer, {"startBefore": "#s2", "endBefore": "ul"}, {"startBefore": "h1", "endAfter": "h1"}`, "",
			[]string{"Footer text", "## Two", "Second section.", "# Terms of Use"}},
		// Remove by CSS inside a selected range.
		{"select range, remove css", `{"startBefore": "h1", "endBefore": ".sep"}`, "#s1 h2, #intro",
			[]string{"# Terms of Use", "First section."}},
		// Remove ranges.
		{"remove startBefore-endBefore", "#content", `{"startBefore": ".sep", "endBefore": "#related"}`,
			[]string{"# Terms of Use", "Intro text.", "## One", "First section.", "Related links"}},
		{"remove startAfter-endAfter", "#content", `{"startAfter": "#intro", "endAfter": "ul"}`,
			[]string{"# Terms of Use", "Intro text.", "Related links"}},
		{"remove partial", "#content", `{"startBefore": "#s1 p", "endAfter": "#s2 h2"}`,
			[]string{"# Terms of Use", "Intro text.", "## One", "Second section.", "- Item A", "- Item B", "- Item C", "Related links"}},
		{"remove css and range", "#content", `ul, {"startBefore": "h1", "endAfter": "#intro"}, #related`,
			[]string{"## One", "First section.", "---", "## Two", "Second section."}},
		{"remove range, no select", "", `{"startBefore": "#intro", "endBefore": "#related"}`,
			[]string{"# Terms of Use", "Related links"}},
		{"remove range ending before it starts", "#content", `{"startAfter": "#s2", "endBefore": "#s1"}`,
			[]string{"# Terms of Use", "Intro text.", "## One", "First section.", "---", "## Two", "Second section.", "- Item A", "- Item B", "- Item C", "Related links"}},
		{"select and remove ranges", `{"startBefore": "h1", "endAfter": "ul"}`, `{"startBefore": "#s1", "endAfter": "#s2"}`,
			[]string{"# Terms of Use", "Intro text.", "- Item A", "- Item B", "- Item C"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, err := HTMLToText([]byte(rangePage), c.sel, c.remove)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range all {
				if got, want := strings.Contains(text, s), slices.Contains(c.want, s); got != want {
					t.Errorf("%q in text: %v, want %v\n%s", s, got, want, text)
				}
			}
		})
	}
}

func TestRangeSelectorErrors(t *testing.T) {
	for name, c := range map[string]struct{ sel, remove, advice string }{
		"start missing":        {`{"startBefore": "#nothing", "endAfter": "h1"}`, "", "start of the range selector"},
		"end missing":          {`{"startBefore": "h1", "endAfter": "#nothing"}`, "", "end of the range selector"},
		"remove start missing": {"#content", `{"startBefore": "#nothing", "endAfter": "h1"}`, "start of the range selector"},
		"empty range":          {`{"startAfter": "#s2", "endBefore": "#s1"}`, "", "selects nothing"},
		"css part missing":     {`#nothing, {"startBefore": "h1", "endAfter": "h1"}`, "", `"#nothing" matches nothing`},
		"bad json":             {`{"startBefore": "h1", "endAfter": }`, "", "not valid JSON"},
		"unknown key":          {`{"start": "h1", "endAfter": "h1"}`, "", "not valid JSON"},
		"two starts":           {`{"startBefore": "h1", "startAfter": "h1", "endAfter": "p"}`, "", `exactly one of "startBefore" and "startAfter"`},
		"no end":               {`{"startBefore": "h1"}`, "", `exactly one of "endBefore" and "endAfter"`},
		"bad css in range":     {`{"startBefore": "h1[", "endAfter": "p"}`, "", `"h1[" is not a valid CSS selector`},
		"bad css beside range": {`main >, {"startBefore": "h1", "endAfter": "p"}`, "", `the CSS selector "main >" is not valid`},
		"two objects":          {`{"startBefore": "h1", "endAfter": "p"} {"startBefore": "h1", "endAfter": "p"}`, "", "not valid JSON"},
	} {
		_, err := HTMLToText([]byte(rangePage), c.sel, c.remove)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		xe := extractErr(t, err, ReasonSelectorMissing)
		if !strings.Contains(xe.Advice, c.advice) {
			t.Errorf("%s: advice %q lacks %q", name, xe.Advice, c.advice)
		}
	}
}

func TestParseSelectors(t *testing.T) {
	// Plain CSS is the setting itself, whatever it holds.
	for _, css := range []string{"main", ` main .policy , #terms `, `[data-x="a,{b}"], a[href*='x,y']`, `#a\,b, p:not(.x, .y)`, "[id=mdc-main-content]"} {
		s, err := ParseSelectors(css)
		if err != nil || s.CSS != strings.TrimSpace(css) || s.Ranges != nil {
			t.Errorf("ParseSelectors(%q) = %+v, %v", css, s, err)
		}
	}
	s, err := ParseSelectors(`#a\,b, {"startBefore": "[data-x='a,}']", "endAfter": "h2"}, p:not(.x, .y)`)
	want := Selectors{CSS: `#a\,b, p:not(.x, .y)`, Ranges: []RangeSelector{{StartBefore: "[data-x='a,}']", EndAfter: "h2"}}}
	if err != nil || !reflect.DeepEqual(s, want) {
		t.Errorf("mixed: %+v, %v", s, err)
	}
	if got := want.Ranges[0].String(); got != `{"startBefore":"[data-x='a,}']","endAfter":"h2"}` {
		t.Errorf("String() = %s", got)
	}
	if s, err := ParseSelectors("  "); err != nil || s.CSS != "" || s.Ranges != nil {
		t.Errorf("blank: %+v, %v", s, err)
	}
	if err := CheckSelectors("main >"); err == nil {
		t.Error("invalid CSS accepted")
	}
}

func TestSelectorsFromOTA(t *testing.T) {
	for in, want := range map[string]string{
		`"main"`:                "main",
		`null`:                  "",
		`["main", ".policy a"]`: "main, .policy a",
		`{"startBefore": "h1", "endAfter": "[role='toolbar']"}`:               `{"startBefore":"h1","endAfter":"[role='toolbar']"}`,
		`["div[role=main]", {"endBefore": "footer", "startAfter": "h1 > a"}]`: `div[role=main], {"startAfter":"h1 > a","endBefore":"footer"}`,
	} {
		got, err := SelectorsFromOTA(json.RawMessage(in))
		if err != nil || got != want {
			t.Errorf("SelectorsFromOTA(%s) = %q, %v; want %q", in, got, err, want)
		}
		if _, err := ParseSelectors(got); err != nil {
			t.Errorf("%q does not parse back: %v", got, err)
		}
	}
	for _, in := range []string{`42`, `[{"startBefore": "h1"}]`, `{"from": "h1", "to": "p"}`, `["main >"]`, `[`} {
		if got, err := SelectorsFromOTA(json.RawMessage(in)); err == nil {
			t.Errorf("SelectorsFromOTA(%s) = %q, want an error", in, got)
		}
	}
}

// otaDeclaration reads a real Open Terms Archive declaration of the corpus.
func otaDeclaration(t *testing.T, file string) map[string]map[string]json.RawMessage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedtest.Require(t, "corpus", "declarations"), file))
	if err != nil {
		t.Fatal(err)
	}
	var decl struct {
		Terms map[string]map[string]json.RawMessage `json:"terms"`
	}
	if err := json.Unmarshal(data, &decl); err != nil {
		t.Fatal(err)
	}
	return decl.Terms
}

// The X Rules as Open Terms Archive selects them (from the h1 to the end of
// the first rich-text block), on a page shaped like help.twitter.com.
func TestRangeSelectorFromRealDeclaration(t *testing.T) {
	sel, err := SelectorsFromOTA(otaDeclaration(t, "x-twitter.json")["Community Guidelines"]["select"])
	if err != nil {
		t.Fatal(err)
	}
	if sel != `{"startBefore":"h1","endAfter":"[class*=\"rich-text-v\"]"}` {
		t.Fatalf("select setting %s", sel)
	}
	rules := strings.Repeat("<p>You may not threaten, incite, glorify, or express desire for violence or harm. </p>", 8)
	page := `<html><head><title>The X Rules | X Help</title></head><body>
<div class="u01-header"><a href="/">Help Center</a><a href="/signup">Sign up</a></div>
<div class="ct01__breadcrumbs"><a href="/rules">Rules and policies</a></div>
<div class="aem-Grid">
<h1 class="b02-title">The X Rules</h1>
<div class="b02-intro">X's purpose is to serve the public conversation.</div>
<div class="rich-text-v2"><h2>Safety</h2>` + rules + `</div>
<div class="b26-feedback">Was this article helpful? Yes No</div>
<div class="rich-text-v2"><p>Share this article</p></div>
</div>
<div class="u02-footer">© 2025 X Corp. Cookies Privacy Terms</div>
</body></html>`
	res, err := Extract([]byte(page), "text/html; charset=utf-8", sel, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"# The X Rules", "public conversation", "## Safety", "glorify, or express desire"} {
		if !strings.Contains(res.Text, w) {
			t.Errorf("text lacks %q:\n%s", w, res.Text)
		}
	}
	for _, w := range []string{"Help Center", "Rules and policies", "Was this article helpful", "Share this article", "X Corp"} {
		if strings.Contains(res.Text, w) {
			t.Errorf("text has %q:\n%s", w, res.Text)
		}
	}

	// Facebook's Commercial Terms: CSS select, range remove from the first
	// separator to the end of the footer.
	fb := otaDeclaration(t, "facebook.json")["Commercial Terms"]
	fbSel, err1 := SelectorsFromOTA(fb["select"])
	fbRem, err2 := SelectorsFromOTA(fb["remove"])
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	terms := strings.Repeat("<p>These Commercial Terms apply to your access to and use of Meta Products for any business or commercial purpose. </p>", 4)
	page = `<html><body><div role="banner">Facebook</div><div role="main"><h1>Commercial Terms</h1>` + terms +
		`<div><div role="separator"></div><div>Related pages: Terms of Service</div></div>` +
		`<div role="contentinfo">Meta © 2025 · English (UK)</div><div>after the footer</div></div></body></html>`
	res, err = Extract([]byte(page), "text/html", fbSel, fbRem)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Text, "# Commercial Terms") || !strings.Contains(res.Text, "business or commercial purpose") {
		t.Errorf("terms lost:\n%s", res.Text)
	}
	for _, w := range []string{"Related pages", "Meta ©", "Facebook\n"} {
		if strings.Contains(res.Text, w) {
			t.Errorf("text has %q:\n%s", w, res.Text)
		}
	}
	if !strings.Contains(res.Text, "after the footer") {
		t.Errorf("the range removed past its end:\n%s", res.Text)
	}
}

func FuzzParseSelectors(f *testing.F) {
	f.Add(`main, {"startBefore": "h1", "endAfter": "p"}`)
	f.Add(`[data-x="a,{b}"], {"startAfter": "[x='}']", "endBefore": "#a\\,b"}`)
	f.Add(`{"startBefore": "h1"`)
	f.Fuzz(func(t *testing.T, setting string) {
		s, err := ParseSelectors(setting)
		if err != nil {
			return
		}
		// A parsed setting written back parses to the same thing.
		parts := []string{}
		if s.CSS != "" {
			parts = append(parts, s.CSS)
		}
		for _, r := range s.Ranges {
			parts = append(parts, r.String())
		}
		again, err := ParseSelectors(strings.Join(parts, ", "))
		if err != nil || again.CSS != s.CSS || !slices.Equal(again.Ranges, s.Ranges) {
			t.Errorf("%q -> %+v -> %+v, %v", setting, s, again, err)
		}
	})
}
