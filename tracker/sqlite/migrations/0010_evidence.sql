-- Evidence (issue 13): log entries carry the facts of the record they vouch
-- for; signed checkpoints of the log; provenance of imported versions; the
-- hash of every version's raw bytes; review notes.

-- The file says it is a PolicyWatch archive ("PWAT"), so Open can tell it
-- from any other SQLite file.
PRAGMA application_id = 1347895636;

ALTER TABLE audit_log ADD COLUMN data TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_action ON audit_log(action, id);

CREATE TABLE checkpoints (
    id              INTEGER PRIMARY KEY,
    archive         TEXT NOT NULL,
    entries         INTEGER NOT NULL,
    head            TEXT NOT NULL,
    at              TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    signature       TEXT NOT NULL,
    tsa_url         TEXT NOT NULL DEFAULT '',
    tsa_token       BLOB
);
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;

ALTER TABLE versions ADD COLUMN raw_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE versions ADD COLUMN origin_dataset TEXT NOT NULL DEFAULT '';
ALTER TABLE versions ADD COLUMN origin_release TEXT NOT NULL DEFAULT '';
ALTER TABLE versions ADD COLUMN origin_commit TEXT NOT NULL DEFAULT '';
ALTER TABLE versions ADD COLUMN origin_file TEXT NOT NULL DEFAULT '';
-- Archived versions never change.
CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'archived versions never change'); END;
CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'archived versions are never deleted'); END;

ALTER TABLE changes ADD COLUMN review_note TEXT NOT NULL DEFAULT '';
