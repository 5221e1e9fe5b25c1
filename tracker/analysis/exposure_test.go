package analysis

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func analyzeOne(t *testing.T, category, sentence string, opts Options) *Finding {
	t.Helper()
	opts.Rules = testRules(t)
	res := Analyze(doc(), doc(sentence), opts)
	f := findingFor(res, category)
	if f == nil {
		t.Fatalf("no %s finding for %q: %+v", category, sentence, res.Findings)
	}
	return f
}

func TestExposureProfile(t *testing.T) {
	const retention = "We retain your information for 90 days after you delete your account."
	tests := []struct {
		name     string
		category string
		sentence string
		opts     Options
		want     string
		codes    []string // exact flagged jurisdiction codes, nil = don't check
		mention  string   // text the rationale must contain
	}{
		{"default without profile", "retention", retention, Options{}, "medium", nil, "retention starts from medium"},
		{"EU organisation raises", "retention", retention, Options{Profile: &Profile{Jurisdictions: []string{"EU"}}}, "high", []string{"EU"}, "operates in EU where GDPR"},
		{"non-regulated jurisdiction does not raise", "retention", retention, Options{Profile: &Profile{Jurisdictions: []string{"AU"}}}, "medium", []string{"AU"}, ""},
		{"B2B lowers", "retention", retention, Options{Profile: &Profile{Jurisdictions: []string{"AU"}, B2BNegotiated: true}}, "low", nil, "negotiated B2B terms"},
		{"VLOP raises", "retention", retention, Options{Platform: PlatformFacts{Name: "Meta", VLOP: true}}, "high", nil, "Meta is a designated VLOP"},
		{"lead authority named", "retention", retention, Options{Platform: PlatformFacts{Name: "Meta", EULeadAuthority: "Irish Data Protection Commission"}}, "medium", nil, "Irish Data Protection Commission"},
		{"children escalate for child-serving org", "children", "Teens can now join from age 13.", Options{Profile: &Profile{Jurisdictions: []string{"US"}, ServesChildren: true}}, "high", []string{"US"}, "serves children"},
		{"advertiser escalates ad tracking", "tracking-cookies", "We use cookies and pixels to measure your activity.", Options{Profile: &Profile{Jurisdictions: []string{"AU"}, Advertises: true}}, "high", nil, "advertises on the platform"},
		{"floor holds for children", "children", "We do not show personalised ads to users under 18.", Options{Profile: &Profile{Jurisdictions: []string{"AU"}, B2BNegotiated: true}}, "medium", nil, "never below medium because of DSA Art. 28(2)"},
		{"empty jurisdictions flag nothing", "retention", retention, Options{Profile: &Profile{}}, "medium", []string{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := analyzeOne(t, tc.category, tc.sentence, tc.opts)
			if f.Exposure != tc.want {
				t.Errorf("exposure %s, want %s; rationale: %s", f.Exposure, tc.want, f.Rationale)
			}
			if tc.mention != "" && !strings.Contains(f.Rationale, tc.mention) {
				t.Errorf("rationale %q does not mention %q", f.Rationale, tc.mention)
			}
			if tc.codes != nil {
				var got []string
				for _, j := range f.Jurisdictions {
					got = append(got, j.Code)
				}
				if strings.Join(got, ",") != strings.Join(tc.codes, ",") {
					t.Errorf("jurisdictions %v, want %v", got, tc.codes)
				}
			}
		})
	}
}

func TestRetroactiveChangeRaises(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	plain := Analyze(doc(), doc("We retain your information for 90 days after you delete your account."), opts)
	retro := Analyze(doc(), doc("We retain your information for 90 days after you delete your account.", "These changes apply retroactively to information previously collected."), opts)
	a, b := findingFor(plain, "retention"), findingFor(retro, "retention")
	if a == nil || b == nil {
		t.Fatal("missing retention finding")
	}
	if levelIndex(b.Exposure) != levelIndex(a.Exposure)+1 || !strings.Contains(b.Rationale, "retroactive") {
		t.Errorf("retroactive change: %s (%s), plain %s", b.Exposure, b.Rationale, a.Exposure)
	}
}

func TestNoProfileFlagsAllJurisdictions(t *testing.T) {
	f := analyzeOne(t, "location", "We collect your precise location and share it with advertisers.", Options{})
	if len(f.Jurisdictions) < 3 {
		t.Errorf("without a profile every jurisdiction should be flagged, got %v", f.Jurisdictions)
	}
}

func TestChangeExposureIsHighestFinding(t *testing.T) {
	res := Analyze(doc(), doc("We retain logs for 30 days.", "We use your posts to train generative AI models."), Options{Rules: testRules(t)})
	if res.Exposure != "high" {
		t.Fatalf("exposure %s, want high (ai-training)", res.Exposure)
	}
	if !strings.HasPrefix(res.Rationale, "High: ai-training") {
		t.Errorf("rationale should explain the highest finding: %s", res.Rationale)
	}
	if !strings.Contains(res.Summary, "adds AI training (high)") {
		t.Errorf("summary %q", res.Summary)
	}
	if len(res.Checklist) == 0 || res.Checklist[0].Category != "ai-training" {
		t.Errorf("checklist should start with the highest category: %+v", res.Checklist)
	}
	if len(res.Landscape) == 0 || len(res.Flags) == 0 || len(res.ContractImplications) == 0 || len(res.ComplianceConsiderations) == 0 {
		t.Error("record parts missing")
	}
}

// The JSON shape is the contract of `analyze --json`.
func TestResultJSONShape(t *testing.T) {
	res := Analyze(doc(), doc("We use your posts to train generative AI models."), Options{Rules: testRules(t), Profile: &Profile{Jurisdictions: []string{"EU"}}})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"substantive", "exposure", "findings", "summary", "rationale", "jurisdiction_flags", "checklist_items", "hunks"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	f := m["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"category", "direction", "exposure", "heading", "evidence", "jurisdictions", "checklist"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding misses key %q", k)
		}
	}
	j := f["jurisdictions"].([]any)[0].(map[string]any)
	p := j["provisions"].([]any)[0].(map[string]any)
	if j["code"] != "EU" || p["framework"] != "GDPR" || p["citation"] == "" || p["title"] == "" {
		t.Errorf("jurisdiction shape: %v", j)
	}
	// no findings: empty array, not null
	empty, _ := json.Marshal(Analyze("a", "a", Options{Rules: testRules(t)}))
	if !bytes.Contains(empty, []byte(`"findings":[]`)) || !bytes.Contains(empty, []byte(`"exposure":"none"`)) {
		t.Errorf("empty result JSON: %s", empty)
	}
}

func TestFormatDiff(t *testing.T) {
	a := "# Policy\n\n## Sharing\n\nWe share data with partners.\n\nOld paragraph to drop entirely here.\n"
	b := "# Policy\n\n## Sharing\n\nWe share data with advertisers and partners.\n\nA brand new paragraph about retention.\n"
	var buf bytes.Buffer
	FormatDiff(&buf, Diff(a, b))
	out := buf.String()
	for _, want := range []string{"@@ modified @@ Policy > Sharing", "{+advertisers and+}", "- Old paragraph", "+ A brand new paragraph"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
