-- PolicyWatch team archive: the database roles and what each may do.
--
-- Run it as the database's administrator (a superuser, or the owner of the
-- database and of the archive's schema), with psql:
--
--   psql "postgres://admin@db.acme.example/policywatch" -v schema=public -f scripts/postgres-roles.sql
--
-- (-v schema=… names the schema the archive lives in, the one its
-- connection string's search_path chooses; public when omitted.) It can be
-- run before the archive exists and again at any time: it creates what is
-- missing and grants again, and never removes a role or a person.
--
-- Three group roles, none of which can sign in itself:
--
--   policywatch_owner     owns the archive's tables: the first PolicyWatch
--                         to connect creates them, and an upgraded
--                         PolicyWatch adds to them. Sign in as it (or a
--                         role that SETs it) for the first start and for
--                         upgrades.
--   policywatch_editor    the team: checks, reviews, checklist edits,
--                         documents, settings, alerts. It may append to the
--                         evidence log, checkpoints and versions, never
--                         UPDATE, DELETE or TRUNCATE them (the tables'
--                         triggers refuse that to anyone as well).
--   policywatch_reviewer  read and export: sees everything, writes reports
--                         and evidence bundles (which are logged, so it may
--                         append to the log and sign checkpoints), changes
--                         nothing else. The app says so and disables nothing
--                         it would refuse: an edit is refused by the database
--                         and explained.
--
-- Then give each person a sign-in of their own, in one group; their
-- actions are recorded under it (or under the name and e-mail they enter
-- in Settings → Organisation profile):
--
--   CREATE ROLE jane LOGIN PASSWORD '…' IN ROLE policywatch_editor;
--   CREATE ROLE auditor LOGIN PASSWORD '…' IN ROLE policywatch_reviewer;
--   CREATE ROLE watch1 LOGIN PASSWORD '…' IN ROLE policywatch_editor;   -- a `policywatch watch` worker
--   ALTER ROLE policywatch_owner LOGIN PASSWORD '…';                    -- for the first start and upgrades

\set ON_ERROR_STOP on
\if :{?schema}
\else
\set schema public
\endif
SELECT set_config('policywatch.schema', :'schema', false);

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'policywatch_owner') THEN
        CREATE ROLE policywatch_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'policywatch_editor') THEN
        CREATE ROLE policywatch_editor NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'policywatch_reviewer') THEN
        CREATE ROLE policywatch_reviewer NOLOGIN;
    END IF;
END $$;

DO $$
DECLARE
    s       text := current_setting('policywatch.schema');
    creator name;
    t       record;
BEGIN
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO policywatch_owner', s);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO policywatch_editor, policywatch_reviewer', s);

    -- An archive someone else created becomes policywatch_owner's: its
    -- tables (those owned by whoever owns the evidence log), their
    -- sequences, and PolicyWatch's trigger functions.
    SELECT tableowner INTO creator FROM pg_tables WHERE schemaname = s AND tablename = 'audit_log';
    IF creator IS NOT NULL AND creator <> 'policywatch_owner' THEN
        FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = s AND tableowner = creator LOOP
            EXECUTE format('ALTER TABLE %I.%I OWNER TO policywatch_owner', s, t.tablename);
        END LOOP;
        FOR t IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = s AND p.proname LIKE 'policywatch\_%' LOOP
            EXECUTE format('ALTER FUNCTION %s OWNER TO policywatch_owner', t.fn);
        END LOOP;
    END IF;

    -- What exists now…
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO policywatch_editor', s);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO policywatch_editor', s);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO policywatch_reviewer', s);
    -- …and what policywatch_owner creates later (an upgrade's new tables).
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE policywatch_owner IN SCHEMA %I
        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO policywatch_editor', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE policywatch_owner IN SCHEMA %I
        GRANT USAGE, SELECT ON SEQUENCES TO policywatch_editor', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE policywatch_owner IN SCHEMA %I
        GRANT SELECT ON TABLES TO policywatch_reviewer', s);

    -- The append-only tables: appended to, never changed.
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = s
             AND tablename IN ('audit_log', 'checkpoints', 'versions') LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I.%I FROM policywatch_editor', s, t.tablename);
    END LOOP;
    -- A reviewer's exports are logged and sealed.
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = s
             AND tablename IN ('audit_log', 'checkpoints') LOOP
        EXECUTE format('GRANT INSERT ON %I.%I TO policywatch_reviewer', s, t.tablename);
    END LOOP;
    IF to_regclass(format('%I.checkpoints_id_seq', s)) IS NOT NULL THEN
        EXECUTE format('GRANT USAGE ON SEQUENCE %I.checkpoints_id_seq TO policywatch_reviewer', s);
    END IF;
END $$;
