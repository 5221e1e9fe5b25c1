package analysis

import (
	"bytes"
	"encoding/json"
	"slices"
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
		{"default without profile", "retention", retention, Options{}, "medium", nil, "adds or widens data retention (medium"},
		{"operating in the EU does not raise by itself", "retention", retention, Options{Profile: &Profile{Jurisdictions: []string{"EU"}}}, "medium", []string{"EU"}, ""},
		{"a state law implies US federal law", "account-linkage", "We combine information from your accounts across our family of apps.", Options{Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}, "medium", []string{"EU", "US", "US-CA"}, ""},
		{"B2B lowers", "retention", retention, Options{Profile: &Profile{Jurisdictions: []string{"AU"}, B2BNegotiated: true}}, "low", []string{"AU"}, "negotiated B2B terms"},
		{"no provision in the organisation's jurisdictions lowers", "retention", retention, Options{Profile: &Profile{Jurisdictions: []string{"JP"}}}, "low", []string{}, "no provision of this category applies"},
		{"VLOP raises moderation", "content-moderation", "We may remove content that violates our community guidelines.", Options{Platform: PlatformFacts{Name: "Meta", VLOP: true}}, "high", nil, "Meta is a designated DSA very large online platform"},
		{"VLOP does not raise retention", "retention", retention, Options{Platform: PlatformFacts{Name: "Meta", VLOP: true}}, "medium", nil, ""},
		{"lead authority named", "retention", retention, Options{Profile: &Profile{Jurisdictions: []string{"EU"}}, Platform: PlatformFacts{Name: "Meta", EULeadAuthority: "Irish Data Protection Commission"}}, "medium", nil, "Irish Data Protection Commission"},
		{"children's rules do not reach an organisation serving none", "children", "Teens can now join from age 13.", Options{Profile: &Profile{Jurisdictions: []string{"EU"}}}, "low", nil, "at most low"},
		{"children's rules for a child-serving organisation", "children", "Teens can now join from age 13.", Options{Profile: &Profile{Jurisdictions: []string{"US"}, ServesChildren: true}}, "high", []string{"US"}, ""},
		{"advertiser escalates ad tracking", "tracking-cookies", "We use cookies and pixels to measure your activity.", Options{Profile: &Profile{Jurisdictions: []string{"EU"}, Advertises: true}}, "high", nil, "advertises on the platform"},
		{"a prohibition's floor holds", "sale-targeted-ads", "We show you personalised ads based on your activity.", Options{Profile: &Profile{Jurisdictions: []string{"AU"}, B2BNegotiated: true}}, "medium", nil, "never below medium because of DSA Art. 26(3) and Art. 28(2)"},
		{"a new promise is low", "sale-targeted-ads", "We do not sell your personal information.", Options{Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}, "low", nil, "adds a no-sale promise"},
		{"a precise location is high", "location", "We collect your precise location to show nearby events.", Options{Profile: &Profile{Jurisdictions: []string{"EU"}}}, "high", nil, "precise location"},
		{"an approximate location is medium", "location", "We infer your approximate location from your IP address.", Options{Profile: &Profile{Jurisdictions: []string{"EU"}}}, "medium", nil, ""},
		{"empty jurisdictions flag nothing", "retention", retention, Options{Profile: &Profile{}}, "low", []string{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := analyzeOne(t, tc.category, tc.sentence, tc.opts)
			if string(f.Exposure) != tc.want {
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

// Wording that newly makes a change retroactive raises a widening once;
// the same wording carried over from the old version does not.
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
	// a posting-only clause the old version already had, merely reworded,
	// makes no change retroactive
	carried := Analyze(doc("Changes are effective upon posting of the revised terms on this page."),
		doc("Changes are effective upon posting of the revised terms on this website.", "We retain your information for 90 days after you delete your account."), opts)
	if c := findingFor(carried, "retention"); c == nil || c.Exposure != a.Exposure || strings.Contains(c.Rationale, "retroactive") {
		t.Errorf("carried-over posting clause: %+v, want %s without a raise", c, a.Exposure)
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
	if !strings.HasPrefix(res.Rationale, "High") || !strings.Contains(res.Rationale, "AI training") {
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

// Financial-services law is cited only where the platform provides
// financial services or the organisation handles financial data.
func TestFinancialFrameworksNeedFinancialFacts(t *testing.T) {
	const fee = "We charge a monthly subscription fee and refunds are not available."
	cites := func(opts Options) bool {
		f := analyzeOne(t, "fees-payments", fee, opts)
		for _, j := range f.Jurisdictions {
			for _, p := range j.Provisions {
				if p.Framework == "PSD2" || p.Framework == "AMLD" {
					return true
				}
			}
		}
		return false
	}
	eu := &Profile{Jurisdictions: []string{"EU"}}
	if cites(Options{Profile: eu}) {
		t.Error("payment-services or anti-money-laundering law cited for an organisation without financial data")
	}
	if !cites(Options{Profile: &Profile{Jurisdictions: []string{"EU"}, FinancialData: true}}) {
		t.Error("financial law not cited for an organisation processing financial data")
	}
	if !cites(Options{Profile: eu, Platform: PlatformFacts{Name: "Revolut", Financial: true}}) {
		t.Error("financial law not cited for a financial platform")
	}
}

// A new rule for users' own conduct in a category marked
// user_rule_exposure is at most that level; the company's own moderation
// of the same content keeps its category's level.
func TestUserConductRuleIsCapped(t *testing.T) {
	rules := testRules(t)
	old := doc("You may not post spam.")
	rule := findingFor(Analyze(old, doc("You may not post spam. You may not remove or alter content credentials that show content was generated by AI."), Options{Rules: rules}), "content-moderation")
	if rule == nil || rule.Exposure != LevelLow {
		t.Fatalf("a new rule for users' conduct: %+v, want a low content-moderation finding", rule)
	}
	imperative := findingFor(Analyze(old, doc("You may not post spam.", "- Don't hide, remove, or alter content credentials that show content was generated by AI."), Options{Rules: rules}), "content-moderation")
	if imperative == nil || imperative.Exposure != LevelLow {
		t.Fatalf("a new rule for users' conduct in the imperative: %+v, want a low content-moderation finding", imperative)
	}
	power := findingFor(Analyze(old, doc("You may not post spam. We may remove your content and suspend your account at any time."), Options{Rules: rules}), "content-moderation")
	if power == nil || power.Exposure == LevelLow {
		t.Fatalf("the company's own moderation: %+v, want above low", power)
	}
}

// A sentence that applies only to minors ("if you are under the
// appropriate age") does not reach an organisation that serves none: at
// most Low; for one that serves minors it keeps its level.
func TestMinorsOnlySentenceIsLowWithoutChildren(t *testing.T) {
	rules := testRules(t)
	old := doc("You can turn off tailored ads in your settings.")
	changed := doc("You can turn off tailored ads in your settings.", "You will not be able to opt in to tailored ads if you are under the appropriate age.")
	adult := Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}
	f := findingFor(Analyze(old, changed, adult), "ad-controls")
	if f == nil || f.Exposure != LevelLow || !strings.Contains(f.Rationale, "only to minors") {
		t.Fatalf("a rule only for minors, organisation without children: %+v", f)
	}
	kids := Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}, ServesChildren: true}}
	if f := findingFor(Analyze(old, changed, kids), "ad-controls"); f == nil || f.Exposure == LevelLow {
		t.Fatalf("the same rule for an organisation serving minors: %+v, want above low", f)
	}
}

// A substantive change that no rule classifies is low (an editorial or
// clarifying change that needs a read); a cosmetic one stays none, and so
// does any change analysed without rules.
func TestUnclassifiedSubstantiveChangeIsLow(t *testing.T) {
	rules := testRules(t)
	old := doc("Our offices are open on weekdays. We answer letters within a week.")
	res := Analyze(old, doc("Our offices are open every day of the week. We answer letters within a week."), Options{Rules: rules})
	if !res.Substantive || len(res.Findings) != 0 || res.Exposure != LevelLow || !strings.HasPrefix(res.Rationale, "Low:") {
		t.Errorf("unclassified substantive change: substantive %v, %d findings, exposure %q, rationale %q", res.Substantive, len(res.Findings), res.Exposure, res.Rationale)
	}
	if res := Analyze(old, old+"\n", Options{Rules: rules}); res.Exposure != LevelNone {
		t.Errorf("cosmetic change: exposure %q, want none", res.Exposure)
	}
	if res := Analyze(old, doc("Our offices are open every day of the week."), Options{}); res.Exposure != LevelNone {
		t.Errorf("diff without rules: exposure %q, want none", res.Exposure)
	}
}

// The mission's example: Threads begins to require an Instagram account
// and fills the profile in from it. For an EU and California organisation
// that is one account-linkage finding at Medium, citing GDPR purpose
// limitation and transparency, the FTC Act and the CCPA.
func TestMissionExample(t *testing.T) {
	old := "# Threads Privacy Policy\n\n## Information we collect\n\nWe collect the information you provide when you use Threads.\n"
	new := old + "\nTo create a Threads profile, you need an Instagram account. We fill in your Threads profile with information from your Instagram account.\n"
	res := Analyze(old, new, Options{Rules: testRules(t), Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}})
	if len(res.Findings) != 1 || res.Findings[0].Category != "account-linkage" || res.Findings[0].Exposure != LevelMedium {
		t.Fatalf("findings %+v, want one account-linkage finding at medium", res.Findings)
	}
	cited := map[string][]string{}
	for _, j := range res.Findings[0].Jurisdictions {
		for _, p := range j.Provisions {
			cited[j.Code] = append(cited[j.Code], p.Citation)
		}
	}
	for code, want := range map[string]string{"EU": "Art. 5(1)(b)-(c)", "US": "15 U.S.C. 45(a)", "US-CA": "Civ. Code 1798.100"} {
		if !slices.Contains(cited[code], want) {
			t.Errorf("%s cites %v, want %s among them", code, cited[code], want)
		}
	}
	if !slices.Contains(cited["EU"], "Arts. 12-13") {
		t.Errorf("EU cites %v, want the transparency articles", cited["EU"])
	}
}

// An added sentence that names nothing its category's statements in the
// old version did not already name clarifies the existing practice: Low.
// One that names a new recipient, drops the only condition it was stated
// under, or sets a period is not a clarification.
func TestRestatedPracticeIsLow(t *testing.T) {
	rules := testRules(t)
	opts := Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}
	old := doc("We share your contact information with service providers.", "We share your device information with service providers.")
	restated := findingFor(Analyze(old, doc("We share your contact information with service providers.", "We share your device information with service providers.",
		"We share your contact information and device information with service providers."), opts), "third-party-sharing")
	if restated == nil || restated.Exposure != LevelLow || !strings.Contains(restated.Rationale, "clarification") {
		t.Fatalf("a restatement of an existing sharing practice: %+v, want a low clarification", restated)
	}
	widened := findingFor(Analyze(old, doc("We share your contact information with service providers.", "We share your device information with service providers.",
		"We may share your contact information and device information with our business partners."), opts), "third-party-sharing")
	if widened == nil || widened.Exposure == LevelLow {
		t.Fatalf("sharing with a recipient the old version did not name: %+v, want above low", widened)
	}
	conditional := doc("If you ask us to, we share your contact information with service providers.", "We share your device information with service providers.")
	unconditional := findingFor(Analyze(conditional, doc("If you ask us to, we share your contact information with service providers.", "We share your device information with service providers.",
		"We share your contact information and device information with service providers."), opts), "third-party-sharing")
	if unconditional == nil || unconditional.Exposure == LevelLow {
		t.Fatalf("contact information shared without the condition it was stated under: %+v, want above low", unconditional)
	}
	kept := doc("We keep your messages while your account is open.", "We keep your photos while your account is open.")
	period := findingFor(Analyze(kept, doc("We keep your messages while your account is open.", "We keep your photos while your account is open.",
		"We keep your messages and photos for up to three years."), opts), "retention")
	if period == nil || period.Exposure == LevelLow {
		t.Fatalf("a retention period added: %+v, want above low", period)
	}
}

// The rubric's de-escalation triggers lower a new practice one level: AI
// training only with opt-in consent, tracking gated on consent.
func TestRubricDeescalation(t *testing.T) {
	opts := Options{Rules: testRules(t), Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}
	plain := analyzeOne(t, "ai-training", "We use your posts to train our artificial intelligence models.", opts)
	optIn := analyzeOne(t, "ai-training", "With your consent, we use your posts to train our artificial intelligence models.", opts)
	if levelIndex(optIn.Exposure) != levelIndex(plain.Exposure)-1 || !strings.Contains(optIn.Rationale, "opt-in consent") {
		t.Errorf("AI training with opt-in consent: %s (%s); without: %s", optIn.Exposure, optIn.Rationale, plain.Exposure)
	}
	tracking := analyzeOne(t, "tracking-cookies", "With your consent, we use cookies and pixels to measure your activity across websites.", opts)
	if tracking.Exposure != LevelLow {
		t.Errorf("consent-gated tracking: %s (%s), want low", tracking.Exposure, tracking.Rationale)
	}
}

// An optional dispute route the user may take adds a remedy: low, while a
// new arbitration clause binding the user is not.
func TestOptionalDisputeRouteIsLow(t *testing.T) {
	opts := Options{Rules: testRules(t), Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}
	old := doc("These terms are governed by the laws of Ireland.")
	optional := findingFor(Analyze(old, doc("These terms are governed by the laws of Ireland.",
		"If you are a business user, you may also use the alternative dispute resolution mechanism available in the Help Center."), opts), "arbitration")
	if optional == nil || optional.Exposure != LevelLow {
		t.Fatalf("an optional dispute route: %+v, want a low finding", optional)
	}
	binding := findingFor(Analyze(old, doc("These terms are governed by the laws of Ireland.",
		"All disputes will be resolved by binding individual arbitration."), opts), "arbitration")
	if binding == nil || binding.Exposure == LevelLow {
		t.Fatalf("binding arbitration: %+v, want above low", binding)
	}
}

// exposureCase is one change of a table of exposure cases: the finding of
// category cat in the analysis of old → new for the EU + California
// profile must have a level between min and max, and a rationale holding
// says.
type exposureCase struct {
	name, old, new, cat string
	min, max            Level
	says                string
}

// checkExposure runs a table of exposure cases.
func checkExposure(t *testing.T, cases []exposureCase) {
	t.Helper()
	opts := Options{Rules: testRules(t), Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}
	for _, c := range cases {
		f := findingFor(Analyze(c.old, c.new, opts), c.cat)
		if f == nil || levelIndex(f.Exposure) < levelIndex(c.min) || levelIndex(f.Exposure) > levelIndex(c.max) || !strings.Contains(f.Rationale, c.says) {
			t.Errorf("%s: %+v, want a %s finding from %s to %s saying %q", c.name, f, c.cat, c.min, c.max, c.says)
		}
	}
}

// Calibration of the eighth pass on #12:
//   - an added sentence that names one more ordinary data item but no
//     recipient, sensitive data type or purpose the old version did not
//     state for its category details the existing practice: Low; a new
//     recipient is not a detail;
//   - a removed promise not to do something is High when the new version
//     makes no promise of that kind any more, Medium (to be checked) when it
//     still makes one elsewhere;
//   - a new governing-law or forum clause is at most Medium: the rubric's
//     High is for a new arbitration clause or class waiver.
func TestExposureCalibrationOfTheEighthPass(t *testing.T) {
	shared := doc("We share your contact information with service providers.")
	promises := doc("We do not sell your personal information to advertisers.", "We use your contact information to send you receipts.",
		"We do not sell your personal information to data brokers.")
	terms := doc("You may terminate your account at any time.")
	checkExposure(t, []exposureCase{
		{"one more ordinary data item shared with the same recipients", shared,
			doc("We share your contact information with service providers.", "We also share your device information with service providers."),
			"third-party-sharing", LevelLow, LevelLow, "more detail"},
		{"a recipient the old version did not name", shared,
			doc("We share your contact information with service providers.", "We also share your device information with advertisers."),
			"third-party-sharing", LevelMedium, LevelHigh, ""},
		{"one no-sale promise removed while another remains", promises,
			doc("We use your contact information to send you receipts.", "We do not sell your personal information to data brokers."),
			"sale-targeted-ads", LevelMedium, LevelMedium, "still makes"},
		{"every no-sale promise removed", promises,
			doc("We use your contact information to send you receipts."),
			"sale-targeted-ads", LevelHigh, LevelHigh, ""},
		{"a new governing-law clause", terms,
			doc("You may terminate your account at any time.", "These terms are governed by the laws of the State of California and disputes will be brought in the state courts located in San Francisco."),
			"arbitration", LevelLow, LevelMedium, ""},
		{"a new arbitration clause and class waiver", terms,
			doc("You may terminate your account at any time.", "You and we agree to resolve any dispute by binding individual arbitration and waive any class action."),
			"arbitration", LevelHigh, LevelHigh, ""},
	})
}

// A sentence reworded both ways (it gains one detail and loses another) is
// Low when everything it names was already stated for its category in the
// old version, and Medium when it names something new: the rubric's
// editorial change against a change within existing purposes.
func TestRewordingBothWaysWithinThePractice(t *testing.T) {
	opts := Options{Rules: testRules(t), Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}
	old := doc("We share your contact information and device information with service providers.", "We share your usage information with service providers.")
	within := findingFor(Analyze(old, doc("We share your contact information and usage information with service providers.", "We share your usage information with service providers."), opts), "third-party-sharing")
	if within == nil || within.Effect != EffectChanges || within.Exposure != LevelLow || !strings.Contains(within.Rationale, "rewording of the existing practice") {
		t.Fatalf("a rewording that names only what the old version stated: %+v, want a low rewording", within)
	}
	beyond := findingFor(Analyze(old, doc("We share your contact information and usage information with advertisers.", "We share your usage information with service providers."), opts), "third-party-sharing")
	if beyond == nil || beyond.Effect != EffectChanges || beyond.Exposure == LevelLow {
		t.Fatalf("a rewording that names a recipient the old version did not: %+v, want above low", beyond)
	}
}
