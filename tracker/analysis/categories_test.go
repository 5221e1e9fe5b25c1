package analysis

import (
	"slices"
	"strings"
	"testing"
)

// categoryCase gives, for one category, a sentence that engages it, a
// reworded version that changes the engaging words, and (for negatable
// categories) a negated promise.
type categoryCase struct {
	id       string
	sentence string
	reworded string
	negated  string // "" when the category is not negatable
}

var categoryCases = []categoryCase{
	{"ai-training", "We use your posts to train our artificial intelligence models.", "We use your posts and messages to train and fine-tune generative AI models.", "We do not use your messages to train AI models."},
	{"automated-decisions", "We use automated decision-making to assess your eligibility for credit.", "We use automated processing and profiling to decide whether to restrict your account.", "We never rely solely on automated decision-making to close accounts."},
	{"account-linkage", "We combine information from your accounts across our family of apps.", "We combine information from your accounts across our family of apps and your Instagram account.", "We will not combine information across our family of apps."},
	{"third-party-sharing", "We share your information with our partners and service providers.", "We share your information with advertisers, researchers and other partners.", "We do not share your information with third parties."},
	{"sale-targeted-ads", "We may sell your personal information to data brokers.", "We sell your personal information and use it for targeted advertising.", "We do not sell your personal information."},
	{"ad-controls", "You can change your ad preferences at any time.", "You can manage your ad settings and opt out of personalised ads.", "You can no longer change your ad preferences."},
	{"retention", "We retain your information for 90 days after you delete your account.", "We retain your information for 12 months after you delete your account.", "We no longer retain call recordings."},
	{"user-rights", "You have the right to access and delete your personal data.", "You have the right to access, correct and port your personal data.", "You cannot exercise your privacy rights through the app."},
	{"children", "You must be at least 13 years old to use the service.", "You must be at least 16 years old to use the service, and teens need parental consent.", "We do not knowingly collect data from children."},
	{"biometrics", "We may collect biometric data such as face geometry.", "We may collect biometric identifiers such as face geometry and voiceprints.", "We do not collect biometric data."},
	{"location", "We collect your precise location from your device.", "We collect your precise location and location history from GPS signals.", "We do not collect precise location."},
	{"sensitive-data", "We process special categories of data such as your sexual orientation.", "We process sensitive data such as your religious views and health information.", "We do not use sensitive data for advertising."},
	{"international-transfers", "Your data may be transferred to countries outside the European Economic Area.", "Your data may be transferred internationally under standard contractual clauses.", "Your data is not transferred outside the European Union."},
	{"contacts", "If you choose, we upload your contacts from your address book.", "We continuously sync your contacts and call logs from your address book.", "We do not upload your address book."},
	{"content-license", "You grant us a worldwide, royalty-free licence to use your content.", "You grant us a perpetual, irrevocable, sub-licensable licence to use your content.", ""},
	{"arbitration", "All disputes will be resolved by binding arbitration.", "All disputes will be resolved by binding individual arbitration and you waive any class action.", ""},
	{"liability", "Our total liability is limited to the fees you paid.", "Our aggregate liability is limited to one hundred dollars and we disclaim all warranties.", ""},
	{"terms-changes", "We may change these terms at any time.", "We may modify these terms at any time without prior notice of material changes.", "We will not change these terms retroactively."},
	{"consent-acceptance", "By continuing to use the service, you agree to these terms.", "By clicking accept, you agree to be bound by the revised terms.", "We do not ask for your consent before processing."},
	{"security-breach", "We use encryption to protect your messages.", "We use end-to-end encryption and two-factor authentication to protect your messages.", "We cannot guarantee the security of your data."},
	{"government-access", "We may disclose information to law enforcement in response to a subpoena.", "We may disclose information to government authorities and law enforcement in response to legal requests.", "We do not respond to law enforcement requests without a warrant."},
	{"tracking-cookies", "We use cookies and pixels to measure your activity.", "We use cookies, pixels and device identifiers to measure your activity across websites.", "We do not use tracking cookies."},
	{"identity-verification", "We may ask you to verify your identity with a government-issued ID.", "We may ask you to verify your identity with a passport and a proof of address.", "We do not require identity verification."},
	{"content-moderation", "We may remove content that violates our community guidelines.", "We may remove or restrict content and suspend accounts that violate our community standards.", ""},
	{"fees-payments", "Subscription fees are billed monthly.", "Subscription fees are billed annually and refunds are not available.", ""},
}

func doc(paragraphs ...string) string {
	return "# Privacy Policy\n\n## How we use information\n\nWe provide the service described here.\n\n" + strings.Join(paragraphs, "\n\n") + "\n\n## Contact\n\nWrite to our office.\n"
}

func findingFor(res Result, id string) *Finding {
	for k := range res.Findings {
		if res.Findings[k].Category == id {
			return &res.Findings[k]
		}
	}
	return nil
}

func TestCategoryCasesCoverEveryCategory(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range categoryCases {
		seen[c.id] = true
	}
	for _, id := range CategoryIDs {
		if !seen[id] {
			t.Errorf("no table case for category %s", id)
		}
	}
}

func TestCategories(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	for _, c := range categoryCases {
		t.Run(c.id+"/added", func(t *testing.T) {
			res := Analyze(doc(), doc(c.sentence), opts)
			f := findingFor(res, c.id)
			if f == nil {
				t.Fatalf("no %s finding for added %q; got %+v", c.id, c.sentence, res.Findings)
			}
			if f.Direction != OpAdded {
				t.Errorf("direction = %s, want added", f.Direction)
			}
			if !strings.Contains(f.Evidence, strings.TrimSuffix(c.sentence, ".")) {
				t.Errorf("evidence %q does not quote the sentence", f.Evidence)
			}
			if f.Heading != "Privacy Policy > How we use information" {
				t.Errorf("heading = %q", f.Heading)
			}
		})
		t.Run(c.id+"/removed", func(t *testing.T) {
			res := Analyze(doc(c.sentence), doc(), opts)
			f := findingFor(res, c.id)
			if f == nil {
				t.Fatalf("no %s finding for removed %q", c.id, c.sentence)
			}
			if f.Direction != OpRemoved {
				t.Errorf("direction = %s, want removed", f.Direction)
			}
		})
		t.Run(c.id+"/reworded", func(t *testing.T) {
			res := Analyze(doc(c.sentence), doc(c.reworded), opts)
			f := findingFor(res, c.id)
			if f == nil {
				t.Fatalf("no %s finding for %q -> %q", c.id, c.sentence, c.reworded)
			}
			if f.Direction != OpModified {
				t.Errorf("direction = %s, want modified", f.Direction)
			}
		})
		if c.negated == "" {
			continue
		}
		t.Run(c.id+"/negated-added", func(t *testing.T) {
			// a new promise not to do something is not the practice itself;
			// for protective categories (rights, controls, security) a negated
			// protection is a weakening
			res := Analyze(doc(), doc(c.negated), opts)
			f := findingFor(res, c.id)
			if f == nil {
				t.Fatalf("no %s finding for added %q", c.id, c.negated)
			}
			want := EffectAddsPromise
			if opts.Rules.Category(c.id).Protective {
				want = EffectRemovesPromise
			}
			if f.Effect != want {
				t.Errorf("effect = %s, want %s (rule %s)", f.Effect, want, f.Rule)
			}
		})
		t.Run(c.id+"/negated-removed", func(t *testing.T) {
			// dropping a promise is a finding in its own right
			res := Analyze(doc(c.negated), doc(), opts)
			f := findingFor(res, c.id)
			if f == nil {
				t.Fatalf("no %s finding for removed %q", c.id, c.negated)
			}
			if f.Direction != OpRemoved {
				t.Errorf("direction = %s, want removed", f.Direction)
			}
			want := EffectRemovesPromise
			if opts.Rules.Category(c.id).Protective {
				want = EffectAddsPromise
			}
			if f.Effect != want {
				t.Errorf("effect = %s, want %s (rule %s)", f.Effect, want, f.Rule)
			}
		})
	}
}

// An unchanged sentence in a modified block must not raise a finding: only
// the sentence that changed counts.
func TestOnlyChangedSentenceCounts(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	oldP := "We use cookies to remember your settings. Our offices are in Dublin."
	newP := "We use cookies to remember your settings. Our offices are in Cork."
	res := Analyze(doc(oldP), doc(newP), opts)
	if !res.Substantive {
		t.Fatal("office move should be substantive")
	}
	if len(res.Findings) != 0 {
		t.Errorf("unchanged cookie sentence flagged: %+v", res.Findings)
	}
}

// A rename inside a long sentence must not flag every category the sentence
// mentions.
func TestRenameDoesNotFlagMentionedCategories(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	oldP := "We share information with partners and use cookies on Facebook Products."
	newP := "We share information with partners and use cookies on Meta Products."
	res := Analyze(doc(oldP), doc(newP), opts)
	if len(res.Findings) != 0 {
		t.Errorf("rename flagged categories: %+v", res.Findings)
	}
}

func TestRemovedNoSalePromise(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	res := Analyze(doc("We do not sell your personal information."), doc("We sell your personal information."), opts)
	f := findingFor(res, "sale-targeted-ads")
	if f == nil {
		t.Fatalf("no sale finding: %+v", res.Findings)
	}
	if f.Effect != EffectRemovesPromise || f.Exposure != "high" {
		t.Errorf("effect %s exposure %s, want removes-promise/high", f.Effect, f.Exposure)
	}
	if !strings.Contains(f.Evidence, "do not sell") && f.Direction == OpRemoved {
		t.Errorf("removed evidence should quote the old promise: %q", f.Evidence)
	}
	if !strings.Contains(res.Summary, "removes a no-sale promise (high)") {
		t.Errorf("summary %q does not mention the removed promise", res.Summary)
	}
}

func TestNegatedSaleIsNotASale(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	res := Analyze(doc(), doc("We do not sell your personal information."), opts)
	f := findingFor(res, "sale-targeted-ads")
	if f == nil {
		t.Fatal("expected a finding recording the new promise")
	}
	if f.Effect == EffectExpands {
		t.Errorf("a no-sale promise was read as a sale: %+v", f)
	}
	if f.Exposure == "high" {
		t.Errorf("a new no-sale promise should lower exposure, got %s", f.Exposure)
	}
}

func TestRetentionPeriodDirection(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	longer := Analyze(doc("We keep ad interaction data for up to 90 days."), doc("We keep ad interaction data for up to 12 months."), opts)
	shorter := Analyze(doc("We keep ad interaction data for up to 12 months."), doc("We keep ad interaction data for up to 30 days."), opts)
	a, b := findingFor(longer, "retention"), findingFor(shorter, "retention")
	if a == nil || b == nil {
		t.Fatalf("missing retention findings: %+v / %+v", longer.Findings, shorter.Findings)
	}
	if a.Effect != EffectExpands || b.Effect != EffectNarrows {
		t.Errorf("effects: longer %s, shorter %s; want expands, narrows", a.Effect, b.Effect)
	}
	if levelIndex(b.Exposure) >= levelIndex(a.Exposure) {
		t.Errorf("a shorter period (%s) should rank below a longer one (%s)", b.Exposure, a.Exposure)
	}
}

// A product renamed inside a sentence ("AI at Meta" → "Meta AI") still
// mentions AI: the edit is not the removal of an AI mention.
func TestBrandedAIRenameIsNotARemoval(t *testing.T) {
	a := doc("If you ask AI at Meta to write a joke, we use what you type.")
	b := doc("If you ask Meta AI to write a joke, we use what you type.")
	res := Analyze(a, b, Options{Rules: testRules(t)})
	for _, f := range res.Findings {
		if f.Category == "ai-training" && f.Direction == OpRemoved {
			t.Errorf("rename read as a removed AI mention: %+v", f)
		}
	}
	// naming an assistant is not training AI on anyone's data; saying what
	// it does with what users type is
	if f := findingFor(Analyze(doc("We offer stickers."), doc("We offer stickers and My AI to everyone."), Options{Rules: testRules(t)}), "ai-training"); f != nil {
		t.Errorf("a mere mention of a branded assistant (My AI) is an ai-training finding: %+v", f)
	}
	if f := findingFor(Analyze(doc("We offer stickers."), doc("We offer stickers. We use your chats with My AI to train our AI models."), Options{Rules: testRules(t)}), "ai-training"); f == nil || f.Direction != OpAdded {
		t.Errorf("training on chats with a branded assistant is not an added ai-training finding: %+v", f)
	}
}

// The same sentence edited the same way under many headings (a repeated
// glossary example) gives one finding that names the other places.
func TestRepeatedEditIsOneFinding(t *testing.T) {
	section := func(name, sentence string) string {
		return "## " + name + "\n\nWe describe " + strings.ToLower(name) + " here in some detail.\n\n" + sentence
	}
	old := "For example, we use your chats with our AI assistant to train our models."
	var a, b []string
	for _, name := range []string{"Ads", "Safety", "Research", "Features"} {
		a = append(a, section(name, old))
		b = append(b, section(name, "For example, we use your photos."))
	}
	res := Analyze("# Policy\n\n"+strings.Join(a, "\n\n")+"\n", "# Policy\n\n"+strings.Join(b, "\n\n")+"\n", Options{Rules: testRules(t)})
	n := 0
	for _, f := range res.Findings {
		if f.Category == "ai-training" {
			n++
			if !strings.Contains(f.Rationale, "3 other places") {
				t.Errorf("rationale does not name the other places: %q", f.Rationale)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d ai-training findings, want 1 for one repeated edit: %+v", n, res.Findings)
	}
}

// A sentence reworded in one section while its old wording stays in
// another section is a rewording: only the changed words count, so "For
// example" → "For instance" does not add every category the sentence names.
func TestRewordedRepeatedSentence(t *testing.T) {
	s := "we use your information to help you find friends and to show you ads."
	a := "# Policy\n\n## Europe\n\nFor example, " + s + "\n\n## Elsewhere\n\nFor example, " + s + "\n"
	b := "# Policy\n\n## Europe\n\nFor example, " + s + "\n\n## Elsewhere\n\nFor instance, " + s + "\n"
	res := Analyze(a, b, Options{Rules: testRules(t)})
	if len(res.Findings) != 0 {
		t.Errorf("rewording of a repeated sentence gave findings: %+v", res.Findings)
	}
	// a real change to the same sentence still counts
	c := "# Policy\n\n## Europe\n\nFor example, " + s + "\n\n## Elsewhere\n\nFor example, we upload your address book to help you find friends and to show you ads.\n"
	if f := findingFor(Analyze(a, c, Options{Rules: testRules(t)}), "contacts"); f == nil {
		t.Error("an address-book upload added to a repeated sentence gave no contacts finding")
	}
}

// Negation reaches across the commas of a short list, not across clauses.
func TestNegationAcrossListCommas(t *testing.T) {
	rules := testRules(t)
	base := doc("We provide meetings.")
	promise := doc("We provide meetings.", "Zoom will not use audio, video or chat content to train our artificial intelligence models without your consent.")
	if f := findingFor(Analyze(base, promise, Options{Rules: rules}), "ai-training"); f == nil || f.Effect != EffectAddsPromise {
		t.Errorf("negated list sentence: %+v, want an ai-training finding that adds a promise", f)
	}
	list := doc("We provide meetings.", "We do not use your messages, photos or videos to train AI models.")
	if f := findingFor(Analyze(base, list, Options{Rules: rules}), "ai-training"); f == nil || f.Effect != EffectAddsPromise {
		t.Errorf("negated list of data kinds: %+v, want an ai-training finding that adds a promise", f)
	}
	long := doc("We provide meetings.", "We do not use any of your audio, video, chat, screen sharing, attachments or other meeting content (such as polls, whiteboards and reactions) to train our or third-party AI models.")
	if f := findingFor(Analyze(base, long, Options{Rules: rules}), "ai-training"); f == nil || f.Effect != EffectAddsPromise {
		t.Errorf("negation over a long list with a parenthesis: %+v, want an ai-training finding that adds a promise", f)
	}
	except := doc("We provide meetings.", "We do not use your content for any purpose other than to train our AI models.")
	if f := findingFor(Analyze(base, except, Options{Rules: rules}), "ai-training"); f == nil || f.Effect == EffectAddsPromise {
		t.Errorf("'other than' did not end the negation: %+v", f)
	}
	// the list may close after the verb that starts the match: a promise
	// not to "sell, rent, or loan" data is still a promise
	for _, verbs := range []string{"We will not sell, rent, or loan any personal information to any third party.",
		"We do not rent, sell or share your personal data with anyone."} {
		if f := findingFor(Analyze(base, doc("We provide meetings.", verbs), Options{Rules: rules}), "sale-targeted-ads"); f == nil || f.Effect != EffectAddsPromise {
			t.Errorf("negated list of verbs %q: %+v, want a sale finding that adds a promise", verbs, f)
		}
	}
	// a long object between the denied act and its purpose
	longObject := doc("We provide meetings.", "By default, we do not use your personal data, business data accessed through integrations, or task results to train our AI models.")
	if f := findingFor(Analyze(base, longObject, Options{Rules: rules}), "ai-training"); f == nil || f.Effect != EffectAddsPromise {
		t.Errorf("purpose of a denied use after a long object: %+v, want an ai-training finding that adds a promise", f)
	}
	practice := doc("We provide meetings.", "Although we do not sell data, we and our partners train AI models on your content.")
	if f := findingFor(Analyze(base, practice, Options{Rules: rules}), "ai-training"); f == nil || f.Effect == EffectAddsPromise {
		t.Errorf("a negation in an earlier clause was carried over: %+v", f)
	}
}

// Contact details name no practice, whatever words an address holds; a
// statement with an address still counts.
func TestContactLinesAreNotFindings(t *testing.T) {
	rules := testRules(t)
	for _, line := range []string{"copyright@reddit.com", "Snap Inc. Attn: Copyright Agent, 2772 Donald Douglas Loop North, Santa Monica, CA 90405, email: copyright@snap.com",
		// a postal address over several lines: the e-mail address on a line of its own
		"Snap Inc.  \nAttn: Copyright Agent  \n2772 Donald Douglas Loop North  \nSanta Monica, CA 90405  \nemail: copyright@snap.com",
		"Attention: Data Protection Officer, Content Licensing Department"} {
		if res := Analyze(doc("We provide the service."), doc("We provide the service.", line), Options{Rules: rules}); len(res.Findings) != 0 {
			t.Errorf("contact line %q gave findings: %+v", line, res.Findings)
		}
	}
	if f := findingFor(Analyze(doc("We provide the service."), doc("We provide the service.", "Attention: we may license your content to our partners."), Options{Rules: rules}), "content-license"); f == nil {
		t.Error("a statement opening with \"Attention:\" gave no content-license finding")
	}
	statement := "You can exercise your right to delete your data by writing to privacy@example.com."
	if f := findingFor(Analyze(doc("We provide the service."), doc("We provide the service.", statement), Options{Rules: rules}), "user-rights"); f == nil {
		t.Error("a rights statement with an e-mail address gave no user-rights finding")
	}
}

// Payment processors in a list of service providers are a sharing
// practice, not fees or payment terms; payment terms themselves are.
func TestPaymentProvidersAreNotFees(t *testing.T) {
	rules := testRules(t)
	base := doc("We provide the service.")
	lists := "We work with service providers for cloud hosting, customer support and payment processing. Payment processors such as Stripe handle card details."
	if f := findingFor(Analyze(base, doc("We provide the service.", lists), Options{Rules: rules}), "fees-payments"); f != nil {
		t.Errorf("service providers read as fees-payments: %+v", f)
	}
	terms := "The Payment Services Terms apply when you use payment features."
	if f := findingFor(Analyze(base, doc("We provide the service.", terms), Options{Rules: rules}), "fees-payments"); f == nil {
		t.Error("payment services terms gave no fees-payments finding")
	}
}

// A negation of a condition's own verb ("if you don't want …") does not
// negate what the sentence states; one further into an unpunctuated
// condition is the statement's own.
func TestNegatedConditionIsNotAPromise(t *testing.T) {
	rules := testRules(t)
	if aff, neg := statesCategory(rules, "ad-controls", "If you don't want us to show you ads based on your activity on other apps, you can turn this setting off in your ad preferences."); !aff || neg {
		t.Errorf("control after a negated condition: affirmed=%v negated=%v, want an affirmed control", aff, neg)
	}
	if _, neg := statesCategory(rules, "third-party-sharing", "If you signed up with your phone number we won't share your personal data with advertisers."); !neg {
		t.Error("a promise after an unpunctuated condition was not read as negated")
	}
}

// Words that look like a category's terms but are not: "added" is no
// advert, a sanctions clause is no transfer, "represent and warrant" is no
// search warrant, a "for you" setting is no feed.
func TestLookalikeTermsStateNothing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"ad-controls", "By adding a backup payment method, you authorize us to charge it if your primary payment method is declined."},
		{"international-transfers", "You may not use our services if you are located in a country subject to a U.S. government embargo, such as Cuba or North Korea."},
		{"government-access", "You represent and warrant that you are not on any government list of restricted parties."},
		{"content-moderation", "Choose the settings that are right for you."},
		{"third-party-sharing", "If we change this, we will disclose that to you in advance."},
		{"arbitration", "Such processing is governed by the privacy policies of those services, not this Policy."},
		{"sale-targeted-ads", "Our services may contain links to third-party websites, apps or other content."},
		{"location", "Please understand where you are posting and choose the right space for your content."},
		{"third-party-sharing", "You can create a profile with your Instagram account to share, view and interact with content."},
		{"government-access", "You may not distribute content subject to export controls unless you have obtained all required government export authorizations."},
		{"sale-targeted-ads", "The content on the service includes photos, comments and trade names provided by you or others."},
		{"automated-decisions", "We will extend your opt-out decision to your other browsers."},
		{"automated-decisions", "Secure it Forward: Yubico matches up to 5% of the number of YubiKeys purchased on Yubico.com"},
		{"security-breach", "We answer requests from people exercising their data protection rights under data protection law."},
		{"account-linkage", "Our sites link to other websites, some of which are not affiliated with or controlled by us."},
		{"account-linkage", "We use interest-based ads on third-party websites that are not affiliated with us."},
	})
}

// A control the organisation gives the user ("settings that let you
// correct your data") and an opt-out of text messages are rights.
func TestControlsGivenToUsersAreRights(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"user-rights", "We provide you with account settings that let you modify, correct, or delete the personal data you have provided."},
		{"user-rights", "Our privacy centre allows you to view, correct and export the data we hold about you."},
		{"user-rights", "To stop receiving SMS messages, text STOP to 12345."},
		{"user-rights", "You can opt out of text messages at any time."},
	})
}

// "You can object …" is a right in its own sentence, not only a condition
// on another statement.
func TestYouCanObjectIsARight(t *testing.T) {
	rules := testRules(t)
	if aff, _ := statesCategory(rules, "arbitration", "These Terms are governed by the laws of Ireland."); !aff {
		t.Error("a governing-law clause states no forum")
	}
	if aff, _ := statesCategory(rules, "user-rights", "You may object to our processing of your personal data for direct marketing."); !aff {
		t.Error("'You may object to our processing of your personal data' states no user right")
	}
}

// Who receives data used for advertising is part of the ads statement: a
// new recipient of it is a new practice (High), not a restatement.
func TestNewRecipientOfAdsDataIsHigh(t *testing.T) {
	rules := testRules(t)
	oldDoc := doc("We use your activity to show you personalised ads.", "Advertisers may use reports to plan their advertising campaigns.")
	newDoc := doc("We use your activity to show you personalised ads.", "Advertisers may use reports to plan their advertising campaigns.",
		"We may share your personal data with our affiliates, including Microsoft, to develop their advertising services.")
	f := findingFor(Analyze(oldDoc, newDoc, Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"EU", "US-CA"}}}), "sale-targeted-ads")
	if f == nil || f.Exposure != "high" {
		t.Fatalf("sharing ads data with a new recipient: %+v, want a high sale-targeted-ads finding", f)
	}
}

// Intellectual-property and indemnity "rights", and advertisers paying for
// ads, are not a user's privacy rights or ad controls.
func TestRightsThatAreNotUserRights(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"user-rights", "You will indemnify us against claims that your content violates any copyright, publicity or privacy right."},
		{"user-rights", "You grant us the right to access the reported content to improve our products."},
		{"user-rights", "We use your messages to respond to your requests for support."},
		{"user-rights", "Payments are non-refundable, except when you exercise your right of withdrawal under consumer law."},
		{"ad-controls", "Businesses pay us to show advertisements on the platform."},
	})
	if aff, _ := statesCategory(rules, "ad-controls", "You can subscribe to use the service without ads."); !aff {
		t.Error("an ad-free subscription is not read as an ad control")
	}
}

// A removed sentence offering a right, while the new version still offers
// that kind of right elsewhere, is Medium (check it); when no such right is
// left it is High.
func TestRemovedRightStillOfferedElsewhere(t *testing.T) {
	rules := testRules(t)
	opts := Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"EU"}}}
	oldDoc := doc("We provide a chat service.", "You can download your messages at any time.", "You can download your photos at any time.")
	kept := doc("We provide a chat service.", "You can download your photos at any time.")
	f := findingFor(Analyze(oldDoc, kept, opts), "user-rights")
	if f == nil || f.Effect != EffectRemovesPromise || f.Exposure != "medium" {
		t.Errorf("one right removed, another of the same kind kept: %+v, want a medium removal", f)
	}
	gone := doc("We provide a chat service.")
	if f := findingFor(Analyze(oldDoc, gone, opts), "user-rights"); f == nil || f.Exposure != "high" {
		t.Errorf("every right removed: %+v, want a high removal", f)
	}
}

// A sentence that only names an AI feature is not a new AI-training
// purpose: its level is capped by the frame that read it.
func TestAIMentionIsNotTraining(t *testing.T) {
	rules := testRules(t)
	opts := Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"EU"}}}
	base := doc("We provide a chat service.")
	mention := doc("We provide a chat service.", "If you use our AI chatbot, its own terms also apply.")
	if f := findingFor(Analyze(base, mention, opts), "ai-training"); f != nil && f.Exposure == "high" {
		t.Errorf("a mention of an AI feature is high: %+v", f)
	}
	training := doc("We provide a chat service.", "We use your messages to train our AI models.")
	if f := findingFor(Analyze(base, training, opts), "ai-training"); f == nil || f.Exposure != "high" {
		t.Errorf("training AI models on messages: %+v, want high", f)
	}
}

// A sentence that only swaps one named service for another is a
// rebranding, not a new practice.
func TestServiceRenameIsNoFinding(t *testing.T) {
	rules := testRules(t)
	oldDoc := doc("We provide a chat service.", "We share your account information with Twitter to fight spam.")
	renamed := doc("We provide a chat service.", "We share your account information with X Corp to fight spam.")
	res := Analyze(oldDoc, renamed, Options{Rules: rules})
	for _, f := range res.Findings {
		t.Errorf("rename gave a %s finding: %s", f.Category, f.Explanation)
	}
	widened := doc("We provide a chat service.", "We share your account information with Twitter and Google to fight spam.")
	if f := findingFor(Analyze(oldDoc, widened, Options{Rules: rules}), "account-linkage"); f == nil && findingFor(Analyze(oldDoc, widened, Options{Rules: rules}), "third-party-sharing") == nil {
		t.Error("a service added beside the old one gave no finding")
	}
}

// A negation inside a relative clause describes a noun ("a body that is
// not part of our group", "those who have chosen not to …"); it is not a
// promise.
func TestRelativeClauseNegationIsNotAPromise(t *testing.T) {
	rules := testRules(t)
	if _, neg := statesCategory(rules, "account-linkage", "A third party is a person or body that is not part of the Meta Companies."); neg {
		t.Error("a definition with 'that is not part of' was read as a promise")
	}
	if _, neg := statesCategory(rules, "sale-targeted-ads", "Users who don't have an account will not see personalised ads."); !neg {
		t.Error("the main clause's own negation was lost")
	}
	// a denied choice in the relative clause ("who have chosen not to")
	if _, neg := statesCategory(rules, "ad-controls", "We show all users non-personalised advertising, including those who have chosen not to receive personalised ads."); neg {
		t.Error("'those who have chosen not to receive personalised ads' was read as a control denied")
	}
}

// A reworded stretch whose old sentence denies something and whose
// unrelated new sentence states something of the same category is not a
// reversal: only sentences paired by their wording can flip a negation.
func TestUnpairedSentencesDoNotFlipNegation(t *testing.T) {
	rules := testRules(t)
	oldDoc := doc("We provide a chat service.", "We do not review the content of your messages. You can report posts that break our rules.")
	newDoc := doc("We provide a chat service.", "Our moderators remove content that breaks our community guidelines after reviewing reports from users and trusted flaggers.")
	for _, f := range Analyze(oldDoc, newDoc, Options{Rules: rules}).Findings {
		if strings.Contains(f.Explanation, "no longer negates") {
			t.Errorf("unpaired sentences read as a reversed promise: %s %s", f.Category, f.Explanation)
		}
	}
}

// A retention statement that specifies a brief period is a retention
// limit (Low, as the rubric's "specified" periods are); keeping data
// without a limit is not.
func TestBriefRetentionIsALimit(t *testing.T) {
	rules := testRules(t)
	opts := Options{Rules: rules, Profile: &Profile{Jurisdictions: []string{"EU"}}}
	base := doc("We provide a video chat service.")
	brief := doc("We provide a video chat service.", "We do not store your calls, but we retain the thumbnail image of a stream for a short period of time.")
	if f := findingFor(Analyze(base, brief, opts), "retention"); f == nil || f.Exposure != "low" {
		t.Errorf("a brief retention period: %+v, want a low retention finding", f)
	}
	kept := doc("We provide a video chat service.", "We retain the recordings of your calls on our servers.")
	if f := findingFor(Analyze(base, kept, opts), "retention"); f == nil || f.Exposure == "low" {
		t.Errorf("keeping recordings without a limit: %+v, want a retention finding above low", f)
	}
}

// Phrases with a negation word that deny nothing: "not limited to", "no
// later than", a "Do Not Sell" link's name, and a negation far from a
// safeguard ("you will not be discriminated against for exercising your
// rights").
func TestNegationWordsThatDenyNothing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"retention", "We will delete your data no later than 30 days after you close your account."},
		{"ad-controls", "You can opt out of interest-based advertising by clicking the Do Not Sell My Personal Information link."},
		{"user-rights", "You will not receive discriminatory treatment for exercising any of your privacy rights."},
		{"third-party-sharing", "We share your data with service providers, including but not limited to hosting and payment providers."},
		{"government-access", "We will not hesitate to disclose your information to law enforcement authorities."},
		// "without" of manner: limitation, a verb in -ing that is not the practice
		{"content-moderation", "Without limiting any of our other rights, Google may suspend or terminate your access to the services or delete your Google Account if any of these things happen:"},
		{"tracking-cookies", "By navigating our website without changing your cookie settings, you agree to our use of cookies."},
	})
	if _, neg := statesCategory(rules, "third-party-sharing", "We run the service without sharing your data with advertisers."); !neg {
		t.Error("\"without sharing\" no longer denies the sharing")
	}
	if _, neg := statesCategory(rules, "terms-changes", "We may modify this Privacy Policy at any time, without prior notice, and changes may apply to the personal data we already hold."); !neg {
		t.Error("\"without prior notice\" no longer denies the notice")
	}
	if _, neg := statesCategory(rules, "user-rights", "You cannot exercise your privacy rights through the app."); !neg {
		t.Error("a right denied right before it is no longer negated")
	}
}

// Sharing inside the corporate group is account linkage, and the group is
// not an outside recipient; sharing with outside recipients is third-party
// sharing; selling is its own category.
func TestGroupSharingIsAccountLinkage(t *testing.T) {
	rules := testRules(t)
	group := "We share your information with our affiliates and group companies."
	if aff, _ := statesCategory(rules, "account-linkage", group); !aff {
		t.Errorf("%q states no account linkage", group)
	}
	if st := rules.read(group, tokenize(group), nil).stmts; len(st) > 0 {
		for _, s := range st {
			if c := rules.Categories[s.cat]; c.ID == "third-party-sharing" && c.Frames[s.frame].ID == "share-with" {
				t.Errorf("%q: the group read as outside recipients (%s)", group, c.Frames[s.frame].ID)
			}
		}
	}
	if aff, _ := statesCategory(rules, "third-party-sharing", "We share your information with advertisers and analytics partners."); !aff {
		t.Error("sharing with advertisers is not third-party sharing")
	}
	if aff, _ := statesCategory(rules, "third-party-sharing", "We sell your personal information."); aff {
		t.Error("a sale read as third-party sharing")
	}
}

// A rule addressed to users is no promise by the company: it states the
// practice of rule categories (a class-action waiver, community rules) and
// nothing in the others.
func TestUserRulesAreNotPromises(t *testing.T) {
	rules := testRules(t)
	if aff, neg := statesCategory(rules, "arbitration", "You agree not to participate in a class action against us."); !aff || neg {
		t.Errorf("a class-action waiver: affirmed=%v negated=%v, want an affirmed arbitration statement", aff, neg)
	}
	if aff, neg := statesCategory(rules, "ai-training", "You may not use our outputs to train AI models that compete with us."); aff || neg {
		t.Errorf("a rule on the user's AI training: affirmed=%v negated=%v, want no ai-training statement", aff, neg)
	}
	if _, neg := statesCategory(rules, "ai-training", "We will not use your content to train AI models."); !neg {
		t.Error("the company's own promise is no longer negated")
	}
	if _, neg := statesCategory(rules, "fees-payments", "You will not be charged any fee during the trial."); !neg {
		t.Error("'you will not be charged' (the user spared a fee) is not a promise")
	}
}

// sentenceCase is a sentence and the category whose reading a test checks.
type sentenceCase struct{ id, text string }

// expectReading checks that each sentence states its category, affirmed
// and not negated, when affirmed is true; and that it states nothing of
// the category at all when affirmed is false.
func expectReading(t *testing.T, rules *Rules, affirmed bool, cases []sentenceCase) {
	t.Helper()
	for _, c := range cases {
		aff, neg := statesCategory(rules, c.id, c.text)
		if affirmed && (!aff || neg) || !affirmed && (aff || neg) {
			t.Errorf("%q: %s affirmed=%v negated=%v, want affirmed=%v and not negated", c.text, c.id, aff, neg, affirmed)
		}
	}
}

// What the user does ("you may terminate your account", "you can share
// your posts") is not the company moderating or sharing; the company doing
// it still is.
func TestUserActsAreNotCompanyPractices(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"content-moderation", "You may terminate your account at any time."},
		{"content-moderation", "Your only remedy with respect to any dissatisfaction with the service is to terminate your account."},
		{"content-moderation", "You are solely responsible for keeping your password safe and for restricting access to your account."},
		{"third-party-sharing", "You can choose to share your posts with third parties."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"content-moderation", "We may terminate your account if you violate these terms."},
		{"third-party-sharing", "You agree that we may share your information with third parties."},
		{"content-moderation", "We reserve the right, without providing notice to You, to remove any of Your Content that does not comply with these Terms."},
		{"content-moderation", "We may notify you and suspend your account for repeated violations."},
	})
}

// Data that third parties give the company is not shared with them:
// "advertisers provide us with information" names who gives, not who
// receives.
func TestDataReceivedFromThirdPartiesIsNotSharing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "Partners and service providers provide us with information about your purchases."},
		{"third-party-sharing", "Third parties may share information about you with us."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "We share information about you with partners and service providers."},
		{"third-party-sharing", "The service providers with whom we share your information are bound by contract."},
	})
}

// A condition the new sentence states in its main clause is not dropped:
// a comma moving where "if you live in …" ends is no change.
func TestConditionMovedIntoMainClauseIsNoChange(t *testing.T) {
	old := doc("If you live in the United Kingdom these Terms will be governed by the laws of your country of residence, and legal proceedings may be brought in your local courts.")
	new := doc("If you live in the United Kingdom, these Terms will be governed by the laws of your country of residence, and either party may bring legal proceedings in your local courts.")
	if f := findingFor(Analyze(old, new, Options{Rules: testRules(t)}), "arbitration"); f != nil {
		t.Errorf("a moved comma read as a changed forum clause: %s %s", f.Effect, f.Rationale)
	}
}

// "To learn more about X, and how to Y, visit our Help Center" only points
// elsewhere; so does a shorter one. A sentence that states a practice
// before pointing does not.
func TestLongPointerSentences(t *testing.T) {
	for _, s := range []string{
		"To learn more about these measures, and how to report content or make a complaint, visit our Help Center.",
		"To learn more about cookies, see our Cookie Policy.",
		"If you would like to learn more about our training methods, please refer to the Model Mechanism page.",
		"If you reside outside of the United States, learn about the safeguards we rely on for transfers here.",
		"(Please see the [JAMS Streamlined Rules and Procedures](https://www.jamsadr.com/rules) or call JAMS.)",
	} {
		if !isPointer(s) {
			t.Errorf("%q is not read as a pointer", s)
		}
	}
	for _, s := range []string{
		"We share your data with advertisers; to learn more, visit our Help Center.",
		"If you use our app, we share your location with partners; see our Help Center.",
		"If you would like to delete your account, go to your settings.",
	} {
		if isPointer(s) {
			t.Errorf("%q read as a pointer", s)
		}
	}
}

// "Verify" with any data is not identity verification: checking what an
// assistant wrote is not checking who someone is.
func TestVerifyingOutputIsNotIdentityVerification(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"identity-verification", "You should always verify the information provided by the assistant before relying on its output."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"identity-verification", "We may ask you to verify your identity with a government-issued ID."},
		{"identity-verification", "We verify your phone number when you sign up."},
	})
}

// A negated disclaimer denies liability, not what it is about: "we will not
// be liable for content transmitted …" is no promise not to transmit. What
// the user warrants ("does not infringe") is no promise by the company.
func TestDisclaimersAndWarrantiesAreNotPromises(t *testing.T) {
	rules := testRules(t)
	disclaimer := "Under no circumstances will we be liable for your content that is transmitted to other services."
	if _, neg := statesCategory(rules, "liability", disclaimer); !neg {
		t.Errorf("%q: the disclaimer itself is not read", disclaimer)
	}
	expectReading(t, rules, false, []sentenceCase{{"third-party-sharing", disclaimer}})
	if _, neg := statesCategory(rules, "third-party-sharing", "We will not transmit your content to advertisers."); !neg {
		t.Error("a plain promise not to transmit content is no longer a promise")
	}
	warranty := "You represent and warrant that your use of the content does not violate or infringe any rights of any third party."
	if _, neg := statesCategory(rules, "content-moderation", warranty); neg {
		t.Errorf("%q read as the company promising not to moderate", warranty)
	}
}

// Words that look like a category's terms but name something else: a
// person's contact details or dealings with support are not their address
// book, and "non-precise location" is coarse location.
func TestContactDetailsAndCoarseLocation(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"contacts", "We share your contact information with our delivery partners."},
		{"contacts", "We keep information about your contacts with our customer service team."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"contacts", "If you provide us with your contacts' information, we may send them invitations."},
	})
	plain := "We map IP addresses to non-precise location data."
	for _, st := range rules.read(plain, tokenize(plain), nil).stmts {
		if slices.ContainsFunc(st.concepts.members(), func(ci int) bool { return rules.Lexicon.Concepts[ci].ID == "dat-precise-location" }) {
			t.Errorf("%q read as precise location", plain)
		}
	}
}

// A defined term in parentheses ("Customer Content") names nothing new, a
// title only names a topic, and a "warrant" the user gives is no search
// warrant.
func TestDefinedTermsTitlesAndWarranties(t *testing.T) {
	old := doc("Content generated in meetings, which may include audio, video and messages, is shared with our service providers.")
	new := doc(`Content generated in meetings ("Customer Content"), which may include audio, video and messages, is shared with our service providers.`)
	if res := Analyze(old, new, Options{Rules: testRules(t)}); len(res.Findings) > 0 {
		t.Errorf("a defined term added in parentheses gives findings: %+v", res.Findings)
	}
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"content-license", "Ownership of Content."},
		{"government-access", "You warrant and represent that you own all the rights to your content."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"government-access", "We disclose account records only in response to a search warrant."},
		{"government-access", "We respond to subpoenas, court orders and warrants."},
	})
}

// A negation that a longer list pushes out of reach is not a withdrawn
// promise: "employees do not access …, or any content generated or shared"
// stays a promise when the list grows.
func TestNegationOutOfReachIsNoFlip(t *testing.T) {
	old := doc("Our employees do not access meeting or email content (audio, video, files), or any content generated or shared in other features, unless the account owner authorises it.")
	new := doc("Our employees do not access or use customer content including meeting, webinar, messaging, or email content (audio, video, files, whiteboards), or any content generated or shared in other collaborative features, unless the account owner authorises it.")
	for _, f := range Analyze(old, new, Options{Rules: testRules(t)}).Findings {
		if f.Effect == EffectRemovesPromise {
			t.Errorf("a longer list read as a withdrawn promise: %s %s", f.Category, f.Rationale)
		}
	}
}

// Everything after "you may not" in its clause is conduct the rule forbids:
// it states no practice of the company's, however far from the negation.
func TestFarUserRuleStatesNoCompanyPractice(t *testing.T) {
	expectReading(t, testRules(t), false, []sentenceCase{
		{"ai-training", "You may not create content with the purpose of removing the marks and signals that indicate an output was generated by our AI services to train models."},
	})
}

// Dropping "share" from "we do not sell or share personal information" (the
// US state-law pair) withdraws the promise about sharing for ads.
func TestDroppedShareFromSellOrShareIsAWithdrawnPromise(t *testing.T) {
	old := doc("We do not sell or share personal information as those terms are defined under state privacy laws.")
	new := doc("We do not sell personal information as those terms are defined under state privacy laws.")
	f := findingFor(Analyze(old, new, Options{Rules: testRules(t)}), "sale-targeted-ads")
	if f == nil || f.Effect != EffectRemovesPromise {
		t.Fatalf("dropping 'share' from the promise: %+v, want a withdrawn sale-targeted-ads promise", f)
	}
}

// Lexicon entries that unseen changes needed: routing a query to a named
// service is sharing with it, ads shown in a service are advertising, face
// detection is biometric, and network costs the user bears are fees.
func TestUnseenChangeWordings(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"third-party-sharing", "For example, we may refer your query to Bing in some instances."},
		{"sale-targeted-ads", "If you use the assistant without a paid subscription, it may include advertising."},
		{"biometrics", "Likeness detection helps users find abuse by detecting faces in videos."},
		{"fees-payments", "You're responsible for all of these network usages and associated costs."},
	})
	expectReading(t, testRules(t), false, []sentenceCase{
		{"location", "Google LLC is the controller for information displayed in Search regardless of your location."},
	})
}

// A time limit for bringing claims is a provision of its own: added to terms
// that already choose a forum, it is still new. A city's name is no
// location data.
func TestLimitationPeriodAndPlaceNames(t *testing.T) {
	old := doc("These terms are governed by the laws of California and disputes will be resolved in the courts of Santa Clara County.")
	new := doc("These terms are governed by the laws of California and disputes will be resolved in the courts of Santa Clara County.",
		"You and we agree that any cause of action arising out of the services must commence within one (1) year after it accrues; otherwise it is permanently barred.")
	if f := findingFor(Analyze(old, new, Options{Rules: testRules(t)}), "arbitration"); f == nil || f.Direction != OpAdded {
		t.Errorf("an added limitation period: %+v, want an added arbitration finding", f)
	}
	expectReading(t, testRules(t), false, []sentenceCase{{"location", "Vatican City"}})
}

// Law-enforcement guidelines: disclosure under legal process, in an
// emergency or with notice of a request is government access, not sharing
// with third parties; a statute ("18 U.S.C. 2703") is no age limit and does
// not end the sentence.
func TestLawEnforcementDisclosures(t *testing.T) {
	rules := testRules(t)
	for _, s := range []string{
		"A court order issued under 18 U.S.C. 2703(d) is required to compel the disclosure of certain records pertaining to the account.",
		"We may voluntarily disclose information in emergency situations where disclosure is necessary to prevent death or serious physical injury.",
		"Our policy is to notify people who use our service of requests for their information prior to disclosure.",
	} {
		res := Analyze("", doc(s), Options{Rules: rules})
		var cats []string
		for _, f := range res.Findings {
			cats = append(cats, f.Category)
		}
		if !slices.Contains(cats, "government-access") || slices.Contains(cats, "third-party-sharing") || slices.Contains(cats, "children") {
			t.Errorf("%q: categories %v, want government access only", s, cats)
		}
	}
	if _, neg := statesCategory(rules, "government-access", "Our policy is to notify people who use our service of requests for their information prior to disclosure."); neg {
		t.Error("notice of requests read as a denied safeguard")
	}
}

// Paying is a fee or payment provision when the clause names a fee, a
// charge or a price; "processing payments" beside any personal data is
// not, nor is collecting payment details to take an order (analysts flag
// those as collection, not as terms of payment).
func TestPaymentsNeedMoneyNotJustData(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, false, []sentenceCase{
		{"fees-payments", "We may share your personal information as necessary to remit taxes in the course of processing payments."},
		{"fees-payments", "We process payment data such as your card number when you pay."},
		{"fees-payments", "When you purchase a product, we collect your credit card number and shipping address."},
	})
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"fees-payments", "We charge a service fee on each booking."},
		{"fees-payments", "We will charge the subscription fee to your payment method each month."},
	})
}

// The platform's own app, "service-related messages" and an access history
// are not other services or accounts being linked; the group's other
// services are.
func TestOwnServiceIsNotAnotherService(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"account-linkage", "To communicate with you, we provide customer support to you and send you other service-related messages."},
		{"account-linkage", "We may use cookies and associate your access history with the ad identifier."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"account-linkage", "We combine information about you across our other services."},
	})
}

// A password in a list of collected data is no security provision; keeping
// it safe, or two-step authentication, is.
func TestPasswordsAndSecurityDuties(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"security-breach", "We collect the data you provide when you set up an account, such as your username, email address and password."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"security-breach", "You must keep your password confidential."},
		{"security-breach", "Set up 2-step authentication where prompted by us."},
	})
}

// "By using information such as your IP address" is no acceptance by use;
// "by using our services you agree" is.
func TestByUsingNeedsTheService(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"consent-acceptance", "Even when you do not accept sending your location, we may estimate your approximate location by using information such as your IP address."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"consent-acceptance", "By using our services, you agree to these Terms."},
	})
}

// Closing or debiting an account for a payment reason is a fees provision,
// not moderation; a guarantee of security disclaimed is a security
// provision, not a liability one.
func TestPaymentRestrictionsAndSecurityDisclaimers(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"content-moderation", "If you are liable for any amounts owed to us, we may immediately remove such amounts from your account."},
		{"liability", "While no organisation can guarantee perfect security, we use security measures to protect your information."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"content-moderation", "We may suspend your account if you violate our community guidelines."},
	})
	if aff, neg := statesCategory(rules, "liability", "We do not guarantee that the service will be uninterrupted."); !aff && !neg {
		t.Error("a disclaimed guarantee of the service states no liability provision")
	}
}

// "Or otherwise use …" goes on with the list of forbidden conduct; it does
// not start a clause of its own.
func TestOrOtherwiseContinuesAUserRule(t *testing.T) {
	expectReading(t, testRules(t), false, []sentenceCase{
		{"ai-training", "You may not remove the marks that show an output was generated by our AI services, or otherwise use the AI services to create misleading content."},
	})
}

// A refund is a user's safeguard: dropping "we do not refund" is no
// withdrawn promise; "applicable law" inside another clause is no
// condition of the statement; a sentence that lost its space after the
// full stop ("account.For more") is still two sentences.
func TestRefundsConditionsAndLostSpaces(t *testing.T) {
	rules := testRules(t)
	old := doc("All transactions are final, and we do not refund partially used billing periods.")
	if f := findingFor(Analyze(old, doc("All transactions are final."), Options{Rules: rules}), "fees-payments"); f != nil && f.Effect == EffectRemovesPromise {
		t.Errorf("dropping a no-refund rule read as a withdrawn promise: %s", f.Rationale)
	}
	a := doc("Although we are not responsible for any content, we may delete content that violates any law.")
	b := doc("Although we are not responsible for any content, we may delete content that violates any applicable law.")
	if f := findingFor(Analyze(a, b, Options{Rules: rules}), "liability"); f != nil {
		t.Errorf("\"any law\" → \"any applicable law\" gives a liability finding: %s", f.Rationale)
	}
	got := splitSentences("We may suspend your account.For more details, see our Transparency Centre. Visit www.example.Com today.")
	if len(got) != 3 {
		t.Errorf("split into %d sentences, want 3: %+v", len(got), got)
	}
}

// Content created by AI is no data used to train AI; data used for AI
// models is.
func TestAIWordsFarFromData(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"ai-training", `Like all content on our Services, regardless of whether it's labeled as created by "AI", be sure to carefully review it before relying on it.`},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"ai-training", "We use your posts and comments to develop our artificial intelligence models."},
	})
}

// Automatic deletion after a period of inactivity is retention, not the
// user's right to delete; "rights to know-how" is intellectual property.
func TestDeletionAfterInactivityAndKnowHow(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"user-rights", "All your data will be automatically deleted if your profile is inactive for twenty-four months."},
		{"user-rights", "Intellectual Property means trade secrets and other proprietary rights, including rights to know-how and other technical information."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"user-rights", "You can delete your account in your settings."},
		{"retention", "All your data will be automatically deleted if your profile is inactive for twenty-four months."},
	})
}

// Retention is what the company keeps: the user deleting copies, a deadline
// that expires, or browsing kept private are not retention periods.
func TestRetentionIsTheCompanyKeepingData(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"retention", "Upon termination, you must permanently delete the Licensed Materials and all copies thereof."},
		{"retention", "Incognito mode can help keep your browsing private from other people who use your device."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"retention", "We delete personal data associated with mobile and cookie identifiers after 12 months."},
		{"retention", "We keep your messages for 30 days after you delete them."},
	})
}

// Giving the user something, users sharing content with each other, and the
// balance of an agreement are not sharing or fees.
func TestGivingUsersIsNotSharing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "We'll also provide you with an opportunity to export your content from your Google Account."},
		{"third-party-sharing", "We may provide you with the ability to post or share User Content, including by sending messages to other Spotify users."},
		{"fees-payments", "If any other provision is found to be invalid, the balance of this Agreement shall remain in effect."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"fees-payments", "The balance in your account does not earn interest."},
	})
}

// Data linked to the user's own account is not cross-service linkage, and a
// service, an account and an action far apart in a long sentence state
// none; signing in with another service's account does.
func TestAccountLinkageNeedsAnotherServiceNearby(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"account-linkage", "Copies of some log records remain in our database but are no longer linked to your account."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"account-linkage", "We may permit you to register for and log on to the Services via certain third-party services."},
		{"account-linkage", "We link your Facebook and Instagram accounts when you add them to the same Accounts Center."},
	})
}

// One word fills one slot of a frame: "registration" is not both the
// account and the act of linking another service's account, and a lone
// "consent" is not both the consent and what is consented to.
func TestOneWordFillsOneSlot(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"account-linkage", "If the VAT registration number is not valid, Zoom may still charge the applicable VAT to you."},
		{"consent-acceptance", "Customers consent to being subjected to the rules governing the identification of clients."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"consent-acceptance", "You will be asked to consent to certain cookies before we use them on your device."},
		{"content-moderation", "As part of the Services, we will recommend content that might be of interest to you."},
	})
}

// Biometric and tracking wordings an analyst knows without seeing them in
// the tune half: liveness checks, facial age estimation, device and
// advertising identifiers.
func TestBiometricAndTrackingWordings(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"biometrics", "We use facial age estimation to check that you are old enough."},
		{"biometrics", "During verification we run a liveness check on your selfie."},
		{"tracking-cookies", "We collect device identifiers and your advertising ID to measure our campaigns."},
	})
}

// A list item led by a rule for users ("Don't use the services to do
// harm.") lists conduct the rule forbids: selling data there is the user's
// forbidden conduct, not the company selling data.
func TestRuleLedBlockIsUserConduct(t *testing.T) {
	rules := testRules(t)
	old := doc("- **Don't use the services to do harm.** Among other things, this includes attacking our systems.")
	new := doc("- **Don't use the services to do harm.** Among other things, this includes attacking our systems and selling personal data obtained from our services.")
	if f := findingFor(Analyze(old, new, Options{Rules: rules}), "sale-targeted-ads"); f != nil {
		t.Errorf("forbidden conduct read as the company selling data: %s", f.Rationale)
	}
	plain := doc("We may sell personal data obtained from our services to data brokers.")
	if f := findingFor(Analyze(doc("We provide the service."), plain, Options{Rules: rules}), "sale-targeted-ads"); f == nil {
		t.Error("the company selling data is no longer a sale finding")
	}
}

// A summary of the update ("We've clarified that …") or a change-log entry
// ("2023, Aug 23: …") describes changes the body makes; the body's
// sentences are what is read. A "§ 5" section title states nothing either.
func TestChangeSummariesStateNothing(t *testing.T) {
	expectReading(t, testRules(t), false, []sentenceCase{
		{"account-linkage", "We've clarified that you must be logged in with a Microsoft account to use Copilot."},
		{"ai-training", "We have updated these Terms to apply to the assistant app and to chat in our other apps."},
		// entries of a change log
		{"tracking-cookies", "2023, Aug 23: Updating Hubspot cookies and adding advertisement cookies"},
		{"location", "May 30, 2022: updates to section 2.2 to include location sharing"},
	})
	expectReading(t, testRules(t), true, []sentenceCase{
		{"account-linkage", "You must be logged in with a Microsoft account to use Copilot."},
		{"tracking-cookies", "We use advertisement cookies."},
	})
	if !isTitle("§ 5 Disclaimer of Warranties and Liability", tokenize("§ 5 Disclaimer of Warranties and Liability")) {
		t.Error("a § section title was read as a sentence")
	}
}

// Consent as the basis of a practice ("we disclose your information with
// your permission") is a consent provision; the words inside another
// statement ("uploaded without your consent") and the user's use of the
// service named in a forum clause are not. Security boilerplate and a
// legal demand read as their categories.
func TestConsentBasisAndBoilerplate(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"consent-acceptance", "We may also disclose your personal information with your permission."},
		{"consent-acceptance", "We will only combine this information with your account data if you consent."},
		{"security-breach", "However, no method of electronic storage or transmission over the internet is 100% secure."},
		{"government-access", "We will notify you before we disclose your personal information in response to a legal demand."},
		{"third-party-sharing", "Our service providers will be given access to your information as necessary to provide the services."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"consent-acceptance", "If you believe your child has uploaded personal information without your consent, contact us."},
		{"consent-acceptance", "The parties submit to the courts of New York for any dispute related to your use of the services or your breach of these Terms."},
	})
}

// A sentence that only defines a generic term names no practice; the same
// term in a sentence about what the company does still does. Minimum ages
// stated as rules for users, governing-law clauses that name a state, and
// account linking read as their categories.
func TestDefinitionsAgeRulesForumAndLinking(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"tracking-cookies", "Cookies are small text files containing a string of alphanumeric characters."},
		{"tracking-cookies", "A pixel is a piece of code embedded in a web page."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"tracking-cookies", "We use cookies, which are small text files, to remember your preferences."},
		{"children", "You may not become a subscriber if you are under the age of 13."},
		{"arbitration", "The laws of the State of New York will govern these Terms, without regard to conflict of laws rules."},
		{"account-linkage", "We may allow you to link your account to an account offered by a third party."},
	})
}

// Naming the group's products is not linking accounts or data across them.
func TestNamingTheGroupIsNotLinkage(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"account-linkage", "This policy applies to the Meta Products, including Facebook and Messenger."},
		{"account-linkage", "The Meta Companies are part of a family of companies that provide services."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"account-linkage", "We share information with other Meta Companies to improve our services."},
		{"account-linkage", "You can manage connected experiences in Accounts Center."},
	})
}

// A licence to use materials, or content the user can buy, is no right over
// personal data; keeping one's details up to date is the user's duty, not
// retention. The right itself still reads as one.
func TestLicencesAndUserDutiesAreNotRightsOrRetention(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"user-rights", "You may access and use the Licensed Materials solely for the purposes of connecting to the Services."},
		{"retention", "Provide accurate contact and identity information to us and keep it updated."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"user-rights", "You can access and delete your personal information in your account settings."},
		{"retention", "We keep your personal information for as long as your account is active."},
	})
}

// A recipient that processes data is sharing only when the recipient does
// it ("our service providers use your information"); data the company
// uses from a third party ("we use information from advertisers") is not.
func TestRecipientMustBeTheOneProcessing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "We use personal information about you from advertisers to improve our services."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "Our service providers use your personal information only to perform services for us."},
	})
}

// Items under a heading that forbids conduct ("Don't abuse our services")
// list what users may not do: no company practice. A heading in the user's
// voice ("Do Not Sell or Share My Personal Information") is a control and
// its sentences keep their meaning.
func TestRuleHeadedSections(t *testing.T) {
	rules := testRules(t)
	old := doc("## Don't abuse our services", "- sending spam to other users")
	res := Analyze(old, doc("## Don't abuse our services", "- sending spam to other users", "- reverse engineering our machine learning models to extract training data or trade secrets"), Options{Rules: rules})
	if f := findingFor(res, "ai-training"); f != nil {
		t.Errorf("forbidden conduct under a rule heading read as AI training: %s", f.Rationale)
	}
	old = doc("## Do Not Sell or Share My Personal Information", "You can opt out in your settings.")
	res = Analyze(old, doc("## Do Not Sell or Share My Personal Information", "You can opt out in your settings.", "We sell your personal information to data brokers."), Options{Rules: rules})
	if f := findingFor(res, "sale-targeted-ads"); f == nil {
		t.Error("a sale stated under a Do Not Sell heading was not read")
	}
}

// A list item is read as the continuation of the sentence that introduces
// its list: a recipient added under "We may share your information with:"
// is new sharing; an item that names nothing new is no finding.
func TestListItemsReadWithTheirLeadIn(t *testing.T) {
	rules := testRules(t)
	old := doc("We may share your information with the following parties:", "- Your agent or broker", "- Companies that perform services on our behalf")
	res := Analyze(old, doc("We may share your information with the following parties:", "- Your agent or broker", "- Companies that perform services on our behalf", "- Data brokers that build marketing profiles"), Options{Rules: rules})
	if f := findingFor(res, "third-party-sharing"); f == nil || f.Direction != OpAdded {
		t.Fatalf("a data broker added to a sharing list: %+v", res.Findings)
	}
	res = Analyze(old, doc("We may share your information with the following parties:", "- Your agent or broker", "- Companies that perform services on our behalf", "- Independent adjusters"), Options{Rules: rules})
	if f := findingFor(res, "third-party-sharing"); f != nil {
		t.Errorf("an item naming nothing the list did not already state: %s", f.Rationale)
	}
	if got := withLead("", "Data brokers"); got != "Data brokers" {
		t.Errorf("withLead without a lead-in = %q", got)
	}
}

// Disclosure to protect rights, property or safety is sharing with third
// parties, even in a sentence that also names legal process.
func TestDisclosureToProtectRightsIsSharing(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"third-party-sharing", "We may disclose information about you if we believe it is necessary to comply with legal process or to protect the rights, property, or safety of our users."},
	})
}

// After a colon, semicolons separate the parts of one list, which go on
// the sentence that introduces them: "we may disclose your information to:
// (a) comply with the law; (b) protect the rights, property or safety of
// others" discloses to protect rights.
func TestSemicolonListAfterAColonIsOneClause(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"third-party-sharing", "We may disclose your personal information in response to legal process or where necessary to: (a) enforce our terms; or (b) protect the rights, property, or safety of our users."},
	})
	toks := tokenize("We share data with partners; we do not sell it.")
	if got := len(clauses("We share data with partners; we do not sell it.", toks, readWords("We share data with partners; we do not sell it.", toks))); got != 2 {
		t.Errorf("a semicolon without a colon before it makes %d clauses, want 2", got)
	}
}

// A list of named data between an act and its recipient does not push the
// recipient out of reach: the window counts each named datum as one word.
// Other terms keep their length, so a list of courts or notices still
// stretches a frame's window.
func TestNamedDataListKeepsTheRecipientInReach(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "We share Personal Data You Provide, Automatically Collected Personal Data, and Personal Data From Other Sources with these service providers as necessary to enable them to provide their services."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"international-transfers", "Any claims shall be brought exclusively in the United States District Court for the Northern District of California or a California state court located in San Francisco County, California."},
	})
}

// Industry opt-out mechanisms for interest-based ads (the opt-out cookie,
// the advertising alliances' choice pages) are ad controls.
func TestIndustryAdOptOutsAreAdControls(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"ad-controls", "Please note that the opt-out cookie only applies to the computer and browser where it is set."},
		{"ad-controls", "You may opt out via the Digital Advertising Alliance's choice page."},
		{"tracking-cookies", "If you delete the opt-out cookie, you will need to opt out again."},
	})
}

// Acceptance deemed from inaction ("your failure to cancel will constitute
// your acceptance") and the refuse-or-leave rule ("if you do not agree, you
// must not use the services") are acceptance mechanisms.
func TestDeemedAcceptanceAndRefuseOrLeave(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"consent-acceptance", "Your failure to cancel your account before the effective date will constitute your acceptance of the amended terms."},
		{"consent-acceptance", "If we do not hear from you during the notice period, you will be considered as having accepted the proposed changes."},
		{"consent-acceptance", "If you do not agree, you must not use our services."},
		{"consent-acceptance", "Upon your use of any of our services, you accept the last updated version of the agreement."},
	})
}

// Suspending or terminating a user's access, and deleting accounts found to
// break the rules, are moderation; a company name such as "Google Ireland
// Limited accesses …" is not a limit on access.
func TestSuspendedAccessIsModeration(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"content-moderation", "We may take any action against you, including suspending or terminating your access to the Services immediately."},
		{"content-moderation", "Automated processes could restrict or suspend access to the platform if they detect activity that poses a risk."},
		{"content-moderation", "We will delete any account found to violate these requirements."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"content-moderation", "Google Ireland Limited accesses and discloses data, including communications, in accordance with the laws of Ireland."},
	})
}

// Notice of a breach is a breach provision even when "provide … to" could
// read it as giving something; security named with privacy is security; a
// bare commitment to protect data names no safeguard; a breach of the rules
// or the terms is no security breach.
func TestBreachNoticeAndSecurityWording(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"security-breach", "We will endeavor to provide notice to you of any security systems breach in accordance with applicable law."},
		{"security-breach", "We can make no guarantees as to the security or privacy of your information."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"security-breach", "We are strongly committed to protecting users' personal information."},
		{"security-breach", "We may terminate your account for any activity that breaches the Community Rules."},
		{"security-breach", "We may close your account if you breach these Terms or misuse your personal data."},
	})
}

// A negated condition ("even when you do not share your location, …")
// does not swallow what the main clause states.
func TestNegatedConditionKeepsTheMainClause(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"location", "Even when you do not accept sending your location information, we may estimate your approximate location by using your IP address."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"location", "If you do not share your location information, some features will not work."},
	})
}

// Providing data to law enforcement is government access, however far
// apart the data and the agency stand.
func TestProvidingDataToAuthorities(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"government-access", "We may provide Personal Data (such as your IP address) to law enforcement agencies in an emergency."},
		{"government-access", "This could include providing law enforcement agencies or emergency services with personal data in urgent situations."},
	})
}

// Protected classifications and data "perceived as sensitive" are
// sensitive data; facial image capture is biometric; sharing personal
// information for marketing purposes is the sale-and-ads category.
func TestSensitiveFacialAndMarketingWording(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"sensitive-data", "We collect protected classifications about our users, such as age and gender."},
		{"sensitive-data", "Members may share data that can be perceived as sensitive in their profile description."},
		{"biometrics", "We may conduct facial image capture at the time of registration."},
		{"sale-targeted-ads", "We may share your personal information with partners for marketing purposes."},
	})
}

// A recipient that has access to data receives it ("contractors may have
// access to user information"), and a law named as governing all disputes
// is a forum clause.
func TestRecipientAccessAndGoverningLaw(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "Our personnel and authorized consultants and contractors may have access to user information if necessary."},
		{"third-party-sharing", "Our service providers will be given access to your information as is reasonably necessary."},
		{"arbitration", "Washington law, excluding conflict of laws principles, governs all disputes arising out of this Agreement."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "You have access to your information in your account settings."},
	})
}

// Numbered section headings, short questions and capitalised phrases that
// introduce a section name a topic and state nothing; a numbered clause
// that is a sentence, and a list item, are read.
func TestSectionHeadingsStateNothing(t *testing.T) {
	for _, s := range []string{"10. Paid Services", "9. Data Retention", "6. How long is my information kept?",
		"How do we share your information?", "Law and Forum for Legal Disputes:", "HOW AND WHY WE SHARE YOUR INFORMATION",
		"c. Location Information", "6. International transfers of personal data", "13. How does the service use cookies and similar tracking?"} {
		if !isTitle(s, tokenize(s)) {
			t.Errorf("%q is not read as a heading", s)
		}
	}
	for _, s := range []string{"3.1.1. We may share information with third party services for a business purpose.",
		"(b) we sell data to brokers", "We share your data with:", "Do Not Sell My Personal Information", "DO NOT SELL MY PERSONAL INFORMATION",
		"2. We share your data with advertisers", "4. Data may be shared with partners", "e.g. we sell data to brokers"} {
		if isTitle(s, tokenize(s)) {
			t.Errorf("%q read as a heading", s)
		}
	}
}

// Keeping ownership of what one posts is a content-rights provision, and
// advertising made "as relevant as possible" is targeted advertising.
func TestOwnershipAndRelevantAdvertising(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"content-license", "You retain ownership you have of any intellectual property you post to the service."},
		{"sale-targeted-ads", "We work with online advertising companies to provide you with advertising that is as relevant and useful as possible."},
	})
}

// Asking to access or remove one's data is a right, and creating a profile
// of someone's interests is profiling, not creating an account.
func TestRequestsToRemoveAndInterestProfiles(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"user-rights", "If you would like to request access to your personal information, you can contact us."},
		{"user-rights", "A parent may contact us to request that we remove the personal information from our systems."},
		{"automated-decisions", "We may analyze personal information to create a profile of your interests and preferences."},
	})
}

// Weaker protection abroad and transfers "to these countries" are
// international transfers; protection against unauthorised disclosure is
// no disclosure.
func TestWeakerProtectionAbroadAndUnauthorisedDisclosure(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"international-transfers", "Some of these countries may not have the same data protection safeguards as the country where you reside."},
		{"international-transfers", "By using our Services, you consent to us transferring information about you to these countries."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "We have safeguards in place to help protect against unauthorized access, use or disclosure of customer information we collect."},
	})
}

// Letting third parties collect data on the service is sharing with them;
// collecting data from third parties is not.
func TestPermittedThirdPartyCollection(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "We permit third-party online advertising networks and other third-party services to collect information about your use of our Services."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "We collect information from third parties that you allow to share it with us."},
	})
}

// "Governmental" requests and authorities, and first responders, are the
// government-access category's.
func TestGovernmentalRequestsAndFirstResponders(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"government-access", "This may include responding to lawful governmental requests."},
		{"government-access", "We may share your personal information with disaster relief agencies and first responders in an emergency."},
	})
}

// Collecting data from the group's companies is group sharing.
func TestCollectingFromGroupCompanies(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"account-linkage", "We may collect your personal data from our group companies according to their terms or policies."},
	})
}

// Rights named in other words: the right not to be subject to automated
// decisions, the right to obtain human intervention, identity checks "as
// part of the exercise of your rights", and "if you would like to …" one.
func TestRightsInOtherWords(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"user-rights", "The right not to be subject to any automatic individual decisions, including profiling."},
		{"user-rights", "You have the right to obtain human intervention."},
		{"user-rights", "Proof of identity may be requested as part of the exercise of your rights over your personal data."},
		{"user-rights", "If you would like to delete your account, go to your settings."},
	})
}

// A "material change" is a change to the terms, not user materials.
func TestMaterialChanges(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"terms-changes", "What constitutes a material change will be determined at our sole discretion."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"content-license", "What constitutes a material change will be determined at our sole discretion."},
	})
}

// Protecting something as the purpose of processing data ("we collect your
// location … to protect your account") says why data is processed, not
// that a safeguard is in place; "we use encryption to protect your data"
// is one, and so is protection of "metadata related to encrypted messages".
func TestSecurityAsPurposeIsNoSafeguard(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"security-breach", "We automatically collect personal data about your approximate location based on IP address, for example to protect your account by detecting unusual login activity."},
		{"security-breach", "We collect and use your information in order to provide and improve our services and protect the security and integrity of our platform."},
		{"security-breach", "If your account is banned, we may retain that data to protect our services from fraud."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"security-breach", "We use encryption to protect your data."},
		{"security-breach", "We collect your messages and store them encrypted to protect your data from unauthorised access."},
	})
}

// A numbered section heading written as an ordered list item ("9.
// Children": the list marker takes the number) names a section and states
// nothing; an item introduced by a lead-in, and a numbered item that is a
// sentence, are still read.
func TestNumberedListHeadingStatesNothing(t *testing.T) {
	rules := testRules(t)
	old := doc("We collect your name.")
	for _, heading := range []string{"9. Children", "13. Changes to our Privacy Policy", "4. Data Retention", "7. Cookies"} {
		res := Analyze(old, doc("We collect your name.", heading, "We answer letters within a week."), Options{Rules: rules})
		if len(res.Findings) != 0 {
			t.Errorf("numbered heading %q: findings %+v", heading, res.Findings)
		}
	}
	led := Analyze(old, doc("We collect your name.", "We may also collect:\n\n1. Precise Location"), Options{Rules: rules})
	if findingFor(led, "location") == nil {
		t.Errorf("a numbered item after its lead-in: no location finding in %+v", led.Findings)
	}
	sentence := Analyze(old, doc("We collect your name.", "3. We share your precise location with advertisers."), Options{Rules: rules})
	if findingFor(sentence, "location") == nil {
		t.Errorf("a numbered item that is a sentence: no location finding in %+v", sentence.Findings)
	}
}

// Agreeing to the processing of one's data is consent to it, also when
// "processing … in accordance with" could be read as processing in a
// place; processing data in a named country is still a transfer.
func TestAgreeingToProcessing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"consent-acceptance", "By using the app you agree to the processing of your information in accordance with this Privacy Policy."},
		{"consent-acceptance", "You may withdraw your agreement to the processing of that information at any time."},
		{"international-transfers", "Your personal data may be processed in the United States."},
	})
}

// Being bound by "the modified Terms" or "the revised Privacy Policy"
// after using the service on is about changes to the terms.
func TestRevisedTermsAreTermsChanges(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"terms-changes", "If you continue to use the Services after modification, you agree to abide by the modified Terms."},
		{"terms-changes", "By continuing to use the app after we have posted an updated Privacy Policy you consent to the revised Privacy Policy."},
	})
}

// Being "free to" correct or delete one's data, or instructing the company
// to delete it, is a right.
func TestRightsOfferedInOtherWords(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"user-rights", "You are free to manage your account information (modify, correct, update and delete information)."},
		{"user-rights", "If you instruct us to delete your account, your information is deleted within 60 days."},
	})
}

// Data passing to a buyer in a merger is no international transfer; where
// the reader is located is no place data go to; a service "free of
// charge" states no fee.
func TestTransfersBuyersAndResidence(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"international-transfers", "If we are involved in a merger, acquisition or sale of assets, your personal information may be transferred to the acquiring entity."},
		{"international-transfers", "If you are located in the United States and need urgent help, please call 988."},
		{"fees-payments", "You can contact our dispute resolution provider free of charge."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"international-transfers", "If you are located in the European Union, your personal data will be transferred to the United States."},
	})
}

// On a marketplace buyers and sellers are users, not the buyer of a
// business: a contract between them shares nothing; a merger still does,
// and the due diligence of a merger checks no one's identity.
func TestMarketplaceBuyersAreUsers(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "The actual contract for sale is directly between the seller and buyer."},
		{"third-party-sharing", "We may choose to be more lenient with policy enforcement to do the right thing for both buyers and sellers."},
		{"identity-verification", "If we are involved in a merger, acquisition, financing due diligence or sale of assets, your information may be transferred."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "In the event of a merger or acquisition, your information may be transferred to the successor entity."},
	})
}

// A verbless entry that opens with a recipient ("Advertising partners that
// help us measure our ads") lists who receives data; a sentence that opens
// with one and has its own verb is read as usual.
func TestRecipientEntries(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "Service providers that help us host the service and answer support requests"},
		{"third-party-sharing", "Our affiliates, including companies under common ownership"},
		{"third-party-sharing", "Professional advisers, such as auditors and lawyers"},
		{"third-party-sharing", "Financial institutions and insurance companies that process claims with us"},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "Web publishers are able to offer valuable content for free because they are supported by advertising."},
		{"third-party-sharing", "We work hard to keep the service running."},
	})
}

// Verifying identity before answering a request is part of the rights
// process; verifying it for a feature is not. A right offered through a
// long modal ("you have the possibility to", "if you wish to") still
// reaches its data.
func TestRightsRequestsAndLongModals(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"user-rights", "Before fulfilling your request, we may ask you to provide reasonable information to verify your identity."},
		{"user-rights", "We may need to verify your identity before responding to your request."},
		{"user-rights", "You have the possibility to obtain a copy of your data by going to your account."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"user-rights", "If you request certain limited Pro features, we may request additional documentation to verify your identity."},
	})
}

// Informal dispute resolution is a dispute-resolution provision, and
// assets that are acquired or transferred in a deal carry user data.
func TestInformalDisputesAndTransferredAssets(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"arbitration", "The parties agree to negotiate in good faith to resolve the dispute before starting any formal proceedings."},
		{"arbitration", "We will attempt to resolve your dispute internally as soon as possible."},
		{"third-party-sharing", "If substantially all of our assets are acquired, user information will be one of the transferred assets."},
	})
}

// A clear image in an e-mail and "this tracking" are trackers; keeping
// access credentials confidential and data "completely safe" are security.
func TestTrackingAndSecurityWording(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"tracking-cookies", "We use a clear image in email communications in order to measure engagement."},
		{"tracking-cookies", "If you wish to turn off this tracking, you can do so by turning off images in the email itself."},
		{"security-breach", "You shall treat your access credentials as confidential information."},
		{"security-breach", "We cannot guarantee that personal data sent to us will be completely safe."},
	})
}

// Being entitled to object is a right (a company "entitled to delete" is
// not), a price per month is a fee, and payment providers are recipients.
func TestRightsPricesAndPaymentProviders(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"user-rights", "As a data subject you are entitled to object at any time to the processing of your data."},
		{"fees-payments", "The cost for the service is 5 euros per month."},
		{"third-party-sharing", "Payment providers, such as banks and card networks"},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"user-rights", "Where content breaches this agreement, we are entitled to delete it without notice."},
	})
}

// A fraud probability score is risk scoring, "educated guesses" about
// someone's interests are inferences, and a profile "about you" is
// profiling; creating a profile to use a service is not.
func TestScoringGuessesAndProfiles(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"automated-decisions", "Your IP address is sent to a specialised service to calculate a fraud probability score."},
		{"automated-decisions", "To make our ads more relevant, we make educated guesses about your interests based on your activity."},
		{"automated-decisions", "We use this information to create a profile about you and your interests."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"automated-decisions", "You can use the app by creating a profile with your email address."},
	})
}

// Engaging other companies to do work on the company's behalf is sharing
// with them; a licence ending or an account suspended for non-payment is no
// moderation, while an account ended for a breach of the rules is; a
// sentence that only says what a section covers, or a numbered heading
// naming a topic as a question, states nothing.
func TestProvidersEnforcementAndOverviews(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "We employ other companies and individuals to perform functions on our behalf."},
		{"third-party-sharing", "We often use other companies to process your personal information."},
		{"content-moderation", "We may terminate your licence to use the service for any violation of these terms."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"content-moderation", "If your payment cannot be completed, we may suspend your access to the service until payment is received."},
		{"content-moderation", "This license will automatically terminate upon the removal of the Content from the Site."},
		{"third-party-sharing", "This section describes how we may share and disclose personal data."},
		{"third-party-sharing", "“This section describes how we may share and disclose personal data.”"},
		{"third-party-sharing", "We would like to explain how we collect, use and share the information we obtain about you."},
		{"third-party-sharing", "6. How we share and disclose Personal Data"},
	})
}

// Being entitled to object, asking for a copy, having rights over one's
// data, being given the ability to delete it, and opting out of receiving
// e-mails are rights.
func TestMoreWaysToStateRights(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"user-rights", "Where the processing is based on our interests you are as a data subject entitled to object at any time to the processing of your data."},
		{"user-rights", "You also have the right to request for a copy of your personal data."},
		{"user-rights", "Depending on where you live, you may have special rights over your data."},
		{"user-rights", "We provide you with the ability to access or delete your data."},
		{"user-rights", "You may opt out of receiving such emails by following the instructions in each email."},
	})
}

// A subscription is a fee when it is paid for, changed, ended or renewed,
// not when a document only names its subscription terms; funds held for
// users and a merger's financing are no fees.
func TestSubscriptionsAndFunds(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"fees-payments", "Your access will be suspended until the limits reset or you upgrade your subscription."},
		{"fees-payments", "You have the right to cancel your subscription within fourteen days."},
		{"fees-payments", "Your subscription will be automatically renewed at the end of each period."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"fees-payments", "Valve may amend this Agreement (including any Subscription Terms or Rules of Use) at any time."},
		{"fees-payments", "We are committed to maintaining the security of user entrusted funds."},
	})
}

// A sentence defining a generic tracker states no practice even when it
// says the file goes to the user's device; one saying the company places
// it does.
func TestDefinitionsMayNameTheUser(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"tracking-cookies", "A cookie is a small text file that the website you visit sends to your computer."},
		{"tracking-cookies", "Cookies are small text files which are transferred to your computer or mobile when you visit a website or app."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"tracking-cookies", "Cookies are small text files that we place on your device to remember your preferences."},
	})
}

// Sharing named only as one of a list of processing acts ("collect, use and
// share", "the collection, use or disclosure of") names processing in
// general, not a disclosure to anyone; the same list with a recipient is
// sharing.
func TestProcessingListsAreNotSharing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "We will collect, use and share such information in accordance with our Privacy Policy."},
		{"third-party-sharing", "You may withdraw consent to our collection, use or disclosure of your personal information at any time."},
		{"third-party-sharing", "You care about how your personal data is used and shared."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "We collect, use and share your personal data with advertisers and other partners."},
	})
}

// Named web-analytics and session-recording tools, and a confirmation that
// an e-mail was opened, are tracking.
func TestAnalyticsToolsAreTracking(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"tracking-cookies", "Presently, we use Google Analytics."},
		{"tracking-cookies", "Aggregated click data is retained for 13 months and session recordings are stored for up to 30 days."},
		{"tracking-cookies", "We may receive a confirmation when you open an email from us."},
	})
}

// Acceptance by using the site, consent read into taking part or into
// continuing after a change, marketing sent only with consent, and being
// told to stop using the service when disagreeing are consent wording.
func TestMoreAcceptanceWording(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"consent-acceptance", "By using the Site or Service in any manner, you agree to be bound by these Terms of Use."},
		{"consent-acceptance", "Your participation in any of the programs will be interpreted as affirmative consent to the terms of such incentive."},
		{"consent-acceptance", "If required under applicable law, we will only send you promotional communications with your consent."},
		{"consent-acceptance", "If you do not agree with the terms of this Policy, please discontinue your use of our Services."},
		{"consent-acceptance", "Agree to our Privacy Policy; and"},
	})
}

// Discarding data after use, and storing it for a period or "for as long
// as" needed, are retention; storing data somewhere is not by itself.
func TestStoringForAPeriodIsRetention(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"retention", "We process your voice audio to convert it into text and then discard the audio after the processing is complete."},
		{"retention", "We store personal data only for as long as it is necessary for the purpose for which it was collected."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"retention", "We store your personal information electronically."},
	})
}

// "PHI" and protected health information are health data.
func TestPHIIsHealthData(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"sensitive-data", "All electronic PHI will be encrypted at rest and in transit."},
		{"sensitive-data", "We process protected health information only to provide the service."},
	})
}

// The licence a platform grants the user to use its service is no content
// licence; the one the user grants the platform is. "At your sole risk"
// and not assuming responsibility are liability wording.
func TestLicenceToTheUserAndSoleRisk(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"content-license", "Instacart grants you a limited, non-exclusive, non-transferable, and revocable license to use the Services for their intended purposes."},
		{"content-license", "Subject to these Terms, we grant you a limited, personal, non-exclusive, non-transferable, revocable license to access and use the Services."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"content-license", "You grant us a worldwide, non-exclusive, royalty-free, transferable license to use your content."},
		{"liability", "Your use of the service is at your sole risk."},
		{"liability", "The company does not assume responsibility for the content of sites to which it links."},
	})
}

// Unencrypted messages, transmission at the user's own risk, keeping an
// account safe, and limits on staff access to data are security wording.
func TestMoreSecurityWording(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"security-breach", "We may send you unencrypted SMS messages about your orders."},
		{"security-breach", "Any transmission of personal data is at your own risk."},
		{"security-breach", "You are solely responsible for keeping safe your account and password."},
		{"security-breach", "Internal control measures strictly limit access to your data by designated team members."},
	})
}

// Affiliates named at the end of a list of recipients, data obtained from
// affiliates, and "companies in the … family" are sharing within the group.
func TestGroupSharingAcrossLists(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"account-linkage", "We may disclose any categories of Personal Information described in Section 1 above to our current or future partners and affiliates for any purpose."},
		{"account-linkage", "We may obtain information about you, such as usage information, from our Affiliates as a normal part of conducting business."},
		{"account-linkage", "When we share personal information with companies in the BBC family"},
	})
}

// Keeping data to resolve disputes is a purpose of retention, not a dispute
// clause; a company "organized under the laws of" a country names its
// identity, not the governing law.
func TestDisputesAsPurposeAndCorporateIdentity(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"arbitration", "We may need to retain some of your information for a longer period, such as to comply with our legal obligations or to resolve disputes."},
		{"arbitration", "Google Asia Pacific Pte. Ltd., a company organized under the laws of Singapore, provides the service."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"arbitration", "These terms are governed by the laws of the State of California and disputes will be resolved in its courts."},
	})
}

// Deleting content or information found to violate the rules is
// moderation, also when the violation is named well before the deletion.
func TestDeletingViolations(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"content-moderation", "Content that violates any of our policies may be modified, obfuscated or deleted at our sole discretion."},
		{"content-moderation", "Deleting any information you published that are found to be violations."},
	})
}

// Third parties collecting information from the user's browser or device,
// or about their activity over time and on other websites, is tracking.
func TestThirdPartiesCollectingOnlineActivity(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"tracking-cookies", "Third parties may also collect information about your website activity over time and on other websites or mobile applications."},
		{"tracking-cookies", "We allow other companies that show advertisements on our webpages or apps to collect information from your browsers or devices."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"tracking-cookies", "We collect information about your device when you contact support."},
	})
}

// An advertising identifier in a list of device data, a social network
// the user connects, and a sale of goods are no advertising use of data;
// sharing with social media platforms is still sharing.
func TestAdWordsThatAreNotAdvertisingUses(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"sale-targeted-ads", "We collect your device type, your mobile device's unique advertising identifier and other unique identifiers."},
		{"sale-targeted-ads", "You can add your contacts' information by connecting your social networking accounts to the service."},
		{"sale-targeted-ads", "All sales of Digital Content are final, unless otherwise determined by us."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "We may share your email address with social media platforms."},
	})
}

// "X means the …" defines a term, also under a section number ("2.9
// “Biometric Laws” means …"); "This means the …" restates what came before
// and is read.
func TestMeansDefinitions(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"fees-payments", "Chargeback means the person sending you the money has made a claim to their bank that the payment fails due to insufficient funds."},
		{"biometrics", "2.9 “Biometric Laws” means any law or regulation governing the handling of biometric information."},
		{"tracking-cookies", "4.1 An SDK is a software development kit for integrating products into mobile applications."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "This means the company shares your personal information with advertisers."},
	})
}

// Data "communicated to" or "sent to" a provider is shared with it, and
// disclosure to "protect or defend the rights" of others is sharing.
func TestSentToProvidersAndDefendingRights(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"third-party-sharing", "If you use our chat service, queries will be sent to our model provider and its partners."},
		{"third-party-sharing", "Only your IP address is communicated to this specialized service provider to calculate a fraud score."},
		{"third-party-sharing", "We may also disclose user information if we believe in good faith that doing so is necessary to protect or defend the rights of others."},
	})
}

// A geographical position or area, and location deduced from an IP
// address, are location data.
func TestGeographicWording(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"location", "Your geographical position is collected with your express consent only."},
		{"location", "We record the approximate geographic area of origin of the search, as deduced from the IP address."},
	})
}

// Terminating repeat infringers, handling notices of alleged infringement
// and the user continuing to own their content are content-licence terms.
func TestInfringementAndOwnership(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"content-license", "We will terminate the accounts of users that are determined to be repeat infringers."},
		{"content-license", "We will investigate notices of alleged infringement and take appropriate action."},
		{"content-license", "You continue to own the content you upload."},
	})
}

// A claim named in a liability cap is the cap's, not a dispute clause.
func TestClaimsInLiabilityCaps(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"arbitration", "To the maximum extent permitted by applicable law, the total liability of the company for any claim under this agreement is limited to the amount you paid."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"arbitration", "Before filing a claim, you agree to try to resolve the dispute informally by contacting us within 30 days."},
	})
}

// A lettered or roman-numbered section heading ("c. Fees", "iii. Children
// and Accounts.") is one title, not a marker sentence and a sentence that
// states a practice.
func TestLetteredHeadingsStateNothing(t *testing.T) {
	expectReading(t, testRules(t), false, []sentenceCase{
		{"fees-payments", "c. Fees"},
		{"terms-changes", "c. Changes to These Terms"},
		{"children", "iii. Children and Accounts."},
	})
}

// Disclosing the user's information to the user on request is access, not
// sharing; "Article 5 (Disclosure of Personal Information)" is a heading.
func TestDisclosureToTheUserAndArticleHeadings(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "When you request us to disclose your personal information, we will disclose it to you without delay."},
		{"third-party-sharing", "Article 5 (Disclosure of Personal Information)"},
		{"third-party-sharing", "Section 12. Sharing of Data"},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"user-rights", "When you request us to disclose your personal information, we will disclose it to you without delay."},
	})
}

// Affiliate links are marketing, not the company's group; use confirming
// acceptance is deemed acceptance; transmitting data is a security matter
// only with a disclaimer of its risk.
func TestAffiliateLinksAcceptanceAndTransmissionRisk(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"account-linkage", "This site uses affiliate links and does earn a commission from certain links."},
		{"security-breach", "By providing personal information to us, you consent to the transmission of your information outside your own country."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"consent-acceptance", "YOUR USE OF THIS WEBSITE CONFIRMS YOUR UNCONDITIONAL ACCEPTANCE OF THE FOLLOWING TERMS AND CONDITIONS."},
		{"security-breach", "Any transmission of Personal Information is at your own risk."},
	})
}

// "We reserve the right to delete your username" is the company's right,
// not the user's; the fees named in a liability cap are the cap's measure.
func TestReservedRightsAndCapsMeasuredInFees(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"user-rights", "We also reserve the right to delete, change, or reclaim your username."},
		{"fees-payments", "Our total liability arising out of these terms is limited to the fees that you paid to use the services in the 12 months before the claim."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"liability", "Our total liability arising out of these terms is limited to the fees that you paid to use the services in the 12 months before the claim."},
	})
}

// Advice to the user ("Carefully review …", "Please check …") is the
// user's conduct, not a company practice; "Please note that we …" still
// states what the company does.
func TestAdviceToTheUser(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"content-moderation", "Carefully review Responses and Creations before sharing them so you are not exposing personal information."},
		{"third-party-sharing", "Carefully review Responses and Creations before sharing them so you are not exposing personal information."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "Please note that we share your personal data with advertisers."},
		{"content-moderation", "We carefully review content that violates our rules."},
	})
}

// Leaving a mailing list, having one's details removed, and a promise not
// to discriminate against those who exercise their rights are rights.
func TestMailingListsRemovalAndNonDiscrimination(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"user-rights", "If you do not wish to receive communications from us, use our Unsubscribe Page to remove your email from our mailing list."},
		{"user-rights", "Alternatively, you can contact us to have your details removed from our server."},
		// the right to non-discrimination, given, not a right denied
		{"user-rights", "We will not discriminate against you if you choose to exercise any of these rights."},
		{"user-rights", "We will not discriminate against you for exercising any of your rights under any privacy law."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"retention", "Please keep in mind that content and other information you post will be publicly accessible."},
	})
}

// The company managing interest-based advertising is targeted advertising;
// the user controlling it is an ad control.
func TestManagingTargetedAdvertising(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"sale-targeted-ads", "We work with Mediavine to manage third-party interest-based advertising appearing on the Website."},
		{"ad-controls", "You can manage your ad preferences and opt out of personalised ads."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"sale-targeted-ads", "You can manage your ad preferences and opt out of personalised ads."},
	})
}

// Opting out of ads is an ad control however far apart the words are; a
// setting, choice or limit is one only close to the ads it governs.
func TestAdSettingsNeedTheAdsNearby(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"ad-controls", "You can opt out of receiving personalised advertising from us and our partners at any time in your account."},
		{"ad-controls", "You can change your ad settings at any time."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"ad-controls", "We may analyze personal information we have collected about you to create a profile of your interests and preferences so that we can contact you with information, content or advertisements."},
	})
}

// Data collected, processed or hosted "by" a third party is shared with
// it, and so is data sold or shared "to companies" or handed to "a third
// party" the company chose to use.
func TestDataProcessedByRecipients(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"third-party-sharing", "When you submit a ticket, your information will be captured by our customer support partner."},
		{"third-party-sharing", "Your data may be processed by other companies through SDK technology."},
		{"third-party-sharing", "We may disclose personal data to companies that help us run the service."},
		{"third-party-sharing", "We have chosen to use a third party who specializes in the secure collection and storage of customer information."},
	})
}

// "Upon termination" dates a deletion, it is no moderation; non-personalised
// ads are ads, not a recommender option.
func TestTerminationAsTimeAndNonPersonalisedAds(t *testing.T) {
	expectReading(t, testRules(t), false, []sentenceCase{
		{"content-moderation", "Upon account termination, we will delete your Personal Data within 30 days."},
		{"content-moderation", "In the event you opt-out, you will still see non-personalized advertisements."},
	})
}

// Third-party services and integrations are other companies' services:
// sharing with them is sharing, not linkage within the company's group.
func TestThirdPartyServicesAreNotTheGroup(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"account-linkage", "We may share information with Third Party Services for a business purpose such as identifiers."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "We may share information with Third Party Services for a business purpose such as identifiers."},
	})
}

// A parent's consent belongs to children's rules, and a browser accepting
// cookies is no consent by the user.
func TestParentsAndBrowsersAreNotConsentWording(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"consent-acceptance", "If you are a parent or guardian and believe your child has uploaded personal information without your consent, you may contact us."},
		{"consent-acceptance", "Most web browsers accept cookies by default, but you can modify your browser setting to decline cookies."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"tracking-cookies", "You may refuse to accept browser cookies by activating the appropriate setting on your browser."},
		{"consent-acceptance", "We use cookies only with your consent."},
	})
}

// Announcing "the following rights", exercising "any of your rights"
// and denying a request are rights wording.
func TestListedRightsAndRequestHandling(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"user-rights", "The company informs you that you have the following rights depending on the purpose of processing:"},
		{"user-rights", "If you wish to exercise any of your rights, please notify us at privacy@example.com."},
		{"user-rights", "We may deny your request under certain circumstances, such as if we need to comply with our legal obligations."},
	})
}

// An authority named far from any disclosure or request in a long sentence
// states no government access; a request from it nearby does.
func TestGovernmentAccessNeedsTheActNearby(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"government-access", "We may disclose information to law enforcement in response to a valid request."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"government-access", "Under the Data Privacy Framework, we commit to cooperate and comply with the advice of the panel established by the EU data protection authorities and the UK Information Commissioner's Office with regard to unresolved complaints concerning human resources data transferred from the EU."},
	})
}

// A promise not to use messages "for any purpose other than" running the
// service grants no licence over them.
func TestAnyPurposeIsNoLicence(t *testing.T) {
	expectReading(t, testRules(t), false, []sentenceCase{
		{"content-license", "Facebook will not use your WhatsApp messages for any purpose other than to assist us in operating our Services."},
	})
}

// A user prohibition that opens a list ("you will not: (i) …; (vi) …")
// rules every item of the list, however many clause breaks the items hold;
// what the company does after the list's sentence is its own.
func TestProhibitionListRulesEveryItem(t *testing.T) {
	rules := testRules(t)
	list := "You agree that you will not, and will not permit anyone to: (i) copy the Services; (ii) send any material that is abusive or is otherwise unlawful, that would give rise to civil liability; (iii) upload code that is intended to extract information or data from other networks of the Company or other users of the Services; (iv) use your account in any manner that could damage the Services."
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", list},
		{"account-linkage", list},
		{"sensitive-data", list},
	})
	plain := plainText(list)
	for _, st := range rules.read(plain, tokenize(plain), nil).stmts {
		if !st.userRule {
			t.Errorf("%s: stated as the company's practice, want a rule for users", rules.Categories[st.cat].ID)
		}
	}
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "We share information about you with advertising partners: (i) your device identifiers; (ii) your purchases."},
		{"sale-targeted-ads", "You must not misuse the Services, and we may share your information with advertising partners."},
		{"sale-targeted-ads", "You must not misuse the Services, and we may share your information with the following recipients: advertising partners."},
	})
}

// An order to the user ("Do not …", "Don't …", "Never …", "Please do not
// …") is a rule for users: it states no company practice, and of the
// categories that cover rules for users it states a rule, which for
// sensitive data is at most Low.
func TestImperativeProhibitionIsAUserRule(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"ai-training", "Do not use the service to analyze medical images or signals from diagnostic devices."},
		{"third-party-sharing", "Never share your password with third parties."},
	})
	text := "Please do not upload health records or other sensitive personal data to the service."
	plain := plainText(text)
	found := false
	for _, st := range rules.read(plain, tokenize(plain), nil).stmts {
		if rules.Categories[st.cat].ID == "sensitive-data" {
			found = true
			if !st.userRule || st.negated {
				t.Errorf("%q: sensitive-data userRule=%v negated=%v, want a rule for users", text, st.userRule, st.negated)
			}
		}
	}
	if !found {
		t.Errorf("%q states no sensitive-data rule", text)
	}
	if _, neg := statesCategory(rules, "sensitive-data", "We never collect health data."); !neg {
		t.Error(`"We never collect health data" is the company's promise, not a rule for users`)
	}
}

// A period that expires (a notice or opt-out window) deletes nothing;
// cookies or data that expire after a period are retention.
func TestExpiringPeriodIsNoRetention(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"retention", "You may opt out of this arbitration agreement by sending us a notice before the 30 day period expires."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"retention", "Our cookies are set to expire after one year."},
	})
}

// Disclosure "to enforce our terms" is a purpose of the disclosure, not
// content moderation; removing content that breaks the rules still is.
func TestEnforcingTermsIsNoModeration(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"content-moderation", "We may disclose your information to enforce our agreements and to respond to claims that any content violates the rights of third parties."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"content-moderation", "We may remove content that violates our Community Guidelines."},
	})
}

// A music venue, rights "under California law" and "Irish law enforcement"
// name no governing law or forum; "governed by New York law" and an
// exclusive venue do.
func TestForumNeedsAGoverningLawOrCourt(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"arbitration", "If you interact with a lot of music venues we may use that to show you ads for upcoming shows in town."},
		{"arbitration", "If you're a California resident, you have certain privacy rights under California law."},
		{"arbitration", "We may respond to a production order from Irish law enforcement."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"arbitration", "All disputes arising out of these terms shall be governed by New York law."},
		{"arbitration", "The exclusive venue for any dispute is the state courts of Delaware."},
	})
}

// Keeping data "for dispute resolution" names a purpose of keeping it, not
// a dispute clause; a dispute resolution procedure still is one.
func TestDisputeResolutionAsAPurpose(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"arbitration", "We may retain payment and transaction information to meet our legal obligations and for dispute resolution."},
		{"arbitration", "We keep your data as long as needed for dispute resolution."},
		{"arbitration", "We may retain payment information to meet our accounting, dispute resolution, and regulatory compliance purposes."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"arbitration", "Any dispute will be resolved by binding arbitration."},
	})
}

// "Sale/sharing" in the US state-law sense is a sale for advertising, not
// sharing with third parties; a "Do Not Share My Personal Information"
// link is a do-not-sell control.
func TestSaleSlashSharingIsASale(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "You may use an opt-out preference signal to opt out of the sale/sharing of your personal information."},
		{"third-party-sharing", "You may opt out of targeted advertising by clicking the \"Do Not Share My Personal Information\" link in the footer."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"sale-targeted-ads", "You may use an opt-out preference signal to opt out of the sale/sharing of your personal information."},
		{"third-party-sharing", "We share your personal information with our service providers."},
	})
}

// Consent as the condition of a practice, however it is worded ("when we
// have your consent", "only after your explicit consent", "…, but only if
// you have consented"), is a consent provision.
func TestConsentConditionsWorded(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"consent-acceptance", "We will share information with companies, organizations or individuals outside of our group when we have your consent."},
		{"consent-acceptance", "Such information will be collected and publicly available in your profile only after your explicit consent."},
		{"consent-acceptance", "We also use non-essential cookies, but only if you have consented to them."},
	})
}

// A law's name ("the Act on the Protection of Personal Information")
// states no security measure.
func TestProtectionLawNameIsNoSecurity(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"security-breach", "Personal information means personal information as defined in the Act on the Protection of Personal Information."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"security-breach", "We protect your personal information with encryption."},
	})
}

// Pointers and contact lines state nothing: "For detailed information
// about our security practices, please visit …", "If you have any
// questions about …, you can contact us at …", a document saying it is
// designed to inform about how data is handled; login credentials named
// in passing are no security measure. Contacting the company to exercise
// a right is still a right.
func TestPointersContactLinesAndOverviews(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"security-breach", "For detailed information about our security practices and data handling, please visit our Trust Center at trust.example.com."},
		{"security-breach", "If you have any questions about our privacy or security practices, you can contact us by email at privacy@example.com."},
		{"security-breach", "When you create an account with us, currently through your X login credentials."},
		{"third-party-sharing", "This Privacy Notice is therefore designed to provide you with transparent and important information on how we collect, use, retain, protect and share your data."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"user-rights", "If you have any questions, you can contact us to delete your personal data."},
		{"security-breach", "We protect your data with encryption in transit and at rest."},
	})
}

// Disclosure in a list of what safeguards protect against ("unauthorized
// access, use, modification and disclosure") is no sharing.
func TestUnauthorizedDisclosureIsNoSharing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "We maintain safeguards to help protect against unauthorized access, use, modification, and disclosure of personal information in our custody."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"security-breach", "We maintain safeguards to help protect against unauthorized access, use, modification, and disclosure of personal information in our custody."},
		{"third-party-sharing", "We may disclose personal information to our payment processors."},
	})
}

// More rights, consent and security wording: rights "under applicable
// laws", "the right to request", appealing a denied request; refusing
// changes by deactivating the account; being bound by "its terms"; a
// policy that "may change"; keeping a password safe; unauthorised use of
// the account reported to the company.
func TestMoreRightsConsentAndSecurityWording(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"user-rights", "You may have rights under applicable laws to access, delete, correct, or otherwise manage certain personal information."},
		{"user-rights", "You shall have the right to request us to transfer your personal information to another controller."},
		{"user-rights", "If we deny your privacy request, you may appeal that decision by emailing us."},
		{"consent-acceptance", "If you disagree with the changes to this Privacy Policy, you should deactivate your account."},
		{"consent-acceptance", "By using or interacting with our technologies and services, you agree to be bound by its terms."},
		{"terms-changes", "The company may change its privacy policy if necessary."},
		{"security-breach", "The user is solely responsible for keeping the password safe and confidential."},
		{"security-breach", "You must immediately inform us of any unauthorised use of your account."},
	})
}

// An "exact position" is precise location; finding audiences similar to a
// user (lookalike audiences) is targeted advertising.
func TestExactPositionAndLookalikeAudiences(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"location", "We collect the exact position of your device when you use the map."},
		{"sale-targeted-ads", "We use your data to find audiences that are similar to your profile."},
		{"sale-targeted-ads", "Advertisers may create lookalike audiences from your activity."},
	})
}

// A quoted term defined ("“Personal Data” means …", "\"Sensitive Personal
// Data\" includes …") and a company described by its name ("Example.ai is
// an AI-powered video platform") state no practice.
func TestQuotedDefinitionsAndCompanyDescriptions(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"location", "“Personal Data” means any information relating to an identified or identifiable natural person, such as location data."},
		{"sensitive-data", "\"Sensitive Personal Data\" includes protected health information, financial account numbers and government identification numbers."},
		{"ai-training", "Example.ai is an AI-powered synthetic video creation platform."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"sensitive-data", "We collect sensitive personal data such as health information."},
	})
}

// A platform monetising its own service or traffic charges the user no
// fee; a user's monetised content is a fee term.
func TestMonetisingIsNoFeeUnlessTheUsersContent(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"fees-payments", "The company has the exclusive right to monetize the Services, including the exclusive right to display advertisements."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"fees-payments", "You must obtain a permit before you may produce or distribute monetized or sponsored content."},
	})
}

// A topic named with the document covering it, a document presented by
// what it sets out, and a help article offered to read are pointers; "We
// use cookies as described in our Cookie Policy …" is a practice.
func TestDocumentPointers(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"tracking-cookies", "Cookies and Similar Technologies as described in our [Cookie Policy](https://example.com/cookies)."},
		{"tracking-cookies", "Our [Cookie Policy](https://example.com/cookies), which sets out information about the cookies on our Website;"},
		{"tracking-cookies", "We have a [knowledge base article](https://help.example.com/x) which you can read to learn more about how we use cookies."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"tracking-cookies", "We use cookies as described in our Cookie Policy to show you personalised ads."},
	})
}

// "Minor changes" are small changes, not changes about minors.
func TestMinorChangesAreNotAboutMinors(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"children", "We've made other minor formatting and wording changes to accurately reflect current product experiences."},
		{"children", "We may make minor changes to these terms without notice."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"terms-changes", "We may make minor changes to these terms without notice."},
		{"children", "If you are a minor, you need your parent's consent."},
	})
}

// Checking the accuracy of what a service outputs is no identity
// verification; verifying a user's identity data still is.
func TestVerifyingAccuracyIsNoIdentityCheck(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"identity-verification", "Always verify the accuracy of information presented by the assistant before you rely on it."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"identity-verification", "We may verify your personal information with third-party identity services."},
	})
}

// Data received from advertising partners is no disclosure for
// advertising; the user's own contact information is no contact list, the
// contact information of others (neighbours, imported contacts) is.
func TestAdvertisingSourcesAndContactInformation(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"sale-targeted-ads", "We receive data about you from certain advertising or marketing partners, including device identifiers."},
		{"contacts", "If you would like to challenge the decision, please contact us via the Contact Information section below."},
		{"contacts", "The information we require to verify your identity may include your name, email address and contact information."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"sale-targeted-ads", "We share data about you with certain advertising or marketing partners."},
		{"contacts", "You may also manually enter the contact information of your neighbours."},
		{"contacts", "We collect contacts information such as the names in your phone."},
	})
}

// Affiliate marketing partners are advertisers, not the company's group.
func TestAffiliatePartnersAreAdvertisers(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"account-linkage", "Some of our affiliate/advertising partners may also use cookies."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"account-linkage", "We share your information with our affiliates to provide the services."},
	})
}

// An account's closure named as the time data is kept until states
// retention, not moderation; "we retain the right to remove" is the
// company's right to moderate, not retention.
func TestAccountClosureAsARetentionTime(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"content-moderation", "Should your account be terminated, the account and transaction information will be securely stored for 5 years."},
		{"retention", "We retain the right to remove any content that we deem inappropriate."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"retention", "Should your account be terminated, the account and transaction information will be securely stored for 5 years."},
		{"content-moderation", "We retain the right to remove any content that we deem inappropriate."},
	})
}

// The purpose of a denied act is denied with it, however far the purpose
// runs: "does not use … to improve … or provide you more relevant ad
// experiences" is a promise about ads.
func TestPurposeOfADeniedAct(t *testing.T) {
	rules := testRules(t)
	text := "Today, the company does not use your account information to improve your product experiences or provide you more relevant ad experiences on other apps."
	if aff, neg := statesCategory(rules, "sale-targeted-ads", text); aff || !neg {
		t.Errorf("%q: sale-targeted-ads affirmed=%v negated=%v, want a promise", text, aff, neg)
	}
	expectReading(t, rules, true, []sentenceCase{
		{"sale-targeted-ads", "We use your account information to improve your product experiences and provide you more relevant ad experiences on other apps."},
	})
}

// "Transferred to" alone is no international transfer (data ported to
// another controller, a cookie sent to your computer); an association
// "governed by the Law of Associations" names no governing-law clause; a
// limitation period or dispute named as how long data are kept is
// retention; "appropriate guarantees" for transfers are a transfer
// mechanism, not a liability term.
func TestRound11ReadingsOfTransfersAndDisputes(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"international-transfers", "You have the right, in certain cases, to receive the data you provided and to have it transferred to another data controller."},
		{"arbitration", "The data controller is Example.org, an association governed by the Law of Associations of July 1, 1901."},
		{"arbitration", "These data are kept for one year following their collection, then for the applicable limitation period for the purposes of managing disputes."},
		{"liability", "Transfers made in the United States are done by our subcontractors who offer the appropriate guarantees to supervise these transfers."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"international-transfers", "Your data may be transferred to the United States."},
		{"retention", "These data are kept for one year following their collection, then for the applicable limitation period for the purposes of managing disputes."},
		{"arbitration", "Any claim must be brought within the limitation period of one year."},
	})
}

// Deleting data "securely" is a deletion, not a security measure; data
// kept "securely" still names one.
func TestSecureDeletionIsRetention(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"security-breach", "Where your information is no longer required, we will ensure it is securely deleted."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"retention", "Where your information is no longer required, we will ensure it is securely deleted."},
		{"security-breach", "All such information is securely maintained by us and our service providers."},
	})
}

// "X is the practice of …" defines a term; "We encourage you to read our
// …" and "If you are a California consumer, for more information …, click
// here" point elsewhere.
func TestPracticeDefinitionsAndEncouragedReading(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"tracking-cookies", "Cross-device linking is the practice of associating different browsers and devices based on information about the likely relationships among them."},
		{"tracking-cookies", "We encourage you to read the Privacy Statement and Cookie Policy to better understand how you can manage your data and cookie preferences."},
		{"user-rights", "If you are a California consumer, for more information about your privacy rights, please click here."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"tracking-cookies", "We link your browsers and devices using cookies."},
	})
}

// More consent and rights wording: continued use as agreement to "the
// modified Terms"; consent as the condition of publishing a username; "the
// right to have" data corrected; a complaint to the competent authority
// for data protection.
func TestRound11ConsentAndRightsWording(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"consent-acceptance", "Your continued use of the Services after such modifications will constitute acknowledgment and agreement of the modified Terms."},
		{"consent-acceptance", "With your consent, we will publish your username and the amount of your donation on our site."},
		{"user-rights", "You have the right to have incorrect personal data corrected without undue delay."},
		{"user-rights", "You have the right to contact the competent authority for data protection in France."},
	})
}

// Reporting users to the authorities is government access; asking for ID
// confirmation is identity verification; access limited to authorized
// personnel is a security measure.
func TestReportsToAuthoritiesIdConfirmationAndAuthorizedPersonnel(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"government-access", "Furthermore, we will report such users to the appropriate authorities."},
		{"identity-verification", "In some cases, we may ask for ID confirmation to check who you claim to be."},
		{"security-breach", "Within the company, only authorized personnel, based on their roles and responsibilities, may access personal data."},
	})
}

// Buying or selling assets and a change in control are corporate
// transactions, not ad controls.
func TestAssetSalesAreNoAdControls(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"ad-controls", "Business Transfers: In some cases, we may choose to buy or sell assets."},
		{"ad-controls", "In the event of a financing, sale, merger, acquisition, consolidation, change in control, transfer of assets, reorganization or liquidation of our business, we may transfer your data."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "In the event of a financing, sale, merger, acquisition, consolidation, change in control, transfer of assets, reorganization or liquidation of our business, we may transfer your data."},
		{"ad-controls", "You can opt out of the sale of your personal information to advertisers."},
	})
}

// Someone "you know" is no right to know; the right to know still is.
func TestKnowingSomeoneIsNoRightToKnow(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"user-rights", "Because it may not be clear whether a new friend request comes from someone you actually know, we may show whether you have friends in common."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"user-rights", "You have the right to know what personal information we collect about you."},
	})
}

// A negation in a condition coordinated with another ("if you do not have
// an account or are not logged in, you can opt out") is the condition's;
// a consumer's withdrawal from a contract of sale and a device's time zone
// settings are no ad controls.
func TestCoordinatedConditionsAndWithdrawalForms(t *testing.T) {
	rules := testRules(t)
	text := "If you do not have an account or are not logged in, you can also opt-out of the sale of your data by clicking the link."
	if aff, neg := statesCategory(rules, "user-rights", text); !aff || neg {
		t.Errorf("%q: user-rights affirmed=%v negated=%v, want a right offered", text, aff, neg)
	}
	expectReading(t, rules, false, []sentenceCase{
		{"ad-controls", "I hereby give notice that I withdraw from my contract of sale for the provision of the following service."},
		{"ad-controls", "Such information includes your IP address, mobile carrier, time zone settings, identifier for advertising purposes and the version of the app."},
	})
}

// Naming automated decision-making is enough to state it: "we do not make
// automated decisions …" is a promise about it, with no second word for
// the decision.
func TestAutomatedDecisionsNamedAlone(t *testing.T) {
	rules := testRules(t)
	for _, text := range []string{
		"Acme does not engage in automated decision-making that produces legal or similarly significant effects on individuals.",
		"We will not make automated decisions about you that would significantly affect you.",
	} {
		if _, neg := statesCategory(rules, "automated-decisions", text); !neg {
			t.Errorf("%q: want a promise about automated decisions", text)
		}
	}
	expectReading(t, rules, true, []sentenceCase{
		{"automated-decisions", "Automated decision-making may be used where it is necessary for our contract with you."},
	})
}

// A prohibition on the company's recipients ("service providers are
// prohibited from sharing …") restricts them; it moderates no content.
func TestRecipientProhibitionIsNoModeration(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"content-moderation", "These third-party companies are prohibited from sharing or using this information for any other purpose."},
		{"content-moderation", "Our service providers are prohibited from sharing your data with anyone else."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"content-moderation", "You are prohibited from posting content that promotes violence."},
	})
}

// A recommender statement is both a recommender-transparency provision
// (content moderation, DSA Art. 27) and a profiling one (automated
// decisions): the reference lists recommender systems under the first and
// recommendation algorithms under the second.
func TestRecommenderIsModerationAndAutomatedDecision(t *testing.T) {
	rules := testRules(t)
	for _, id := range []string{"content-moderation", "automated-decisions"} {
		expectReading(t, rules, true, []sentenceCase{
			{id, "Our recommender system suggests videos based on your viewing history."},
		})
	}
}

// Opting out of a disclosure is a control over it, not the company
// disclosing data.
func TestOptOutOfSharingIsNoDisclosure(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "It is possible to opt out of sharing your location at sign up, but app functionality is limited."},
		{"third-party-sharing", "If you would like to opt out of sharing activity based on your cookie identifiers, turn on a Global Privacy Control in your browser."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "We disclose your personal information to our payment processor."},
	})
}

// "The personal data we hold about you" names data; holding it there
// states no retention.
func TestDataWeHoldIsNoRetention(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"retention", "You may request a copy of the personal data we hold about you."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"retention", "We hold your personal data for as long as your account is active."},
	})
}

// A price or a termination "without notice" is no change of the terms; the
// rights of the parties under a governing-law clause are no licence; asking
// the user's permission first is consent as a condition.
func TestNoticeOutsideTermsChanges(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"terms-changes", "Prices and availability of products on the Site are subject to change without notice."},
		{"terms-changes", "We may terminate a user's account for uploading material in violation of these posting rules or the terms at any time, without prior notice."},
		{"content-license", "These Terms and the rights of the parties hereunder shall be governed by the laws of the State of California, exclusive of conflict of law rules."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"terms-changes", "We will give you prior notice before changes to these terms take effect."},
		{"consent-acceptance", "If we need to use your personal information for other purposes, we will ask your permission first."},
	})
}

// A disclaimer ("we are not liable for …") is the liability practice
// itself: adding one expands the platform's limitation, and dropping one
// narrows it; neither is a promise given or withdrawn.
func TestLiabilityDisclaimerIsThePractice(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	disclaimer := "Acme is not responsible or liable for any third-party application or device."
	for _, c := range []struct {
		name, old, new, effect string
	}{
		{"added", "", disclaimer, EffectExpands},
		{"removed", disclaimer, "", EffectNarrows},
	} {
		res := Analyze(doc("You can use the service.", c.old), doc("You can use the service.", c.new), opts)
		f := findingFor(res, "liability")
		if f == nil {
			t.Fatalf("%s: no liability finding: %+v", c.name, res.Findings)
		}
		if f.Effect != c.effect || !strings.HasSuffix(f.Rule, "(disclaimer)") {
			t.Errorf("%s: effect %s rule %s, want %s and a disclaimer", c.name, f.Effect, f.Rule, c.effect)
		}
		if c.effect == EffectNarrows && f.Exposure != "low" {
			t.Errorf("%s: exposure %s, want low", c.name, f.Exposure)
		}
	}
}

// "The following is not permitted:" opens a list of conduct ruled out for
// users; a safeguard named in an item is part of that conduct, not one the
// company gives.
func TestProhibitedConductListIsNoSafeguard(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"security-breach", "The following is not permitted for any reason whatsoever: circumventing any technology used by Acme, its licensors, or any third party to protect the Content or the Service;"},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"security-breach", "We use technology to protect your personal data against unauthorised access."},
	})
}

// Export-control and trade-sanction laws are no ad controls and no trade
// in data; sanctions screening stays a know-your-customer check.
func TestExportControlsAreNoAdControls(t *testing.T) {
	rules := testRules(t)
	text := "You agree to comply with all applicable export and reexport control laws and regulations, including the EAR, trade and economic sanctions maintained by OFAC, and the ITAR."
	expectReading(t, rules, false, []sentenceCase{
		{"ad-controls", text},
		{"sale-targeted-ads", text},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"identity-verification", text},
	})
}

// "Do Not Sell/Share My Personal Information" names the control, like "Do
// Not Sell My Personal Information": its "not" denies nothing, so the
// rewording keeps the opt-out.
func TestDoNotSellShareLinkIsNoNegation(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	res := Analyze(
		doc("You can opt out of the use of cookies on our sites for interest-based advertising purposes by clicking the Do Not Sell My Personal Information link."),
		doc("You can opt out of the use of cookies and other trackers on our website and app by clicking the Do Not Sell/Share My Personal Information link."), opts)
	for _, f := range res.Findings {
		if f.Effect == EffectRemovesPromise {
			t.Errorf("%s: %s (%s), want no withdrawn control", f.Category, f.Effect, f.Explanation)
		}
	}
}

// An identity check before a rights request is answered is a hurdle on the
// way to the right, not a safeguard: dropping it makes the right easier to
// use (Low), adding it makes it harder.
func TestVerifyingRequestsIsAHurdle(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	base := "You have the right to access and delete your personal data."
	check := "Please identify yourself and specify your account and other information to enable us to authenticate and respond to your request."
	res := Analyze(doc(base, check), doc(base), opts)
	f := findingFor(res, "user-rights")
	if f == nil {
		t.Fatalf("no user-rights finding: %+v", res.Findings)
	}
	if f.Effect != EffectNarrows || f.Exposure != "low" {
		t.Errorf("dropped check: effect %s exposure %s, want narrows/low", f.Effect, f.Exposure)
	}
	res = Analyze(doc(base), doc(base, check), opts)
	if f = findingFor(res, "user-rights"); f == nil || f.Effect != EffectExpands {
		t.Errorf("added check: %+v, want a user-rights finding that expands the hurdle", f)
	}
}

// A sale or targeted advertising named as what the user may opt out of is
// a safeguard over that practice: adding the opt-out adds a promise (Low),
// it does not expand the practice.
func TestOptOutOfSaleIsASafeguard(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	res := Analyze(doc("We collect your name."), doc("We collect your name.", `You may also have the right to opt out of "sales" of your information.`), opts)
	f := findingFor(res, "sale-targeted-ads")
	if f == nil {
		t.Fatalf("no sale finding: %+v", res.Findings)
	}
	if f.Effect != EffectAddsPromise || f.Exposure != "low" {
		t.Errorf("effect %s exposure %s, want adds-promise/low", f.Effect, f.Exposure)
	}
	res = Analyze(doc("We collect your name."), doc("We collect your name.", "We sell your information to data brokers, and you may opt out."), opts)
	if f = findingFor(res, "sale-targeted-ads"); f == nil || f.Effect != EffectExpands {
		t.Errorf("a sale with an opt-out after it: %+v, want the sale expanded", f)
	}
}

// More readings: a "duration of processing" is how long data are kept;
// continued use after changes accepts changed terms; a browser set to
// accept cookies is no consent; opting out of an arbitration agreement is
// no data-subject right; private parties receive data; DDoS protection and
// passwords never kept in plain text are security measures.
func TestNinthPassReadings(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"retention", "Duration of processing is 1 year from the date of the visit."},
		{"terms-changes", "Your continued use of the sites after we post any changes will constitute your acceptance of such changes."},
		{"third-party-sharing", "We may share information about you with private parties when necessary to respond to claims."},
		{"security-breach", "We use a content delivery network to mitigate the risk of DDoS attacks."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"consent-acceptance", "Most browsers are configured to automatically accept cookies."},
		{"user-rights", "You have the right to opt out of the provisions of this Arbitration Agreement by sending written notice."},
	})
}

// The place of an alleged infringement, where a complaint may be lodged,
// grants no licence.
func TestComplaintPlaceIsNoLicence(t *testing.T) {
	expectReading(t, testRules(t), false, []sentenceCase{
		{"content-license", "You also have a right to lodge a complaint with a competent supervisory authority situated in a member state of your habitual residence, place of work, or place of alleged infringement."},
	})
}

// Consent required or held as the condition of a practice, and consent
// signified by continued use, are consent provisions.
func TestConsentRequiredOrSignified(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"consent-acceptance", "This is optional and requires your explicit consent to discover users from your personal contacts."},
		{"consent-acceptance", "We may share personal data with our publishing partners for their direct marketing purposes only if we have your express permission."},
		{"consent-acceptance", "Your access and continued use of our sites signifies your explicit consent to this waiver."},
	})
}

// Backups that continue to exist for a period are retention.
func TestBackupsThatContinueToExistAreRetention(t *testing.T) {
	expectReading(t, testRules(t), true, []sentenceCase{
		{"retention", "Rotating off-line backup files can continue to exist for up to 30 days."},
	})
}

// A named service whose staff have access to the data receives it.
func TestNamedServiceWithAccessReceivesData(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, true, []sentenceCase{
		{"third-party-sharing", "Amazon employees may have access to some of this data."},
	})
	expectReading(t, rules, false, []sentenceCase{
		{"third-party-sharing", "You can sign in with your Google account."},
	})
}

// "Google isn't legally required to use … dispute resolution platforms"
// denies a duty, and "we do not endorse …" an endorsement, not a practice:
// neither is a promise, so dropping one removes none.
func TestDeniedDutyIsNoPromise(t *testing.T) {
	rules := testRules(t)
	text := "The European Commission also offers an Online Dispute Resolution platform, but Acme isn't legally required to use this or other alternative dispute resolution platforms."
	if _, neg := statesCategory(rules, "arbitration", text); neg {
		t.Errorf("%q read as a promise", text)
	}
	if _, neg := statesCategory(rules, "content-moderation", "We are not obliged to review content that users post."); neg {
		t.Error("a denied duty to review content read as a promise")
	}
	if _, neg := statesCategory(rules, "content-moderation", "We do not review content that users post."); !neg {
		t.Error("a plain negation lost")
	}
	// a denied endorsement disclaims; it promises nothing about the practice
	expectReading(t, rules, false, []sentenceCase{
		{"sale-targeted-ads", "We do not endorse any such third party websites, advertisements, services, offers, events, activities, information, materials or products."},
		// "trade" in "your trade, business, craft or profession" sells nothing
		{"ad-controls", "Business Terms: These terms apply if you use the Platform for purposes within your trade, business, craft or profession, including managing your own business through your account on the Platform or administering an account on behalf of a business."},
	})
}

// Safeguards without a transfer are no transfer mechanism; enforcing legal
// claims is a purpose, not a dispute clause; reviewing content to protect
// the community is moderation, not a security safeguard.
func TestPurposesThatAreNoProvision(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"international-transfers", "We process your information for our legitimate interests and those of third parties while applying appropriate safeguards that protect your privacy."},
		{"arbitration", "Enforcing legal claims, including investigation of potential violations of applicable Terms of Service"},
		{"security-breach", "We review User Content and other information to protect the safety and well-being of our community."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"international-transfers", "When we transfer your data to countries outside the EEA, we rely on appropriate safeguards."},
		{"content-moderation", "We review User Content and other information to protect the safety and well-being of our community."},
	})
}

// Data received from government authorities is a source, not government
// access; an authority collecting data is.
func TestDataFromAuthoritiesIsASource(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"government-access", "We may collect or receive information about you from organisations, businesses, people, and others, including, for example, publicly available sources, government authorities, professional organisations."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"government-access", "Government authorities may collect information about your use of the service."},
		{"government-access", "We share your information with regulators, tax authorities and law enforcement."},
	})
}

// Advice ("we recommend that you log out") recommends no content, and
// enforcing agreements as the purpose of keeping or using data is no
// moderation.
func TestAdviceAndPurposesAreNoModeration(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"content-moderation", "If possible, we also recommend to log out of your online services account after each session."},
		{"content-moderation", "We will retain and use your information as necessary to comply with our legal obligations, resolve disputes, and enforce our agreements."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"content-moderation", "We may remove content that violates our community guidelines."},
	})
}

// The company and its affiliates acting together ("we and our affiliates
// may use …") share nothing within the group; sharing with affiliates does.
func TestCompanyWithAffiliatesActingIsNoGroupSharing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"account-linkage", "We and our respective affiliates and our or their designees may use any or all User Communications for any purpose whatsoever, including, without limitation, reproduction, transmission, disclosure, publication."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"account-linkage", "We may share your personal information with our affiliates."},
	})
}

// A company's postal address ("is located at …, USA") transfers nothing;
// the Export Administration Regulations are no data export right.
func TestAddressesAndExportRulesStateNothing(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"international-transfers", "Discord Inc. is located at 444 De Haro Street #200, San Francisco, CA 94107, USA."},
		{"third-party-sharing", "Discord Inc. is located at 444 De Haro Street #200, San Francisco, CA 94107, USA."},
		{"user-rights", "You may request your data subject to the Export Administration Regulations."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"user-rights", "You may request an export of your data."},
	})
}

// A licence granted to the company and its affiliates is a content
// licence, not sharing within the group.
func TestLicenceToAffiliatesIsNoGroupSharing(t *testing.T) {
	rules := testRules(t)
	text := "You grant LinkedIn and our affiliates the following non-exclusive license to the content and other information you provide (e.g., share, post, upload, and/or otherwise submit) to our Services:"
	expectReading(t, rules, false, []sentenceCase{{"account-linkage", text}})
	expectReading(t, rules, true, []sentenceCase{{"content-license", text}})
}

// An order form and the service's updates request no right; "your access"
// to the services is no account of another service.
func TestOrderFormsAndAccessStateNoRight(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"user-rights", "Zoom will provide the Services set forth in your Order Form and standard updates to the Services that we make generally available at no additional cost."},
		{"account-linkage", "These terms govern your access to Google Maps and your use of it."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"content-moderation", "We may suspend your access to the services if you violate these terms."},
	})
}

// Temporary prices that expire keep no data: a brief period of a fee is no
// retention limit, while one of data is.
func TestTemporaryPricesKeepNoData(t *testing.T) {
	rules := testRules(t)
	expectReading(t, rules, false, []sentenceCase{
		{"retention", "These discounts or promotional fees may be temporary and may expire at the start of a renewal term, without notice."},
	})
	expectReading(t, rules, true, []sentenceCase{
		{"retention", "Call recordings are stored temporarily and deleted after 30 days."},
	})
}

// Binding arbitration offered to the user as a recourse (a data privacy
// framework's last resort) is a safeguard, not an arbitration clause
// imposed on the user: adding it is low. California's "Shine the Light"
// law is a right to know about disclosures for direct marketing, not a
// sale of data.
func TestRecourseAndShineTheLightAreRights(t *testing.T) {
	r := testRules(t)
	recourse := "After other dispute resolution mechanisms have been exhausted, binding arbitration is available to address residual complaints under the framework."
	f := findingFor(Analyze(doc(), doc(recourse), Options{Rules: r}), "arbitration")
	if f == nil || f.Effect != EffectAddsPromise || f.Exposure != LevelLow {
		t.Fatalf("arbitration offered as a recourse: %+v, want a low added safeguard", f)
	}
	shine := "Under California's Shine the Light law, you may ask companies to provide the names of third parties to which they have disclosed personal information for their direct marketing purposes."
	if affirmed, _ := statesCategory(r, "user-rights", shine); !affirmed {
		t.Errorf("no user-rights reading: %q", shine)
	}
	if affirmed, negated := statesCategory(r, "sale-targeted-ads", shine); affirmed || negated {
		t.Errorf("sale-targeted-ads read in %q", shine)
	}
}

// The items of a sub-list read after the list item that introduces them
// with a colon: under "you agree that you will not use the AI services in
// the following ways:" an item naming biometric data is conduct ruled
// out, not a use of biometric data.
func TestSubListReadsAfterItsLeadItem(t *testing.T) {
	r := testRules(t)
	old := "# Terms\n\n## AI services\n\n* **Ownership.** We do not claim ownership of your content.\n"
	now := old + "* **Usage restrictions.** You agree that you will not use the AI services in the following ways:\n    * 1\\. To deceive people or manipulate their behaviour;\n    * 2\\. Based on their biometric data, to categorise people or to infer their race or religious beliefs.\n"
	res := Analyze(old, now, Options{Rules: r})
	if f := findingFor(res, "biometrics"); f != nil {
		t.Fatalf("a prohibited use in a sub-list: %+v, want no biometrics finding", f)
	}
}

// A list item's colon lead-in reaches its more indented sub-list only: the
// next item at its own level is read on its own.
func TestSubListLeadEndsWithTheSubList(t *testing.T) {
	doc := "# Terms\n\n* **Restrictions.** You agree that you will not use the services in the following ways:\n    * to categorise people by their biometric data;\n* **Biometrics.** We use face geometry to verify your identity.\n"
	_, nb := parsePair("", doc)
	leads := map[string]string{}
	for _, b := range nb {
		if b.kind == kindItem {
			leads[b.plain()] = b.lead
		}
	}
	if l := leads["to categorise people by their biometric data;"]; !strings.HasSuffix(l, "in the following ways:") {
		t.Errorf("sub-list item lead = %q, want the item above it", l)
	}
	for text, l := range leads {
		if strings.HasPrefix(text, "Biometrics.") && l != "" {
			t.Errorf("an item at the lead item's own level got lead %q", l)
		}
	}
}

// Readings from the tune halves' misses, each a wording the rules missed
// or took for another category: a sentence of reads must engage the
// category, one of notReads must not.
func TestTuneHalfReadings(t *testing.T) {
	r := testRules(t)
	cases := []struct {
		id, why         string
		reads, notReads []string
	}{
		{"user-rights", "unsubscribing from marketing is a user control, however it is put (a link or instructions, \"email communications\", a request in a condition after the reader's role), and so is a right to receive a copy of one's data", []string{
			"If you no longer wish to receive these messages, follow the unsubscribe instructions in any of them.",
			"You can opt out or unsubscribe from future email communications at any time.",
			"If you are a customer and would like to opt out of marketing emails, please visit your account page.",
			"You have the right to receive a copy of the personal data we hold about you.",
			"You have the right to review decisions made solely by automated processing.",
		}, []string{
			"If you are a customer in the EU, please contact our office in Dublin.",
			"We may send you service announcements about your account.",
		}},
		{"biometrics", "face landmarks and dimensions extracted for camera effects are face data", []string{
			"Depending on the lens you choose, your video may be processed to extract information about the location of different areas on your face and hands.",
			"The app processes information on your device about face or hand dimensions to provide video effects.",
		}, nil},
		{"content-license", "what the company may do with feedback and ideas users send is a licence to user content", []string{
			"If you send us feedback about the service, we may use that feedback for any purpose.",
			"Any unsolicited ideas you submit are non-confidential, and we are free to use them without compensation.",
		}, []string{"We use your feedback to answer your support request."}},
		{"automated-decisions", "predictive models and profiles built by combining data are profiling", []string{
			"We make product suggestions based on your history and predictive models.",
			"We combine the data we hold about you into a single profile.",
		}, nil},
		{"retention", "data that persists or remains in records or backups after deletion is retained", []string{
			"Removed posts may persist in backup copies for a reasonable period of time.",
			"Please note that some information may remain in our records after you delete your account.",
		}, nil},
		{"contacts", "a friend's or a referred person's details, given to invite them, are contact data of non-users", []string{
			"If you use our referral program, we will ask you for your friend's name and email address.",
			"We send the referred person a one-time email and use the address for nothing else.",
		}, nil},
		{"consent-acceptance", "\"including but not limited to\" goes on with a list: it does not cut the sentence into clauses", []string{
			"By using the Site in any manner, including but not limited to visiting or browsing the Site or uploading content, you agree to be bound by these Terms of Use.",
		}, nil},
		{"international-transfers", "the Safe Harbor framework was a transfer mechanism, and data stored outside the reader's state or province is transferred", []string{
			"We participate in the Safe Harbor program of the U.S. Department of Commerce.",
			"Your data may be stored outside of your state or province.",
			"We may transfer personal information to affiliates in jurisdictions other than the jurisdiction you are located in.",
		}, nil},
		{"account-linkage", "signing in with a social network account, single sign-on and unlinking third-party accounts are account linkage", []string{
			"If you choose to log in to our services using a social network account, we receive your name and email address from it.",
			"You can disable the connection between your account and your third-party accounts at any time in Settings.",
			"We may offer single sign-on services that let you use credentials from a third party to sign in.",
		}, nil},
		{"consent-acceptance", "using the service is acceptance only when the sentence says the user agrees or consents, not when it only opens a condition (\"if you use … we may store …\")", []string{
			"If you use the Service after a change to these Terms takes effect, you agree to the changes.",
			"If you access the Site, you consent to the collection of your data as described in this policy.",
		}, []string{
			"If you use our Services without creating an account, we may store some of the information described in this policy with cookies.",
		}},
		{"retention", "keeping data safe, private or secure is a safeguard and keeping track of something is not retaining data", []string{
			"We keep your personal data for as long as your account is open.",
		}, []string{
			"We are committed to keeping your personal data private and secure.",
			"We use cookies to keep track of your shopping cart.",
		}},
		{"content-moderation", "termination named only as the time after which data is deleted or kept is not a moderation action", []string{
			"We may suspend or terminate your account if you violate these Terms.",
		}, []string{
			"We have established internal policies for the deletion of Personal Information following the termination of your Account.",
			"Upon termination of the agreement, we delete the data stored in your account within 30 days.",
		}},
		{"location", "a place where a dispute is heard or data is stored is not the user's location", []string{
			"We collect your location when you use the app.",
		}, []string{
			"If no arbitrator is available in that county, the arbitration will take place at the closest arbitration location available.",
			"Your personal information may be transferred to the United States or other locations outside of your country.",
		}},
		{"fees-payments", "billing details listed among the data collected are financial data, not a fee", []string{
			"We charge the subscription fee to your payment card every month.",
		}, []string{
			"Account information, which may include your name, account ID, billing and transaction information, and account plan information.",
			"We collect your billing name and address when you place an order.",
		}},
		{"security-breach", "keeping a password safe, or data secure, is security", []string{
			"You are responsible for keeping your password safe and confidential.",
			"We take reasonable measures to keep your information secure.",
		}, nil},
		{"terms-changes", "\"ToS\" and \"ToU\" name the terms", []string{
			"We may update the ToS from time to time.",
		}, nil},
		{"retention", "logs removed automatically after a period are kept for that period", []string{
			"Server logs are automatically removed after 30 days.",
		}, nil},
		{"user-rights", "what registered users or members can do with their own data is a user right, as what \"you\" can do", []string{
			"Registered users can update their information in the account settings.",
		}, nil},
		{"security-breach", "encryption used in transit and in storage is a security measure, whether or not data is named", []string{
			"Where possible, encryption is used both in transit and in storage.",
		}, nil},
		{"third-party-sharing", "making data available to recipients, authorising service providers to collect it, and selling the business are disclosures", []string{
			"We may make your information available to service providers who help us run the service.",
			"We may authorize our service providers to collect information on our behalf.",
			"If our business is sold, we may transfer our customer list as part of that transaction.",
		}, nil},
		{"consent-acceptance", "creating an account, whatever words come between, is acceptance when the sentence says the user consents", []string{
			"By creating and maintaining an account with us, you are bound by the rules below.",
		}, nil},
		{"account-linkage", "integrating one's account with other providers links accounts", []string{
			"Customers may integrate their account with third-party service providers.",
		}, nil},
		{"tracking-cookies", "analytics software in an app is a tracker", []string{
			"We use mobile analytics software to understand how the app is used.",
		}, nil},
		{"automated-decisions", "predictive techniques, and analysing data to understand a user's preferences, are profiling", []string{
			"We use predictive techniques to detect payment fraud.",
			"We analyse the information we receive to gain a better understanding of your preferences.",
		}, nil},
		{"children", "checking users' age is age assurance", []string{
			"We reserve the right to check the age of users of our app at any time.",
		}, nil},
		{"user-rights", "a right to change one's mind about consent is the right to withdraw it", []string{
			"If you have consented to a use of your data, you have the right to change your mind at any time.",
		}, nil},
		{"retention", "\"the data we hold\" names data, it does not state that data is kept", nil, []string{
			"We may analyse the personal information we hold to understand how the service is used.",
		}},
		{"third-party-sharing", "servers or data hosted by another company are in that company's hands", []string{
			"Our servers are currently hosted by two European hosting companies.",
			"Your data is hosted by a professional service provider in the European Union.",
		}, []string{
			"Each website hosted by our foundation has its own terms of service.",
		}},
		{"third-party-sharing", "a promise not to share data with \"anyone\" is a sharing promise", []string{
			"We will never share your personal information with anyone else.",
		}, []string{
			"If anyone shares your photo without permission, please report it to us.",
		}},
		{"contacts", "friends who see what a user shares are its audience, not contact data", []string{
			"If you use our refer-a-friend program, we will ask for your friend's email address.",
		}, []string{
			"If you connect your account, we may share your likes and comments with your friends on the service.",
		}},
		{"content-moderation", "notices of infringement and counter-notices are the takedown procedure, and refusing to publish content is moderation", []string{
			"To report a possible infringement, send a notice of infringement to our copyright agent.",
			"If you believe your content was removed by mistake, you may send us a counter notice.",
			"We reserve the right to edit or refuse to publish your comments at our discretion.",
		}, nil},
		{"user-rights", "a consumer's right to withdraw from a purchase, naming the authority that regulates the company, and deleting cookies in a browser are not data-subject rights", []string{
			"You have the right to withdraw your consent at any time.",
			"You have the right to lodge a complaint with your local data protection authority.",
			"You can ask us to delete the data we hold about you.",
		}, []string{
			"Your right of withdrawal ends as soon as your subscription is activated.",
			"Our lead supervisory authority is the Irish Data Protection Commission.",
			"You can delete the cookies stored in your browser at any time.",
		}},
		{"fees-payments", "the consumer's right of withdrawal from a purchase is a payment term", []string{
			"Your right of withdrawal ends as soon as your subscription is activated.",
		}, nil},
		{"account-linkage", "combining data across a company's several apps, connecting through a social network, and disclosure within the company group are account linkage", []string{
			"When you download more than one of our games, we combine the data we obtain in each app.",
			"Once you register and connect with the social network, your activity can be posted there automatically.",
			"We may disclose your information to other entities within the company group for legitimate business purposes.",
		}, nil},
		{"sale-targeted-ads", "advertisements displayed, delivered or appearing in the service, or a service supported by ad networks, are advertising in the service", []string{
			"Like other search engines, we display advertisements next to our search results.",
			"The service is supported by third-party advertising networks.",
			"Ads appearing on our website may be delivered by our advertising partners.",
		}, nil},
		{"tracking-cookies", "tracking a user's activity, session replays, click patterns and navigational information, audience measurement and anonymous identifiers are tracking", []string{
			"We do not use tracking to collect personal information on our website.",
			"We may capture data to create a replay of your sessions on our website.",
			"We collect navigational information when you visit the pages of our site.",
			"The first time you start the app, a random anonymous ID is generated.",
		}, []string{
			"You can track your order on the Orders page.",
		}},
		{"liability", "disclaiming or shifting the accuracy of content is a liability term; the accuracy of a location or of one's records is not", []string{
			"We do not guarantee the accuracy of any content on the service.",
			"It is your responsibility to verify its accuracy before you rely on any output.",
		}, []string{
			"Your location can be determined with varying degrees of accuracy by GPS and Wi-Fi signals.",
		}},
		{"consent-acceptance", "opting in makes consent the condition of a practice, cookies included", []string{
			"We only share your location with our partners if you opt in.",
			"Our analytics cookies are set only if you opt in to them.",
		}, nil},
		{"security-breach", "a disclaimer that the security of data cannot be ensured, and breach notification or incident response, are security statements", []string{
			"We cannot ensure or warrant the security of any information you transmit to us.",
			"We maintain incident response procedures and breach notification protocols.",
		}, nil},
		{"content-moderation", "financial reporting or reports to advertisers, and fighting spam, are not moderation of users' content", []string{
			"You can report content that violates our community guidelines.",
		}, []string{
			"We keep a record of your transactions for financial reporting purposes.",
			"We may process usage information in an automated fashion to prevent spam.",
		}},
		{"fees-payments", "a fee named only as the condition of something else states no fee", []string{
			"Paid plans are billed every month until you cancel.",
			"If you upgrade to a paid plan, the subscription fee is charged to your card each month.",
		}, []string{
			"If you have subscribed to a paid plan, we use your data to find audiences similar to you.",
		}},
		{"sensitive-data", "a medical emergency or medical advice named in a disclaimer is no health data", []string{
			"We collect health information you enter in the app, such as your medical history.",
		}, []string{
			"The service is not intended for use in a medical emergency.",
			"Do not rely on outputs as a substitute for professional advice, such as legal, tax, or medical advice.",
		}},
		{"children", "changes that \"will be minor\" and a capitalised name after \"the\" (\"the Guardian app\") are not minors or guardians", []string{
			"If you are under 16, you need the consent of your parent or guardian.",
		}, []string{
			"We expect most such changes will be minor.",
			"The Guardian app lets you save articles to read later.",
		}},
		{"user-rights", "revoking consent is withdrawing it, and asking to stop receiving marketing or to leave an email list is opting out of it", []string{
			"You can revoke your consent at any time by reaching out to us.",
			"To stop receiving our promotional emails, follow the instructions in any of them.",
			"Each email you receive from us offers you the opportunity to opt out of our email list.",
		}, []string{
			"We may revoke your licence if you break these terms.",
		}},
		{"user-rights", "declining to receive messages (\"no longer wish to receive\", \"elect not to receive\") is opting out of them", []string{
			"If you no longer wish to receive marketing communications from us, you may do so by following the link in any of them.",
			"We give you the opportunity to elect not to receive other types of communications, such as friend requests.",
		}, []string{
			"We do not want to receive any confidential information from you.",
		}},
		{"third-party-sharing", "companies that provide services to the company are its service providers", []string{
			"We may provide your personal information to companies that provide services to help us with our business activities.",
		}, nil},
		{"sale-targeted-ads", "\"e-mail address\" is an email address", []string{
			"We never sell e-mail addresses.",
		}, nil},
		{"tracking-cookies", "tracking users' usage and browsing patterns is tracking, whoever does it", []string{
			"Our measurement firm tracks and analyzes anonymous usage and browsing patterns of our website users.",
			"We use two analytics tools to track and report on the usage and browsing patterns in our mobile apps.",
		}, []string{
			"We monitor activity on our servers to detect fraud.",
		}},
		{"security-breach", "a user's duty to report unauthorised use of a password or account, and keeping a password confidential or undisclosed, are account security", []string{
			"You agree to notify us immediately if you become aware of any unauthorised use of your password or account.",
			"Use a strong password and do not disclose your Acme password to anyone.",
			"You must keep your password confidential and change your password regularly.",
		}, []string{
			"Please notify us of any unauthorized use of your copyrighted work.",
		}},
		{"account-linkage", "an entry naming the company's affiliates, signing in through an SSO provider, granting third-party applications access to an account and connecting a social media service account are account linkage", []string{
			"Our subsidiaries and corporate affiliates for purposes consistent with this Privacy Policy.",
			"If you sign in to our services through an SSO provider, we receive your email address from that provider.",
			"Through our API, users can grant third party applications access to their account.",
			"If you log in with or connect a social media service account, we may share your activity with other users.",
		}, nil},
		{"government-access", "an entry of a list of recipients that names authorities is disclosure to them; a street address naming a court is not", []string{
			"To law enforcement or others if required by law.",
			"Regulatory authorities, local governments, or other public agencies who may require data for reporting purposes.",
		}, []string{
			"Court Street 12, Suite 400, Springfield.",
		}},
		{"consent-acceptance", "consenting to the storage and transfer of data, authorising the company to transfer it and providing consent by providing data are consent", []string{
			"You also consent to the storage and transfer of your data to our facilities in the United States.",
			"Regardless of where you reside, you authorize us to transfer and store your information in other countries.",
			"By providing your personal information to us, you expressly provide such consent.",
		}, nil},
		{"international-transfers", "data sent \"across borders\" goes to another country", []string{
			"We will not transfer personal data to third parties or across borders, except as stated herein.",
		}, nil},
		{"user-rights", "\"these rights\" alone names no ownership of content: a right to appeal a decision on a request related to these rights is a data subject right", []string{
			"In addition, you may have the right to appeal our decision regarding a request related to these rights.",
		}, nil},
		{"content-license", "the rights a user grants in a licence are rights in content", []string{
			"The rights you grant in this license do not extend to personally identifiable information.",
		}, nil},
		{"third-party-sharing", "how another party chooses to share data is that party's practice, not the company's", []string{
			"We may share your information with our partners.",
		}, []string{
			"We do not control how a customer or any third party chooses to share or disclose information.",
		}},
		{"location", "knowing where a user's device is, and a place derived from the IP address, are location data", []string{
			"For example, if you use our anti-theft feature, we need to know where your device is.",
			"We use the city and region we derive from your IP address to show content for your region.",
		}, nil},
		{"ad-controls", "a pointer that also gives the way to opt out states the choice; a pointer for more information alone does not", []string{
			"For more information or to opt out of interest-based advertising, please visit our ad choices page.",
		}, []string{
			"For more information about interest-based advertising, please visit our ad choices page.",
		}},
		{"children", "a heading in capitals is a heading even with its \"back to top\" link", []string{
			"We do not knowingly collect information from children under 13.",
		}, []string{
			"CHILDREN ([top](https://example.com/privacy#))",
			"CHILDREN'S PRIVACY (back to top)",
		}},
		{"government-access", "\"co-operate\" is cooperating, and the NSA is an authority", []string{
			"We do not co-operate with the NSA or any other intelligence service.",
		}, nil},
		{"international-transfers", "a transfer \"to outside parties\" is a disclosure, not a transfer abroad", []string{
			"We may transfer your data outside the European Economic Area.",
			"We may transfer your data outside Switzerland.",
		}, []string{
			"We do not sell, trade, or otherwise transfer to outside parties your personally identifiable information.",
		}},
		{"security-breach", "a disclaimer that no transmission is \"fully secure\" or that \"perfect security\" does not exist is a security statement", []string{
			"However, perfect security does not exist over the internet.",
			"No internet or email transmission is ever fully secure or error free.",
		}, nil},
		{"tracking-cookies", "\"Do Not Track\" is the browser signal when capitalised or followed by signal, request or setting; \"we do not track your location\" is a denial in prose", []string{
			"We do not currently respond to Do Not Track signals.",
			"Our site does not respond to do not track requests from browsers.",
		}, []string{
			"We do not track your device location while you are not using the Services.",
		}},
		{"user-rights", "a negation that is part of a term (\"do not want to receive\", \"do not agree\") does not make the condition it opens a negated one", []string{
			"If at any time you decide that you do not want to receive marketing emails from us, please let us know.",
		}, nil},
		{"consent-acceptance", "refusing the terms, then being told to stop using the service, is acceptance by use", []string{
			"If you do not agree to the processing of your information in the way this policy describes, please do not provide your information and stop using the app.",
		}, nil},
		{"third-party-sharing", "hiring or engaging other companies or service providers to do the company's work is engaging recipients", []string{
			"For example, we may hire other companies to handle the processing of payments.",
			"We regularly engage service providers to perform certain tasks on our behalf.",
		}, nil},
		{"third-party-sharing", "an entry of a list of recipients may open with a preposition and determiners (\"With our trusted service providers.\")", []string{
			"With our business partners.",
			"With our trusted service providers.",
		}, []string{
			"With your consent.",
		}},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			t.Log(c.why)
			readsAs(t, r, c.id, c.reads...)
			notReadAs(t, r, c.id, c.notReads...)
		})
	}
}

// "The personal information you submit" describes the data: the user's act
// there neither states nor rules out what the clause does with it. When the
// user gives the data to someone else, the user's act is the point.
func TestDataDescribedByTheUsersActIsStillShared(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"third-party-sharing", "We may disclose the personal information you submit on an application to our agents and to third parties."},
		{"third-party-sharing", "We may share the data that you provide with our partners and other third parties."},
	})
	expectReading(t, rulesOnly, false, []sentenceCase{
		{"third-party-sharing", "Any information you provide to third-party websites is governed by their privacy policies."},
		{"third-party-sharing", "This policy does not cover information you disclose while using third-party services."},
	})
}

// Practices stated without their usual words: limiting who may access data
// is a safeguard, building a profile of visitors is profiling, and saying
// what refusing cookies costs states that cookies are used.
func TestPracticesStatedIndirectly(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"security-breach", "We limit access to your personal information to those employees who need it to do their jobs."},
		{"security-breach", "Access to this information is restricted to the staff who need it."},
		{"automated-decisions", "Visitors are sent cookies to follow their browsing and build up a demographic profile."},
		{"tracking-cookies", "If you refuse cookies, some parts of the site will not work properly."},
	})
}

// Investigating fraud is no moderation of content: a review reads as
// content moderation when it looks at content or at the platform's rules.
func TestFraudInvestigationIsNoModeration(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, false, []sentenceCase{
		{"content-moderation", "Detect, prevent, mitigate and investigate fraudulent or illegal activities."},
		{"content-moderation", "We use this information to investigate suspected fraud and violations of law."},
	})
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"content-moderation", "We may review posts that break our community guidelines."},
	})
}

// The party that takes over a business receives its users' data: "the new
// owner" and "a prospective purchaser" name the recipient of a corporate
// transaction as "an acquirer" does.
func TestNewOwnerIsARecipient(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"third-party-sharing", "If the ownership of our business changes, we may transfer your information to the new owner."},
		{"third-party-sharing", "We may disclose your data to a prospective purchaser of our business."},
	})
}

// Older policies name their trackers by what they do: "automatic data
// collection technologies", "data collection tools", "log file analysis
// tools", "local shared objects", "tracking codes".
func TestDataCollectionToolsAreTrackers(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"tracking-cookies", "We use automatic data collection technologies to collect certain information about your equipment."},
		{"tracking-cookies", "We use log file analysis tools to study our web traffic."},
		{"tracking-cookies", "We may also use Local Shared Objects to recognise your computer when you come back."},
	})
}

// Affiliates link accounts or services when data passes within the group or
// the group uses the user's data; affiliates that use cookies, and "other
// products and services" the organisation markets, link nothing.
func TestAffiliatesUsingDataLinkTheGroup(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, false, []sentenceCase{
		{"account-linkage", "Our partners, affiliates and service providers use session ID cookies to make it easier for you to navigate our site."},
		{"account-linkage", "We may use this information to contact you about other products and services that may interest you."},
	})
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"account-linkage", "Our affiliates may use your personal information to send you offers."},
		{"account-linkage", "We may share your information with our affiliates."},
	})
}

// Accepting cookies in a browser's settings is how cookies work, not the
// user's consent; consent to cookies still is.
func TestAcceptingCookiesIsNoConsent(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, false, []sentenceCase{
		{"consent-acceptance", "You must accept cookies to register for some of our services."},
		{"consent-acceptance", "If you visit other websites, you may be required to accept third party cookies."},
	})
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"consent-acceptance", "We will ask for your consent before we place advertising cookies."},
	})
}

// "Keep you informed" keeps a person up to date, not data.
func TestKeepingYouInformedIsNoRetention(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, false, []sentenceCase{
		{"retention", "We compile and use this information so that we may keep you apprised of special offers."},
	})
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"retention", "We keep your information for as long as your account is active."},
	})
}

// Saying that another country's laws protect data less states a transfer
// abroad, whatever words name the comparison.
func TestWeakerForeignLawsStateATransfer(t *testing.T) {
	rulesOnly := testRulesWithoutModel(t)
	expectReading(t, rulesOnly, true, []sentenceCase{
		{"international-transfers", "The data protection laws of Canada might not be as comprehensive as those in your country."},
		{"international-transfers", "Recipients may be based in countries that do not offer the same level of privacy protection as your own."},
	})
}
