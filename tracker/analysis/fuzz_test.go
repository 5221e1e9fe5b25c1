package analysis

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var validOps = map[string]bool{OpAdded: true, OpRemoved: true, OpModified: true, OpMoved: true}

func fuzzSeeds(f *testing.F) {
	f.Add("", "")
	f.Add(cosmeticBase, strings.Replace(cosmeticBase, "partners", "advertisers", 1))
	f.Add(doc("We do not sell your data."), doc("We sell your data."))
	f.Add("# A\n\n* one\n* two\n\n| a | b |\n| --- | --- |\n| c | d |\n", "# A\n\n* two\n* one\n\n| a | b |\n| c | e |\n")
	f.Add("[\n\nlink\n\n](http://x)", "Title\n=====\n\n**bold** _it_ `code` <br> &amp;")
	f.Add("Effective May 1, 2024", "Effective June 2, 2025")
}

// FuzzDiff checks that Diff never panics, keeps its invariants and finds
// nothing between a text and itself.
func FuzzDiff(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, a, b string) {
		hunks := Diff(a, b)
		for _, h := range hunks {
			if !validOps[h.Op] {
				t.Fatalf("invalid op %q", h.Op)
			}
			if h.Substantive && h.Reason != "" {
				t.Fatalf("substantive hunk with cosmetic reason %q", h.Reason)
			}
			if h.Op == OpAdded && h.New == "" || h.Op == OpRemoved && h.Old == "" {
				t.Fatalf("empty %s hunk", h.Op)
			}
		}
		var sb strings.Builder
		FormatDiff(&sb, hunks)
		if utf8.ValidString(a) && utf8.ValidString(b) && !utf8.ValidString(sb.String()) {
			t.Fatalf("FormatDiff produced invalid UTF-8")
		}
		if len(Diff(a, a)) != 0 {
			t.Fatalf("Diff(a, a) is not empty")
		}
	})
}

// FuzzAnalyze checks that Analyze never panics and returns a consistent
// record.
func FuzzAnalyze(f *testing.F) {
	fuzzSeeds(f)
	rules := testRules(f)
	opts := Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}, ServesChildren: true, B2BNegotiated: true}}
	f.Fuzz(func(t *testing.T, a, b string) {
		res := Analyze(a, b, opts)
		if res.Exposure != "none" && levelIndex(res.Exposure) < 0 {
			t.Fatalf("invalid exposure %q", res.Exposure)
		}
		// none exactly when nothing substantive changed; a substantive
		// change without findings is low (it needs a read)
		if res.Substantive == (res.Exposure == "none") ||
			len(res.Findings) == 0 && res.Substantive && res.Exposure != LevelLow {
			t.Fatalf("exposure %q with %d findings, substantive %v", res.Exposure, len(res.Findings), res.Substantive)
		}
		if len(res.Findings) > 0 && !res.Substantive {
			t.Fatalf("findings on a non-substantive change")
		}
		for _, f := range res.Findings {
			if rules.Category(f.Category) == nil || levelIndex(f.Exposure) < 0 || f.Evidence == "" {
				t.Fatalf("bad finding %+v", f)
			}
			for _, j := range f.Jurisdictions {
				if j.Code != "EU" && j.Code != "US-CA" {
					t.Fatalf("jurisdiction %s outside the profile", j.Code)
				}
			}
		}
		self := Analyze(a, a, opts)
		if self.Substantive || len(self.Findings) > 0 {
			t.Fatalf("Analyze(a, a) not empty")
		}
	})
}
