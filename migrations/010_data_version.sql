-- The data version: a number that grows with every committed write to what maps show (assets,
-- zones, regions, and the land overview built from them). Tile URLs carry it (?v=N), so a tile
-- under one version never changes and may be cached for good by browsers and proxies; the page
-- learns of a new one from GET /api/v1/events.
--
-- It lives in the database, so that every server instance agrees. It is taken at commit, not at
-- the write: a statement marks its transaction as writing (one row in data_version_pending), and a
-- deferred constraint trigger on that row takes the next number just before the transaction
-- commits, holding an advisory lock until the commit ends. Numbers therefore follow commit order
-- (max(version) only grows, and every commit raises it), a rolled-back write takes none, and a
-- long import blocks nobody: the lock is held for the commit alone. Appending a row rather than
-- updating one keeps REPEATABLE READ writers (the overview rebuild) clear of serialization errors.
CREATE SEQUENCE data_version_seq;

CREATE TABLE data_versions (
    version      bigint PRIMARY KEY,
    committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO data_versions (version) VALUES (nextval('data_version_seq'));

CREATE TABLE data_version_pending (
    xid xid8 PRIMARY KEY
);

CREATE FUNCTION data_version_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO data_version_pending (xid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION data_version_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7953766223091941379); -- the data version's own lock key
    INSERT INTO data_versions (version) VALUES (nextval('data_version_seq'));
    DELETE FROM data_version_pending WHERE xid = NEW.xid;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER data_version_commit AFTER INSERT ON data_version_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_commit();

CREATE TRIGGER assets_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assets
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER zones_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON zones
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER regions_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER tile_state_data_version AFTER UPDATE ON tile_state
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
