package alerts

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Webhook payload formats.
const (
	FormatJSON  = "json"  // PolicyWatch's own JSON (below)
	FormatSlack = "slack" // Slack incoming-webhook message with blocks
	FormatTeams = "teams" // Microsoft Teams message carrying an Adaptive Card
)

// Formats lists the webhook formats.
var Formats = []string{FormatJSON, FormatSlack, FormatTeams}

// Payload is the JSON a webhook of format json receives. Its fields are
// stable: scripts rely on them.
type Payload struct {
	Type         string    `json:"type"` // change, digest, health, test
	ID           string    `json:"id"`   // the same on every retry of one delivery
	Subject      string    `json:"subject"`
	Intro        string    `json:"intro,omitempty"`
	SentAt       time.Time `json:"sent_at"`
	Organisation string    `json:"organisation,omitempty"`
	Changes      []Change  `json:"changes"`
	Health       []Health  `json:"health"`
}

// Body renders m in the given webhook format.
func Body(m Message, format string) ([]byte, error) {
	switch format {
	case FormatJSON, "":
		p := Payload{Type: m.Kind, ID: m.ID, Subject: m.Subject, Intro: m.Intro, SentAt: m.At.UTC(),
			Organisation: m.Organisation, Changes: m.Changes, Health: m.Health}
		if p.Changes == nil {
			p.Changes = []Change{}
		}
		if p.Health == nil {
			p.Health = []Health{}
		}
		for i := range p.Changes {
			if p.Changes[i].Findings == nil {
				p.Changes[i].Findings = []Finding{}
			}
			if p.Changes[i].Sentences == nil {
				p.Changes[i].Sentences = []Sentences{}
			}
		}
		return json.Marshal(p)
	case FormatSlack:
		return json.Marshal(slack(m))
	case FormatTeams:
		return json.Marshal(teams(m))
	}
	return nil, fmt.Errorf("unknown webhook format %q (one of %s)", format, strings.Join(Formats, ", "))
}

// Slack limits: a section's text and a message's blocks.
const (
	slackSectionMax = 2900
	slackBlocksMax  = 48
)

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

type slackMessage struct {
	Text   string       `json:"text"` // notification and fallback text
	Blocks []slackBlock `json:"blocks"`
}

// slackEscape escapes the three characters Slack's mrkdwn reserves.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func slack(m Message) slackMessage {
	msg := slackMessage{Text: m.Subject}
	add := func(b slackBlock) {
		if len(msg.Blocks) < slackBlocksMax {
			msg.Blocks = append(msg.Blocks, b)
		}
	}
	section := func(s string) {
		add(slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: clip(s, slackSectionMax)}})
	}
	add(slackBlock{Type: "header", Text: &slackText{Type: "plain_text", Text: clip(m.Subject, 150)}})
	if m.Intro != "" {
		section(slackEscape(m.Intro))
	}
	for _, c := range m.Changes {
		var b strings.Builder
		fmt.Fprintf(&b, "*%s: <%s|%s>* — exposure *%s*\nDetected %s · open in the app: `%s`\n",
			slackEscape(c.Platform), c.URL, slackEscape(c.Document), ExposureWord(c.Exposure), when(c.DetectedAt), c.Link)
		if c.Rationale != "" {
			fmt.Fprintf(&b, "%s\n", slackEscape(c.Rationale))
		}
		for _, f := range c.Findings {
			fmt.Fprintf(&b, "• *%s* (%s, %s): _%s_\n", f.Category, f.Direction, f.Exposure, slackEscape(clip(f.Evidence, 300)))
			for _, ci := range f.Citations {
				fmt.Fprintf(&b, "    %s\n", slackEscape(ci.String()))
			}
		}
		section(b.String())
		for _, s := range c.Sentences {
			var p strings.Builder
			if s.Before != "" {
				fmt.Fprintf(&p, "*Before:* %s\n", slackEscape(clip(s.Before, 1200)))
			}
			if s.After != "" {
				fmt.Fprintf(&p, "*After:* %s", slackEscape(clip(s.After, 1200)))
			}
			section(p.String())
		}
		add(slackBlock{Type: "divider"})
	}
	for _, h := range m.Health {
		section(fmt.Sprintf("*Tracking problem: %s: <%s|%s>*\n%s in a row since %s; reason *%s*.\n%s",
			slackEscape(h.Platform), h.URL, slackEscape(h.Document), plural(h.Failures, "failed check"), when(h.Since),
			slackEscape(h.Reason), slackEscape(h.Advice)))
	}
	if m.Kind == KindTest {
		section("This is a test alert from PolicyWatch: this channel works.")
	}
	add(slackBlock{Type: "context", Elements: []slackText{{Type: "mrkdwn", Text: "Sent by PolicyWatch at " + when(m.At)}}})
	return msg
}

// Teams: an Adaptive Card (schema 1.4) inside a message, the payload Teams
// incoming webhooks and Workflows accept.
type teamsMessage struct {
	Type        string            `json:"type"`
	Attachments []teamsAttachment `json:"attachments"`
}

type teamsAttachment struct {
	ContentType string    `json:"contentType"`
	ContentURL  *string   `json:"contentUrl"`
	Content     teamsCard `json:"content"`
}

type teamsCard struct {
	Schema  string         `json:"$schema"`
	Type    string         `json:"type"`
	Version string         `json:"version"`
	Body    []teamsElement `json:"body"`
}

type teamsElement struct {
	Type    string      `json:"type"`
	Text    string      `json:"text,omitempty"`
	Weight  string      `json:"weight,omitempty"`
	Size    string      `json:"size,omitempty"`
	Wrap    bool        `json:"wrap,omitempty"`
	IsSub   bool        `json:"isSubtle,omitempty"`
	Facts   []teamsFact `json:"facts,omitempty"`
	Spacing string      `json:"spacing,omitempty"`
}

type teamsFact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

func teams(m Message) teamsMessage {
	var body []teamsElement
	text := func(s, weight, size string) {
		body = append(body, teamsElement{Type: "TextBlock", Text: s, Weight: weight, Size: size, Wrap: true})
	}
	text(m.Subject, "Bolder", "Medium")
	if m.Intro != "" {
		text(m.Intro, "", "")
	}
	for _, c := range m.Changes {
		text(fmt.Sprintf("%s: [%s](%s)", c.Platform, c.Document, c.URL), "Bolder", "")
		body = append(body, teamsElement{Type: "FactSet", Facts: []teamsFact{
			{Title: "Exposure", Value: ExposureWord(c.Exposure)},
			{Title: "Detected", Value: when(c.DetectedAt)},
			{Title: "Open in the app", Value: c.Link},
		}})
		if c.Rationale != "" {
			text(c.Rationale, "", "")
		}
		for _, f := range c.Findings {
			var cites []string
			for _, ci := range f.Citations {
				cites = append(cites, ci.String())
			}
			s := fmt.Sprintf("**%s** (%s, %s): _%s_", f.Category, f.Direction, f.Exposure, clip(f.Evidence, 300))
			if len(cites) > 0 {
				s += "\n\n" + strings.Join(cites, "; ")
			}
			text(s, "", "")
		}
		for _, s := range c.Sentences {
			var p []string
			if s.Before != "" {
				p = append(p, "**Before:** "+clip(s.Before, 1200))
			}
			if s.After != "" {
				p = append(p, "**After:** "+clip(s.After, 1200))
			}
			text(strings.Join(p, "\n\n"), "", "")
		}
	}
	for _, h := range m.Health {
		text(fmt.Sprintf("Tracking problem: %s: [%s](%s)", h.Platform, h.Document, h.URL), "Bolder", "")
		text(fmt.Sprintf("%s in a row since %s; reason **%s**. %s", plural(h.Failures, "failed check"), when(h.Since), h.Reason, h.Advice), "", "")
	}
	if m.Kind == KindTest {
		text("This is a test alert from PolicyWatch: this channel works.", "", "")
	}
	body = append(body, teamsElement{Type: "TextBlock", Text: "Sent by PolicyWatch at " + when(m.At), IsSub: true, Wrap: true, Size: "Small"})
	return teamsMessage{Type: "message", Attachments: []teamsAttachment{{
		ContentType: "application/vnd.microsoft.card.adaptive",
		Content: teamsCard{Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard",
			Version: "1.4", Body: body},
	}}}
}

// clip shortens s to at most n bytes at a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && cut < len(s) && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
