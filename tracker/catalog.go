package tracker

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"policywatch/tracker/extract"
)

// Catalog is the built-in list of platforms with their documents' real URLs.
type Catalog struct {
	Version   int               `json:"version"`
	Platforms []CatalogPlatform `json:"platforms"`
}

// CatalogPlatform is one platform in the catalog.
type CatalogPlatform struct {
	Slug            string            `json:"slug"`
	Name            string            `json:"name"`
	Category        string            `json:"category"`
	Owner           string            `json:"owner"`
	EULeadAuthority string            `json:"eu_lead_authority"`
	VLOP            bool              `json:"vlop"`
	Gatekeeper      bool              `json:"gatekeeper"`
	AllowsMinors    bool              `json:"allows_minors"`
	OTANames        []string          `json:"ota_names"`
	Documents       []CatalogDocument `json:"documents"`
}

// CatalogDocument is one document of a catalog platform.
//
// Select and Remove are settings as documents hold them (see
// extract.Selectors): CSS selector lists whose items may be Open Terms
// Archive range selectors. In the catalog file they are written either as
// such a string or as in an OTA declaration: a range selector object, or an
// array of CSS strings and range selector objects.
type CatalogDocument struct {
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	URL    string `json:"url"`
	Select string `json:"select"`
	Remove string `json:"remove"`
	// Render is "browser" for documents whose text exists only once the
	// page's scripts have run (Open Terms Archive's executeClientScripts),
	// else "" (auto).
	Render string `json:"render,omitempty"`
}

// UnmarshalJSON reads a catalog document, turning OTA-style select and
// remove values into setting strings; an invalid selector is an error.
func (d *CatalogDocument) UnmarshalJSON(data []byte) error {
	var raw struct {
		Kind   string          `json:"kind"`
		Title  string          `json:"title"`
		URL    string          `json:"url"`
		Select json.RawMessage `json:"select"`
		Remove json.RawMessage `json:"remove"`
		Render string          `json:"render"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if !ValidRender(raw.Render) {
		return fmt.Errorf("%s %s: %w", raw.Kind, raw.URL, invalidRender(raw.Render))
	}
	sel, err := extract.SelectorsFromOTA(raw.Select)
	if err != nil {
		return fmt.Errorf("%s %s: select: %w", raw.Kind, raw.URL, err)
	}
	rem, err := extract.SelectorsFromOTA(raw.Remove)
	if err != nil {
		return fmt.Errorf("%s %s: remove: %w", raw.Kind, raw.URL, err)
	}
	*d = CatalogDocument{Kind: raw.Kind, Title: raw.Title, URL: raw.URL, Select: sel, Remove: rem, Render: raw.Render}
	return nil
}

// ParseCatalog parses and validates a catalog file.
func ParseCatalog(data []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("parse catalog: %w", err)
	}
	seen := map[string]bool{}
	for _, p := range c.Platforms {
		if p.Slug == "" || p.Name == "" {
			return nil, fmt.Errorf("catalog: a platform lacks a slug or name (%q/%q)", p.Slug, p.Name)
		}
		if seen[p.Slug] {
			return nil, fmt.Errorf("catalog: platform %q listed twice", p.Slug)
		}
		seen[p.Slug] = true
		for _, d := range p.Documents {
			if !ValidKind(d.Kind) {
				return nil, fmt.Errorf("catalog: %s has a document of unknown kind %q", p.Slug, d.Kind)
			}
			if err := CheckURL(d.URL); err != nil {
				return nil, fmt.Errorf("catalog: %s %s: %w", p.Slug, d.Kind, err)
			}
		}
	}
	return &c, nil
}

// CheckURL accepts absolute http and https URLs with a host.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", raw)
	}
	return nil
}

// Find returns the catalog platform with the given slug.
func (c *Catalog) Find(slug string) (CatalogPlatform, bool) {
	for _, p := range c.Platforms {
		if p.Slug == slug {
			return p, true
		}
	}
	return CatalogPlatform{}, false
}

// ForOTAName returns the catalog platform an Open Terms Archive service name maps to.
func (c *Catalog) ForOTAName(service string) (CatalogPlatform, bool) {
	for _, p := range c.Platforms {
		for _, n := range p.OTANames {
			if strings.EqualFold(n, service) {
				return p, true
			}
		}
		if strings.EqualFold(p.Name, service) {
			return p, true
		}
	}
	return CatalogPlatform{}, false
}

// platform converts the catalog entry to a domain platform.
func (p CatalogPlatform) platform() Platform {
	return Platform{Slug: p.Slug, Name: p.Name, Category: p.Category, Owner: p.Owner,
		EULeadAuthority: p.EULeadAuthority, VLOP: p.VLOP, Gatekeeper: p.Gatekeeper, AllowsMinors: p.AllowsMinors}
}
