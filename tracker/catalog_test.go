package tracker_test

import (
	"net/url"
	"testing"

	"policywatch/resources"
	"policywatch/tracker"
)

func TestBuiltInCatalog(t *testing.T) {
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Platforms) < 40 {
		t.Fatalf("%d platforms, want at least 40", len(cat.Platforms))
	}
	for _, p := range cat.Platforms {
		if len(p.Documents) == 0 {
			t.Errorf("%s has no documents", p.Slug)
		}
		for _, d := range p.Documents {
			u, err := url.Parse(d.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Errorf("%s %s: bad URL %q", p.Slug, d.Kind, d.URL)
			}
		}
	}
	if p, ok := cat.ForOTAName("Twitter"); !ok || p.Slug == "" {
		t.Error("the OTA service Twitter maps to no platform")
	}
}

func TestParseCatalogRejectsBadEntries(t *testing.T) {
	for name, data := range map[string]string{
		"not json":     `{`,
		"bad kind":     `{"platforms":[{"slug":"a","name":"A","documents":[{"kind":"nope","url":"https://a"}]}]}`,
		"ftp url":      `{"platforms":[{"slug":"a","name":"A","documents":[{"kind":"other","url":"ftp://a/b"}]}]}`,
		"dup slug":     `{"platforms":[{"slug":"a","name":"A"},{"slug":"a","name":"B"}]}`,
		"missing name": `{"platforms":[{"slug":"a"}]}`,
	} {
		if _, err := tracker.ParseCatalog([]byte(data)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Google Generative AI Services": "google-generative-ai-services",
		"  Acme, Inc. ":                 "acme-inc",
		"Zoom":                          "zoom",
	} {
		if got := tracker.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}
