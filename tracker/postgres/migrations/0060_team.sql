-- A team archive (issue 17). Checklist items carry a version that every
-- update raises, so that an edit made from a stale copy of an item is
-- detected instead of overwriting the newer one (tracker.ErrConflict); the
-- SQLite form of this step adds the same column.
ALTER TABLE checklist_items ADD COLUMN version bigint NOT NULL DEFAULT 1;

-- Every entry appended to the log is announced to the desktops listening on
-- the channel "policywatch" when its transaction commits: a change, review
-- or checklist edit made on one desktop reaches the others within a second.
-- The payload names the archive's schema, so archives sharing a database
-- tell their notifications apart.
CREATE FUNCTION policywatch_announce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('policywatch', json_build_object(
        'schema', TG_TABLE_SCHEMA, 'id', NEW.id, 'action', NEW.action,
        'subject', left(NEW.subject, 200), 'actor', left(NEW.actor, 200))::text);
    RETURN NULL;
END $$;
CREATE TRIGGER audit_log_announce AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION policywatch_announce();
