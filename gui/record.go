package gui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"policywatch/tracker"
	"policywatch/tracker/analysis"
)

// peersPerCategory caps the platforms quoted per category.
const peersPerCategory = 4

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
	return &widget.TextSegment{Text: text, Style: widget.RichTextStyle{Inline: true, ColorName: color,
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

// recordSegments renders a change's full analysis record in the order the
// PDF and the XLSX use: summary, governance exposure, findings, regulatory
// landscape, jurisdiction flags, contract and vendor implications,
// compliance considerations, due-diligence checklist, and how other tracked
// platforms handle the same provisions.
func recordSegments(d tracker.ChangeDetail, peers []tracker.Comparable) []widget.RichTextSegment {
	r := d.Record
	var out []widget.RichTextSegment
	add := func(s ...widget.RichTextSegment) { out = append(out, s...) }
	section := func(title string, items []string, empty string) {
		add(rtHeading(title))
		if len(items) == 0 {
			add(rtNote(empty))
			return
		}
		add(rtList(items))
	}
	add(rtHeading("Summary"))
	add(rtPara(orDefault(r.Summary, d.Summary)))
	if !r.Substantive {
		add(rtNote("Cosmetic only: wording, punctuation, layout or a date changed; no provision changed meaning."))
	}
	add(rtHeading("Governance exposure"))
	level := orDefault(string(r.Exposure), d.Exposure)
	add(rtLine(rtInline(exposureLabel(level), fyne.TextStyle{Bold: true}, exposureThemeColor(level)),
		rtInline(" — "+orDefault(r.Rationale, d.Rationale), fyne.TextStyle{}, ""))...)
	var findings []string
	for _, f := range r.Findings {
		line := fmt.Sprintf("%s (%s, %s exposure)", f.Category, f.Direction, f.Exposure)
		if f.Effect != "" {
			line += ", " + f.Effect
		}
		if f.Heading != "" {
			line += " — under “" + f.Heading + "”"
		}
		line += ": “" + strings.TrimSpace(f.Evidence) + "”"
		if f.Rationale != "" {
			line += " " + f.Rationale
		}
		findings = append(findings, line)
	}
	section("Findings and evidence", findings, "No provision of the rules was engaged.")
	var land []string
	for _, p := range r.Landscape {
		line := fmt.Sprintf("%s %s — %s", p.Framework, p.Citation, p.Title)
		if len(p.Jurisdictions) > 0 {
			line += " [" + strings.Join(p.Jurisdictions, ", ") + "]"
		}
		if p.Why != "" {
			line += ": " + p.Why
		}
		land = append(land, line)
	}
	section("Regulatory landscape", land, "No framework is engaged for the jurisdictions in your profile.")
	var flags []string
	for _, f := range r.Flags {
		line := fmt.Sprintf("%s: %s — %s", f.Code, strings.ToUpper(string(f.Exposure)), strings.Join(f.Categories, ", "))
		if len(f.Frameworks) > 0 {
			line += " (" + strings.Join(f.Frameworks, ", ") + ")"
		}
		flags = append(flags, line)
	}
	section("Jurisdiction flags", flags, "No jurisdiction is flagged.")
	section("Contract and vendor implications", r.ContractImplications, "None identified.")
	section("Compliance considerations", r.ComplianceConsiderations, "None identified.")
	var steps []string
	for _, it := range r.Checklist {
		steps = append(steps, fmt.Sprintf("[%s] %s", it.Category, it.Text))
	}
	section("Due-diligence checklist", steps, "No due-diligence step: the change engages no provision.")
	if len(steps) > 0 {
		add(rtNote("Track each step's status, owner and due date in the Checklist tab of this change."))
	}
	var peerLines []string
	shown, more := map[string]int{}, map[string]int{}
	for _, p := range peers {
		if shown[p.Category] == peersPerCategory {
			more[p.Category]++
			continue
		}
		shown[p.Category]++
		quote := ""
		if len(p.Excerpts) > 0 {
			quote = ": “" + clip(strings.Join(p.Excerpts, " … "), 400) + "”"
		}
		peerLines = append(peerLines, fmt.Sprintf("%s — %s %s (version #%d of %s)%s", p.Category, p.PlatformName,
			strings.ToLower(tracker.KindTitle(p.Kind)), p.VersionID, p.FetchedAt.Local().Format("2006-01-02"), quote))
	}
	var cats []string
	for cat := range more {
		cats = append(cats, cat)
	}
	sort.Strings(cats)
	for _, cat := range cats {
		peerLines = append(peerLines, fmt.Sprintf("%s — %d more platform(s) address it too.", cat, more[cat]))
	}
	empty := "No other tracked platform's archived documents address these categories."
	if len(r.Findings) == 0 {
		empty = "Nothing to compare: the change has no findings."
	}
	section("How other tracked platforms handle this", peerLines, empty)
	return out
}

// exposureThemeColor maps a level to a theme colour name for rich text.
func exposureThemeColor(level string) fyne.ThemeColorName {
	switch level {
	case tracker.ExposureHigh:
		return theme.ColorNameError
	case tracker.ExposureMedium, tracker.ExposureLow:
		return theme.ColorNameWarning
	}
	return theme.ColorNameForeground
}

// resultAsDetail wraps a Compare result so recordSegments can render it.
func resultAsDetail(r analysis.Result) tracker.ChangeDetail {
	var d tracker.ChangeDetail
	d.Record = r
	d.Summary, d.Exposure, d.Rationale, d.Substantive = r.Summary, string(r.Exposure), r.Rationale, r.Substantive
	return d
}
