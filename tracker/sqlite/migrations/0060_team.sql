-- A team archive (issue 17). Checklist items carry a version that every
-- update raises, so that an edit made from a stale copy of an item is
-- detected instead of overwriting the newer one (tracker.ErrConflict). The
-- PostgreSQL form of this step also announces new log entries to the other
-- desktops (LISTEN/NOTIFY); here the service watches the log's head instead.
ALTER TABLE checklist_items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
