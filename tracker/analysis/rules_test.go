package analysis

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"policywatch/internal/sharedtest"
)

func rulesJSON(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("../../resources/rules.json")
	if err != nil {
		t.Fatalf("read rules: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("decode rules: %v", err)
	}
	return m
}

func encode(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRulesShippedFile(t *testing.T) {
	r := testRules(t)
	if len(r.Categories) != len(CategoryIDs) {
		t.Fatalf("%d categories, want %d", len(r.Categories), len(CategoryIDs))
	}
	for _, id := range CategoryIDs {
		c := r.Category(id)
		if c == nil {
			t.Fatalf("missing %s", id)
		}
		if c.Label == "" || c.Description == "" || len(c.Checklist) == 0 || len(c.ContractImplications) == 0 || len(c.ComplianceConsiderations) == 0 {
			t.Errorf("%s: label, description, checklist, contract and compliance texts are required", id)
		}
		verified := 0
		for _, p := range c.Provisions {
			if p.Verified {
				verified++
			}
		}
		if verified == 0 {
			t.Errorf("%s: no verified provision to cite", id)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"missing category", func(m map[string]any) {
			cats := m["categories"].([]any)
			m["categories"] = cats[1:]
		}, "missing categories: ai-training"},
		{"duplicate category", func(m map[string]any) {
			cats := m["categories"].([]any)
			m["categories"] = append(cats, cats[0])
		}, `category "ai-training": defined more than once`},
		{"bad level", func(m map[string]any) {
			m["categories"].([]any)[2].(map[string]any)["default_exposure"] = "critical"
		}, `category "account-linkage": default_exposure "critical"`},
		{"unknown jurisdiction", func(m map[string]any) {
			m["frameworks"].(map[string]any)["gdpr"].(map[string]any)["jurisdiction"] = "EEA"
		}, `framework "gdpr": unknown jurisdiction code "EEA"`},
		{"unknown concept in a frame", func(m map[string]any) {
			fr := m["categories"].([]any)[0].(map[string]any)["frames"].([]any)[0].(map[string]any)
			fr["all"] = []any{[]any{"no-such-concept"}}
		}, `category "ai-training": frame "train-models": slot 1: unknown concept "no-such-concept"`},
		{"unknown concept guarding a frame", func(m map[string]any) {
			fr := m["categories"].([]any)[0].(map[string]any)["frames"].([]any)[0].(map[string]any)
			fr["guarded_by"] = []any{"no-such-opt-out"}
		}, `category "ai-training": frame "train-models": guarded_by: unknown concept "no-such-opt-out"`},
		{"bad term", func(m map[string]any) {
			c := m["lexicon"].(map[string]any)["concepts"].([]any)[0].(map[string]any)
			c["terms"] = []any{"... share"}
		}, `term "... share"`},
		{"duplicate concept", func(m map[string]any) {
			lx := m["lexicon"].(map[string]any)
			cs := lx["concepts"].([]any)
			lx["concepts"] = append(cs, cs[0])
		}, "defined more than once"},
		{"no lexicon", func(m map[string]any) { delete(m, "lexicon") }, "no lexicon"},
		{"bad cap level", func(m map[string]any) {
			m["categories"].([]any)[8].(map[string]any)["cap_unless"] = map[string]any{"serves_children": "severe"}
		}, `cap_unless serves_children: "severe"`},
		{"unknown framework", func(m map[string]any) {
			p := m["categories"].([]any)[3].(map[string]any)["provisions"].([]any)[0].(map[string]any)
			p["framework"] = "nope"
		}, `unknown framework "nope"`},
		{"unknown escalate fact", func(m map[string]any) {
			m["categories"].([]any)[4].(map[string]any)["escalate"] = []any{"is_big"}
		}, `unknown escalate fact "is_big"`},
		{"user rule level without user rules", func(m map[string]any) {
			m["categories"].([]any)[0].(map[string]any)["user_rule_exposure"] = "low"
		}, `user_rule_exposure "low" needs user_rules`},
		{"unknown field", func(m map[string]any) { m["colour"] = "blue" }, `unknown field "colour"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := rulesJSON(t)
			tc.edit(m)
			_, err := ParseRules(encode(t, m))
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

// Every provision must be copied from the verified reference with its
// citation, title and verified flag unchanged.
func TestProvisionsMatchReference(t *testing.T) {
	data, err := os.ReadFile(sharedtest.Require(t, "reference", "regulations.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Frameworks []struct {
			ID string `json:"id"`
		} `json:"frameworks"`
		Categories []struct {
			Provisions []struct {
				FrameworkID string `json:"framework_id"`
				Citation    string `json:"citation"`
				Title       string `json:"title"`
				Verified    bool   `json:"verified"`
			} `json:"provisions"`
		} `json:"categories"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	type key struct{ fw, cit string }
	known := map[key][]struct {
		title    string
		verified bool
	}{}
	for _, c := range ref.Categories {
		for _, p := range c.Provisions {
			k := key{p.FrameworkID, p.Citation}
			known[k] = append(known[k], struct {
				title    string
				verified bool
			}{p.Title, p.Verified})
		}
	}
	r := testRules(t)
	for id := range r.Frameworks {
		found := false
		for _, f := range ref.Frameworks {
			found = found || f.ID == id
		}
		if !found {
			t.Errorf("framework %q is not in the reference", id)
		}
	}
	for _, c := range r.Categories {
		for _, p := range c.Provisions {
			entries, ok := known[key{p.Framework, p.Citation}]
			if !ok {
				t.Errorf("%s: %s %q is not a reference citation", c.ID, p.Framework, p.Citation)
				continue
			}
			match := false
			for _, e := range entries {
				match = match || (e.title == p.Title && e.verified == p.Verified)
			}
			if !match {
				t.Errorf("%s: %s %q: title or verified flag differs from the reference", c.ID, p.Framework, p.Citation)
			}
		}
	}
}

func TestUnverifiedProvisionsAreNotCited(t *testing.T) {
	r := testRules(t)
	unverified := map[string]bool{}
	for _, c := range r.Categories {
		for _, p := range c.Provisions {
			if !p.Verified {
				unverified[p.Citation] = true
			}
		}
	}
	if len(unverified) == 0 {
		t.Skip("no unverified provisions in the rules")
	}
	var all []string
	for _, cc := range categoryCases {
		all = append(all, cc.sentence)
	}
	res := Analyze(doc(), doc(all...), Options{Rules: r})
	for _, f := range res.Findings {
		for _, j := range f.Jurisdictions {
			for _, p := range j.Provisions {
				if unverified[p.Citation] {
					// the same citation may exist verified under another framework
					ok := false
					for _, c := range r.Categories {
						for _, q := range c.Provisions {
							ok = ok || (q.Citation == p.Citation && q.Verified && r.Frameworks[q.Framework].Name == p.Framework)
						}
					}
					if !ok {
						t.Errorf("%s cites unverified %s %s", f.Category, p.Framework, p.Citation)
					}
				}
			}
		}
	}
}

// TestTermSyntax checks how lexicon terms match: inflections, prefixes,
// exact forms, gaps and the longest term claiming its words.
func TestTermSyntax(t *testing.T) {
	lx := &Lexicon{Concepts: []Concept{
		{ID: "share", Kind: "action", Terms: []string{"share", "disclose", "give ... access"}},
		{ID: "recipient", Kind: "recipient", Terms: []string{"third party", "advertis* partner*"}},
		{ID: "country", Kind: "place", Terms: []string{"=US", "united states"}},
		{ID: "gov", Kind: "recipient", Terms: []string{"government"}},
		{ID: "id-doc", Kind: "data", Terms: []string{"government issued id"}},
	}}
	if err := lx.compile(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string // concept ids found, in order
	}{
		{"We shared it with a third-party", []string{"share", "recipient"}},
		{"sharing with third parties", []string{"share", "recipient"}},
		{"Advertising partners may disclose it", []string{"recipient", "share"}},
		{"we give our partners access", []string{"share"}},
		{"send us a note", nil},
		{"stored in the US", []string{"country"}},
		{"a government-issued ID", []string{"id-doc"}},
		{"the government may ask", []string{"gov"}},
	}
	for _, tc := range tests {
		toks := tokenize(tc.text)
		var got []string
		for _, h := range lx.match(readWords(tc.text, toks)) {
			for _, ci := range h.concepts {
				got = append(got, lx.Concepts[ci].ID)
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%q: concepts %v, want %v", tc.text, got, tc.want)
		}
	}
	for _, bad := range []string{"... share", "share ...", "=two-words", ""} {
		if _, err := compileTerm(bad); err == nil {
			t.Errorf("term %q accepted", bad)
		}
	}
}

func TestMergeRules(t *testing.T) {
	base := testRules(t)
	user, err := ParseUserRules([]byte(`{
	  "lexicon": {"concepts": [
	    {"id": "crypto", "kind": "data", "terms": ["crypto*", "stablecoin"]},
	    {"id": "cold-archive", "kind": "object", "terms": ["cold archive"]}
	  ]},
	  "categories": [
	    {"id": "retention", "default_exposure": "high", "frames": [{"id": "archive", "all": [["cold-archive"]]}]},
	    {"id": "crypto-assets", "name": "Crypto assets", "label": "crypto assets", "default_exposure": "medium",
	     "frames": [{"id": "crypto", "all": [["crypto"]]}],
	     "provisions": [], "checklist": ["Check custody terms."], "contract_implications": [], "compliance_considerations": []}
	  ]}`))
	if err != nil {
		t.Fatalf("parse user rules: %v", err)
	}
	merged, err := MergeRules(base, user)
	if err != nil {
		t.Fatal(err)
	}
	ret := merged.Category("retention")
	if ret.DefaultExposure != "high" {
		t.Errorf("override: default %s, want high", ret.DefaultExposure)
	}
	if len(ret.Frames) != len(base.Category("retention").Frames)+1 {
		t.Errorf("new frame ids should extend the base frames: %d", len(ret.Frames))
	}
	if base.Category("retention").DefaultExposure != "medium" {
		t.Error("MergeRules modified the base rules")
	}
	if merged.Category("crypto-assets") == nil {
		t.Fatal("user category not added")
	}
	res := Analyze(doc(), doc("We move old messages to a cold archive.", "You can hold stablecoins."), Options{Rules: merged})
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.Category] = string(f.Exposure)
	}
	if got["retention"] != "high" || got["crypto-assets"] == "" {
		t.Errorf("merged rules not applied: %v", got)
	}
	if _, err := ParseRules([]byte(`{"categories": []}`)); err == nil {
		t.Error("ParseRules accepted an incomplete file")
	}
	// a frame naming a concept neither file defines is an error at merge
	bad, err := ParseUserRules([]byte(`{"categories": [{"id": "retention", "default_exposure": "low", "frames": [{"id": "x", "all": [["no-such-concept"]]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := MergeRules(base, bad); err == nil || !strings.Contains(err.Error(), "no-such-concept") {
		t.Errorf("unknown concept in a user frame: %v", err)
	}
	// a model threshold must be a probability below 1
	badModel, err := ParseUserRules([]byte(`{"categories": [{"id": "retention", "default_exposure": "low", "frames": [{"id": "x", "all": [["act-retain"]], "model_at_least": 1.5}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := MergeRules(base, badModel); err == nil || !strings.Contains(err.Error(), "model_at_least") {
		t.Errorf("model_at_least 1.5 in a user frame: %v", err)
	}
	// a format-1 file (signals) is refused with advice
	if _, err := ParseUserRules([]byte(`{"categories": [{"id": "retention", "signals": []}]}`)); err == nil || !strings.Contains(err.Error(), "format 2") {
		t.Errorf("format-1 file: %v", err)
	}
}
