-- The queue of a shared check round (PostgreSQL form of
-- tracker/sqlite/migrations/0061): the process that starts a full round puts
-- every tracked document here, and every process checking the archive —
-- several `policywatch watch` workers of a team, the app — takes documents
-- from it with SELECT … FOR UPDATE SKIP LOCKED, so that a round is spread
-- over them and no document is checked twice. A claim older than its lease
-- (its worker died) is taken over; a row is done once its check event is
-- stored.
CREATE TABLE check_queue (
    document_id bigint PRIMARY KEY REFERENCES documents(id),
    round       timestamptz NOT NULL,
    claimed_by  text NOT NULL DEFAULT '',
    claimed_at  timestamptz,
    done_at     timestamptz
);
CREATE INDEX check_queue_open ON check_queue(document_id) WHERE done_at IS NULL;

-- A new round is announced like a new log entry, so that idle workers
-- listening for the archive's changes join it at once.
CREATE FUNCTION policywatch_announce_round() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('policywatch', json_build_object('schema', TG_TABLE_SCHEMA, 'round', true)::text);
    RETURN NULL;
END $$;
CREATE TRIGGER check_queue_announce AFTER INSERT ON check_queue
    FOR EACH STATEMENT EXECUTE FUNCTION policywatch_announce_round();
