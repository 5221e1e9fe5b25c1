package sqlite

import (
	"fmt"
	"strings"
	"time"

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
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Kind, c.Target, c.EmailTo, c.EmailFrom, c.SMTP, c.Format, c.SecretRef, r.MinExposure,
		strings.Join(r.Jurisdictions, ","), strings.Join(r.Categories, ","), strings.Join(r.Platforms, ","),
		r.Digest, r.HealthChecks, r.HealthDays, boolInt(c.AttachPDF), formatTime(c.CreatedAt)).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("add alert channel: %w", err)
	}
	return nil
}

// SetAlertDigestAt records the end of a channel's digest period.
func (t *tx) SetAlertDigestAt(channelID int64, at time.Time) error {
	if _, err := t.exec(`UPDATE alert_channels SET last_digest_at = ? WHERE id = ?`, formatTime(at), channelID); err != nil {
		return fmt.Errorf("record digest of channel %d: %w", channelID, err)
	}
	return nil
}

// RemoveAlertChannel marks a channel removed.
func (t *tx) RemoveAlertChannel(id int64, at time.Time) error {
	res, err := t.exec(`UPDATE alert_channels SET removed_at = ? WHERE id = ? AND removed_at = ''`, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("remove alert channel %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("alert channel %d: %w", id, tracker.ErrNotFound)
	}
	return nil
}

// AlertChannels lists the channels not removed.
func (t *tx) AlertChannels() ([]tracker.AlertChannel, error) {
	rows, err := t.query(`SELECT ` + channelColumns + ` FROM alert_channels WHERE removed_at = '' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list alert channels: %w", err)
	}
	defer rows.Close()
	var out []tracker.AlertChannel
	for rows.Next() {
		var c tracker.AlertChannel
		var juris, cats, plats, created, digestAt string
		if err := rows.Scan(&c.ID, &c.Kind, &c.Target, &c.EmailTo, &c.EmailFrom, &c.SMTP, &c.Format, &c.SecretRef,
			&c.Rules.MinExposure, &juris, &cats, &plats, &c.Rules.Digest, &c.Rules.HealthChecks, &c.Rules.HealthDays,
			&c.AttachPDF, &created, &digestAt); err != nil {
			return nil, fmt.Errorf("list alert channels: %w", err)
		}
		c.Rules.Jurisdictions, c.Rules.Categories, c.Rules.Platforms = splitList(juris), splitList(cats), splitList(plats)
		c.CreatedAt, c.LastDigestAt = parseTime(created), parseTime(digestAt)
		out = append(out, c)
	}
	return out, rows.Err()
}

// UndecidedChanges lists substantive changes since a time that a channel
// has decided nothing about, oldest first.
func (t *tx) UndecidedChanges(channelID int64, since time.Time, limit int) ([]tracker.ChangeSummary, error) {
	rows, err := t.query(`SELECT `+changeColumns+changeFrom+`
		WHERE c.detected_at >= ? AND c.substantive = 1
			AND NOT EXISTS (SELECT 1 FROM alert_items i WHERE i.channel_id = ? AND i.change_id = c.id)
		ORDER BY c.detected_at, c.id LIMIT ?`, formatTime(since), channelID, limit)
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
	res, err := t.exec(`INSERT INTO alert_deliveries (channel_id, kind, dedup_key, subject, status, attempts,
			next_attempt_at, last_error, detail_json, created_at, updated_at, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel_id, dedup_key) DO NOTHING`,
		d.ChannelID, d.Kind, d.Key, d.Subject, d.Status, d.Attempts, formatTime(d.NextAttemptAt), d.LastError,
		d.Detail, formatTime(d.CreatedAt), formatTime(d.UpdatedAt), formatTime(d.SentAt))
	if err != nil {
		return false, fmt.Errorf("queue alert %s: %w", d.Key, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	id, err := res.LastInsertId()
	d.ID = id
	return true, err
}

// DecideAlertItem records what a channel does with a change, once.
func (t *tx) DecideAlertItem(channelID, changeID int64, state string, deliveryID int64, at time.Time) (bool, error) {
	var delivery any
	if deliveryID != 0 {
		delivery = deliveryID
	}
	res, err := t.exec(`INSERT INTO alert_items (channel_id, change_id, state, delivery_id, at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (channel_id, change_id) DO NOTHING`, channelID, changeID, state, delivery, formatTime(at))
	if err != nil {
		return false, fmt.Errorf("record alert of change %d: %w", changeID, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// DeliverQueuedItems moves a channel's queued items into a delivery.
func (t *tx) DeliverQueuedItems(channelID, deliveryID int64) (int, error) {
	res, err := t.exec(`UPDATE alert_items SET state = 'delivery', delivery_id = ?
		WHERE channel_id = ? AND state = 'queued'`, deliveryID, channelID)
	if err != nil {
		return 0, fmt.Errorf("gather the digest of channel %d: %w", channelID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// DeliveryChanges lists the changes in a delivery.
func (t *tx) DeliveryChanges(deliveryID int64) ([]int64, error) {
	rows, err := t.query(`SELECT change_id FROM alert_items WHERE delivery_id = ? ORDER BY change_id`, deliveryID)
	if err != nil {
		return nil, fmt.Errorf("list changes of alert %d: %w", deliveryID, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
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
		var next, created, updated, sent string
		if err := rows.Scan(&d.ID, &d.ChannelID, &d.Kind, &d.Key, &d.Subject, &d.Status, &d.Attempts, &next,
			&d.LastError, &d.ClaimedBy, &d.Detail, &created, &updated, &sent); err != nil {
			return nil, fmt.Errorf("list alert deliveries: %w", err)
		}
		d.NextAttemptAt, d.CreatedAt, d.UpdatedAt, d.SentAt = parseTime(next), parseTime(created), parseTime(updated), parseTime(sent)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DueAlertDeliveries lists pending deliveries whose time has come.
func (t *tx) DueAlertDeliveries(now time.Time) ([]tracker.AlertDelivery, error) {
	return t.deliveries(`WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND c.removed_at = ''
		ORDER BY d.next_attempt_at, d.id`, formatTime(now))
}

// NextAlertAttempt returns the earliest pending attempt (desktop channels
// aside: the app retries those on its own wake-ups).
func (t *tx) NextAlertAttempt() (time.Time, error) {
	var next nullString
	err := t.queryRow(`SELECT MIN(d.next_attempt_at) FROM alert_deliveries d JOIN alert_channels c ON c.id = d.channel_id
		WHERE d.status = 'pending' AND c.removed_at = '' AND c.kind <> 'desktop'`).Scan(&next)
	if err != nil {
		return time.Time{}, fmt.Errorf("next alert attempt: %w", err)
	}
	return parseTime(next.String), nil
}

// ClaimAlertDelivery marks a pending delivery as being sent.
func (t *tx) ClaimAlertDelivery(id int64, claimant string, at time.Time) (bool, error) {
	res, err := t.exec(`UPDATE alert_deliveries SET status = 'sending', attempts = attempts + 1, claimed_by = ?, updated_at = ?
		WHERE id = ? AND status = 'pending'`, claimant, formatTime(at), id)
	if err != nil {
		return false, fmt.Errorf("claim alert %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// FinishAlertDelivery stores an attempt's outcome.
func (t *tx) FinishAlertDelivery(d tracker.AlertDelivery, errText string) error {
	_, err := t.exec(`UPDATE alert_deliveries SET status = ?, subject = ?, next_attempt_at = ?, last_error = ?,
			updated_at = ?, sent_at = ? WHERE id = ?`,
		d.Status, d.Subject, formatTime(d.NextAttemptAt), d.LastError, formatTime(d.UpdatedAt), formatTime(d.SentAt), d.ID)
	if err != nil {
		return fmt.Errorf("record alert %d: %w", d.ID, err)
	}
	if _, err := t.exec(`INSERT INTO alert_attempts (delivery_id, at, ok, error) VALUES (?, ?, ?, ?)`,
		d.ID, formatTime(d.UpdatedAt), boolInt(errText == ""), errText); err != nil {
		return fmt.Errorf("record attempt of alert %d: %w", d.ID, err)
	}
	return nil
}

// AlertDeliveriesIn lists deliveries in a status.
func (t *tx) AlertDeliveriesIn(status string) ([]tracker.AlertDelivery, error) {
	return t.deliveries(`WHERE d.status = ? ORDER BY d.id`, status)
}

// AlertDeliveries lists a channel's newest deliveries (0: all channels).
func (t *tx) AlertDeliveries(channelID int64, limit int) ([]tracker.AlertDelivery, error) {
	q := `WHERE (? = 0 OR d.channel_id = ?) ORDER BY d.id DESC`
	args := []any{channelID, channelID}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	return t.deliveries(q, args...)
}

// FailureStreaks lists tracked documents whose checks since their last
// success (or since their first check) all failed. It looks at each
// tracked document's latest event through the (document_id, at) index, and
// counts the streak only for the documents failing now.
func (t *tx) FailureStreaks() ([]tracker.FailureStreak, error) {
	rows, err := t.query(`SELECT d.id, p.slug, p.name, d.title, d.kind, d.url, l.id, l.at, l.reason, l.detail
		FROM documents d JOIN platforms p ON p.id = d.platform_id
			JOIN check_events l ON l.id = (SELECT e.id FROM check_events e WHERE e.document_id = d.id
				ORDER BY e.at DESC, e.id DESC LIMIT 1)
		WHERE d.tracked = 1 AND l.status = 'failed'
		ORDER BY d.id`)
	if err != nil {
		return nil, fmt.Errorf("list failing documents: %w", err)
	}
	var out []tracker.FailureStreak
	for rows.Next() {
		var f tracker.FailureStreak
		var lastID int64
		var last string
		if err := rows.Scan(&f.DocumentID, &f.PlatformSlug, &f.PlatformName, &f.Title, &f.Kind, &f.URL, &lastID, &last,
			&f.Reason, &f.Detail); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list failing documents: %w", err)
		}
		f.Last = parseTime(last)
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list failing documents: %w", err)
	}
	for i := range out {
		f := &out[i]
		var first string
		err := t.queryRow(`SELECT COUNT(*), MIN(at), MIN(id) FROM check_events
			WHERE document_id = ? AND status = 'failed' AND at > COALESCE(
				(SELECT MAX(at) FROM check_events WHERE document_id = ? AND status <> 'failed'), '')`,
			f.DocumentID, f.DocumentID).Scan(&f.Failures, &first, &f.FirstID)
		if err != nil {
			return nil, fmt.Errorf("count failures of document %d: %w", f.DocumentID, err)
		}
		f.First = parseTime(first)
	}
	return out, nil
}
