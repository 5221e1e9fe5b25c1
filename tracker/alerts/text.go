package alerts

import (
	"fmt"
	"strings"
)

// Text renders the message as plain text, the body of an e-mail.
func Text(m Message) string {
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	if m.Intro != "" {
		line("%s", m.Intro)
		line("")
	}
	for i, c := range m.Changes {
		if i > 0 {
			line("")
			line("%s", strings.Repeat("-", 72))
			line("")
		}
		writeChange(&b, c)
	}
	if len(m.Health) > 0 && len(m.Changes) > 0 {
		line("")
		line("%s", strings.Repeat("-", 72))
		line("")
	}
	for i, h := range m.Health {
		if i > 0 {
			line("")
		}
		writeHealth(&b, h)
	}
	if m.Kind == KindTest {
		line("This is a test alert from PolicyWatch: this channel works.")
	}
	line("")
	line("-- ")
	footer := "Sent by PolicyWatch"
	if m.Organisation != "" {
		footer += " for " + m.Organisation
	}
	line("%s at %s.", footer, when(m.At))
	return b.String()
}

func writeChange(b *strings.Builder, c Change) {
	line := func(format string, a ...any) { fmt.Fprintf(b, format+"\n", a...) }
	line("%s: %s changed", c.Platform, c.Document)
	line("Exposure: %s", ExposureWord(c.Exposure))
	line("Detected: %s", when(c.DetectedAt))
	line("Document: %s", c.URL)
	line("Open in PolicyWatch: %s", c.Link)
	line("")
	if c.Summary != "" {
		line("%s", c.Summary)
		line("")
	}
	if c.Rationale != "" {
		line("Why: %s", c.Rationale)
		line("")
	}
	if len(c.Findings) > 0 {
		line("Top findings:")
		for _, f := range c.Findings {
			line("  * %s (%s, %s)%s", f.Category, f.Direction, f.Exposure, headingSuffix(f.Heading))
			line("    \"%s\"", f.Evidence)
			for _, ci := range f.Citations {
				line("    - %s", ci)
			}
		}
		if c.MoreFindings > 0 {
			line("  … and %s more in the app.", plural(c.MoreFindings, "finding"))
		}
		line("")
	}
	if len(c.Sentences) > 0 {
		line("What changed:")
		for _, s := range c.Sentences {
			if s.Heading != "" {
				line("  Under %s", s.Heading)
			}
			if s.Before != "" {
				line("  Before: %s", s.Before)
			}
			if s.After != "" {
				line("  After:  %s", s.After)
			}
			line("")
		}
	}
	line("+%d / -%d words.", c.AddedWords, c.RemovedWords)
}

func headingSuffix(h string) string {
	if h == "" {
		return ""
	}
	return " under " + h
}

func writeHealth(b *strings.Builder, h Health) {
	line := func(format string, a ...any) { fmt.Fprintf(b, format+"\n", a...) }
	line("Tracking problem: %s: %s", h.Platform, h.Document)
	line("Document: %s", h.URL)
	line("%s in a row since %s; the latest at %s.", plural(h.Failures, "failed check"), when(h.Since), when(h.Last))
	line("Reason: %s", h.Reason)
	if h.Advice != "" {
		line("What to do: %s", h.Advice)
	}
	line("Until it is fixed, changes to this document go unnoticed.")
}

// Short renders the message in a few lines, for a desktop notification.
func Short(m Message) string {
	var parts []string
	for i, c := range m.Changes {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(m.Changes)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s)", c.Platform, strings.ToLower(c.Document), c.Exposure))
	}
	for i, h := range m.Health {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more failing", len(m.Health)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s failing: %s", h.Platform, strings.ToLower(h.Document), h.Reason))
	}
	if m.Kind == KindTest {
		parts = append(parts, "Desktop notifications work.")
	}
	return strings.Join(parts, ", ")
}
