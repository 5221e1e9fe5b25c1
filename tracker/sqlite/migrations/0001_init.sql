-- PolicyWatch archive schema, version 1.
-- Times are UTC text in the fixed-width form 2006-01-02T15:04:05.000Z so they sort as text.

CREATE TABLE platforms (
    id                INTEGER PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    category          TEXT NOT NULL DEFAULT '',
    owner             TEXT NOT NULL DEFAULT '',
    eu_lead_authority TEXT NOT NULL DEFAULT '',
    vlop              INTEGER NOT NULL DEFAULT 0,
    gatekeeper        INTEGER NOT NULL DEFAULT 0,
    allows_minors     INTEGER NOT NULL DEFAULT 0,
    custom            INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL
);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    platform_id   INTEGER NOT NULL REFERENCES platforms(id),
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    select_css    TEXT NOT NULL DEFAULT '',
    remove_css    TEXT NOT NULL DEFAULT '',
    tracked       INTEGER NOT NULL DEFAULT 0,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    UNIQUE (platform_id, kind, url)
);
CREATE INDEX documents_tracked ON documents(tracked);

CREATE TABLE versions (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    fetched_at   TEXT NOT NULL,
    url          TEXT NOT NULL DEFAULT '',
    http_status  INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    sha256       TEXT NOT NULL,
    text         TEXT NOT NULL,
    raw_gzip     BLOB,
    raw_size     INTEGER NOT NULL DEFAULT 0,
    stated_date  TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT 'check',
    UNIQUE (document_id, fetched_at)
);
CREATE INDEX versions_sha ON versions(sha256);

CREATE TABLE check_events (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    at          TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('changed', 'unchanged', 'failed')),
    reason      TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    http_status INTEGER NOT NULL DEFAULT 0,
    version_id  INTEGER REFERENCES versions(id),
    sha256      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX check_events_doc ON check_events(document_id, at);
CREATE INDEX check_events_at ON check_events(at);

CREATE TABLE changes (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents(id),
    from_version_id INTEGER NOT NULL REFERENCES versions(id),
    to_version_id   INTEGER NOT NULL REFERENCES versions(id),
    detected_at     TEXT NOT NULL,
    substantive     INTEGER NOT NULL DEFAULT 0,
    exposure        TEXT NOT NULL DEFAULT 'none',
    exposure_rank   INTEGER NOT NULL DEFAULT 0,
    summary         TEXT NOT NULL DEFAULT '',
    rationale       TEXT NOT NULL DEFAULT '',
    added_words     INTEGER NOT NULL DEFAULT 0,
    removed_words   INTEGER NOT NULL DEFAULT 0,
    record_json     TEXT NOT NULL DEFAULT '{}',
    reviewed_at     TEXT NOT NULL DEFAULT '',
    reviewed_by     TEXT NOT NULL DEFAULT '',
    UNIQUE (from_version_id, to_version_id)
);
CREATE INDEX changes_detected ON changes(detected_at);
CREATE INDEX changes_doc ON changes(document_id, detected_at);
CREATE INDEX changes_exposure ON changes(exposure_rank, detected_at);

CREATE TABLE findings (
    id        INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    category  TEXT NOT NULL,
    direction TEXT NOT NULL,
    exposure  TEXT NOT NULL,
    heading   TEXT NOT NULL DEFAULT '',
    evidence  TEXT NOT NULL DEFAULT '',
    rule      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX findings_change ON findings(change_id);
CREATE INDEX findings_category ON findings(category, change_id);

CREATE TABLE finding_jurisdictions (
    finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    PRIMARY KEY (finding_id, code)
);
CREATE INDEX finding_jurisdictions_code ON finding_jurisdictions(code, finding_id);

CREATE TABLE checklist_items (
    id           INTEGER PRIMARY KEY,
    change_id    INTEGER NOT NULL REFERENCES changes(id),
    category     TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'in-progress', 'done', 'not-applicable')),
    owner        TEXT NOT NULL DEFAULT '',
    due_date     TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    evidence_ref TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (change_id, category, seq)
);
CREATE INDEX checklist_status ON checklist_items(status, due_date);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

-- The audit log is append-only: the application never updates or deletes it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TABLE org_profile (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    organisation    TEXT NOT NULL DEFAULT '',
    jurisdictions   TEXT NOT NULL DEFAULT '',
    serves_children INTEGER NOT NULL DEFAULT 0,
    health_data     INTEGER NOT NULL DEFAULT 0,
    financial_data  INTEGER NOT NULL DEFAULT 0,
    advertises      INTEGER NOT NULL DEFAULT 0,
    role            TEXT NOT NULL DEFAULT 'controller',
    b2b_negotiated  INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
