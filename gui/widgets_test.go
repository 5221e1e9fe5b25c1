package gui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"policywatch/report/record"
	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

func TestDiffReadsWithoutColour(t *testing.T) {
	test.NewTempApp(t)
	hunks := []analysis.Hunk{
		{Op: analysis.OpModified, Heading: "Sharing", Substantive: true, Words: []analysis.WordOp{
			{Op: analysis.OpEqual, Text: "We"}, {Op: analysis.OpRemoved, Text: "do not sell"}, {Op: analysis.OpAdded, Text: "may sell"},
			{Op: analysis.OpEqual, Text: "your **personal** data to [partners](https://example.com/p)."}}},
		{Op: analysis.OpAdded, Heading: "Sharing", New: "A new paragraph.", Substantive: true},
		{Op: analysis.OpRemoved, Heading: "Rights", Old: "An old promise.", Substantive: true},
		{Op: analysis.OpModified, Heading: "Intro", Old: "Hello", New: "Hello.", Reason: "punctuation"},
	}
	view := record.Build(analysis.Result{Substantive: true, Hunks: hunks}, record.Input{})
	blocks := passageBlocks(view)
	var segs []widget.RichTextSegment
	for _, b := range blocks {
		segs = append(segs, b.make().(*widget.RichText).Segments...)
	}
	raw := diffText(segs)
	got := strings.NewReplacer("\u00a0", " ", zwsp, "").Replace(undecorate(raw))
	for _, want := range []string{"Before  We do not sell your personal data to partners [1].", "After  We may sell your personal data to partners [1].",
		"Added  A new paragraph.", "Removed  An old promise.", "[1] https://example.com/p", "Sharing\n", "Rights\n", "Cosmetic edits (1)"} {
		if !strings.Contains(got, want) {
			t.Errorf("diff lacks %q:\n%s", want, got)
		}
	}
	// changed words carry a drawn mark (struck or underlined), not only a colour
	if !strings.Contains(raw, decorate("do not sell", strikeMark)) || !strings.Contains(raw, decorate("may sell", underlineMark)) {
		t.Errorf("changed words are not struck or underlined:\n%s", raw)
	}
	if strings.Contains(got, "**") || strings.Contains(got, "](") {
		t.Errorf("raw Markdown in the diff:\n%s", got)
	}
	bold := false
	for _, s := range segs {
		if ts, ok := s.(*widget.TextSegment); ok && strings.Trim(ts.Text, zwsp+"\u00a0 ") == "personal" && ts.Style.TextStyle.Bold {
			bold = true
		}
	}
	if !bold {
		t.Error("Markdown bold is not rendered bold")
	}
}

// A long diff makes widgets for one screenful; scrolling and navigation
// make more, and reveal jumps far without making everything in between.
func TestBlockListIsLazy(t *testing.T) {
	test.NewTempApp(t)
	var blocks []block
	for i := 0; i < 2000; i++ {
		blocks = append(blocks, richBlock([]widget.RichTextSegment{rtPara(strings.Repeat("word ", 60))}, i))
	}
	l := newBlockList(nil)
	w := test.NewTempWindow(t, l.scroll)
	w.Resize(fyne.NewSize(600, 400))
	l.set(blocks)
	if l.made() == 0 || l.made() > 40 {
		t.Fatalf("%d blocks made for the first screen of 2000", l.made())
	}
	first := l.made()
	l.onScrolled(fyne.NewPos(0, l.box.MinSize().Height))
	if l.made() <= first {
		t.Error("scrolling to the end made no more blocks")
	}
	l.reveal(1500)
	if l.start != 1500 || l.made() > 60 {
		t.Errorf("reveal far: window [%d, %d)", l.start, l.end)
	}
	if l.box.Objects[0] != l.earlier {
		t.Error("no way back to the earlier passages")
	}
	l.onEarlier()
	if l.start >= 1500 {
		t.Error("earlier passages not made")
	}
}

func TestChangeQueryFilter(t *testing.T) {
	q := changeQuery{Platform: "x", Review: reviewOpen, Substantive: true, Period: periodCustom, From: "2025-01-01", To: "2025-01-31"}
	f, err := q.filter(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if f.Reviewed == nil || *f.Reviewed || f.Substantive == nil || !*f.Substantive || f.PlatformSlugs[0] != "x" {
		t.Fatalf("filter %+v", f)
	}
	if f.Until.Format("2006-01-02") != "2025-02-01" {
		t.Errorf("until is exclusive: %v", f.Until)
	}
	if _, err := (changeQuery{Period: periodCustom, From: "yesterday"}).filter(time.Now()); err == nil {
		t.Error("a bad date was accepted")
	}
}

func TestAdviceNeverShowsRawErrors(t *testing.T) {
	_, advice, expected := adviceFor("load the changes", errorString("list changes: SQL logic error near \"SELECT\""))
	if expected || strings.Contains(advice, "SQL") || !strings.Contains(advice, "load the changes") {
		t.Errorf("advice %q (expected %v)", advice, expected)
	}
	title, advice, expected := adviceFor("x", tracker.ErrNotFound)
	if !expected || title != "Not found" || advice == "" {
		t.Errorf("not found advice %q %q", title, advice)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q", n, got)
		}
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestUsedJurisdictionsDropsEmptyColumns(t *testing.T) {
	m := tracker.ExposureMatrix{Jurisdictions: []string{"EU", "UK", "JP"},
		Platforms: []tracker.PlatformRef{{Slug: "a", Name: "A"}},
		Cells:     map[string]map[string]tracker.ExposureCell{"a": {"EU": {Exposure: "high", Changes: 2}, "JP": {Exposure: "low", Changes: 1}}}}
	if got := strings.Join(usedJurisdictions(m), ","); got != "EU,JP" {
		t.Fatalf("columns %s", got)
	}
}

func TestShortURLs(t *testing.T) {
	got := shortURLs("redirected to https://www.example.com/a/very/long/path?x=1 (HTTP 403)")
	if got != "redirected to www.example.com (HTTP 403)" {
		t.Errorf("shortURLs = %q", got)
	}
}

// Ctrl+1…6, Ctrl+R and Ctrl+E are main-menu shortcuts: the window offers a
// shortcut to its main menu before a focused text field, which keeps every
// other shortcut for itself.
func TestShortcutsAreMenuItems(t *testing.T) {
	u, _ := newTestUI(t)
	menu := u.mainMenu()
	found := map[string]*fyne.MenuItem{}
	for _, m := range menu.Items {
		for _, it := range m.Items {
			if it.Shortcut != nil {
				found[it.Shortcut.ShortcutName()] = it
			}
		}
	}
	mod := fyne.KeyModifierShortcutDefault
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6} {
		it := found[(&desktop.CustomShortcut{KeyName: k, Modifier: mod}).ShortcutName()]
		if it == nil {
			t.Fatalf("no menu item for Ctrl+%s", k)
		}
		act(u, it.Action)
		if u.tabs.SelectedIndex() != i {
			t.Errorf("Ctrl+%s selects tab %d, want %d", k, u.tabs.SelectedIndex(), i)
		}
	}
	for _, k := range []fyne.KeyName{fyne.KeyR, fyne.KeyE} {
		if found[(&desktop.CustomShortcut{KeyName: k, Modifier: mod}).ShortcutName()] == nil {
			t.Errorf("no menu item for Ctrl+%s", k)
		}
	}
}

func TestDocumentLabel(t *testing.T) {
	if got := documentLabel(tracker.KindOther, "Service Terms"); got != "Service Terms" {
		t.Errorf("other document labelled %q", got)
	}
	if got := documentLabel(tracker.KindPrivacyPolicy, "Privacy Policy (EEA)"); got != "Privacy policy" {
		t.Errorf("privacy policy labelled %q", got)
	}
}

// The record shows the readings the word model set aside under the
// findings, with or without findings beside them.
func TestRecordShowsSetAsideReadings(t *testing.T) {
	test.NewTempApp(t)
	aside := []analysis.SetAside{{Category: "liability", Rule: "liability/liability",
		Sentence: "A note on accuracy: assistants answer by predicting the next word.", Probability: 0.03}}
	for name, res := range map[string]analysis.Result{
		"no findings": {Substantive: true, Exposure: analysis.LevelLow, SetAside: aside},
		"a finding": {Substantive: true, Exposure: analysis.LevelMedium, SetAside: aside,
			Findings: []analysis.Finding{{Category: "retention", Direction: "added", Exposure: analysis.LevelMedium, Evidence: "We keep logs for a year."}}},
	} {
		var all []string
		for _, b := range recordBlocks(record.Build(res, record.Input{}), false) {
			if rt, ok := b.make().(*widget.RichText); ok {
				all = append(all, segmentsText(rt.Segments))
			}
		}
		text := strings.Join(all, "\n")
		for _, want := range []string{record.SetAsideNote, "A note on accuracy", "probability of 0.03"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the record lacks %q", name, want)
			}
		}
	}
}

// segmentsText flattens rich-text segments, list items included.
func segmentsText(segs []widget.RichTextSegment) string {
	var b strings.Builder
	for _, s := range segs {
		switch t := s.(type) {
		case *widget.ListSegment:
			b.WriteString(segmentsText(t.Items))
		case *widget.ParagraphSegment:
			b.WriteString(segmentsText(t.Texts))
		case *widget.TextSegment:
			b.WriteString(t.Text + "\n")
		}
	}
	return b.String()
}
