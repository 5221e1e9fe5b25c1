package postgres

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"policywatch/tracker"
)

const channelColumns = `id, kind, target, email_to, email_from, smtp_url, format, secret_ref, min_exposure,
	jurisdictions, categories, platforms, digest, health_checks, health_days, attach_pdf, created_at, last_digest_at`

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// InsertAlertChannel stores a channel and sets its id.
func (t *tx) InsertAlertChannel(c *tracker.AlertChannel) error {
	r := c.Rules
	err := t.queryRow(`INSERT INTO alert_channels (kind, target, email_to, email_from, smtp_url, format, secret_ref,
			min_exposure, jurisdictions, categories, platforms, digest, health_checks, health_days, attach_pdf, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		c.Kind, c.Target, c.EmailTo, c.EmailFrom, c.SMTP, c.Format, c.SecretRef, r.MinExposure,
		strings.Join(r.Jurisdictions, ","), strings.Join(r.Categories, ","), strings.Join(r.Platforms, ","),
		r.Digest, r.HealthChecks, r.HealthDays, c.AttachPDF, ts(c.CreatedAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("add alert channel: %w", err)
	}
	return nil
}

// SetAlertDigestAt records the end of a channel's digest period.
func (t *tx) SetAlertDigestAt(channelID int64, at time.Time) error {
	if _, err := t.exec(`UPDATE alert_channels SET last_digest_at = $1 WHERE id = $2`, ts(at), channelID); err != nil {
		return fmt.Errorf("record digest of channel %d: %w", channelID, err)
	}
	return nil
}

// RemoveAlertChannel marks a channel removed.
func (t *tx) RemoveAlertChannel(id int64, at time.Time) error {
	tag, err := t.exec(`UPDATE alert_channels SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL`, ts(at), id)
	if err != nil {
		return fmt.Errorf("remove alert channel %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("alert channel %d: %w", id, tracker.ErrNotFound)
	}
	return nil
}

// AlertChannels lists the channels not removed.
func (t *tx) AlertChannels() ([]tracker.AlertChannel, error) {
	rows, err := t.query(`SELECT ` + channelColumns + ` FROM alert_channels WHERE removed_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list alert channels: %w", err)
	}
	defer rows.Close()
	var out []tracker.AlertChannel
	for rows.Next() {
		var c tracker.AlertChannel
		var juris, cats, plats string
		var created, digestAt *time.Time
		var checks, days int32
		if err := rows.Scan(&c.ID, &c.Kind, &c.Target, &c.EmailTo, &c.EmailFrom, &c.SMTP, &c.Format, &c.SecretRef,
			&c.Rules.MinExposure, &juris, &cats, &plats, &c.Rules.Digest, &checks, &days,
			&c.AttachPDF, &created, &digestAt); err != nil {
			return nil, fmt.Errorf("list alert channels: %w", err)
		}
		c.Rules.HealthChecks, c.Rules.HealthDays = int(checks), int(days)
		c.Rules.Jurisdictions, c.Rules.Categories, c.Rules.Platforms = splitList(juris), splitList(cats), splitList(plats)
		c.CreatedAt, c.LastDigestAt = timeOf(created), timeOf(digestAt)
		out = append(out, c)
	}
	return out, rows.Err()
}

// UndecidedChanges lists substantive changes since a time that a channel
// has decided nothing about, oldest first.
func (t *tx) UndecidedChanges(channelID int64, since time.Time, limit int) ([]tracker.ChangeSummary, error) {
	rows, err := t.query(`SELECT `+changeColumns+changeFrom+`
		WHERE c.detected_at >= $1 AND c.substantive
			AND NOT EXISTS (SELECT 1 FROM alert_items i WHERE i.channel_id = $2 AND i.change_id = c.id)
		ORDER BY c.detected_at, c.id LIMIT $3`, ts(since), channelID, limit)
	if err != nil {
		return nil, fmt.Errorf("list changes to alert: %w", err)
	}
	defer rows.Close()
	var out []tracker.ChangeSummary
	for rows.Next() {
		c, err := scanChange(rows)
		if err != nil {
			return nil, fmt.Errorf("list changes to alert: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InsertAlertDelivery stores a delivery unless its key exists for the channel.
func (t *tx) InsertAlertDelivery(d *tracker.AlertDelivery) (bool, error) {
	err := t.queryRow(`INSERT INTO alert_deliveries (channel_id, kind, dedup_key, subject, status, attempts,
			next_attempt_at, last_error, detail_json, created_at, updated_at, sent_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (channel_id, dedup_key) DO NOTHING
		RETURNING id`,
		d.ChannelID, d.Kind, d.Key, d.Subject, d.Status, d.Attempts, ts(d.NextAttemptAt), d.LastError,
		d.Detail, ts(d.CreatedAt), ts(d.UpdatedAt), ts(d.SentAt)).Scan(&d.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("queue alert %s: %w", d.Key, err)
	}
	return true, nil
}

// DecideAlertItem records what a channel does with a change, once.
func (t *tx) DecideAlertItem(channelID, changeID int64, state string, deliveryID int64, at time.Time) (bool, error) {
	var delivery any
	if deliveryID != 0 {
		delivery = deliveryID
	}
	tag, err := t.exec(`INSERT INTO alert_items (channel_id, change_id, state, delivery_id, at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (channel_id, change_id) DO NOTHING`, channelID, changeID, state, delivery, ts(at))
	if err != nil {
		return false, fmt.Errorf("record alert of change %d: %w", changeID, err)
	}
	return tag.RowsAffected() > 0, nil
}

// DeliverQueuedItems moves a channel's queued items into a delivery.
func (t *tx) DeliverQueuedItems(channelID, deliveryID int64) (int, error) {
	tag, err := t.exec(`UPDATE alert_items SET state = 'delivery', delivery_id = $1
		WHERE channel_id = $2 AND state = 'queued'`, deliveryID, channelID)
	if err != nil {
		return 0, fmt.Errorf("gather the digest of channel %d: %w", channelID, err)
	}
	return int(tag.RowsAffected()), nil
}

// DeliveryChanges lists the changes in a delivery.
func (t *tx) DeliveryChanges(deliveryID int64) ([]int64, error) {
	rows, err := t.query(`SELECT change_id FROM alert_items WHERE delivery_id = $1 ORDER BY change_id`, deliveryID)
	if err != nil {
		return nil, fmt.Errorf("list changes of alert %d: %w", deliveryID, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

const deliveryColumns = `d.id, d.channel_id, d.kind, d.dedup_key, d.subject, d.status, d.attempts, d.next_attempt_at,
	d.last_error, d.claimed_by, d.detail_json, d.created_at, d.updated_at, d.sent_at`

func (t *tx) deliveries(where string, args ...any) ([]tracker.AlertDelivery, error) {
	rows, err := t.query(`SELECT `+deliveryColumns+` FROM alert_deliveries d JOIN alert_channels c ON c.id = d.channel_id `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list alert deliveries: %w", err)
	}
	defer rows.Close()
	var out []tracker.AlertDelivery
	for rows.Next() {
		var d tracker.AlertDelivery
		var next, created, updated, sent *time.Time
		var attempts int32
		if err := rows.Scan(&d.ID, &d.ChannelID, &d.Kind, &d.Key, &d.Subject, &d.Status, &attempts, &next,
			&d.LastError, &d.ClaimedBy, &d.Detail, &created, &updated, &sent); err != nil {
			return nil, fmt.Errorf("list alert deliveries: %w", err)
		}
		d.Attempts = int(attempts)
		d.NextAttemptAt, d.CreatedAt, d.UpdatedAt, d.SentAt = timeOf(next), timeOf(created), timeOf(updated), timeOf(sent)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DueAlertDeliveries lists pending deliveries whose time has come.
func (t *tx) DueAlertDeliveries(now time.Time) ([]tracker.AlertDelivery, error) {
	return t.deliveries(`WHERE d.status = 'pending' AND COALESCE(d.next_attempt_at, '-infinity') <= $1 AND c.removed_at IS NULL
		ORDER BY d.next_attempt_at NULLS FIRST, d.id`, ts(now))
}

// NextAlertAttempt returns the earliest pending attempt (desktop channels
// aside: the app retries those on its own wake-ups); zero when there is
// none, or when a pending delivery has no time set (as in SQLite, where
// that time is the empty text and sorts first).
func (t *tx) NextAlertAttempt() (time.Time, error) {
	var next *time.Time
	var unset *bool
	err := t.queryRow(`SELECT MIN(d.next_attempt_at), bool_or(d.next_attempt_at IS NULL)
		FROM alert_deliveries d JOIN alert_channels c ON c.id = d.channel_id
		WHERE d.status = 'pending' AND c.removed_at IS NULL AND c.kind <> 'desktop'`).Scan(&next, &unset)
	if err != nil {
		return time.Time{}, fmt.Errorf("next alert attempt: %w", err)
	}
	if unset != nil && *unset {
		return time.Time{}, nil
	}
	return timeOf(next), nil
}

// ClaimAlertDelivery marks a pending delivery as being sent.
func (t *tx) ClaimAlertDelivery(id int64, claimant string, at time.Time) (bool, error) {
	tag, err := t.exec(`UPDATE alert_deliveries SET status = 'sending', attempts = attempts + 1, claimed_by = $1, updated_at = $2
		WHERE id = $3 AND status = 'pending'`, claimant, ts(at), id)
	if err != nil {
		return false, fmt.Errorf("claim alert %d: %w", id, err)
	}
	return tag.RowsAffected() > 0, nil
}

// FinishAlertDelivery stores an attempt's outcome.
func (t *tx) FinishAlertDelivery(d tracker.AlertDelivery, errText string) error {
	_, err := t.exec(`UPDATE alert_deliveries SET status = $1, subject = $2, next_attempt_at = $3, last_error = $4,
			updated_at = $5, sent_at = $6 WHERE id = $7`,
		d.Status, d.Subject, ts(d.NextAttemptAt), d.LastError, ts(d.UpdatedAt), ts(d.SentAt), d.ID)
	if err != nil {
		return fmt.Errorf("record alert %d: %w", d.ID, err)
	}
	if _, err := t.exec(`INSERT INTO alert_attempts (delivery_id, at, ok, error) VALUES ($1, $2, $3, $4)`,
		d.ID, ts(d.UpdatedAt), errText == "", errText); err != nil {
		return fmt.Errorf("record attempt of alert %d: %w", d.ID, err)
	}
	return nil
}

// AlertDeliveriesIn lists deliveries in a status.
func (t *tx) AlertDeliveriesIn(status string) ([]tracker.AlertDelivery, error) {
	return t.deliveries(`WHERE d.status = $1 ORDER BY d.id`, status)
}

// AlertDeliveries lists a channel's newest deliveries (0: all channels).
func (t *tx) AlertDeliveries(channelID int64, limit int) ([]tracker.AlertDelivery, error) {
	q := `WHERE ($1::bigint = 0 OR d.channel_id = $1) ORDER BY d.id DESC`
	args := []any{channelID}
	if limit > 0 {
		q += ` LIMIT $2`
		args = append(args, limit)
	}
	return t.deliveries(q, args...)
}

// FailureStreaks lists tracked documents whose checks since their last
// success (or since their first check) all failed.
func (t *tx) FailureStreaks() ([]tracker.FailureStreak, error) {
	rows, err := t.query(`SELECT d.id, p.slug, p.name, d.title, d.kind, d.url, l.id, l.at, l.reason, l.detail
		FROM documents d JOIN platforms p ON p.id = d.platform_id
			JOIN check_events l ON l.id = (SELECT e.id FROM check_events e WHERE e.document_id = d.id
				ORDER BY e.at DESC, e.id DESC LIMIT 1)
		WHERE d.tracked AND l.status = 'failed'
		ORDER BY d.id`)
	if err != nil {
		return nil, fmt.Errorf("list failing documents: %w", err)
	}
	var out []tracker.FailureStreak
	for rows.Next() {
		var f tracker.FailureStreak
		var lastID int64
		var last time.Time
		if err := rows.Scan(&f.DocumentID, &f.PlatformSlug, &f.PlatformName, &f.Title, &f.Kind, &f.URL, &lastID, &last,
			&f.Reason, &f.Detail); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list failing documents: %w", err)
		}
		f.Last = last.UTC()
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list failing documents: %w", err)
	}
	for i := range out {
		f := &out[i]
		var first *time.Time
		var firstID *int64
		err := t.queryRow(`SELECT COUNT(*), MIN(at), MIN(id) FROM check_events
			WHERE document_id = $1 AND status = 'failed' AND at > COALESCE(
				(SELECT MAX(at) FROM check_events WHERE document_id = $1 AND status <> 'failed'), '-infinity')`,
			f.DocumentID).Scan(&f.Failures, &first, &firstID)
		if err != nil {
			return nil, fmt.Errorf("count failures of document %d: %w", f.DocumentID, err)
		}
		f.First, f.FirstID = timeOf(first), derefInt(firstID)
	}
	return out, nil
}
