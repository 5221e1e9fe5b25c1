-- The check lock: who is checking this archive now (the GUI or `policywatch
-- watch`, on this machine or another), so that two processes never check the
-- same archive at once; and when the last full round ran, which the shared
-- scheduler reads to decide when the next one is due. One row; holder is ''
-- when nobody holds the lock. A holder renews expires_at while it works, so
-- the lock of a process that died goes stale.
CREATE TABLE IF NOT EXISTS check_lock (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    holder        TEXT NOT NULL DEFAULT '',
    host          TEXT NOT NULL DEFAULT '',
    pid           INTEGER NOT NULL DEFAULT 0,
    since         TEXT NOT NULL DEFAULT '',
    expires_at    TEXT NOT NULL DEFAULT '',
    last_round_at TEXT NOT NULL DEFAULT ''
);
INSERT OR IGNORE INTO check_lock (id) VALUES (1);
