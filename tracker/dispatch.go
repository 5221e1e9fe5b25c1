package tracker

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"policywatch/tracker/alerts"
	"policywatch/tracker/fetch"
)

// alertConfig is how this process reaches alert channels.
type alertConfig struct {
	tls       *tls.Config
	changePDF func(ctx context.Context, changeID int64) (alerts.Attachment, error)
}

// WithAlertTLS sets the TLS settings for SMTP and webhooks (default: the
// system's trusted roots), e.g. to trust an internal mail server's CA.
func WithAlertTLS(c *tls.Config) Option { return func(s *Service) { s.alertOpts.tls = c } }

// WithChangePDF sets how a change's PDF record is made for channels that
// attach it (the report package renders it; tracker does not import it).
func WithChangePDF(fn func(ctx context.Context, changeID int64) (alerts.Attachment, error)) Option {
	return func(s *Service) { s.alertOpts.changePDF = fn }
}

// Delivery limits.
const (
	// maxAttempts is how many times a delivery is tried before it fails for good.
	maxAttempts = 7
	// sendingTimeout: a delivery still "sending" after this was interrupted.
	sendingTimeout = 15 * time.Minute
	// maxDecisions bounds the changes one channel decides about per dispatch.
	maxDecisions = 500
)

// retryDelay is the wait after the given failed attempt (1-based): 1 min,
// 5 min, 15 min, 1 h, 4 h, 12 h.
func retryDelay(attempt int) time.Duration {
	delays := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour, 12 * time.Hour}
	if attempt < 1 {
		attempt = 1
	}
	if attempt > len(delays) {
		return delays[len(delays)-1]
	}
	return delays[attempt-1]
}

// DispatchOptions configure alert delivery in this process.
type DispatchOptions struct {
	// Desktop shows a desktop notification. Only the desktop app sets it;
	// without it desktop channels are left alone (the app delivers them
	// when it runs).
	Desktop func(title, body string) error
}

// DispatchSummary counts what a dispatch did.
type DispatchSummary struct {
	Sent     int // deliveries the channel took
	Retrying int // failed attempts that will be retried
	Failed   int // deliveries given up
	Queued   int // changes queued for a digest
	// Errors describe the failed attempts (no secrets).
	Errors []string
}

// Attempted counts the deliveries tried.
func (d DispatchSummary) Attempted() int { return d.Sent + d.Retrying + d.Failed }

// String reads "2 sent, 1 to retry, 0 failed, 3 queued for a digest".
func (d DispatchSummary) String() string {
	return fmt.Sprintf("%d sent, %d to retry, %d failed, %d queued for a digest", d.Sent, d.Retrying, d.Failed, d.Queued)
}

// claimant names this process in the deliveries it claims.
func claimant() string {
	o := thisProcess("")
	return fmt.Sprintf("%s:%d", o.host, o.pid)
}

// DispatchAlerts decides which channels are told about which new changes
// and failing documents, and sends every delivery that is due: new ones,
// digests whose period ended, and retries whose time has come. Each
// delivery is recorded before it is sent and its outcome after, and a
// change reaches a channel at most once, across restarts and whichever
// process dispatches.
func (s *Service) DispatchAlerts(ctx context.Context, o DispatchOptions) (DispatchSummary, error) {
	s.dispatchMu.Lock()
	defer s.dispatchMu.Unlock()
	var sum DispatchSummary
	channels, err := s.activeChannels(ctx)
	if err != nil {
		return sum, err
	}
	byID := map[int64]AlertChannel{}
	for _, c := range channels {
		byID[c.ID] = c
		if c.Kind == ChannelDesktop && o.Desktop == nil {
			continue
		}
		q, err := s.decide(ctx, c)
		if err != nil {
			return sum, fmt.Errorf("queue alerts for channel %d: %w", c.ID, err)
		}
		sum.Queued += q
	}
	if err := s.markInterrupted(ctx); err != nil {
		return sum, err
	}
	var due []AlertDelivery
	if err := s.store.View(ctx, func(tx Tx) error {
		var err error
		due, err = tx.DueAlertDeliveries(s.now())
		return err
	}); err != nil {
		return sum, err
	}
	for _, d := range due {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		c, ok := byID[d.ChannelID]
		if !ok || (c.Kind == ChannelDesktop && o.Desktop == nil) {
			continue
		}
		status, err := s.deliver(ctx, c, d, o)
		switch status {
		case DeliverySent:
			sum.Sent++
		case DeliveryPending:
			sum.Retrying++
		case DeliveryFailed:
			sum.Failed++
		}
		if err != nil {
			sum.Errors = append(sum.Errors, fmt.Sprintf("channel %d (%s): %v", c.ID, c.Target, err))
		}
	}
	return sum, nil
}

func (s *Service) activeChannels(ctx context.Context) ([]AlertChannel, error) {
	var out []AlertChannel
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.AlertChannels()
		return err
	})
	return out, err
}

// decide records, in one transaction, what channel c does with each change
// it has not seen (a delivery, the digest queue, or nothing), the digest
// whose period has ended, and tracking-health alerts. It returns how many
// changes it queued for a digest.
func (s *Service) decide(ctx context.Context, c AlertChannel) (int, error) {
	queued := 0
	err := s.store.Update(ctx, func(tx Tx) error {
		now := s.now()
		list, err := tx.UndecidedChanges(c.ID, c.CreatedAt, maxDecisions)
		if err != nil {
			return err
		}
		digest := digestPeriod(c.Rules.Digest) > 0
		var batch []int64 // desktop: the new changes go in one notification
		for _, ch := range list {
			findings, err := tx.ListFindings(ch.ID)
			if err != nil {
				return err
			}
			ok, _ := c.Rules.matches(alertFacts{platform: ch.PlatformSlug, substantive: ch.Substantive,
				exposure: ch.Exposure, findings: findings})
			switch {
			case !ok:
				_, err = tx.DecideAlertItem(c.ID, ch.ID, ItemSkipped, 0, now)
			case digest:
				queued++
				_, err = tx.DecideAlertItem(c.ID, ch.ID, ItemQueued, 0, now)
			case c.Kind == ChannelDesktop:
				batch = append(batch, ch.ID)
			default:
				d := AlertDelivery{ChannelID: c.ID, Kind: alerts.KindChange, Key: fmt.Sprintf("change:%d", ch.ID),
					Status: DeliveryPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
				if err = s.newDelivery(tx, &d); err == nil {
					_, err = tx.DecideAlertItem(c.ID, ch.ID, ItemDelivery, d.ID, now)
				}
			}
			if err != nil {
				return err
			}
		}
		if len(batch) > 0 {
			d := AlertDelivery{ChannelID: c.ID, Kind: alerts.KindChange,
				Key:    fmt.Sprintf("changes:%d-%d", batch[0], batch[len(batch)-1]),
				Status: DeliveryPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
			if err := s.newDelivery(tx, &d); err != nil {
				return err
			}
			for _, id := range batch {
				if _, err := tx.DecideAlertItem(c.ID, id, ItemDelivery, d.ID, now); err != nil {
					return err
				}
			}
		}
		if digest {
			if err := s.closeDigest(tx, c, now); err != nil {
				return err
			}
		}
		if c.Rules.HealthChecks > 0 || c.Rules.HealthDays > 0 {
			return s.healthAlerts(tx, c, now)
		}
		return nil
	})
	return queued, err
}

// newDelivery inserts d; a delivery with its key already there is an error
// here, since the item table is what prevents repeats.
func (s *Service) newDelivery(tx Tx, d *AlertDelivery) error {
	ok, err := tx.InsertAlertDelivery(d)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("channel %d already has a delivery %s", d.ChannelID, d.Key)
	}
	return nil
}

// closeDigest makes the digest delivery of a period that has ended: every
// change queued since, in one message. A period with nothing queued ends
// without a message.
func (s *Service) closeDigest(tx Tx, c AlertChannel, now time.Time) error {
	start := c.LastDigestAt
	if start.IsZero() {
		start = c.CreatedAt
	}
	if now.Sub(start) < digestPeriod(c.Rules.Digest) {
		return nil
	}
	d := AlertDelivery{ChannelID: c.ID, Kind: alerts.KindDigest, Key: "digest:" + now.UTC().Format(time.RFC3339),
		Status: DeliveryPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now,
		Detail: fmt.Sprintf(`{"since":%q}`, start.UTC().Format(time.RFC3339))}
	if err := s.newDelivery(tx, &d); err != nil {
		return err
	}
	n, err := tx.DeliverQueuedItems(c.ID, d.ID)
	if err != nil {
		return err
	}
	if n == 0 {
		// Nothing to say this period: no message.
		d.Status, d.LastError = DeliverySent, ""
		d.Subject = "(no changes this period; nothing sent)"
		d.SentAt = now
		if err := tx.FinishAlertDelivery(d, "no changes in the period"); err != nil {
			return err
		}
	}
	return tx.SetAlertDigestAt(c.ID, now)
}

// healthAlerts queues one alert per failing streak that reached the
// channel's threshold (platform rules apply; exposure rules do not).
func (s *Service) healthAlerts(tx Tx, c AlertChannel, now time.Time) error {
	streaks, err := tx.FailureStreaks()
	if err != nil {
		return err
	}
	for _, st := range streaks {
		if len(c.Rules.Platforms) > 0 && !containsString(c.Rules.Platforms, st.PlatformSlug) {
			continue
		}
		byCount := c.Rules.HealthChecks > 0 && st.Failures >= c.Rules.HealthChecks
		byDays := c.Rules.HealthDays > 0 && now.Sub(st.First) >= time.Duration(c.Rules.HealthDays)*24*time.Hour
		if !byCount && !byDays {
			continue
		}
		h := alerts.Health{DocumentID: st.DocumentID, Platform: st.PlatformName, Document: documentTitle(st.Title, st.Kind),
			URL: st.URL, Failures: st.Failures, Since: st.First, Last: st.Last, Reason: st.Reason,
			Advice: healthAdvice(st.Reason, st.Detail)}
		detail, err := json.Marshal(h)
		if err != nil {
			return err
		}
		d := AlertDelivery{ChannelID: c.ID, Kind: alerts.KindHealth, Key: fmt.Sprintf("health:%d:%d", st.DocumentID, st.FirstID),
			Status: DeliveryPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now, Detail: string(detail)}
		if _, err := tx.InsertAlertDelivery(&d); err != nil { // false: this streak was alerted already
			return err
		}
	}
	return nil
}

func containsString(list []string, s string) bool { return contains(list, s) }

// healthAdvice is the advice recorded with the latest failure (check
// events keep it in Detail), or general advice for its reason.
func healthAdvice(reason, detail string) string {
	if detail != "" {
		return detail
	}
	general := map[string]string{
		fetch.ReasonNetwork: "the site could not be reached; check the address and this machine's network, and whether the site is down",
		"http-status":       "the site answers with an error status; open the address in a browser: the document may have moved",
		"blocked":           "the site serves a bot check instead of the document; try the browser render mode or add the text by hand",
		"empty":             "the page yields almost no text; check the address and the selector",
		"selector-missing":  "the selector matches nothing any more; the site's layout changed: update the selector",
		ReasonShrunk:        "the text shrank too much to be a real edit; check the page and its selectors",
	}
	if g, ok := general[reason]; ok {
		return g
	}
	return "open the document's address in a browser to see what the site serves now"
}

// markInterrupted turns deliveries left "sending" by a process that ended
// (or stalled past sendingTimeout) into "interrupted": their outcome is
// unknown, and sending them again could send them twice.
func (s *Service) markInterrupted(ctx context.Context) error {
	return s.store.Update(ctx, func(tx Tx) error {
		list, err := tx.AlertDeliveriesIn(DeliverySending)
		if err != nil {
			return err
		}
		self := thisProcess("")
		now := s.now()
		for _, d := range list {
			host, pidText, _ := strings.Cut(d.ClaimedBy, ":")
			var pid int
			fmt.Sscanf(pidText, "%d", &pid)
			dead := host == self.host && pid != self.pid && !processAlive(pid)
			if !dead && now.Sub(d.UpdatedAt) < sendingTimeout {
				continue
			}
			d.Status = DeliveryInterrupted
			d.LastError = "the process sending it stopped before the outcome was known; not sent again, so that it is never sent twice"
			d.NextAttemptAt, d.UpdatedAt = time.Time{}, now
			if err := tx.FinishAlertDelivery(d, d.LastError); err != nil {
				return err
			}
		}
		return nil
	})
}

// deliver claims d, sends it and records the outcome; it returns the new status.
func (s *Service) deliver(ctx context.Context, c AlertChannel, d AlertDelivery, o DispatchOptions) (string, error) {
	var claimed bool
	if err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		claimed, err = tx.ClaimAlertDelivery(d.ID, claimant(), s.now())
		return err
	}); err != nil || !claimed {
		return "", err
	}
	d.Attempts++
	msg, err := s.alertMessage(ctx, c, d)
	if err == nil {
		d.Subject = msg.Subject
		err = s.send(ctx, c, msg, o)
	}
	now := s.now()
	d.UpdatedAt = now
	errText := ""
	switch {
	case err == nil:
		d.Status, d.SentAt, d.NextAttemptAt, d.LastError = DeliverySent, now, time.Time{}, ""
	default:
		errText = err.Error()
		d.LastError = errText
		var ae *alerts.Error
		temporary := !errors.As(err, &ae) || ae.Temporary
		if temporary && d.Attempts < maxAttempts && d.Kind != alerts.KindTest {
			d.Status, d.NextAttemptAt = DeliveryPending, now.Add(retryDelay(d.Attempts))
		} else {
			d.Status, d.NextAttemptAt = DeliveryFailed, time.Time{}
		}
	}
	// Record the outcome even when ctx was cancelled meanwhile.
	if rerr := s.store.Update(context.WithoutCancel(ctx), func(tx Tx) error {
		return tx.FinishAlertDelivery(d, errText)
	}); rerr != nil {
		return d.Status, fmt.Errorf("record delivery %d: %w", d.ID, rerr)
	}
	return d.Status, err
}

// send hands msg to the channel's transport.
func (s *Service) send(ctx context.Context, c AlertChannel, msg alerts.Message, o DispatchOptions) error {
	switch c.Kind {
	case ChannelDesktop:
		if o.Desktop == nil {
			return &alerts.Error{Temporary: true, Msg: "the desktop app is not running"}
		}
		return o.Desktop(msg.Subject, alerts.Short(msg))
	case ChannelEmail, ChannelWebhook:
	default:
		return &alerts.Error{Msg: "unknown channel kind " + c.Kind}
	}
	secret := ""
	if c.SecretRef != "" {
		if s.secrets == nil {
			return &alerts.Error{Msg: "no secret store is configured", Advice: "run PolicyWatch with its default setup, or add the channel again"}
		}
		v, err := s.secrets.Get(c.SecretRef)
		if err != nil {
			return &alerts.Error{Temporary: true, Msg: "the channel's secret could not be read from the secret store",
				Advice: "if the keyring is locked, unlock it; if the secret is gone, add the channel again (" + strings.ReplaceAll(err.Error(), c.SecretRef, "its entry") + ")"}
		}
		secret = v
	}
	if c.Kind == ChannelWebhook {
		w := alerts.Webhook{URL: secret, Format: c.Format, UserAgent: fetch.UserAgent(s.version)}
		if s.alertOpts.tls != nil {
			w.Client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: s.alertOpts.tls.Clone()}}
		}
		return w.Send(ctx, msg)
	}
	srv, err := alerts.ParseSMTPURL(c.SMTP)
	if err != nil {
		return &alerts.Error{Msg: err.Error()}
	}
	return alerts.SMTP{Server: srv, Password: secret, From: c.EmailFrom, To: strings.Split(c.EmailTo, ", "),
		TLSConfig: s.alertOpts.tls}.Send(ctx, msg)
}

// nextAlertAttempt returns how long until the next retry is due (a minute
// when none is waiting).
func (s *Service) nextAlertAttempt(ctx context.Context) (time.Duration, error) {
	var next time.Time
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		next, err = tx.NextAlertAttempt()
		return err
	})
	if err != nil || next.IsZero() {
		return schedulerWake, err
	}
	return next.Sub(s.now()), nil
}

// TestAlertChannel sends a test message to a channel now, recording it like
// any delivery; the error says why it failed. A test is not retried.
func (s *Service) TestAlertChannel(ctx context.Context, id int64, o DispatchOptions) (AlertDelivery, error) {
	var c AlertChannel
	d := AlertDelivery{ChannelID: id, Kind: alerts.KindTest, Status: DeliveryPending}
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if c, err = channelByID(tx, id); err != nil {
			return err
		}
		now := s.now()
		d.Key = fmt.Sprintf("test:%d", now.UnixNano())
		d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = now, now, now
		return s.newDelivery(tx, &d)
	})
	if err != nil {
		return d, err
	}
	if c.Kind == ChannelDesktop && o.Desktop == nil {
		o.Desktop = func(string, string) error {
			return &alerts.Error{Msg: "desktop notifications are shown by the desktop app", Advice: "test this channel with Test in the app's Settings → Alerts"}
		}
	}
	status, err := s.deliver(ctx, c, d, o)
	d.Status = status
	return d, err
}
