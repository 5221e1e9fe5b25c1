package analysis

import (
	"slices"
	"strings"
	"testing"
)

const cosmeticBase = `# Terms of Service

Last updated: January 5, 2024

## Your content

You grant us a "worldwide" licence to host your content. See the [help centre](https://help.example.com/a?ref=1) for details.

We share information with partners who help us run the service.

Hardware keys for teams ![Man holding a key](https://img.example.com/key.jpg)

## Related articles

[How to delete your account](https://help.example.com/delete)

[Privacy settings](https://help.example.com/privacy)

* [Download the app](https://example.com/download)
* Add-ons
* [Plugins](https://example.com/plugins)
`

func TestCosmeticChanges(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(string) string
		reason string
	}{
		{"curly quotes", func(s string) string {
			return strings.ReplaceAll(strings.Replace(s, `"worldwide"`, "“worldwide”", 1), "'", "’")
		}, ReasonQuotes},
		{"low-9 quotes", func(s string) string { return strings.Replace(s, `"worldwide"`, "„worldwide”", 1) }, ReasonQuotes},
		{"whitespace", func(s string) string {
			s = strings.Replace(s, "licence to host", "licence  to\n host", 1)
			return strings.ReplaceAll(s, "\n\n", "\n\n\n")
		}, ""},
		{"link target", func(s string) string {
			return strings.Replace(s, "https://help.example.com/a?ref=1", "https://support.example.com/b?ref=terms", 1)
		}, ReasonLinkTarget},
		{"punctuation", func(s string) string {
			return strings.Replace(s, "help us run the service.", "help us, run the service!", 1)
		}, ReasonPunctuation},
		{"date bump", func(s string) string {
			return strings.Replace(s, "January 5, 2024", "March 17, 2025", 1)
		}, ReasonDate},
		{"nav list", func(s string) string {
			s = strings.Replace(s, "[Privacy settings](https://help.example.com/privacy)", "[Manage ad topics](https://help.example.com/ads)", 1)
			return s + "\n[Teen accounts](https://help.example.com/teens)\n"
		}, ReasonNavigation},
		{"setext heading markup", func(s string) string {
			return strings.Replace(s, "## Your content", "Your content\n------------", 1)
		}, ""},
		{"space inside a word", func(s string) string {
			return strings.Replace(s, "We share information", "We share infor mation", 1)
		}, ReasonWhitespace},
		{"doubled apostrophe", func(s string) string {
			return strings.Replace(s, "help us run", "help us' run", 1)
		}, ""},
		{"footnote renumbered", func(s string) string {
			s = strings.Replace(s, "for details.", "for details[3].", 1)
			return s
		}, ReasonPunctuation},
		{"typo fix", func(s string) string {
			return strings.Replace(s, "You grant us", "You grannt us", 1)
		}, ReasonTypo},
		{"menu labels", func(s string) string {
			s = strings.Replace(s, "* Add-ons\n", "", 1)
			return s + "* Resources\n* [System status](https://status.example.com/)\n"
		}, ReasonNavigation},
		{"image alt text", func(s string) string {
			return strings.Replace(s, "![Man holding a key]", "![Woman with a laptop]", 1)
		}, ReasonImages},
		{"menu link broken over lines", func(s string) string {
			return "* [Workspace\n\nWebmail, contacts, calendar](https://example.com/webmail)\n\n" + s
		}, ReasonNavigation},
		{"moved with another picture", func(s string) string {
			s = strings.Replace(s, "Hardware keys for teams ![Man holding a key](https://img.example.com/key.jpg)\n\n", "", 1)
			return s + "\nHardware keys for teams ![Woman with a laptop](https://img.example.com/key2.jpg)\n"
		}, ReasonMoved},
		{"emphasis", func(s string) string {
			return strings.Replace(s, "We share information", "We **share** information", 1)
		}, ReasonPunctuation},
	}
	opts := Options{Rules: testRules(t)}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			newText := tc.edit(cosmeticBase)
			if newText == cosmeticBase {
				t.Fatal("edit changed nothing")
			}
			res := Analyze(cosmeticBase, newText, opts)
			if res.Substantive {
				t.Errorf("cosmetic edit marked substantive: %+v", res.Hunks)
			}
			if len(res.Findings) != 0 || res.Exposure != "none" {
				t.Errorf("cosmetic edit produced findings (%s): %+v", res.Exposure, res.Findings)
			}
			if tc.reason == "" {
				return
			}
			found := false
			for _, h := range res.Hunks {
				if h.Reason == tc.reason {
					found = true
				}
			}
			if !found {
				t.Errorf("no hunk with reason %q: %+v", tc.reason, res.Hunks)
			}
		})
	}
}

func TestRenumberedSectionIsCosmetic(t *testing.T) {
	a := "# Terms\n\n## 3. Your commitments\n\nYou will not misuse the service.\n\n## 4. Liability\n\nOur liability is limited.\n"
	b := "# Terms\n\n## 4. Your commitments\n\nYou will not misuse the service.\n\n## 5. Liability\n\nOur liability is limited.\n"
	res := Analyze(a, b, Options{Rules: testRules(t)})
	if res.Substantive || len(res.Findings) > 0 {
		t.Errorf("renumbered headings: substantive=%v findings=%+v", res.Substantive, res.Findings)
	}
}

func TestMovedBlockIsNotSubstantive(t *testing.T) {
	a := "# P\n\n## One\n\nWe share information with partners.\n\n## Two\n\nWe keep logs for 30 days.\n"
	b := "# P\n\n## One\n\n## Two\n\nWe keep logs for 30 days.\n\nWe share information with partners.\n"
	res := Analyze(a, b, Options{Rules: testRules(t)})
	if res.Substantive || len(res.Findings) > 0 {
		t.Fatalf("moved block: substantive=%v findings=%+v", res.Substantive, res.Findings)
	}
	moved := 0
	for _, h := range res.Hunks {
		if h.Op == OpMoved {
			moved++
			if h.Heading != "P > Two" {
				t.Errorf("moved hunk heading = %q, want P > Two", h.Heading)
			}
		}
	}
	if moved != 1 {
		t.Errorf("moved hunks = %d, want 1: %+v", moved, res.Hunks)
	}
}

// Short-word swaps are never typo fixes: "sell" → "tell", "not" → "now".
func TestShortWordSwapIsSubstantive(t *testing.T) {
	for _, pair := range [][2]string{{"We do not sell data.", "We do now sell data."}, {"We keep it for 30 days.", "We keep it for 90 days."}, {"This is limited.", "This is unlimited."}, {"13 is the minimum age.", "16 is the minimum age."}} {
		res := Analyze(doc(pair[0]), doc(pair[1]), Options{Rules: testRules(t)})
		if !res.Substantive {
			t.Errorf("%q → %q marked cosmetic", pair[0], pair[1])
		}
	}
}

// A real word change next to a date is substantive.
func TestDateLineWithWordChangeIsSubstantive(t *testing.T) {
	a := "# P\n\nLast updated: January 5, 2024\n"
	b := "# P\n\nLast updated: January 5, 2024. We now sell your data.\n"
	res := Analyze(a, b, Options{Rules: testRules(t)})
	if !res.Substantive {
		t.Fatal("added sentence after the date must be substantive")
	}
}

// Property: a text compared with itself has no hunks and no findings.
func TestAnalyzeSelfIsEmpty(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	texts := []string{"", cosmeticBase, doc("We sell your data.", "We do not sell your data.")}
	docs, _ := sampleDocs(t, goldenPairs[0].old, goldenPairs[1].new, largestOld)
	texts = append(texts, docs...)
	for i, txt := range texts {
		res := Analyze(txt, txt, opts)
		if res.Substantive || len(res.Findings) != 0 || len(res.Hunks) != 0 || res.Exposure != "none" {
			t.Errorf("text %d: Analyze(a, a) = substantive %v, %d hunks, %d findings", i, res.Substantive, len(res.Hunks), len(res.Findings))
		}
	}
}

func TestSameFields(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "", true},
		{"  ", "\n\t", true},
		{"a b", "a  b", true},
		{" a\nb ", "a b", true},
		{"a\u00a0b", "a b", true},
		{"ab", "a b", false},
		{"a b", "a b c", false},
		{"a b c", "a b", false},
		{"a", "", false},
		{"héllo wörld", "héllo\u2003wörld", true},
		{"x\xffy", "x\xffy", true},
		{"x\xff y", "x\xffy", false},
	}
	for _, tc := range tests {
		if got := sameFields(tc.a, tc.b); got != tc.want {
			t.Errorf("sameFields(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		want := strings.Join(strings.Fields(tc.a), " ") == strings.Join(strings.Fields(tc.b), " ")
		if want != tc.want {
			t.Errorf("table entry %q/%q disagrees with strings.Fields", tc.a, tc.b)
		}
	}
}

func TestFieldsMatchesStdlib(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a  b\tc\n", "héllo\u00a0wörld\u2003x", "x\xff y\xfe", "\u0085a\u2028b ", "end "} {
		if got, want := fields(s), strings.Fields(s); !slices.Equal(got, want) {
			t.Errorf("fields(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestIsCollapsed(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a\u00a0b", "a\u200bb", "é è", "x\xffy", "a\rb", "a\nb", "a \u2003b"} {
		if got, want := isCollapsed(s), collapseSpaces(s) == s; got != want {
			t.Errorf("isCollapsed(%q) = %v, but collapseSpaces gives %q", s, got, collapseSpaces(s))
		}
	}
}

// A removed "We've updated our policy" banner is not substantive; an added
// one is (it says when the new version applies), and so is a removed block
// that states a practice beside the announcement.
func TestUpdateNoticeBanner(t *testing.T) {
	body := "# Privacy Policy\n\nWe collect your email address to run your account.\n"
	banners := []string{
		"We've updated our Privacy Policy. Please take a look before the changes take effect on December 15, 2022.",
		"We updated our Privacy Policy on June 16, 2025. [View our previous policy.](https://example.com/policy/version/1)",
		"**We've updated our Privacy Policy, effective 7 April 2025. You can view the prior Privacy Policy, which applies to all users until 7 April 2025,** [**here**](https://example.com/prior)**.**",
		"Your privacy is important. As of 8 June 2022, we've updated our Privacy Policy to improve clarity and reflect some exciting new features.",
		"This Privacy Policy was updated on 3 March 2024.",
	}
	opts := Options{Rules: testRules(t)}
	for _, banner := range banners {
		withBanner := strings.Replace(body, "\n\nWe collect", "\n\n"+banner+"\n\nWe collect", 1)
		res := Analyze(withBanner, body, opts)
		if res.Substantive || len(res.Findings) > 0 {
			t.Errorf("removed banner %.50q: substantive=%v findings=%+v", banner, res.Substantive, res.Findings)
		}
		// a bare dated line is a date line whichever way it goes
		dateLine := isDateLine(banner)
		if len(res.Hunks) != 1 || res.Hunks[0].Reason != ReasonUpdateNotice && !(dateLine && res.Hunks[0].Reason == ReasonDate) {
			t.Errorf("removed banner %.50q: hunks %+v, want one with reason %q", banner, res.Hunks, ReasonUpdateNotice)
		}
		if res := Analyze(body, withBanner, opts); !res.Substantive && !dateLine {
			t.Errorf("added banner %.50q is not substantive", banner)
		}
	}
	notBanners := []string{
		"We've updated our Privacy Policy. We now share your location with advertising partners.",
		"We have updated our Terms. You agree to resolve disputes by binding arbitration.",
		"We updated the app so that you can export your data.",
	}
	for _, text := range notBanners {
		withText := strings.Replace(body, "\n\nWe collect", "\n\n"+text+"\n\nWe collect", 1)
		if res := Analyze(withText, body, opts); !res.Substantive {
			t.Errorf("removed %.50q was taken for a banner", text)
		}
	}
}

func TestUpdateNoticeVariants(t *testing.T) {
	for _, banner := range []string{
		"On November 20, 2024, we updated our User Agreement.",
		"We've updated our [User Agreement](https://example.com/ua) and Privacy Policy. Please take a look before the changes take effect on October 15, 2020.",
		"_We're updating our Terms of Service. Please take a moment to review them._",
		"We're updating the Meta Terms of Service.",
		"**We have made some updates to our Terms of Service. This version of the Terms of Service will go into effect on September 29, 2023. Read the [current Terms of Service](#current).**",
		"**We have made some updates to our Terms of Service. The updated Terms of Service will go into effect on September 29, 2023. The current Terms of Service are below.**",
		"From time to time we clarify our terms so they are easier to follow. We're updating our terms today (March 3, 2025) to ensure they read clearly, but we aren't making any material changes to what they say. We have also moved the Community Rules to a separate page.",
	} {
		b := &block{kind: kindParagraph, raw: banner, text: &blockText{raw: banner}}
		if !isUpdateNotice(b) {
			t.Errorf("not recognised as an update notice: %q", banner)
		}
	}
	for _, text := range []string{
		"We're updating our Terms so that disputes go to binding arbitration.",
		"On November 20, 2024, we updated our User Agreement. You now grant us a licence to train AI on your posts.",
		"We're updating our terms today (March 3, 2025) to ensure that we can share your posts with advertisers.",
	} {
		if b := (&block{kind: kindParagraph, raw: text, text: &blockText{raw: text}}); isUpdateNotice(b) {
			t.Errorf("taken for an update notice: %q", text)
		}
	}
}

// mayBeDateBump must hold for every pair isDateBump accepts.
func FuzzMayBeDateBump(f *testing.F) {
	f.Add("Last updated: May 5, 2024", "Last updated: June 10, 2025")
	f.Add("Effective 1 January 2023. Read the terms.", "Effective 14 March 2024. Read the terms.")
	f.Add("3. Updated on 2022-01-01 for users", "3. Updated on 2023-02-02 for users")
	f.Add("Version 2 updated May 2024", "Version 2 updated 2024")
	f.Fuzz(func(t *testing.T, a, b string) {
		o := &block{raw: a, text: &blockText{raw: a}}
		n := &block{raw: b, text: &blockText{raw: b}}
		if isDateBump(o.plain(), n.plain()) && !mayBeDateBump(o, n) {
			t.Errorf("isDateBump(%q, %q) holds but mayBeDateBump says no", a, b)
		}
	})
}

// Page chrome and markup-only edits are not substantive (issue 12 item 4):
// an &nbsp; entity, an added table of contents, a "Dated:" or "Last
// modified" bump, heading markup, a footer link list, a consent banner, a
// link target; a policy sentence about cookie settings still is.
func TestChromeAndMarkupAreCosmetic(t *testing.T) {
	base := "# Privacy Policy\n\nWe collect your email address to create your account.\n\nWe share data with service providers under contract.\n"
	tail := "\n\nWe collect your email address to create your account.\n\nWe share data with service providers under contract.\n"
	cosmetic := map[string][2]string{
		"nbsp entity":       {base, "# Privacy Policy\n\nWe collect your email&nbsp;address to create your account." + tail[strings.Index(tail, "\n\nWe share"):]},
		"table of contents": {base, "# Privacy Policy\n\n* [Information we collect](#collect)\n* [How we share](#share)\n* [Your rights](#rights)" + tail},
		"dated bump":        {"Dated: March 3, 2025\n\n" + base, "Dated: May 1, 2025\n\n" + base},
		"last modified":     {"Last modified: 3 March 2025\n\n" + base, "Last modified: 1 May 2025\n\n" + base},
		"heading level":     {base, "## Privacy Policy" + tail},
		"heading as bold":   {base, "**Privacy Policy**" + tail},
		"footer links":      {base, base + "\n[Terms](https://x.example/terms) | [Privacy](https://x.example/privacy) | [Cookies](https://x.example/cookies)\n"},
		"consent banner":    {base, "We use cookies to improve your experience. By clicking \"Accept all\", you agree to the storing of cookies on your device. [Accept all] [Reject all] [Cookie settings]\n\n" + base},
		"banner buttons":    {base, base + "\nThis site uses cookies. Accept All Cookies Manage Preferences\n"},
		"link target":       {"See [our terms](https://a.example/t).\n\n" + base, "See [our terms](https://b.example/t).\n\n" + base},
		"block quote":       {base + "\nYou may not:\n\n> 1.  sell the service;\n> 2.  share your password with anyone.\n", base + "\nYou may not:\n\n1.  sell the service;\n2.  share your password with anyone.\n"},
	}
	r := testRules(t)
	for name, c := range cosmetic {
		if res := Analyze(c[0], c[1], Options{Rules: r}); res.Substantive || len(res.Findings) > 0 {
			t.Errorf("%s: substantive %v with %d findings", name, res.Substantive, len(res.Findings))
		}
	}
	res := Analyze(base, base+"\nYou can change your cookie settings at any time in your browser.\n", Options{Rules: r})
	if !res.Substantive {
		t.Error("a policy sentence naming one cookie control was taken for a banner")
	}
	// controls named in prose, not written as buttons
	res = Analyze(base, base+"\nYou can configure your browser to accept all cookies, reject all cookies, or notify you when a cookie is set.\n", Options{Rules: r})
	if !res.Substantive {
		t.Error("a policy sentence naming two cookie controls in prose was taken for a banner")
	}
}

// A dated "last modified" line states no provision, however it is worded;
// a sentence with a provision beside the date is no date line.
func TestIsDateLine(t *testing.T) {
	for _, s := range []string{
		"Last updated: 3 May 2024",
		"This Privacy Policy was last modified on May 24, 2018.",
		"These Terms were last revised on 1 June 2023.",
		"Acme revised these Terms on May 10, 2019.",
		"Effective date: January 1, 2025",
	} {
		if !isDateLine(s) {
			t.Errorf("%q: not a date line", s)
		}
		if got := categoriesOf(Analyze("", s, Options{Rules: testRules(t)})); len(got) > 0 {
			t.Errorf("%q: findings %v", s, got)
		}
	}
	for _, s := range []string{
		"We keep your data until May 2025.",
		"This policy was updated on 3 May 2024 to add a sale of data.",
		"Acme will delete your account on May 10, 2026.",
		"These Terms take effect for existing users 30 days after posting.",
	} {
		if isDateLine(s) {
			t.Errorf("%q: read as a date line", s)
		}
	}
}

// An entry of a glossary ("Definitions > commercial guarantee") defines a
// word and states no provision; the same sentence in the body does.
func TestGlossaryEntryStatesNothing(t *testing.T) {
	opts := Options{Rules: testRules(t)}
	entry := "The company offering the guarantee agrees to repair, replace or refund the consumer for defective items."
	for _, c := range []struct {
		heading string
		want    bool
	}{{"## Definitions\n\n### commercial guarantee", false}, {"## Glossary", false}, {"## Refunds", true}, {"## Key terms", true}} {
		oldDoc := "# Terms\n\n" + c.heading + "\n\n" + entry + "\n"
		newDoc := "# Terms\n\n" + c.heading + "\n\nA commercial guarantee is a promise about a product.\n"
		got := slices.Contains(categoriesOf(Analyze(oldDoc, newDoc, opts)), "fees-payments")
		if got != c.want {
			t.Errorf("under %q: fees-payments finding %v, want %v", c.heading, got, c.want)
		}
	}
}

// A list item that only names products states nothing, whatever the
// names contain ("Copilot" is an AI assistant's name); a sentence saying
// what a named product does with data still states it.
func TestNameListStatesNothing(t *testing.T) {
	r := testRules(t)
	list := "Contoso 365 Business Basic, Contoso 365 Apps, Contoso 365 app, Contoso Copilot, Contoso Copilot app and Contoso Copilot Chat"
	old := "# Covered services\n\n* Contoso Maps\n* Contoso Forms\n"
	if res := Analyze(old, old+"* "+list+"\n", Options{Rules: r}); len(res.Findings) > 0 {
		t.Errorf("an added list of product names: findings %v, want none", categoriesOf(res))
	}
	if !isNameList(list, tokenize(list)) {
		t.Errorf("isNameList(%q) = false", list)
	}
	for _, s := range []string{
		"Contoso Copilot uses your prompts, files and chats to train its AI models.",
		"THE SERVICES, CONTENT AND SOFTWARE ARE PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND.",
		"Do Not Sell My Personal Information, Your Privacy Choices and Cookie Settings",
	} {
		if isNameList(s, tokenize(s)) {
			t.Errorf("isNameList(%q) = true", s)
		}
	}
}

// A capitalised term defined with "means" states nothing, whatever follows
// the verb ("Vendors means, collectively, third parties that …").
func TestMeansDefinitionStatesNothing(t *testing.T) {
	for _, s := range []string{
		"Vendors means, collectively, third parties that perform business operations such as billing and mailing.",
		"Third-Party Ad-Servers means Vendors and other third parties that place ads on websites and track ad performance.",
	} {
		if !isDefinition(s) {
			t.Errorf("isDefinition(%q) = false", s)
		}
	}
	for _, s := range []string{
		"Deleting your account means we erase your posts within 30 days.",
		"This means third parties may see your profile.",
	} {
		if isDefinition(s) {
			t.Errorf("isDefinition(%q) = true", s)
		}
	}
}
