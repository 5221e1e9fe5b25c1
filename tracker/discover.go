package tracker

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"

	"policywatch/tracker/extract"
	"policywatch/tracker/fetch"
	"policywatch/tracker/render"
)

// Discovery sources, strongest first.
const (
	SourceRel     = "rel"     // a rel="privacy-policy" or rel="terms-of-service" link
	SourceCatalog = "catalog" // the built-in catalog (with Open Terms Archive's selectors)
	SourceFooter  = "footer"  // a link in the page's footer named like a governance document
	SourceLink    = "link"    // such a link elsewhere on the page
)

// DiscoveredDocument is a governance document a site links to.
type DiscoveredDocument struct {
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	URL    string `json:"url"`
	Source string `json:"source"` // rel, catalog, footer or link
	Select string `json:"select,omitempty"`
	Remove string `json:"remove,omitempty"`
	Render string `json:"render,omitempty"`
	// Tracked is true when the archive already tracks a document at URL.
	Tracked bool `json:"tracked"`
	// Best is true for the strongest candidate of its kind: what adding
	// "every document found" adds.
	Best bool `json:"best"`
}

// Discovery is what a site's page says about its governance documents.
type Discovery struct {
	Site string `json:"site"` // the page looked at, after redirects
	// Platform is a name for the site: the catalog platform's when the
	// catalog knows the site, else from the page's title or host.
	Platform     string               `json:"platform"`
	CatalogSlug  string               `json:"catalog_slug,omitempty"`
	CapturedWith string               `json:"captured_with"`
	Documents    []DiscoveredDocument `json:"documents"`
}

// Discover lists the governance documents of the site at siteURL: the
// page's rel="privacy-policy" and rel="terms-of-service" links, its links
// (footer first) named privacy, terms, cookies, AI, DPA, community
// guidelines, acceptable use or fees, and the catalog's documents when the
// catalog knows the site. The page is fetched like a document (same
// fetcher and address policy) and rendered in the browser when plain HTTP
// shows no such link. Nothing is stored.
func (s *Service) Discover(ctx context.Context, siteURL string) (Discovery, error) {
	if err := CheckURL(siteURL); err != nil {
		return Discovery{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultDocumentTimeout)
	defer cancel()
	cr := s.newCaptureRun()
	defer cr.close()
	d := Discovery{Site: siteURL, CapturedWith: RenderHTTP}
	var links []extract.Link
	title := ""
	resp, err := s.fetcherOrDefault().Fetch(ctx, fetch.Request{URL: siteURL})
	if err == nil {
		d.Site = resp.URL
		links = extract.Links(resp.Body, resp.ContentType, resp.URL)
		title = extract.Title(resp.Body, resp.ContentType)
	}
	if ctx.Err() != nil {
		return d, ctx.Err()
	}
	if len(governanceLinks(links)) == 0 {
		// A script-built page, or a bot wall: look again in the browser.
		if b, berr := cr.browser(ctx); berr == nil {
			scope := s.guard.ScopeOf(ctx, siteURL)
			p, rerr := b.Render(ctx, render.Request{URL: siteURL,
				Allow: func(ctx context.Context, u *url.URL) error { return scope.CheckURL(ctx, u) }})
			if rerr == nil {
				d.Site, d.CapturedWith = p.URL, RenderBrowser
				links = extract.Links(p.HTML, renderedType, p.URL)
				title = extract.Title(p.HTML, renderedType)
				err = nil
			} else if err == nil {
				err = asCaptureError(rerr)
			}
		}
	}
	if ctx.Err() != nil {
		return d, ctx.Err()
	}
	cp, inCatalog := s.catalogForSite(d.Site)
	if err != nil && !inCatalog {
		return d, asCaptureError(err)
	}
	d.Platform = siteName(title, d.Site)
	var found []DiscoveredDocument
	if inCatalog {
		d.Platform, d.CatalogSlug = cp.Name, cp.Slug
		for _, cd := range cp.Documents {
			found = append(found, DiscoveredDocument{Kind: cd.Kind, Title: cd.Title, URL: cd.URL, Source: SourceCatalog,
				Select: cd.Select, Remove: cd.Remove, Render: cd.Render})
		}
	}
	found = append(found, governanceLinks(links)...)
	d.Documents = rankDiscovered(found)
	err = s.store.View(ctx, func(tx Tx) error {
		docs, err := tx.ListDocuments(DocumentFilter{})
		if err != nil {
			return err
		}
		tracked := map[string]bool{}
		for _, doc := range docs {
			if doc.Tracked {
				tracked[strings.TrimSuffix(doc.URL, "/")] = true
			}
		}
		for i := range d.Documents {
			d.Documents[i].Tracked = tracked[strings.TrimSuffix(d.Documents[i].URL, "/")]
		}
		return nil
	})
	return d, err
}

// AddDiscovered adds documents found by Discover to the platform named
// (created if new), tracked, and returns their ids.
func (s *Service) AddDiscovered(ctx context.Context, platform string, docs []DiscoveredDocument) ([]int64, error) {
	if len(docs) == 0 {
		return nil, errors.New("no documents to add")
	}
	var ids []int64
	for _, dd := range docs {
		id, err := s.AddDocument(ctx, NewDocument{PlatformName: platform, URL: dd.URL, Kind: dd.Kind, Title: dd.Title,
			Select: dd.Select, Remove: dd.Remove, Render: dd.Render})
		if err != nil {
			return ids, fmt.Errorf("add %s %s: %w", dd.Kind, dd.URL, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// catalogForSite finds the catalog platform one of whose documents lives
// on the same registrable domain as the site.
func (s *Service) catalogForSite(site string) (CatalogPlatform, bool) {
	want := registrableDomain(site)
	if want == "" {
		return CatalogPlatform{}, false
	}
	for _, p := range s.catalog.Platforms {
		for _, d := range p.Documents {
			if registrableDomain(d.URL) == want {
				return p, true
			}
		}
	}
	return CatalogPlatform{}, false
}

func registrableDomain(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(strings.ToLower(u.Hostname()))
	if err != nil {
		return strings.ToLower(u.Hostname())
	}
	return d
}

// governanceLinks keeps the links that name a governance document.
func governanceLinks(links []extract.Link) []DiscoveredDocument {
	var out []DiscoveredDocument
	for _, l := range links {
		kind, source := "", SourceLink
		switch {
		case strings.Contains(" "+l.Rel+" ", " privacy-policy "):
			kind, source = KindPrivacyPolicy, SourceRel
		case strings.Contains(" "+l.Rel+" ", " terms-of-service "):
			kind, source = KindTermsOfService, SourceRel
		default:
			kind = linkKind(l.Text)
			if kind == "" && len(strings.Fields(l.Text)) <= 1 {
				kind = linkKind(pathWords(l.URL)) // an icon or a one-word link: its address says more
			}
			if l.InFooter {
				source = SourceFooter
			}
		}
		if kind == "" {
			continue
		}
		title := l.Text
		if title == "" || len(title) > 80 {
			title = KindTitle(kind)
		}
		out = append(out, DiscoveredDocument{Kind: kind, Title: title, URL: l.URL, Source: source})
	}
	return out
}

// linkKind tells which governance document a link's words name, or "".
func linkKind(text string) string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	t := " " + strings.Join(words, " ") + " "
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(t, s) {
				return true
			}
		}
		return false
	}
	switch {
	case len(words) == 0 || len(words) > 8:
		return ""
	case has(" choices ", " settings ", " preferences ", " manage ", " do not sell ", " opt out ", " center ", " centre ", " help "):
		return "" // controls and hubs, not documents
	case has(" cookie", " cookies ", " trackers "):
		return KindCookiePolicy
	case has(" ai ", "artificial intelligence", "generative", " genai "):
		if has(" terms ", " policy ", " policies ", " principles ", " conditions ") {
			return KindAITerms
		}
		return ""
	case has("data processing", " dpa ", "processor terms", "data protection addendum", "data protection agreement"):
		return KindDPA
	case has(" privacy "):
		return KindPrivacyPolicy
	case has("community guidelines", "community standards", "community rules", "content policy"):
		return KindCommunityGuidelines
	case has("acceptable use", " usage policy ", " use policy "):
		return KindAcceptableUse
	case has(" fees ", " fee schedule ", " tariff ", " tariffs "):
		return KindFeeSchedule
	case has(" terms ", " tos ", " conditions ", "user agreement", " eula "):
		return KindTermsOfService
	}
	return ""
}

// pathWords are the words of a URL's path, for links without words.
func pathWords(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.NewReplacer("/", " ", "-", " ", "_", " ", ".", " ").Replace(u.Path)
}

// sourceRank orders sources, strongest first.
var sourceRank = map[string]int{SourceRel: 0, SourceCatalog: 1, SourceFooter: 2, SourceLink: 3}

// rankDiscovered drops repeated addresses (keeping the strongest source)
// and orders by kind, then source; the first of each kind is its best.
func rankDiscovered(found []DiscoveredDocument) []DiscoveredDocument {
	byURL := map[string]int{}
	var out []DiscoveredDocument
	for _, d := range found {
		key := strings.TrimSuffix(d.URL, "/")
		if i, ok := byURL[key]; ok {
			if sourceRank[d.Source] < sourceRank[out[i].Source] {
				d.Select, d.Remove, d.Render = firstNonEmpty(out[i].Select, d.Select), firstNonEmpty(out[i].Remove, d.Remove), firstNonEmpty(out[i].Render, d.Render)
				out[i] = d
			}
			continue
		}
		byURL[key] = len(out)
		out = append(out, d)
	}
	kindOrder := map[string]int{}
	for i, k := range Kinds {
		kindOrder[k] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return kindOrder[out[i].Kind] < kindOrder[out[j].Kind]
		}
		return sourceRank[out[i].Source] < sourceRank[out[j].Source]
	})
	for i := range out {
		out[i].Best = (i == 0 || out[i-1].Kind != out[i].Kind) && out[i].Kind != KindOther
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// siteName makes a platform name from a page title ("Acme – Home" gives
// "Acme") or else the site's host ("www.acme-cloud.io" gives "Acme-cloud").
func siteName(title, site string) string {
	for _, sep := range []string{" | ", " – ", " — ", " - ", ": "} {
		if i := strings.Index(title, sep); i > 0 {
			title = title[:i]
		}
	}
	if title = strings.TrimSpace(title); title != "" && len(title) <= 40 {
		return title
	}
	d := registrableDomain(site)
	if i := strings.Index(d, "."); i > 0 {
		d = d[:i]
	}
	if d == "" {
		return site
	}
	return strings.ToUpper(d[:1]) + d[1:]
}
