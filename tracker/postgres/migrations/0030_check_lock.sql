-- The check lock (PostgreSQL form of tracker/sqlite/migrations/0030): who is
-- checking this archive now (the app or `policywatch watch`, on this
-- machine or another), so that two processes never check the same archive
-- at once; and when the last full round ran, which the shared scheduler
-- reads to decide when the next one is due. One row; holder is '' when
-- nobody holds the lock. A holder renews expires_at while it works, so the
-- lock of a process that died goes stale.
CREATE TABLE IF NOT EXISTS check_lock (
    id            integer PRIMARY KEY CHECK (id = 1),
    holder        text NOT NULL DEFAULT '',
    host          text NOT NULL DEFAULT '',
    pid           integer NOT NULL DEFAULT 0,
    since         timestamptz,
    expires_at    timestamptz,
    last_round_at timestamptz
);
INSERT INTO check_lock (id) VALUES (1) ON CONFLICT DO NOTHING;
