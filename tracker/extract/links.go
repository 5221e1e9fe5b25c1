package extract

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Link is a hyperlink of a page, for discovering a site's documents.
type Link struct {
	URL  string // absolute, without fragment
	Text string // the link's text (or its title or aria-label)
	Rel  string // rel attribute, lower-cased ("privacy-policy", "terms-of-service", …)
	// InFooter is true for links in the page's footer (footer or
	// role=contentinfo), where sites list their legal documents.
	InFooter bool
}

// Links lists the http(s) links of an HTML page (<a href> and <link href>),
// resolved against base, in page order. It returns nil for other content.
func Links(body []byte, contentType, base string) []Link {
	if kindOf(body, contentType) != kindHTML {
		return nil
	}
	utf := decode(body, contentType)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(utf)))
	if err != nil {
		return nil
	}
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := baseURL.Parse(href); err == nil {
			baseURL = b
		}
	}
	var out []Link
	doc.Find("a[href], link[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		u, err := baseURL.Parse(strings.TrimSpace(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment = ""
		text := collapse(s.Text())
		if text == "" {
			text = collapse(s.AttrOr("title", s.AttrOr("aria-label", "")))
		}
		rel := strings.ToLower(strings.TrimSpace(s.AttrOr("rel", "")))
		out = append(out, Link{URL: u.String(), Text: text, Rel: rel,
			InFooter: s.Closest("footer, [role=contentinfo]").Length() > 0})
	})
	return out
}

// Title returns an HTML page's <title> (or first heading), or "".
func Title(body []byte, contentType string) string {
	if kindOf(body, contentType) != kindHTML {
		return ""
	}
	p, err := parse(body, contentType)
	if err != nil {
		return ""
	}
	return p.title()
}
