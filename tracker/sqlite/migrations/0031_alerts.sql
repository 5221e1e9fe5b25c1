-- Alert channels, their rules, and every delivery made to them. (IF NOT
-- EXISTS: re-applying it to a file that has it changes nothing.)
-- Secrets (SMTP passwords, webhook addresses) are never stored here: a
-- channel keeps only secret_ref, the name its secret is filed under in the
-- OS keyring or the 0600 secrets file.

CREATE TABLE IF NOT EXISTS alert_channels (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('email', 'webhook', 'desktop')),
    target         TEXT NOT NULL DEFAULT '',   -- where alerts go, in words, without secrets
    email_to       TEXT NOT NULL DEFAULT '',
    email_from     TEXT NOT NULL DEFAULT '',
    smtp_url       TEXT NOT NULL DEFAULT '',   -- smtp[s]://[user@]host:port, never a password
    format         TEXT NOT NULL DEFAULT '',   -- webhook: json, slack, teams
    secret_ref     TEXT NOT NULL DEFAULT '',
    min_exposure   TEXT NOT NULL DEFAULT 'low',
    jurisdictions  TEXT NOT NULL DEFAULT '',   -- comma-separated; empty = all
    categories     TEXT NOT NULL DEFAULT '',
    platforms      TEXT NOT NULL DEFAULT '',
    digest         TEXT NOT NULL DEFAULT 'none' CHECK (digest IN ('none', 'daily', 'weekly')),
    health_checks  INTEGER NOT NULL DEFAULT 0, -- alert after this many failed checks in a row (0 = off)
    health_days    INTEGER NOT NULL DEFAULT 0, -- or after failing for this many days (0 = off)
    attach_pdf     INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    last_digest_at TEXT NOT NULL DEFAULT '',
    removed_at     TEXT NOT NULL DEFAULT ''    -- removed channels keep their delivery history
);

-- One row per message to send. (channel_id, dedup_key) is unique, so the
-- same alert is never queued twice for a channel, whichever process (the
-- app or `watch`) finds it first, and across restarts.
CREATE TABLE IF NOT EXISTS alert_deliveries (
    id              INTEGER PRIMARY KEY,
    channel_id      INTEGER NOT NULL REFERENCES alert_channels(id),
    kind            TEXT NOT NULL CHECK (kind IN ('change', 'digest', 'health', 'test')),
    dedup_key       TEXT NOT NULL,
    subject         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'interrupted')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    claimed_by      TEXT NOT NULL DEFAULT '',
    detail_json     TEXT NOT NULL DEFAULT '',  -- health: the failing document as it stood
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT NOT NULL DEFAULT '',
    UNIQUE (channel_id, dedup_key)
);
CREATE INDEX IF NOT EXISTS alert_deliveries_due ON alert_deliveries(status, next_attempt_at);

-- What each channel decided about each change: sent in a delivery, queued
-- for its digest, or skipped by its rules. The primary key is the
-- "never twice for the same change and channel" guarantee.
CREATE TABLE IF NOT EXISTS alert_items (
    channel_id  INTEGER NOT NULL REFERENCES alert_channels(id),
    change_id   INTEGER NOT NULL REFERENCES changes(id),
    state       TEXT NOT NULL CHECK (state IN ('queued', 'delivery', 'skipped')),
    delivery_id INTEGER REFERENCES alert_deliveries(id),
    at          TEXT NOT NULL,
    PRIMARY KEY (channel_id, change_id)
);
CREATE INDEX IF NOT EXISTS alert_items_delivery ON alert_items(delivery_id);

-- Every attempt to send a delivery, with its outcome.
CREATE TABLE IF NOT EXISTS alert_attempts (
    id          INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES alert_deliveries(id),
    at          TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS alert_attempts_delivery ON alert_attempts(delivery_id);

-- The desktop notification setting becomes the desktop channel, with the
-- exposure the user chose (high when never set), unless it was off.
INSERT INTO alert_channels (kind, target, min_exposure, created_at)
SELECT 'desktop', 'desktop notifications',
       COALESCE((SELECT value FROM settings WHERE key = 'notify_min_exposure'), 'high'),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE COALESCE((SELECT value FROM settings WHERE key = 'notify_min_exposure'), 'high') IN ('low', 'medium', 'high')
  AND NOT EXISTS (SELECT 1 FROM alert_channels WHERE kind = 'desktop');
