-- The queue of a shared check round (issue 17): the process that starts a
-- full round puts every tracked document here, and every process checking
-- the archive — several `policywatch watch` workers of a team, the app —
-- takes documents from it, so that a round is spread over them and no
-- document is checked twice. A claim older than its lease (its worker
-- died) is taken over; a row is done once its check event is stored.
CREATE TABLE check_queue (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    round       TEXT NOT NULL,
    claimed_by  TEXT NOT NULL DEFAULT '',
    claimed_at  TEXT NOT NULL DEFAULT '',
    done_at     TEXT NOT NULL DEFAULT ''
);
