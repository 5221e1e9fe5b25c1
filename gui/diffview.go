package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker/analysis"
)

// maxDiffHunks caps the hunks drawn at once; a longer diff says how many
// more there are (the PDF and XLSX carry them all).
const maxDiffHunks = 250

// Diff markers: removed text is shown as [-text-] in the error colour and
// italic, added text as {+text+} in the success colour and bold, so the
// difference reads without colour too. Whole blocks carry a "+ " or "- "
// prefix.
const (
	removedOpen, removedClose = "[-", "-]"
	addedOpen, addedClose     = "{+", "+}"
)

// diffSegments renders the word-level diff of a change's hunks, grouped
// under their heading paths. Cosmetic hunks are listed last, in one line each.
func diffSegments(hunks []analysis.Hunk) []widget.RichTextSegment {
	var out []widget.RichTextSegment
	add := func(s ...widget.RichTextSegment) { out = append(out, s...) }
	add(rtLine(rtInline("Legend: ", fyne.TextStyle{Bold: true}, ""),
		rtInline(removedOpen+"removed"+removedClose, fyne.TextStyle{Italic: true}, theme.ColorNameError),
		rtInline("  ", fyne.TextStyle{}, ""),
		rtInline(addedOpen+"added"+addedClose, fyne.TextStyle{Bold: true}, theme.ColorNameSuccess),
		rtInline("  · whole paragraphs start with + (added) or - (removed)", fyne.TextStyle{}, ""))...)
	var cosmetic []analysis.Hunk
	shown, lastHeading := 0, "\x00"
	for _, h := range hunks {
		if !h.Substantive {
			cosmetic = append(cosmetic, h)
			continue
		}
		if shown == maxDiffHunks {
			add(rtNote(fmt.Sprintf("… %d more changed passages are not shown here; export a report to read them all.", countSubstantive(hunks)-shown)))
			break
		}
		shown++
		if h.Heading != lastHeading {
			lastHeading = h.Heading
			add(rtHeading(orDefault(h.Heading, "(before the first heading)")))
		}
		add(hunkSegments(h)...)
	}
	if shown == 0 {
		add(rtNote("No passage changed meaning."))
	}
	if len(cosmetic) > 0 {
		add(rtHeading(fmt.Sprintf("Cosmetic edits (%d)", len(cosmetic))))
		var lines []string
		for i, h := range cosmetic {
			if i == 30 {
				lines = append(lines, fmt.Sprintf("… and %d more", len(cosmetic)-30))
				break
			}
			lines = append(lines, fmt.Sprintf("%s: %s", orDefault(h.Reason, h.Op), clip(orDefault(h.New, h.Old), 140)))
		}
		add(rtList(lines))
	}
	return out
}

// hunkSegments renders one changed block.
func hunkSegments(h analysis.Hunk) []widget.RichTextSegment {
	switch {
	case h.Op == analysis.OpAdded:
		return rtLine(rtInline("+ ", fyne.TextStyle{Bold: true}, theme.ColorNameSuccess),
			rtInline(addedOpen+h.New+addedClose, fyne.TextStyle{Bold: true}, theme.ColorNameSuccess))
	case h.Op == analysis.OpRemoved:
		return rtLine(rtInline("- ", fyne.TextStyle{Bold: true}, theme.ColorNameError),
			rtInline(removedOpen+h.Old+removedClose, fyne.TextStyle{Italic: true}, theme.ColorNameError))
	case h.Op == analysis.OpMoved:
		return rtLine(rtInline("moved: ", fyne.TextStyle{Italic: true}, theme.ColorNamePlaceHolder),
			rtInline(clip(h.New, 300), fyne.TextStyle{}, ""))
	case len(h.Words) > 0:
		var segs []*widget.TextSegment
		prev := ""
		for _, w := range h.Words {
			lead, text, trail := splitSpaces(w.Text)
			if lead == "" && needsSpace(prev, text) {
				lead = "\u00a0" // the word diff's runs meet at word boundaries
			}
			prev = text
			switch w.Op {
			case analysis.OpAdded:
				text = lead + addedOpen + text + addedClose + trail
				segs = append(segs, rtInline(text, fyne.TextStyle{Bold: true}, theme.ColorNameSuccess))
			case analysis.OpRemoved:
				text = lead + removedOpen + text + removedClose + trail
				segs = append(segs, rtInline(text, fyne.TextStyle{Italic: true}, theme.ColorNameError))
			default:
				segs = append(segs, rtInline(lead+text+trail, fyne.TextStyle{}, ""))
			}
			if trail != "" {
				prev = ""
			}
		}
		return rtLine(segs...)
	}
	return rtLine(rtInline(removedOpen+h.Old+removedClose, fyne.TextStyle{Italic: true}, theme.ColorNameError),
		rtInline(" ", fyne.TextStyle{}, ""),
		rtInline(addedOpen+h.New+addedClose, fyne.TextStyle{Bold: true}, theme.ColorNameSuccess))
}

// splitSpaces splits the spaces off both ends of a word run and turns them
// into no-break spaces: rich text drops plain spaces at the edges of inline
// segments, which would glue words to the markers.
func splitSpaces(s string) (lead, text, trail string) {
	text = strings.TrimLeft(s, " ")
	lead = strings.Repeat("\u00a0", len(s)-len(text))
	trimmed := strings.TrimRight(text, " ")
	trail = strings.Repeat("\u00a0", len(text)-len(trimmed))
	return lead, trimmed, trail
}

// needsSpace reports whether two word runs that meet without spacing need a
// space between them: not at the start, and not before closing punctuation
// or after an opening bracket.
func needsSpace(prev, next string) bool {
	if prev == "" || next == "" {
		return false
	}
	if strings.ContainsRune(".,;:!?)]}%”’'\"", rune(next[0])) {
		return false
	}
	return !strings.ContainsRune("([{“‘/-", lastRune(prev))
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}

func countSubstantive(hunks []analysis.Hunk) int {
	n := 0
	for _, h := range hunks {
		if h.Substantive {
			n++
		}
	}
	return n
}

// clip shortens s to n runes on one line.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// diffText is rich text as plain text, markers included (tests, copy).
func diffText(segs []widget.RichTextSegment) string {
	var b strings.Builder
	for _, s := range segs {
		switch t := s.(type) {
		case *widget.TextSegment:
			b.WriteString(t.Text)
			if !t.Inline() {
				b.WriteByte('\n')
			}
		case *widget.ListSegment:
			for _, it := range t.Items {
				b.WriteString("• ")
				b.WriteString(diffText([]widget.RichTextSegment{it}))
			}
		case *widget.ParagraphSegment:
			b.WriteString(diffText(t.Texts))
		}
	}
	return b.String()
}
