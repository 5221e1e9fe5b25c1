package analysis

import (
	"slices"
	"strings"
	"testing"
)

func TestRegionScope(t *testing.T) {
	rules := testRules(t)
	cases := []struct {
		text string
		want []string
	}{
		{"If you live in the United Kingdom, the contracting entity is OpenAI UK Ltd.", []string{"UK"}},
		{"Additional terms for users in Brazil", []string{"BR"}},
		{"If you live in the EEA, United Kingdom, or Switzerland, your terms are here.", []string{"EU", "UK"}},
		{"Notice to California residents", []string{"US-CA"}},
		{"Information for non-EU users", nil},
		{"The laws of California govern these terms.", nil},
		{"Residents of California may ask us to delete their data.", []string{"US-CA"}},
		{"If you live outside the EEA, the contracting entity is Example Inc.", nil},
		{"We transfer your data to servers in India.", nil},
	}
	for _, c := range cases {
		got := rules.regionScope(c.text)
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("regionScope(%q) = %v, want %v", c.text, got, want)
		}
	}
}

// A change to a provision only for users of a region outside every
// jurisdiction of the profile does not reach the organisation: low; the
// same change for its own region, or without a profile, is not capped.
func TestProvisionForOtherRegionsIsLow(t *testing.T) {
	rules := testRules(t)
	old := doc("We may change these terms at any time.")
	uk := doc("We may change these terms at any time.", "If you live in the United Kingdom, we may sell your personal information to data brokers.")
	eu := doc("We may change these terms at any time.", "If you live in the European Union, we may sell your personal information to data brokers.")
	euCA := Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}
	if f := findingFor(Analyze(old, uk, euCA), "sale-targeted-ads"); f == nil || f.Exposure != LevelLow ||
		!strings.Contains(f.Rationale, "only to users in the United Kingdom") {
		t.Fatalf("a sale only for UK users, EU and California organisation: %+v, want low, saying why", f)
	}
	if f := findingFor(Analyze(old, eu, euCA), "sale-targeted-ads"); f == nil || f.Exposure == LevelLow {
		t.Fatalf("a sale for EU users, EU organisation: %+v, want above low", f)
	}
	ukOrg := Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"UK"}}}
	if f := findingFor(Analyze(old, uk, ukOrg), "sale-targeted-ads"); f == nil || f.Exposure == LevelLow {
		t.Fatalf("a sale for UK users, UK organisation: %+v, want above low", f)
	}
	if f := findingFor(Analyze(old, uk, Options{Rules: rules}), "sale-targeted-ads"); f == nil || f.Exposure == LevelLow {
		t.Fatalf("no profile: %+v, want above low", f)
	}
}

func TestRegionConceptsNeedCodes(t *testing.T) {
	for _, lx := range []Lexicon{
		{Concepts: []Concept{{ID: "r", Kind: KindRegion, Terms: []string{"narnia"}}}},
		{Concepts: []Concept{{ID: "r", Kind: KindRegion, Terms: []string{"narnia"}, Regions: []string{"NA"}}}},
		{Concepts: []Concept{{ID: "r", Kind: "place", Terms: []string{"narnia"}, Regions: []string{"UK"}}}},
	} {
		if err := lx.compile(); err == nil {
			t.Errorf("lexicon %+v compiled, want an error", lx.Concepts[0])
		}
	}
}
