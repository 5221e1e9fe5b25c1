// Package alerts turns PolicyWatch alerts into messages and delivers them:
// e-mail over SMTP (STARTTLS or implicit TLS, with authentication) and
// webhooks posting JSON (PolicyWatch's own shape, or Slack- and
// Teams-compatible payloads). It knows nothing of the archive: tracker
// decides what to send to whom, records every delivery and retries; this
// package renders a Message and reports whether a transport took it, with
// errors that say whether trying again can help and never contain a secret.
package alerts

import (
	"fmt"
	"strings"
	"time"
)

// Message kinds.
const (
	KindChange = "change" // one change, sent as soon as it is found
	KindDigest = "digest" // the changes of a day or a week
	KindHealth = "health" // a document that keeps failing its checks
	KindTest   = "test"   // a test sent from Settings or `alerts test`
)

// Message is one alert as every channel renders it.
type Message struct {
	// Kind is KindChange, KindDigest, KindHealth or KindTest.
	Kind string
	// Subject is a one-line summary (e-mail subject, notification title).
	Subject string
	// Intro is a sentence before the items ("3 changes since 4 May").
	Intro string
	// At is when the message was made.
	At time.Time
	// Organisation is the profile's organisation, when set.
	Organisation string
	// Changes are the changes the message reports, most exposed first.
	Changes []Change
	// Health are the documents whose tracking is failing.
	Health []Health
	// Attachments go with e-mail only (webhooks carry links).
	Attachments []Attachment
	// ID identifies the delivery (a stable Message-ID and idempotency key).
	ID string
}

// Change is one changed document in a message.
type Change struct {
	ID           int64     `json:"id"`
	Link         string    `json:"link"` // policywatch://change/ID, opens the change in the app
	Platform     string    `json:"platform"`
	PlatformSlug string    `json:"platform_slug"`
	DocumentID   int64     `json:"document_id"`
	Document     string    `json:"document"` // its title
	Kind         string    `json:"kind"`
	URL          string    `json:"url"`
	DetectedAt   time.Time `json:"detected_at"`
	Exposure     string    `json:"exposure"`
	Rationale    string    `json:"rationale"`
	Summary      string    `json:"summary"`
	AddedWords   int       `json:"added_words"`
	RemovedWords int       `json:"removed_words"`
	// Findings are the top findings, most exposed first.
	Findings []Finding `json:"findings"`
	// MoreFindings counts findings left out of Findings.
	MoreFindings int `json:"more_findings"`
	// Sentences are changed sentences before and after.
	Sentences []Sentences `json:"sentences"`
}

// Finding is one finding with its citations.
type Finding struct {
	Category  string     `json:"category"`
	Direction string     `json:"direction"`
	Exposure  string     `json:"exposure"`
	Heading   string     `json:"heading,omitempty"`
	Evidence  string     `json:"evidence"`
	Citations []Citation `json:"citations"`
}

// Citation is one provision a finding engages in one jurisdiction.
type Citation struct {
	Jurisdiction string `json:"jurisdiction"`
	Framework    string `json:"framework"`
	Citation     string `json:"citation"`
	Title        string `json:"title"`
}

// String reads "EU: GDPR Art. 6(1) (Lawfulness of processing)".
func (c Citation) String() string {
	s := c.Jurisdiction + ": " + c.Framework + " " + c.Citation
	if c.Title != "" {
		s += " (" + c.Title + ")"
	}
	return s
}

// Sentences is one changed passage: the sentences before and after.
type Sentences struct {
	Heading string `json:"heading,omitempty"`
	Before  string `json:"before"`
	After   string `json:"after"`
}

// Health is a document whose checks keep failing.
type Health struct {
	DocumentID int64     `json:"document_id"`
	Platform   string    `json:"platform"`
	Document   string    `json:"document"`
	URL        string    `json:"url"`
	Failures   int       `json:"failures"` // failed checks in a row
	Since      time.Time `json:"since"`    // the first of them
	Last       time.Time `json:"last"`     // the latest
	Reason     string    `json:"reason"`   // the latest failure's reason (blocked, network…)
	Advice     string    `json:"advice"`
}

// Attachment is a file sent with an e-mail.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// ExposureWord capitalises an exposure level for display ("High"; "None" for none).
func ExposureWord(level string) string {
	if level == "" {
		level = "none"
	}
	return strings.ToUpper(level[:1]) + level[1:]
}

// when formats a time for people, in UTC so every reader sees the same.
func when(t time.Time) string { return t.UTC().Format("Mon 2 Jan 2006 15:04 UTC") }

// plural reads "1 change", "3 changes".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
