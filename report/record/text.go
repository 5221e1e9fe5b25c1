package record

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// TextOptions tune WriteText.
type TextOptions struct {
	// Passages prints the flagged passages in full under "What changed";
	// without it the section only counts them.
	Passages bool
}

// WriteText writes a record for a person reading a terminal, section by
// section in Sections order. Changed words are marked [-removed-] and
// {+added+}, so the text reads without colour; links show their address in
// angle brackets.
func WriteText(w io.Writer, r *Record, opts TextOptions) error {
	bw := bufio.NewWriter(w)
	line := func(format string, a ...any) { fmt.Fprintf(bw, format+"\n", a...) }
	bullets := func(items []string) {
		for _, it := range items {
			line("  • %s", it)
		}
	}
	if !r.Substantive && len(r.Findings) == 0 {
		line("No substantive change: the edits are cosmetic (whitespace, punctuation, quotes, links or a date).")
		return bw.Flush()
	}
	for _, s := range Sections {
		if s == SectionOthers && len(r.Others) == 0 {
			continue // comparisons need an archive
		}
		if s == SectionExposure {
			line("\n%s: %s", s.Title(), strings.ToUpper(r.Exposure))
		} else {
			line("\n%s", s.Title())
		}
		if empty := r.Empty(s); empty != "" {
			line("  %s", empty)
			if s == SectionFindings {
				setAside(line, r.SetAside)
			}
			continue
		}
		switch s {
		case SectionSummary:
			line("  %s", r.Summary)
		case SectionLandscape:
			for _, p := range r.Landscape {
				head := p.Label + " — " + p.Title
				if len(p.Jurisdictions) > 0 {
					head += " (" + strings.Join(p.Jurisdictions, ", ") + ")"
				}
				line("  • %s", head)
				if p.Why != "" {
					line("    %s", p.Why)
				}
			}
		case SectionExposure:
			line("  %s", r.Rationale)
		case SectionFindings:
			for i, f := range r.Findings {
				line("  %d. %s — %s, %s exposure%s", i+1, f.CategoryName, f.Direction, f.Exposure, effectText(f.Effect))
				if f.Heading != "" {
					line("     Under: %s", f.Heading)
				}
				line("     Before: %s", textOr(f.Before, "(not in the previous version)"))
				line("     After:  %s", textOr(f.After, "(removed)"))
				if f.Explanation != "" {
					line("     %s", f.Explanation)
				}
				for _, j := range f.Jurisdictions {
					line("     %s: %s", j.Code, strings.Join(j.Provisions, "; "))
				}
				if f.Rationale != "" {
					line("     %s", f.Rationale)
				}
			}
			setAside(line, r.SetAside)
		case SectionFlags:
			for _, f := range r.Flags {
				l := fmt.Sprintf("%s: %s — %s", f.Code, strings.ToUpper(f.Exposure), strings.Join(f.Categories, "; "))
				if len(f.Frameworks) > 0 {
					l += " (" + strings.Join(f.Frameworks, ", ") + ")"
				}
				line("  • %s", l)
			}
		case SectionContract:
			bullets(r.Contract)
		case SectionCompliance:
			bullets(r.Compliance)
		case SectionChecklist:
			for _, it := range r.Checklist {
				l := "[" + it.CategoryName + "] " + it.Text
				if it.Status != "" {
					l += fmt.Sprintf(" (%s, owner %s, due %s)", it.Status, orDefault(it.Owner, "–"), orDefault(it.Due, "–"))
				}
				line("  • %s", l)
			}
		case SectionOthers:
			for _, o := range r.Others {
				line("  • %s — %s: “%s”", o.CategoryName, o.Platform, o.Quote)
			}
		case SectionPassages:
			order := r.FlaggedFirst()
			flagged := 0
			for _, i := range order {
				if r.Passages[i].Flagged {
					flagged++
				}
			}
			line("  %d changed passages, %d of them quoted by a finding; %d cosmetic edits.", len(order), flagged, len(r.Cosmetic()))
			if !opts.Passages {
				continue
			}
			for _, i := range order {
				p := r.Passages[i]
				if !p.Flagged {
					break
				}
				writePassageText(bw, p)
			}
		}
	}
	return bw.Flush()
}

// writePassageText prints one passage: its heading, then each sentence,
// "-" before and "+" after for changed ones.
func writePassageText(w *bufio.Writer, p Passage) {
	fmt.Fprintf(w, "\n  @@ %s @@ %s\n", p.Op, orDefault(p.Heading, "(top of document)"))
	for _, s := range p.Sentences {
		switch {
		case !s.Changed:
			fmt.Fprintf(w, "    %s\n", TextWithLinks(s.After))
		default:
			if s.Before != nil {
				fmt.Fprintf(w, "  - %s\n", TextWithLinks(s.Before))
			}
			if s.After != nil {
				fmt.Fprintf(w, "  + %s\n", TextWithLinks(s.After))
			}
		}
	}
}

// TextWithLinks is Marked with each link's address after its text, in
// angle brackets.
func TextWithLinks(spans []Span) string {
	var out []Span
	for i, s := range spans {
		out = append(out, s)
		if s.URL != "" && (i+1 == len(spans) || spans[i+1].URL != s.URL) {
			out = append(out, Span{Text: " <" + s.URL + ">", Mark: s.Mark})
		}
	}
	return Marked(out)
}

func textOr(spans []Span, empty string) string {
	if len(spans) == 0 {
		return empty
	}
	return TextWithLinks(spans)
}

// effectText phrases a finding's effect after its direction.
func effectText(effect string) string {
	if effect == "" || effect == "changes" {
		return ""
	}
	return ", " + strings.ReplaceAll(effect, "-", " ")
}

// setAside writes the readings the word model set aside, if any.
func setAside(line func(string, ...any), lines []string) {
	if len(lines) == 0 {
		return
	}
	line("  %s", SetAsideNote)
	for _, l := range lines {
		line("  • %s", l)
	}
}
