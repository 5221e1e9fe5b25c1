package gui

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/report/record"
	"policywatch/tracker"
)

// Rich-text building blocks.

func rtHeading(text string) widget.RichTextSegment {
	return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{ColorName: theme.ColorNameForeground,
		SizeName: theme.SizeNameSubHeadingText, TextStyle: fyne.TextStyle{Bold: true}}}
}

func rtPara(text string) widget.RichTextSegment {
	return &widget.TextSegment{Text: text, Style: widget.RichTextStyleParagraph}
}

func rtNote(text string) widget.RichTextSegment {
	return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder,
		SizeName: theme.SizeNameText, TextStyle: fyne.TextStyle{Italic: true}}}
}

func rtInline(text string, style fyne.TextStyle, color fyne.ThemeColorName) *widget.TextSegment {
	if color == "" {
		color = theme.ColorNameForeground
	}
	return &widget.TextSegment{Text: keepSpaces(text), Style: widget.RichTextStyle{Inline: true, ColorName: color,
		SizeName: theme.SizeNameText, TextStyle: style}}
}

// rtLine ends a run of inline segments as one paragraph.
func rtLine(segs ...*widget.TextSegment) []widget.RichTextSegment {
	out := make([]widget.RichTextSegment, len(segs))
	for i, s := range segs {
		if i == len(segs)-1 {
			s.Style.Inline = false
		}
		out[i] = s
	}
	return out
}

func rtList(items []string) widget.RichTextSegment {
	l := &widget.ListSegment{}
	for _, it := range items {
		l.Items = append(l.Items, &widget.ParagraphSegment{Texts: []widget.RichTextSegment{rtPara(it)}})
	}
	return l
}

// Marks drawn on changed words so that the diff reads without colour:
// added words are underlined (a combining low line after each character),
// removed words struck through (a combining long stroke).
const (
	underlineMark = '\u0332'
	strikeMark    = '\u0336'
)

// decorate draws mark through every character of s but spaces at its ends.
func decorate(s string, mark rune) string {
	var b strings.Builder
	b.Grow(len(s) * 3)
	trimmed := strings.TrimRight(s, " ")
	for i, r := range trimmed {
		b.WriteRune(r)
		if r != '\n' && (r != ' ' || i > 0) {
			b.WriteRune(mark)
		}
	}
	b.WriteString(s[len(trimmed):])
	return b.String()
}

// undecorate removes the marks decorate drew (tests and copies read it).
func undecorate(s string) string {
	if !strings.ContainsRune(s, underlineMark) && !strings.ContainsRune(s, strikeMark) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == underlineMark || r == strikeMark {
			return -1
		}
		return r
	}, s)
}

// spanSegments renders spans as inline rich text: Markdown bold and italic,
// links as text in the link colour numbered into links, added words in the success
// colour (with marks, bold and underlined), removed words in the error
// colour (with marks, struck through), and muted context in the
// placeholder colour. A "\n" span ends the line.
func spanSegments(spans []record.Span, links *[]record.Link, muted, marks bool) []widget.RichTextSegment {
	var out []widget.RichTextSegment
	for i, s := range spans {
		if s.Text == "\n" {
			out = append(out, &widget.TextSegment{Text: "", Style: widget.RichTextStyle{ColorName: theme.ColorNameForeground}})
			continue
		}
		style := fyne.TextStyle{Bold: s.Bold, Italic: s.Italic, Monospace: s.Code}
		color := theme.ColorNameForeground
		text := s.Text
		switch s.Mark {
		case record.MarkAdded:
			color = theme.ColorNameSuccess
			if marks {
				style.Bold, text = true, decorate(text, underlineMark)
			}
		case record.MarkRemoved:
			color = theme.ColorNameError
			if marks {
				text = decorate(text, strikeMark)
			}
		default:
			if muted {
				color = theme.ColorNamePlaceHolder
			}
		}
		if s.URL != "" && s.Mark == record.MarkEqual {
			// a link reads as text in the link colour (hyperlink segments do
			// not wrap); its address is in the notes under the block
			color = theme.ColorNameHyperlink
		}
		if s.URL != "" && links != nil && (i+1 == len(spans) || spans[i+1].URL != s.URL) {
			trimmed := strings.TrimRight(text, " ")
			text = trimmed + fmt.Sprintf(" [%d]", noteNumber(links, s)) + text[len(trimmed):]
		}
		for _, w := range wordPieces(text) {
			// A zero-width space leads each word: Fyne's wrap breaks a
			// segment that starts with less than a character of room left
			// one character per line; with a first character that always
			// fits, it moves the word to the next line instead.
			out = append(out, rtInline(zwsp+w, style, color))
		}
	}
	return out
}

// zwsp is a zero-width space.
const zwsp = "\u200b"

// wordPieces splits text after each run of spaces. Rich text wraps a long
// segment by measuring ever shorter prefixes of it; a segment per word is
// measured once (and often from the text cache), which makes laying out a
// long passage several times cheaper.
func wordPieces(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == ' ' && (i+1 == len(text) || text[i+1] != ' ') {
			out = append(out, text[start:i+1])
			start = i + 1
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// keepSpaces turns the spaces at the ends of an inline segment into
// no-break spaces: rich text drops plain spaces at the edges of inline
// segments, which would glue words to their neighbours.
func keepSpaces(s string) string {
	t := strings.TrimLeft(s, " ")
	lead := len(s) - len(t)
	u := strings.TrimRight(t, " ")
	trail := len(t) - len(u)
	if lead == 0 && trail == 0 {
		return s
	}
	return strings.Repeat("\u00a0", lead) + u + strings.Repeat("\u00a0", trail)
}

// noteNumber numbers a link among links, adding it when new.
func noteNumber(links *[]record.Link, s record.Span) int {
	for i, l := range *links {
		if l.URL == s.URL {
			return i + 1
		}
	}
	*links = append(*links, record.Link{Text: s.Text, URL: s.URL})
	return len(*links)
}

// labelled renders one line: a bold muted label, then spans, ending the
// paragraph.
func labelled(label string, spans []record.Span, empty string, links *[]record.Link, muted, marks bool) []widget.RichTextSegment {
	segs := []widget.RichTextSegment{}
	if label != "" {
		segs = append(segs, rtInline(label+"\u00a0\u00a0", fyne.TextStyle{Bold: true}, theme.ColorNamePlaceHolder))
	}
	if len(spans) == 0 {
		segs = append(segs, rtInline(empty, fyne.TextStyle{Italic: true}, theme.ColorNamePlaceHolder))
	} else {
		segs = append(segs, spanSegments(spans, links, muted, marks)...)
	}
	return endLine(segs)
}

// endLine ends a run of inline segments: the last becomes a paragraph end.
func endLine(segs []widget.RichTextSegment) []widget.RichTextSegment {
	if n := len(segs); n > 0 {
		if t, ok := segs[n-1].(*widget.TextSegment); ok {
			t.Style.Inline = false
			return segs
		}
	}
	return append(segs, &widget.TextSegment{Style: widget.RichTextStyle{ColorName: theme.ColorNameForeground}})
}

// linkNotes lists the addresses of a block's links under it.
func linkNotes(links []record.Link) []widget.RichTextSegment {
	var out []widget.RichTextSegment
	for i, l := range links {
		out = append(out, &widget.TextSegment{Text: fmt.Sprintf("[%d] %s", i+1, l.URL),
			Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText}})
	}
	return out
}

// block is one part of a long rendered text, made only when shown.
type block struct {
	// weight estimates the block's rendering cost (characters).
	weight int
	make   func() fyne.CanvasObject
	// passage is the record passage the block shows, or -1.
	passage int
	// section is the record section the block belongs to (in sectioned
	// lists, see recordBlocks).
	section record.Section
}

// richBlock is a block of one word-wrapped rich text.
func richBlock(segs []widget.RichTextSegment, passage int) block {
	w := 0
	for _, s := range segs {
		w += segLen(s)
	}
	return block{weight: w + 40, passage: passage, make: func() fyne.CanvasObject {
		rt := widget.NewRichText(segs...)
		rt.Wrapping = fyne.TextWrapWord
		return rt
	}}
}

func segLen(s widget.RichTextSegment) int {
	switch t := s.(type) {
	case *widget.TextSegment:
		return utf8.RuneCountInString(t.Text)
	case *widget.HyperlinkSegment:
		return len(t.Text)
	case *widget.ListSegment:
		n := 0
		for _, it := range t.Items {
			n += segLen(it)
		}
		return n
	case *widget.ParagraphSegment:
		n := 0
		for _, it := range t.Texts {
			n += segLen(it)
		}
		return n
	}
	return 10
}

// recordBlocks renders a change's analysis record, section by section in
// record.Sections order, as blocks: a section's heading with its content,
// one block per finding. The passages (the Changed text tab's) and the
// sections in skip are left out.
func recordBlocks(r *record.Record, stored bool, skip ...record.Section) []block {
	var out []block
	var cur record.Section
	add := func(segs ...widget.RichTextSegment) {
		b := richBlock(segs, -1)
		b.section = cur
		out = append(out, b)
	}
	for _, s := range record.Sections {
		if s == record.SectionPassages || slices.Contains(skip, s) {
			continue
		}
		cur = s
		title := s.Title()
		if s == record.SectionExposure {
			title += ": " + exposureLabel(r.Exposure)
		}
		empty := r.Empty(s)
		if empty != "" {
			add(rtHeading(title), rtNote(empty))
			if s == record.SectionFindings && len(r.SetAside) > 0 {
				add(rtNote(record.SetAsideNote), rtList(r.SetAside))
			}
			continue
		}
		switch s {
		case record.SectionSummary:
			add(rtHeading(title), rtPara(r.Summary))
		case record.SectionLandscape:
			var lines []string
			for _, p := range r.Landscape {
				line := p.Label + " — " + p.Title
				if len(p.Jurisdictions) > 0 {
					line += " [" + strings.Join(p.Jurisdictions, ", ") + "]"
				}
				if p.Why != "" {
					line += ": " + p.Why
				}
				lines = append(lines, line)
			}
			for i := 0; i < len(lines); i += 12 { // a dozen provisions a block
				segs := []widget.RichTextSegment{}
				if i == 0 {
					segs = append(segs, rtHeading(title))
				}
				add(append(segs, rtList(lines[i:min(i+12, len(lines))]))...)
			}
		case record.SectionExposure:
			add(rtHeading(title), rtPara(r.Rationale))
		case record.SectionFindings:
			add(rtHeading(fmt.Sprintf("%s (%d)", title, len(r.Findings))))
			for i, f := range r.Findings {
				b := findingBlock(i+1, f)
				b.section = s
				out = append(out, b)
			}
			if len(r.SetAside) > 0 {
				add(rtNote(record.SetAsideNote), rtList(r.SetAside))
			}
		case record.SectionFlags:
			var lines []string
			for _, f := range r.Flags {
				line := fmt.Sprintf("%s: %s — %s", f.Code, exposureLabel(f.Exposure), strings.Join(f.Categories, "; "))
				if len(f.Frameworks) > 0 {
					line += " (" + strings.Join(f.Frameworks, ", ") + ")"
				}
				lines = append(lines, line)
			}
			add(rtHeading(title), rtList(lines))
		case record.SectionContract:
			add(rtHeading(title), rtList(r.Contract))
		case record.SectionCompliance:
			add(rtHeading(title), rtList(r.Compliance))
		case record.SectionChecklist:
			var lines []string
			for _, it := range r.Checklist {
				line := "[" + it.CategoryName + "] " + it.Text
				if it.Status != "" {
					line += fmt.Sprintf(" — %s, due %s, owner %s", strings.ToLower(statusTitle(it.Status)), orDefault(it.Due, "not set"), orDefault(it.Owner, "unassigned"))
				}
				lines = append(lines, line)
			}
			segs := []widget.RichTextSegment{rtHeading(title), rtList(lines)}
			if stored {
				segs = append(segs, rtNote("Track each step's status, owner and due date in the Checklist tab of this change."))
			}
			add(segs...)
		case record.SectionOthers:
			var lines []string
			for _, o := range r.Others {
				lines = append(lines, fmt.Sprintf("%s — %s %s (version #%d of %s): “%s”", o.CategoryName, o.Platform,
					strings.ToLower(tracker.KindTitle(o.Kind)), o.VersionID, o.FetchedAt.Local().Format("2006-01-02"), clip(o.Quote, 400)))
			}
			add(rtHeading(title), rtList(lines))
		}
	}
	return out
}

// findingBlock renders one finding: category, direction and exposure, the
// sentence before and after, and the jurisdictions it engages.
func findingBlock(n int, f record.Finding) block {
	head := fmt.Sprintf("%d. %s — %s, %s exposure", n, f.CategoryName, f.Direction, f.Exposure)
	if f.Effect != "" && f.Effect != "changes" {
		head += ", " + strings.ReplaceAll(f.Effect, "-", " ")
	}
	segs := []widget.RichTextSegment{rtInline(head, fyne.TextStyle{Bold: true}, "")}
	if f.Heading != "" {
		segs = append(segs, rtInline("  under “"+f.Heading+"”", fyne.TextStyle{Italic: true}, theme.ColorNamePlaceHolder))
	}
	segs = endLine(segs)
	var links []record.Link
	segs = append(segs, labelled("Before", f.Before, "not in the previous version", &links, false, true)...)
	segs = append(segs, labelled("After", f.After, "removed", &links, false, true)...)
	if f.Explanation != "" {
		segs = append(segs, &widget.TextSegment{Text: f.Explanation, Style: widget.RichTextStyle{ColorName: theme.ColorNameForeground,
			TextStyle: fyne.TextStyle{Italic: true}}})
	}
	var juris []string
	for _, j := range f.Jurisdictions {
		juris = append(juris, j.Code+": "+strings.Join(j.Provisions, "; "))
	}
	if len(juris) > 0 {
		segs = append(segs, &widget.TextSegment{Text: strings.Join(juris, " · "),
			Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText}})
	}
	if f.Rationale != "" {
		segs = append(segs, &widget.TextSegment{Text: f.Rationale,
			Style: widget.RichTextStyle{ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText}})
	}
	segs = append(segs, linkNotes(links)...)
	return richBlock(segs, f.Passage)
}

// blocksText renders blocks as plain text (tests, copy): each block's
// rich text, marks removed.
func blocksText(blocks []block) string {
	var b strings.Builder
	for _, bl := range blocks {
		if rt, ok := bl.make().(*widget.RichText); ok {
			b.WriteString(diffText(rt.Segments))
		}
	}
	return strings.NewReplacer("\u00a0", " ", zwsp, "").Replace(undecorate(b.String()))
}
