package analysis

import (
	"strings"
	"testing"
)

// A reading that an edit puts into a sentence is a change of that
// sentence, though the version states the practice elsewhere: a sign-up
// form that now asks for a location is new, whatever the location section
// says.
func TestReadingEditedIntoSentenceIsAChange(t *testing.T) {
	r := testRules(t)
	locationSection := "We collect your location from your IP address to show you local content."
	old := doc("To create an account you need to provide your name, email address and a password.", locationSection)
	added := doc("To create an account you need to provide your name, email address, general location and a password.", locationSection)
	if f := findingFor(Analyze(old, added, Options{Rules: r}), "location"); f == nil || f.Direction != OpAdded {
		t.Fatalf("location edited into the sign-up sentence: %+v, want an added location finding", f)
	}
	if f := findingFor(Analyze(added, old, Options{Rules: r}), "location"); f == nil || f.Direction != OpRemoved {
		t.Fatalf("location edited out of the sign-up sentence: %+v, want a removed location finding", f)
	}
	// the same sentence added whole, beside the one it restates, is no
	// change of practice
	moved := doc("To create an account you need to provide your name, email address and a password.", locationSection,
		"We collect your location from your IP address.")
	if f := findingFor(Analyze(old, moved, Options{Rules: r}), "location"); f != nil {
		t.Fatalf("a restated location sentence: %+v, want no location finding", f)
	}
}

// A sentence that states a practice of something the old version never
// mentions (a new product) is new, though the old version states the
// practice itself; the same sentence about a product the old version names
// is a restatement.
func TestSentenceNamingSomethingNewIsAChange(t *testing.T) {
	r := testRules(t)
	ads := "We use your activity on our services to show you personalised ads."
	old := doc(ads)
	added := doc(ads, "The Copilot assistant uses your activity to show you personalised ads.")
	if f := findingFor(Analyze(old, added, Options{Rules: r}), "sale-targeted-ads"); f == nil {
		t.Fatal("ads from a product the old version never named: no sale-targeted-ads finding")
	}
	known := doc(ads, "The Copilot assistant answers your questions.")
	restated := doc(ads, "The Copilot assistant answers your questions.", "The Copilot assistant uses your activity to show you personalised ads.")
	if f := findingFor(Analyze(known, restated, Options{Rules: r}), "sale-targeted-ads"); f != nil {
		t.Fatalf("ads from a product the old version names: %+v, want no finding", f)
	}
	// a footer menu of capitalised names is no prose
	for text, want := range map[string]bool{
		"Contracts - Legal notice - Data Protection - Privacy Policy - Site map - Manage your cookies": false,
		"The Copilot assistant uses your activity to show you personalised ads.":                       true,
		"Google Ireland Limited is the controller for information used to train AI models.":            true,
	} {
		if got := prose(text, tokenize(text)); got != want {
			t.Errorf("prose(%q) = %v, want %v", text, got, want)
		}
	}
}

// A practice made to depend on a setting or a choice is narrowed, as one
// made to depend on consent is; dropping the condition widens it.
func TestSettingConditionNarrows(t *testing.T) {
	r := testRules(t)
	old := doc("Sites that use our analytics service may link information about your activity on that site with your activity on other sites.")
	now := doc("Sites that use our analytics service may choose to enable us to link information about your activity on that site with your activity on other sites.")
	f := findingFor(Analyze(old, now, Options{Rules: r}), "tracking-cookies")
	if f == nil || f.Effect != EffectNarrows {
		t.Fatalf("linking made to depend on the site's choice: %+v, want a narrowing tracking finding", f)
	}
	if f := findingFor(Analyze(now, old, Options{Rules: r}), "tracking-cookies"); f == nil || f.Effect != EffectExpands {
		t.Fatalf("the site's choice dropped: %+v, want an expanding tracking finding", f)
	}
}

// A period that now bounds only when an action begins, not when it is
// done, lengthens it; the reverse shortens it. Another sentence's longer
// period (about other data) does not cover the change.
func TestPeriodThatOnlyStartsAnAction(t *testing.T) {
	r := testRules(t)
	backups := "We keep backups of your data for up to 12 months."
	old := doc("After you ask us to delete your account, it may take up to 90 days for us to complete the deletion.", backups)
	now := doc("After you ask us to delete your account, we begin the deletion process within 90 days.", backups)
	f := findingFor(Analyze(old, now, Options{Rules: r}), "retention")
	if f == nil || f.Effect != EffectExpands || !strings.Contains(f.Explanation, "begins") {
		t.Fatalf("deletion now only begun within the period: %+v, want an expanding retention finding that says so", f)
	}
	if f := findingFor(Analyze(now, old, Options{Rules: r}), "retention"); f == nil || f.Effect != EffectNarrows {
		t.Fatalf("deletion now done within the period: %+v, want a narrowing retention finding", f)
	}
}

// A sentence stating a number the old version never states (an amount, a
// count) is new, though the old version states the practice.
func TestSentenceWithNewNumberIsAChange(t *testing.T) {
	r := testRules(t)
	for _, c := range [][3]string{
		{"We share your data with service providers.", "We share your data with 40 service providers.", "third-party-sharing"},
		{"You pay a subscription fee each month.", "The subscription fee rises by 20 percent each month.", "fees-payments"},
	} {
		if f := findingFor(Analyze(doc(c[0]), doc(c[0], c[1]), Options{Rules: r}), c[2]); f == nil {
			t.Errorf("%q added: no %s finding", c[1], c[2])
		}
	}
}
