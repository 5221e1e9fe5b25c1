package tracker_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policywatch/internal/sharedtest"
	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/extract"
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

// Catalog selectors may be written as in Open Terms Archive declarations:
// they become the setting strings documents hold.
func TestCatalogSelectorForms(t *testing.T) {
	data := `{"platforms":[{"slug":"a","name":"A","documents":[
		{"kind":"privacy-policy","url":"https://a/p","select":"main .policy, #terms","remove":".ad"},
		{"kind":"terms-of-service","url":"https://a/t","select":{"startBefore":"h1","endAfter":"[role='toolbar']"}},
		{"kind":"other","url":"https://a/o","select":["div[role=main]"],"remove":["nav",{"startAfter":"#end","endBefore":"footer"}]}]}]}`
	cat, err := tracker.ParseCatalog([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{
		{"main .policy, #terms", ".ad"},
		{`{"startBefore":"h1","endAfter":"[role='toolbar']"}`, ""},
		{"div[role=main]", `nav, {"startAfter":"#end","endBefore":"footer"}`},
	}
	for i, d := range cat.Platforms[0].Documents {
		if d.Select != want[i][0] || d.Remove != want[i][1] {
			t.Errorf("%s: select %q remove %q, want %q", d.Kind, d.Select, d.Remove, want[i])
		}
	}
}

func TestBuiltInCatalogRangeSelectors(t *testing.T) {
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	ranges := 0
	for _, p := range cat.Platforms {
		for _, d := range p.Documents {
			for _, setting := range []string{d.Select, d.Remove} {
				s, err := extract.ParseSelectors(setting)
				if err != nil {
					t.Errorf("%s %s: %v", p.Slug, d.Kind, err)
				}
				ranges += len(s.Ranges)
			}
		}
	}
	x, _ := cat.Find("x-twitter")
	for _, d := range x.Documents {
		if d.Kind == tracker.KindCommunityGuidelines && d.Select != `{"startBefore":"h1","endAfter":"[class*=\"rich-text-v\"]"}` {
			t.Errorf("The X Rules: select %q", d.Select)
		}
	}
	if ranges < 4 {
		t.Errorf("%d range selectors in the catalog, want the 4 of the OTA declarations", ranges)
	}
}

func TestParseCatalogRejectsBadSelectors(t *testing.T) {
	for name, sel := range map[string]string{
		"bad css":          `"main >"`,
		"no end":           `{"startBefore":"h1"}`,
		"unknown key":      `{"startBefore":"h1","endAfter":"p","filter":"x"}`,
		"bad css in range": `[{"startBefore":"h1[","endAfter":"p"}]`,
		"number":           `42`,
	} {
		data := `{"platforms":[{"slug":"a","name":"A","documents":[{"kind":"other","url":"https://a/b","select":` + sel + `}]}]}`
		_, err := tracker.ParseCatalog([]byte(data))
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.Contains(err.Error(), "https://a/b: select") {
			t.Errorf("%s: error does not name the document: %v", name, err)
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

// Every catalog document whose Open Terms Archive declaration says its text
// needs the page's scripts (executeClientScripts) is rendered in the browser.
func TestCatalogRendersWhatOTADeclarationsScript(t *testing.T) {
	dir := sharedtest.Require(t, "corpus", "declarations")
	cat, err := tracker.ParseCatalog(resources.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]tracker.CatalogDocument{}
	for _, p := range cat.Platforms {
		for _, d := range p.Documents {
			byURL[strings.TrimSuffix(d.URL, "/")] = d
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	matched := 0
	scripted := map[string]bool{} // declared URLs: whether some declaration runs their scripts
	for _, f := range files {
		if strings.Contains(f, ".history.") || filepath.Base(f) == "index.json" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var decl struct {
			Terms map[string]struct {
				Fetch   string `json:"fetch"`
				Scripts bool   `json:"executeClientScripts"`
				Combine []struct {
					Fetch   string `json:"fetch"`
					Scripts bool   `json:"executeClientScripts"`
				} `json:"combine"`
			} `json:"terms"`
		}
		if err := json.Unmarshal(data, &decl); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for tt, d := range decl.Terms {
			sources := d.Combine
			if d.Fetch != "" {
				sources = append(sources, struct {
					Fetch   string `json:"fetch"`
					Scripts bool   `json:"executeClientScripts"`
				}{d.Fetch, d.Scripts})
			}
			for _, src := range sources {
				cd, ok := byURL[strings.TrimSuffix(src.Fetch, "/")]
				if !ok {
					continue
				}
				matched++
				if src.Scripts && cd.Render != tracker.RenderBrowser {
					t.Errorf("%s %s (%s): OTA executes its scripts, the catalog renders %q", filepath.Base(f), tt, src.Fetch, cd.Render)
				}
				scripted[strings.TrimSuffix(src.Fetch, "/")] = scripted[strings.TrimSuffix(src.Fetch, "/")] || src.Scripts
			}
		}
	}
	if matched < 20 {
		t.Fatalf("only %d catalog documents found in the declarations", matched)
	}
	for u, d := range byURL {
		if s, declared := scripted[u]; declared && !s && d.Render == tracker.RenderBrowser {
			t.Errorf("%s: every declaration fetches it plainly, the catalog forces the browser", u)
		}
	}
}
