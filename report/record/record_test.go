package record

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"policywatch/resources"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

func TestMarkdown(t *testing.T) {
	tests := []struct {
		src, plain string
		bold       string // text expected in bold
		link       string // address of a link expected
	}{
		{"**Overview** of the policy", "Overview of the policy", "Overview", ""},
		{`7\. Changes to this policy`, "7. Changes to this policy", "", ""},
		{"Read [our terms](https://example.com/terms) first.", "Read our terms first.", "", "https://example.com/terms"},
		{"See <https://example.com/a> now", "See https://example.com/a now", "", "https://example.com/a"},
		{"Cats &amp; dogs", "Cats & dogs", "", ""},
		{"one<br>two", "one\ntwo", "", ""},
		{"[](#1-introduction)1\\. Introduction", "1. Introduction", "", ""},
		{"- a listed item", "• a listed item", "", ""},
		{"plain words only", "plain words only", "", ""},
		{"_Usage Data_: we collect it", "Usage Data: we collect it", "", ""},
	}
	for _, tc := range tests {
		spans := Markdown(tc.src)
		if got := Plain(spans); got != tc.plain {
			t.Errorf("Markdown(%q) = %q, want %q", tc.src, got, tc.plain)
		}
		if tc.bold != "" {
			found := false
			for _, s := range spans {
				if s.Bold && s.Text == tc.bold {
					found = true
				}
			}
			if !found {
				t.Errorf("Markdown(%q): %q not bold in %+v", tc.src, tc.bold, spans)
			}
		}
		if tc.link != "" {
			if ls := Links(spans); len(ls) != 1 || ls[0].URL != tc.link {
				t.Errorf("Markdown(%q) links = %+v, want %s", tc.src, ls, tc.link)
			}
		}
	}
}

// words builds a word diff from "=kept", "+added", "-removed" runs.
func words(runs ...string) []analysis.WordOp {
	var out []analysis.WordOp
	for _, r := range runs {
		op := map[byte]string{'=': analysis.OpEqual, '+': analysis.OpAdded, '-': analysis.OpRemoved}[r[0]]
		out = append(out, analysis.WordOp{Op: op, Text: r[1:]})
	}
	return out
}

func TestSentenceBySentence(t *testing.T) {
	h := analysis.Hunk{Op: analysis.OpModified, Substantive: true, Heading: "Sharing",
		Words: words("=We keep your data. We", "-maintain a list of", "+may take", "=partners", "-today.", "+from time to time.",
			"=Contact us at **privacy@example.com**.")}
	p := newPassage(0, h)
	if len(p.Sentences) != 3 {
		t.Fatalf("sentences = %d, want 3: %+v", len(p.Sentences), p.Sentences)
	}
	if s := p.Sentences[0]; s.Changed || Plain(s.After) != "We keep your data." {
		t.Errorf("first sentence = %+v, want unchanged", s)
	}
	s := p.Sentences[1]
	if !s.Changed {
		t.Fatal("second sentence should be changed")
	}
	if got := Marked(s.Before); got != "We [-maintain a list of-] partners [-today.-]" {
		t.Errorf("before = %q", got)
	}
	if got := Marked(s.After); got != "We {+may take+} partners {+from time to time.+}" {
		t.Errorf("after = %q", got)
	}
	// no fragment of the old text interleaves with the new one
	for _, sp := range s.After {
		if sp.Mark == MarkRemoved {
			t.Errorf("after holds removed text %q", sp.Text)
		}
	}
	if last := p.Sentences[2]; last.Changed || Plain(last.After) != "Contact us at privacy@example.com." {
		t.Errorf("last sentence = %q changed=%v", Plain(last.After), last.Changed)
	}
}

func TestLinkTargetOnlyIsUnchanged(t *testing.T) {
	h := analysis.Hunk{Op: analysis.OpModified, Substantive: true,
		Words: words("=Use [our", "-form](https://a.example/old).", "+form](https://a.example/new).")}
	p := newPassage(0, h)
	if len(p.Sentences) != 1 || p.Sentences[0].Changed {
		t.Fatalf("a changed link address should read as unchanged: %+v", p.Sentences)
	}
	if got := Plain(p.Sentences[0].After); got != "Use our form." {
		t.Errorf("text = %q", got)
	}
}

func TestReplacedSentencesPair(t *testing.T) {
	h := analysis.Hunk{Op: analysis.OpModified, Substantive: true,
		Words: words("=Intro stays.", "-Old claim here. Another old one.", "+New statement now.", "=Outro stays.")}
	p := newPassage(0, h)
	if len(p.Sentences) != 3 {
		t.Fatalf("sentences = %+v", p.Sentences)
	}
	s := p.Sentences[1]
	if Plain(s.Before) != "Old claim here. Another old one." || Plain(s.After) != "New statement now." {
		t.Errorf("rewrite pair = %q → %q", Plain(s.Before), Plain(s.After))
	}
}

func TestProvisionLabel(t *testing.T) {
	tests := []struct{ fw, cite, want string }{
		{"PECR", "PECR reg. 6", "PECR reg. 6"},
		{"Unfair Contract Terms Directive", "Directive 93/13/EEC Annex 1(j)", "Unfair Contract Terms Directive 93/13/EEC Annex 1(j)"},
		{"UK Online Safety Act", "Online Safety Act 2023 children's safety duties", "UK Online Safety Act 2023 children's safety duties"},
		{"GDPR", "Art. 6(1)", "GDPR Art. 6(1)"},
		{"UK GDPR", "UK GDPR Chapter V", "UK GDPR Chapter V"},
		{"Colorado AI Act", "Colorado AI Act (SB 24-205)", "Colorado AI Act (SB 24-205)"},
		{"Quebec Law 25", "Law 25 portability", "Quebec Law 25 portability"},
		{"CJEU/EDPB", "EDPB Opinion 28/2024", "EDPB Opinion 28/2024"},
		{"UK PSRs/MLRs", "UK Payment Services Regulations 2017", "UK PSRs/MLRs: UK Payment Services Regulations 2017"},
	}
	for _, tc := range tests {
		if got := ProvisionLabel(tc.fw, tc.cite); got != tc.want {
			t.Errorf("ProvisionLabel(%q, %q) = %q, want %q", tc.fw, tc.cite, got, tc.want)
		}
	}
}

// Every framework and citation pair of the built-in rules is labelled
// without a doubled word at the seam.
func TestProvisionLabelsOfRules(t *testing.T) {
	rules, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rules.Categories {
		for _, p := range c.Provisions {
			fw := rules.Frameworks[p.Framework].Name
			label := strings.Fields(ProvisionLabel(fw, p.Citation))
			for i := 1; i < len(label); i++ {
				if strings.EqualFold(label[i], label[i-1]) {
					t.Errorf("%s + %s: doubled %q in %q", fw, p.Citation, label[i], strings.Join(label, " "))
				}
			}
		}
	}
}

func testResult() analysis.Result {
	return analysis.Result{
		Substantive: true, Exposure: "high", Summary: "Adds AI training.", Rationale: "High: trains models.",
		Findings: []analysis.Finding{{Category: "ai-training", Direction: "modified", Exposure: "high", Heading: "Use",
			Evidence:      "We use your posts to train our models.",
			Jurisdictions: []analysis.Jurisdiction{{Code: "UK", Provisions: []analysis.ProvisionRef{{Framework: "PECR", Citation: "PECR reg. 6", Title: "Cookies"}}}}}},
		Landscape: []analysis.Provision{{Framework: "PECR", Citation: "PECR reg. 6", Title: "Cookies", Jurisdictions: []string{"UK"}, Categories: []string{"ai-training"}}},
		Flags:     []analysis.JurisdictionFlag{{Code: "UK", Exposure: "high", Categories: []string{"ai-training"}, Frameworks: []string{"PECR"}}},
		Checklist: []analysis.ChecklistItem{{Category: "ai-training", Text: "Check the opt-out."}},
		Hunks: []analysis.Hunk{
			{Op: analysis.OpAdded, Heading: "Intro", Substantive: true, New: "We added **this** paragraph."},
			{Op: analysis.OpModified, Heading: "Use", Substantive: true,
				Words: words("=We use your", "-data", "+posts", "=to", "-improve services.", "+train our models.", "=Ask us.")},
			{Op: analysis.OpModified, Heading: "Use", Substantive: false, Reason: "quotes", Old: "“a”", New: "\"a\""},
		},
	}
}

func TestBuildRecord(t *testing.T) {
	rules, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		t.Fatal(err)
	}
	r := Build(testResult(), Input{Rules: rules})
	if len(r.Findings) != 1 {
		t.Fatalf("findings = %d", len(r.Findings))
	}
	f := r.Findings[0]
	if f.CategoryName != rules.CategoryName("ai-training") || f.CategoryName == "ai-training" {
		t.Errorf("category name = %q, want the rules' name", f.CategoryName)
	}
	if f.Passage != 1 {
		t.Errorf("finding passage = %d, want 1", f.Passage)
	}
	if got := Marked(f.Before); got != "We use your [-data-] to [-improve services.-]" {
		t.Errorf("before = %q", got)
	}
	if got := Marked(f.After); got != "We use your {+posts+} to {+train our models.+}" {
		t.Errorf("after = %q", got)
	}
	if got := f.Jurisdictions[0].Provisions[0]; got != "PECR reg. 6 (Cookies)" {
		t.Errorf("provision = %q", got)
	}
	if got := r.FlaggedFirst(); len(got) != 2 || got[0] != 1 || got[1] != 0 {
		t.Errorf("FlaggedFirst = %v, want [1 0]", got)
	}
	if got := r.Cosmetic(); len(got) != 1 || got[0] != 2 {
		t.Errorf("Cosmetic = %v", got)
	}
	if r.Flags[0].Categories[0] == "ai-training" || r.Landscape[0].Categories[0] == "ai-training" {
		t.Error("flags and landscape should name categories, not ids")
	}
	if r.Checklist[0].CategoryName == "ai-training" {
		t.Error("checklist should name the category")
	}

	// stored checklist rows replace the templates, with their state
	stored := []tracker.ChecklistRow{{ChecklistItem: tracker.ChecklistItem{ID: 7, Category: "ai-training", Text: "Stored",
		Status: tracker.StatusOpen, DueDate: "2025-01-01", Owner: "dpo@example.com"}}}
	r = Build(testResult(), Input{Rules: rules, Checklist: stored, Today: "2025-02-01"})
	if it := r.Checklist[0]; it.ID != 7 || !it.Overdue || it.Owner != "dpo@example.com" {
		t.Errorf("stored item = %+v", it)
	}
}

func TestUnlocatedEvidenceStillShown(t *testing.T) {
	res := testResult()
	res.Findings[0].Evidence = "A sentence found nowhere in the hunks at all."
	r := Build(res, Input{})
	f := r.Findings[0]
	if f.Passage != -1 || Plain(f.After) != "A sentence found nowhere in the hunks at all." || f.Before != nil {
		t.Errorf("unlocated finding = %+v", f)
	}
	if f.CategoryName != "ai-training" {
		t.Errorf("without rules the id stands in for the name: %q", f.CategoryName)
	}
}

func TestWriteText(t *testing.T) {
	rules, err := analysis.ParseRules(resources.Rules)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteText(&b, Build(testResult(), Input{Rules: rules}), TextOptions{Passages: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	last := -1
	for _, s := range Sections {
		if s == SectionOthers {
			continue
		}
		i := strings.Index(out, s.Title())
		if i < 0 {
			t.Errorf("section %q missing:\n%s", s.Title(), out)
			continue
		}
		if i < last {
			t.Errorf("section %q out of order", s.Title())
		}
		last = i
	}
	for _, want := range []string{"Before: We use your [-data-] to [-improve services.-]", "After:  We use your {+posts+}",
		rules.CategoryName("ai-training"), "PECR reg. 6 — Cookies (UK)", "+ We use your {+posts+}"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "PECR PECR") || strings.Contains(out, "**") {
		t.Errorf("doubled name or raw Markdown in:\n%s", out)
	}
}

// FuzzMarkdown holds Markdown to never losing words: every letter or digit
// of the visible text comes from the source, in order.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"**a** b", "[x](y) z", `7\. a`, "a<br>b", "- item", "&amp; &#39;", "`code` *i*", "![alt](p.png)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) {
			t.Skip("archived text is valid UTF-8")
		}
		spans := Markdown(src)
		got := key(Plain(spans))
		want := key(src)
		// every letter shown is in the source, in order
		j := 0
		for _, r := range got {
			k := strings.IndexRune(want[j:], r)
			if k < 0 {
				if strings.Contains(src, "&") { // entities resolve to other letters
					return
				}
				t.Fatalf("Markdown(%q) shows %q not in the source", src, Plain(spans))
			}
			j += k + len(string(r))
		}
	})
}

// FuzzSentences holds the sentence view to the word diff: each side reads
// the words of that side, in order.
func FuzzSentences(f *testing.F) {
	f.Add("We keep data.", "we drop it.", "Then more.", "And new.")
	f.Fuzz(func(t *testing.T, eq, rem, eq2, add string) {
		if !utf8.ValidString(eq + rem + eq2 + add) {
			t.Skip("archived text is valid UTF-8")
		}
		joined := func(parts ...string) string { return strings.Join(strings.Fields(strings.Join(parts, " ")), " ") }
		ws := []analysis.WordOp{{Op: analysis.OpEqual, Text: eq}, {Op: analysis.OpRemoved, Text: rem},
			{Op: analysis.OpAdded, Text: add}, {Op: analysis.OpEqual, Text: eq2}}
		var before, after []Span
		for _, s := range wordSentences(ws) {
			before = joinSpans(before, s.Before)
			if s.Changed {
				after = joinSpans(after, s.After)
			} else {
				after = joinSpans(after, s.Before)
			}
		}
		if got, want := key(Plain(before)), key(Plain(Markdown(joined(eq, rem, eq2)))); got != want {
			t.Fatalf("before side %q != %q", got, want)
		}
		if got, want := key(Plain(after)), key(Plain(Markdown(joined(eq, add, eq2)))); got != want {
			t.Fatalf("after side %q != %q", got, want)
		}
	})
}

// A finding with the sentences the analysis recorded shows them, the
// differing words marked, and is located in its passage.
func TestRecordedBeforeAfter(t *testing.T) {
	res := testResult()
	res.Findings[0].Before = "We use your data to improve services."
	res.Findings[0].After = "We use your posts to train our models."
	res.Findings[0].Explanation = "The reworded sentence adds model training."
	r := Build(res, Input{})
	f := r.Findings[0]
	if got := Marked(f.Before); got != "We use your [-data-] to [-improve services.-]" {
		t.Errorf("before = %q", got)
	}
	if got := Marked(f.After); got != "We use your {+posts+} to {+train our models.+}" {
		t.Errorf("after = %q", got)
	}
	if f.Passage != 1 || f.Explanation == "" {
		t.Errorf("passage %d, explanation %q", f.Passage, f.Explanation)
	}
	res.Findings[0].Before, res.Findings[0].Direction = "", "added"
	if f := Build(res, Input{}).Findings[0]; f.Before != nil || Plain(f.After) != "We use your posts to train our models." {
		t.Errorf("added sentence: %+v", f)
	}
}

// The text record lists the readings the word model set aside under the
// findings, with the category's name, the rule and the probability.
func TestWriteTextListsSetAsideReadings(t *testing.T) {
	res := analysis.Result{Substantive: true, Exposure: analysis.LevelLow,
		SetAside: []analysis.SetAside{{Category: "liability", Rule: "liability/liability", Sentence: "A note on accuracy.", Probability: 0.031}}}
	var b strings.Builder
	if err := WriteText(&b, Build(res, Input{}), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{SetAsideNote, "liability/liability", "\u201cA note on accuracy.\u201d", "probability of 0.03"} {
		if !strings.Contains(out, want) {
			t.Errorf("text record lacks %q:\n%s", want, out)
		}
	}
}
