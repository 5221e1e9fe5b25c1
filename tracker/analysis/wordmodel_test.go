package analysis

import (
	"slices"
	"strings"
	"testing"
)

// categoriesOf returns the categories of an analysis's findings.
func categoriesOf(res Result) []string {
	var out []string
	for _, f := range res.Findings {
		if !slices.Contains(out, f.Category) {
			out = append(out, f.Category)
		}
	}
	return out
}

// The word model drops a rule's reading that the sentence's words make very
// unlikely: a pointer to a project's issue tracker is no tracking
// technology, although the rules read "tracker" as one. The rules alone
// still flag it, so the test fails if the model stops being consulted.
func TestWordModelDropsUnlikelyReading(t *testing.T) {
	r := testRules(t)
	if r.WordModel == nil {
		t.Fatal("ParseRules did not attach the built-in word model")
	}
	sentence := "Please report all issues to our community issue tracker."
	rulesOnly := *r
	rulesOnly.WordModel = nil
	if got := categoriesOf(Analyze("", sentence, Options{Rules: &rulesOnly})); !slices.Contains(got, "tracking-cookies") {
		t.Fatalf("the rules alone no longer read tracking here (%v): pick another example", got)
	}
	res := Analyze("", sentence, Options{Rules: r})
	if got := categoriesOf(res); slices.Contains(got, "tracking-cookies") {
		t.Errorf("with the word model: %v, want no tracking finding", got)
	}
	if len(res.SetAside) != 1 || res.SetAside[0].Category != "tracking-cookies" || res.SetAside[0].Sentence != sentence ||
		res.SetAside[0].Probability >= r.WordModel.VetoBelow || !strings.HasPrefix(res.SetAside[0].Rule, "tracking-cookies/") {
		t.Errorf("set aside: %+v, want the tracking reading with its probability", res.SetAside)
	}
	// a plain statement of the practice stays
	for sentence, want := range map[string]string{
		"We keep your messages for 30 days after you delete them.":                                "retention",
		"We share your information with advertising partners who show you ads on other websites.": "sale-targeted-ads",
	} {
		if got := categoriesOf(Analyze("", sentence, Options{Rules: r})); !slices.Contains(got, want) {
			t.Errorf("%q: %v, want %s", sentence, got, want)
		}
	}
}

// A change survives when either of its sentences is plausible for the
// category: moving a sentence across the threshold is not a finding.
func TestWordModelKeepsReadingWhenOneSideIsPlausible(t *testing.T) {
	r := testRules(t)
	old := doc("We keep your messages for 30 days after you delete them.")
	res := Analyze(old, doc("We keep your messages for 90 days after you delete them."), Options{Rules: r})
	if !slices.Contains(categoriesOf(res), "retention") {
		t.Errorf("a longer retention period: %v, want retention", categoriesOf(res))
	}
}

// A frame with model_at_least reads a sentence only when the word model
// agrees: each sentence below lacks a slot of its category's strict frames
// ("release … to comply with the law" names no authority, "place ads"
// names no data), and the looser frame reads it because the model gives
// the sentence a high probability. Without the model it is not read.
func TestModelConfirmedFrameNeedsTheModel(t *testing.T) {
	r := testRules(t)
	rulesOnly := *r
	rulesOnly.WordModel = nil
	for sentence, want := range map[string]string{
		"We may release account information when we believe in good faith that release is necessary to comply with the law.": "government-access/legal-request-model",
		"We use appropriate measures designed to protect against loss and misuse.":                                           "security-breach/protect-model",
		"You can opt out at any time.":                                                                                                                                  "user-rights/you-can-act-model",
		"We will retain information when legally required to do so.":                                                                                                    "retention/keep-or-delete-model",
		"You may ask us for a copy of the information we hold about you.":                                                                                               "user-rights/rights-named-model",
		"Some pages track which links are clicked.":                                                                                                                     "tracking-cookies/tracking-act-model",
		"Third-party ad servers may place ads on this site and on other sites.":                                                                                         "sale-targeted-ads/ads-model",
		"Your personal information is accessible only to employees who need it to do their jobs.":                                                                       "security-breach/protect-data-model",
		"We reserve the right to send you notice of complaints raised against you, or alleged violations by you of the Terms of Service.":                               "content-moderation/violation-or-rules-model",
		"Hardware or software failure, unauthorized use, and other factors may lead to a security breach.":                                                              "security-breach/breach-named-model",
		"We may also collect other information from Facebook, including the user ID associated with your account and an access token necessary to access that service.": "account-linkage/other-service-model",
		"If you would like us to remove the information we hold about you, please send us an email.":                                                                    "user-rights/ask-us-to-act-model",
	} {
		category, _, _ := strings.Cut(want, "/")
		var rule, why string
		for _, f := range Analyze("", sentence, Options{Rules: r}).Findings {
			if f.Category == category {
				rule, why = f.Rule, f.Explanation
				if f.Exposure == LevelHigh {
					t.Errorf("%q: %s is high; a reading the model had to confirm is capped at medium", sentence, category)
				}
				if category == "sale-targeted-ads" && !strings.Contains(f.Rationale, "the word model confirmed the rest") {
					t.Errorf("%q: the rationale does not say why the level is capped: %s", sentence, f.Rationale)
				}
			}
		}
		if rule != want {
			t.Errorf("%q with the word model: %s read by %q, want %s", sentence, category, rule, want)
		} else if !strings.Contains(why, "the word model gives it 0.9") && !strings.Contains(why, "the word model gives it 1.00") {
			t.Errorf("%q: the explanation does not give the model's probability: %s", sentence, why)
		}
		if got := categoriesOf(Analyze("", sentence, Options{Rules: &rulesOnly})); slices.Contains(got, category) {
			t.Errorf("%q without the word model: %v, want no %s", sentence, got, category)
		}
	}
	// a sentence the model does not find like the category's stays unread
	other := "We may release new features to a small group of users first."
	if got := categoriesOf(Analyze("", other, Options{Rules: r})); slices.Contains(got, "government-access") {
		t.Errorf("%q: %v, want no government access", other, got)
	}
}

// TestWeActNeedsTheOrganisation checks that a frame marked we_act reads a
// removal or suspension only when the organisation is named doing it; a
// passive, a noun or a request by the user needs the word model's
// confirmation.
func TestWeActNeedsTheOrganisation(t *testing.T) {
	r := testRules(t)
	rulesOnly := *r
	rulesOnly.WordModel = nil
	for sentence, want := range map[string]bool{
		"We may suspend or terminate your account at any time.":                              true,
		"We reserve the right to remove any content you post.":                               true,
		"We will, at our sole discretion, disable accounts.":                                 true,
		"We will not terminate your account without notice.":                                 true,
		"Persistent cookies can be removed by following your browser's instructions.":        false,
		"Requests to disable your account should be sent to our support team.":               false,
		"Any posts you made to the support site will need to be removed separately.":         false,
		"Termination of your account does not entitle you to a refund of any fees you paid.": false,
	} {
		got := slices.Contains(categoriesOf(Analyze("", sentence, Options{Rules: &rulesOnly})), "content-moderation")
		if got != want {
			t.Errorf("%q without the word model: content moderation %v, want %v", sentence, got, want)
		}
	}
}
