package tracker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"policywatch/tracker/alerts"
	"policywatch/tracker/analysis"
)

// Alert channel kinds.
const (
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
	ChannelDesktop = "desktop" // shown by the desktop app while it runs
)

// Digest choices: immediate alerts, or one message a day or a week.
const (
	DigestNone   = "none"
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
)

// Digests lists the digest choices.
var Digests = []string{DigestNone, DigestDaily, DigestWeekly}

// digestPeriod is how often a digest channel sends.
func digestPeriod(d string) time.Duration {
	switch d {
	case DigestDaily:
		return 24 * time.Hour
	case DigestWeekly:
		return 7 * 24 * time.Hour
	}
	return 0
}

// AlertRules select what a channel is told about.
type AlertRules struct {
	// MinExposure is the least exposure a change needs: low, medium or high;
	// none takes every substantive change, findings or not.
	MinExposure string `json:"min_exposure"`
	// Jurisdictions, Categories and Platforms narrow the changes: a change
	// must have a finding in one of the categories and flagged in one of
	// the jurisdictions (at MinExposure or above), on one of the platforms
	// (slugs). Empty lists match everything.
	Jurisdictions []string `json:"jurisdictions"`
	Categories    []string `json:"categories"`
	Platforms     []string `json:"platforms"`
	// Digest is none (a message per change), daily or weekly.
	Digest string `json:"digest"`
	// HealthChecks raises a tracking-health alert when a document has
	// failed this many checks in a row (0 = never); HealthDays when it has
	// been failing for this many days (0 = never).
	HealthChecks int `json:"health_after_checks"`
	HealthDays   int `json:"health_after_days"`
}

// ParseHealthAfter reads --health-after: "3" (failed checks in a row),
// "7d" (days failing) or both, comma-separated ("3,7d"); "" or "0" is off.
func ParseHealthAfter(s string) (checks, days int, err error) {
	for _, part := range strings.Split(s, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		if part == "" {
			continue
		}
		unit := "checks"
		if strings.HasSuffix(part, "d") {
			unit, part = "days", strings.TrimSuffix(part, "d")
		}
		n, convErr := strconv.Atoi(part)
		if convErr != nil || n < 0 {
			return 0, 0, fmt.Errorf("health-after %q: give a number of failed checks (3), of days (7d), or both (3,7d)", s)
		}
		if unit == "days" {
			days = n
		} else {
			checks = n
		}
	}
	return checks, days, nil
}

// HealthText describes the health rule: "3 failed checks in a row or 7 days failing".
func (r AlertRules) HealthText() string {
	var parts []string
	if r.HealthChecks > 0 {
		parts = append(parts, fmt.Sprintf("%d failed checks in a row", r.HealthChecks))
	}
	if r.HealthDays > 0 {
		parts = append(parts, fmt.Sprintf("%d days failing", r.HealthDays))
	}
	if len(parts) == 0 {
		return "off"
	}
	return strings.Join(parts, " or ")
}

// String describes the rules in one line, for listings.
func (r AlertRules) String() string {
	level := "every substantive change"
	if ExposureRank(r.MinExposure) > 0 {
		level = r.MinExposure + " exposure and above"
	}
	parts := []string{level}
	list := func(what string, l []string) {
		if len(l) > 0 {
			parts = append(parts, what+" "+strings.Join(l, ", "))
		}
	}
	list("jurisdictions", r.Jurisdictions)
	list("categories", r.Categories)
	list("platforms", r.Platforms)
	switch r.Digest {
	case DigestDaily, DigestWeekly:
		parts = append(parts, r.Digest+" digest")
	default:
		parts = append(parts, "immediate")
	}
	if h := r.HealthText(); h != "off" {
		parts = append(parts, "health alerts after "+h)
	}
	return strings.Join(parts, "; ")
}

// normalise validates the rules against the archive's vocabularies.
func (r AlertRules) normalise(tx Tx) (AlertRules, error) {
	if r.MinExposure == "" {
		r.MinExposure = ExposureLow
	}
	r.MinExposure = strings.ToLower(r.MinExposure)
	if ExposureRank(r.MinExposure) < 0 {
		return r, fmt.Errorf("unknown exposure %q (one of none, low, medium, high)", r.MinExposure)
	}
	var err error
	if r.Jurisdictions, err = vocabulary(r.Jurisdictions, strings.ToUpper, ValidJurisdiction, "jurisdiction", Jurisdictions); err != nil {
		return r, err
	}
	validCategory := func(c string) bool { return slices.Contains(analysis.CategoryIDs, c) }
	if r.Categories, err = vocabulary(r.Categories, strings.ToLower, validCategory, "category", analysis.CategoryIDs); err != nil {
		return r, err
	}
	if r.Platforms, err = vocabulary(r.Platforms, strings.ToLower, func(string) bool { return true }, "platform", nil); err != nil {
		return r, err
	}
	for _, slug := range r.Platforms {
		if _, err := tx.PlatformBySlug(slug); err != nil {
			return r, unknownPlatform(slug, err)
		}
	}
	if r.Digest == "" {
		r.Digest = DigestNone
	}
	if !slices.Contains(Digests, r.Digest) {
		return r, fmt.Errorf("unknown digest %q (one of %s)", r.Digest, strings.Join(Digests, ", "))
	}
	if r.HealthChecks < 0 || r.HealthDays < 0 {
		return r, errors.New("health-after counts cannot be negative")
	}
	return r, nil
}

// vocabulary trims, cases, deduplicates and checks a list of codes.
func vocabulary(in []string, norm func(string) string, valid func(string) bool, what string, all []string) ([]string, error) {
	var out []string
	for _, v := range in {
		v = norm(strings.TrimSpace(v))
		if v == "" || slices.Contains(out, v) {
			continue
		}
		if !valid(v) {
			return nil, fmt.Errorf("unknown %s %q (one of %s)", what, v, strings.Join(all, ", "))
		}
		out = append(out, v)
	}
	return out, nil
}

// alertFacts is what rules look at in a change.
type alertFacts struct {
	platform    string
	substantive bool
	exposure    string
	findings    []FindingRow
}

// matches reports whether the rules take the change, and the findings
// that made them (all findings when the rules name no category or jurisdiction).
func (r AlertRules) matches(c alertFacts) (bool, []FindingRow) {
	if !c.substantive {
		return false, nil
	}
	if len(r.Platforms) > 0 && !slices.Contains(r.Platforms, c.platform) {
		return false, nil
	}
	min := ExposureRank(r.MinExposure)
	if len(r.Categories) == 0 && len(r.Jurisdictions) == 0 {
		return ExposureRank(c.exposure) >= min, c.findings
	}
	var hit []FindingRow
	for _, f := range c.findings {
		if len(r.Categories) > 0 && !slices.Contains(r.Categories, f.Category) {
			continue
		}
		if len(r.Jurisdictions) > 0 && !slices.ContainsFunc(f.Jurisdictions, func(j string) bool { return slices.Contains(r.Jurisdictions, j) }) {
			continue
		}
		if ExposureRank(f.Exposure) >= min {
			hit = append(hit, f)
		}
	}
	return len(hit) > 0, hit
}

// AlertChannel is where alerts go and the rules that select them. It
// never holds a secret: SecretRef names it in the secret store.
type AlertChannel struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"` // email, webhook, desktop
	// Target says where alerts go, without secrets.
	Target    string `json:"target"`
	EmailTo   string `json:"email_to,omitempty"`
	EmailFrom string `json:"email_from,omitempty"`
	// SMTP is the server, smtp[s]://[USER@]HOST:PORT, without a password.
	SMTP      string     `json:"smtp,omitempty"`
	Format    string     `json:"format,omitempty"` // webhook: json, slack, teams
	SecretRef string     `json:"-"`
	Rules     AlertRules `json:"rules"`
	// AttachPDF attaches the change's PDF record to e-mail alerts.
	AttachPDF    bool      `json:"attach_pdf"`
	CreatedAt    time.Time `json:"created_at"`
	LastDigestAt time.Time `json:"last_digest_at,omitzero"`
}

// NewAlertChannel describes a channel to add. Its secret (SMTPPassword,
// WebhookURL) goes to the secret store, never to the archive.
type NewAlertChannel struct {
	Kind         string
	EmailTo      string // one or more addresses, comma-separated
	EmailFrom    string // default: the SMTP user when it is an address, else policywatch@HOST
	SMTP         string // smtp[s]://[USER@]HOST:PORT
	SMTPPassword string // required with a USER
	WebhookURL   string
	Format       string // webhook: json (default), slack, teams
	Rules        AlertRules
	AttachPDF    bool
}

// AlertChannelState is a channel with what has been delivered to it.
type AlertChannelState struct {
	AlertChannel
	Sent, Failed, Pending int
	// Last is the newest delivery, nil before the first.
	Last *AlertDelivery `json:"last,omitempty"`
}

// Delivery statuses.
const (
	DeliveryPending     = "pending"     // waiting for its first attempt or a retry
	DeliverySending     = "sending"     // an attempt is under way
	DeliverySent        = "sent"        // the server or webhook took it
	DeliveryFailed      = "failed"      // given up: a permanent error or too many attempts
	DeliveryInterrupted = "interrupted" // the process died during an attempt; not retried, so never sent twice
)

// AlertDelivery is one message to a channel and what became of it.
type AlertDelivery struct {
	ID            int64     `json:"id"`
	ChannelID     int64     `json:"channel_id"`
	Kind          string    `json:"kind"` // change, digest, health, test
	Key           string    `json:"key"`
	Subject       string    `json:"subject"`
	Status        string    `json:"status"`
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	ClaimedBy     string    `json:"-"`
	Detail        string    `json:"-"` // health: the failing document as it stood (JSON)
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	SentAt        time.Time `json:"sent_at,omitzero"`
	// ChangeIDs are the changes the delivery carries.
	ChangeIDs []int64 `json:"change_ids,omitempty"`
}

// Alert item states: what a channel decided about a change.
const (
	ItemQueued   = "queued"   // waiting for the channel's digest
	ItemDelivery = "delivery" // in a delivery
	ItemSkipped  = "skipped"  // the channel's rules left it out
)

// FailureStreak is a tracked document whose latest checks all failed.
type FailureStreak struct {
	DocumentID   int64
	PlatformSlug string
	PlatformName string
	Title        string
	Kind         string
	URL          string
	Failures     int       // failed checks in a row, up to now
	FirstID      int64     // the first failed check of the streak
	First, Last  time.Time // when the streak started and its latest failure
	Reason       string    // the latest failure's reason
	Detail       string    // and its advice
}

// AlertTx reads and writes alert channels and deliveries.
type AlertTx interface {
	// InsertAlertChannel stores c and sets c.ID.
	InsertAlertChannel(c *AlertChannel) error
	// SetAlertDigestAt records when a channel's digest period last ended.
	SetAlertDigestAt(channelID int64, at time.Time) error
	// RemoveAlertChannel marks a channel removed (its history stays).
	RemoveAlertChannel(id int64, at time.Time) error
	// AlertChannels lists the channels not removed, by id.
	AlertChannels() ([]AlertChannel, error)
	// UndecidedChanges lists substantive changes detected at or after since
	// about which the channel has decided nothing yet, oldest first.
	UndecidedChanges(channelID int64, since time.Time, limit int) ([]ChangeSummary, error)
	// InsertAlertDelivery stores d unless the channel already has a
	// delivery with d.Key; it reports whether it inserted and sets d.ID.
	InsertAlertDelivery(d *AlertDelivery) (bool, error)
	// DecideAlertItem records what a channel decided about a change (state,
	// and the delivery for ItemDelivery); false when it had decided already.
	DecideAlertItem(channelID, changeID int64, state string, deliveryID int64, at time.Time) (bool, error)
	// DeliverQueuedItems moves a channel's queued items into a delivery; it returns how many.
	DeliverQueuedItems(channelID, deliveryID int64) (int, error)
	// DeliveryChanges lists the changes in a delivery.
	DeliveryChanges(deliveryID int64) ([]int64, error)
	// DueAlertDeliveries lists pending deliveries of channels not removed
	// whose next attempt is at or before now, oldest first.
	DueAlertDeliveries(now time.Time) ([]AlertDelivery, error)
	// NextAlertAttempt returns the earliest next attempt of a pending
	// delivery of a channel not removed (zero when there is none).
	NextAlertAttempt() (time.Time, error)
	// ClaimAlertDelivery marks a pending delivery as being sent by
	// claimant, counting the attempt; false when it is no longer pending.
	ClaimAlertDelivery(id int64, claimant string, at time.Time) (bool, error)
	// FinishAlertDelivery stores d's status, error and next attempt and
	// records the attempt (ok when errText is "").
	FinishAlertDelivery(d AlertDelivery, errText string) error
	// AlertDeliveriesIn lists deliveries in a status, oldest first.
	AlertDeliveriesIn(status string) ([]AlertDelivery, error)
	// AlertDeliveries lists a channel's newest deliveries (0 = every channel), at most limit.
	AlertDeliveries(channelID int64, limit int) ([]AlertDelivery, error)
	// FailureStreaks lists tracked documents whose latest checks failed.
	FailureStreaks() ([]FailureStreak, error)
}

// newSecretRef names a channel's secret in the store; the random part keeps
// channels of different archives apart in the user's one keyring.
func newSecretRef() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make a secret name: %w", err)
	}
	return "alert-channel/" + hex.EncodeToString(b), nil
}

// AddAlertChannel validates and adds a channel (audit-logged without its
// secret), putting its secret in the secret store.
func (s *Service) AddAlertChannel(ctx context.Context, nc NewAlertChannel) (AlertChannel, error) {
	c := AlertChannel{Kind: nc.Kind, AttachPDF: nc.AttachPDF}
	secret := ""
	switch nc.Kind {
	case ChannelEmail:
		srv, err := alerts.ParseSMTPURL(nc.SMTP)
		if err != nil {
			return c, err
		}
		to, err := mail.ParseAddressList(nc.EmailTo)
		if err != nil || len(to) == 0 {
			return c, fmt.Errorf("recipient %q is not an e-mail address (or a comma-separated list of them)", nc.EmailTo)
		}
		var addrs []string
		for _, a := range to {
			addrs = append(addrs, a.Address)
		}
		from := strings.TrimSpace(nc.EmailFrom)
		if from == "" {
			from = "policywatch@" + srv.Host
			if strings.Contains(srv.User, "@") {
				from = srv.User
			}
		}
		if _, err := mail.ParseAddress(from); err != nil {
			return c, fmt.Errorf("sender %q is not an e-mail address", from)
		}
		if srv.User != "" && nc.SMTPPassword == "" {
			return c, fmt.Errorf("the SMTP server names the user %q: give the password in POLICYWATCH_SMTP_PASSWORD or at the prompt", srv.User)
		}
		if srv.User == "" && nc.SMTPPassword != "" {
			return c, errors.New("a password was given but the SMTP address names no user: use smtp[s]://USER@HOST:PORT")
		}
		c.EmailTo, c.EmailFrom, c.SMTP = strings.Join(addrs, ", "), from, srv.String()
		c.Target = c.EmailTo + " via " + c.SMTP
		secret = nc.SMTPPassword
	case ChannelWebhook:
		if err := alerts.CheckWebhookURL(nc.WebhookURL); err != nil {
			return c, err
		}
		c.Format = nc.Format
		if c.Format == "" {
			c.Format = alerts.FormatJSON
		}
		if !slices.Contains(alerts.Formats, c.Format) {
			return c, fmt.Errorf("unknown webhook format %q (one of %s)", c.Format, strings.Join(alerts.Formats, ", "))
		}
		c.Target = alerts.Redact(nc.WebhookURL) + " (" + c.Format + ")"
		secret = strings.TrimSpace(nc.WebhookURL)
		if nc.AttachPDF {
			return c, errors.New("a webhook carries no attachment: the PDF record goes with e-mail only")
		}
	case ChannelDesktop:
		c.Target = "desktop notifications"
		if nc.AttachPDF {
			return c, errors.New("a desktop notification carries no attachment")
		}
	default:
		return c, fmt.Errorf("unknown channel kind %q (email, webhook or desktop)", nc.Kind)
	}
	if secret != "" {
		if s.secrets == nil {
			return c, errors.New("no secret store is configured, so the channel's secret cannot be kept")
		}
		ref, err := newSecretRef()
		if err != nil {
			return c, err
		}
		if err := s.secrets.Set(ref, secret); err != nil {
			return c, fmt.Errorf("keep the channel's secret: %w", err)
		}
		c.SecretRef = ref
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if c.Rules, err = nc.Rules.normalise(tx); err != nil {
			return err
		}
		if c.Kind == ChannelDesktop {
			list, err := tx.AlertChannels()
			if err != nil {
				return err
			}
			for _, old := range list {
				if old.Kind == ChannelDesktop {
					if err := tx.RemoveAlertChannel(old.ID, s.now()); err != nil {
						return err
					}
				}
			}
		}
		c.CreatedAt = s.now()
		if err := tx.InsertAlertChannel(&c); err != nil {
			return err
		}
		return appendAudit(tx, s.now(), s.who(), "alert.add", fmt.Sprintf("alert-channel:%d", c.ID),
			fmt.Sprintf("%s %s; %s", c.Kind, c.Target, c.Rules))
	})
	if err != nil && c.SecretRef != "" {
		s.secrets.Delete(c.SecretRef)
	}
	return c, err
}

// RemoveAlertChannel removes a channel and its secret (audit-logged); its
// delivery history stays in the archive.
func (s *Service) RemoveAlertChannel(ctx context.Context, id int64) error {
	var removed AlertChannel
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := channelByID(tx, id)
		if err != nil {
			return err
		}
		removed = c
		if err := tx.RemoveAlertChannel(id, s.now()); err != nil {
			return err
		}
		return appendAudit(tx, s.now(), s.who(), "alert.remove", fmt.Sprintf("alert-channel:%d", id), c.Kind+" "+c.Target)
	})
	if err != nil {
		return err
	}
	if removed.SecretRef != "" && s.secrets != nil {
		if err := s.secrets.Delete(removed.SecretRef); err != nil {
			return fmt.Errorf("channel %d removed, but its secret could not be deleted: %w", id, err)
		}
	}
	return nil
}

func channelByID(tx Tx, id int64) (AlertChannel, error) {
	list, err := tx.AlertChannels()
	if err != nil {
		return AlertChannel{}, err
	}
	for _, c := range list {
		if c.ID == id {
			return c, nil
		}
	}
	return AlertChannel{}, fmt.Errorf("no alert channel %d: run `policywatch alerts` to list them: %w", id, ErrNotFound)
}

// AlertChannels lists the channels with their delivery counts and newest delivery.
func (s *Service) AlertChannels(ctx context.Context) ([]AlertChannelState, error) {
	var out []AlertChannelState
	err := s.store.View(ctx, func(tx Tx) error {
		list, err := tx.AlertChannels()
		if err != nil {
			return err
		}
		for _, c := range list {
			st := AlertChannelState{AlertChannel: c}
			ds, err := tx.AlertDeliveries(c.ID, 0)
			if err != nil {
				return err
			}
			for i, d := range ds {
				if i == 0 {
					d := d
					st.Last = &d
				}
				switch d.Status {
				case DeliverySent:
					st.Sent++
				case DeliveryFailed, DeliveryInterrupted:
					st.Failed++
				default:
					st.Pending++
				}
			}
			out = append(out, st)
		}
		return nil
	})
	return out, err
}

// AlertDeliveries lists a channel's newest deliveries (0: every channel's).
func (s *Service) AlertDeliveries(ctx context.Context, channelID int64, limit int) ([]AlertDelivery, error) {
	var out []AlertDelivery
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if out, err = tx.AlertDeliveries(channelID, limit); err != nil {
			return err
		}
		for i := range out {
			if out[i].ChangeIDs, err = tx.DeliveryChanges(out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// DesktopAlerts returns the desktop channel's minimum exposure, or "off".
func (s *Service) DesktopAlerts(ctx context.Context) (string, error) {
	list, err := s.AlertChannels(ctx)
	if err != nil {
		return "", err
	}
	for _, c := range list {
		if c.Kind == ChannelDesktop {
			return c.Rules.MinExposure, nil
		}
	}
	return "off", nil
}

// SetDesktopAlerts sets the desktop channel's minimum exposure ("off"
// removes it), keeping its other rules.
func (s *Service) SetDesktopAlerts(ctx context.Context, minExposure string) error {
	list, err := s.AlertChannels(ctx)
	if err != nil {
		return err
	}
	rules := AlertRules{}
	for _, c := range list {
		if c.Kind == ChannelDesktop {
			if c.Rules.MinExposure == minExposure {
				return nil
			}
			rules = c.Rules
			if minExposure == "off" {
				return s.RemoveAlertChannel(ctx, c.ID)
			}
		}
	}
	if minExposure == "off" {
		return nil
	}
	rules.MinExposure = minExposure
	_, err = s.AddAlertChannel(ctx, NewAlertChannel{Kind: ChannelDesktop, Rules: rules})
	return err
}
