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

-- A small change of stage or mode (an edit in the panel) patches the land overview in the same
-- transaction, so that the low-zoom cells show it as soon as the parcels do, instead of after the
-- rebuild (which Watch still runs once writes pause, and which reads every parcel: a second or
-- more). Levels 5 (tiles.MinCellLevel) to 18 (tiles.OverviewLevel) are kept; a parcel counts in
-- the cell holding the centre of its bounding box at the finest level, and in that cell's parents,
-- as refresh_finest.sql and the rollup have it. Anything else (a new shape, region or zone, a
-- deletion, or more than 100 rows at once, as an import) is left to the rebuild.
CREATE TYPE tile_delta AS (
    g smallint, q bigint, cx integer, cy integer, stage text, mode text, region_code text, zone_code text,
    n integer, area_mu double precision, area_3857 double precision
);

CREATE FUNCTION tile_overview_patch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    deltas tile_delta[];
BEGIN
    IF (SELECT count(*) FROM n) > 100 THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM o JOIN n USING (id) WHERE (o.kind = 'land' OR n.kind = 'land') AND (
            o.kind <> n.kind OR o.deleted_at IS DISTINCT FROM n.deleted_at
            OR o.region_code IS DISTINCT FROM n.region_code OR o.zone_code IS DISTINCT FROM n.zone_code
            OR NOT ST_OrderingEquals(o.geom, n.geom))) THEN
        RETURN NULL;
    END IF;
    SELECT array_agg(ROW(d.g, d.q, d.cx, d.cy, d.stage, d.mode, d.region_code, d.zone_code, d.n, d.area_mu, d.area_3857)::tile_delta)
    INTO deltas
    FROM (
        SELECT lv.g::smallint AS g, tile_morton(f.cx, f.cy) >> (2 * (18 - lv.g)) AS q,
            f.cx >> (18 - lv.g) AS cx, f.cy >> (18 - lv.g) AS cy, v.stage, v.mode, f.region_code, f.zone_code,
            sum(v.sgn)::integer AS n, sum(v.sgn * f.area_mu) AS area_mu, sum(v.sgn * f.area_3857) AS area_3857
        FROM (
            SELECT floor(((ST_XMin(n.geom_3857) + ST_XMax(n.geom_3857)) / 2 + 20037508.342789244)
                         / (40075016.685578488 / (1 << 18)))::integer AS cx,
                   floor((20037508.342789244 - (ST_YMin(n.geom_3857) + ST_YMax(n.geom_3857)) / 2)
                         / (40075016.685578488 / (1 << 18)))::integer AS cy,
                   o.stage AS old_stage, o.mode AS old_mode, n.stage, n.mode, n.region_code, n.zone_code,
                   n.area_mu, ST_Area(n.geom_3857) AS area_3857
            FROM o JOIN n USING (id)
            WHERE n.kind = 'land' AND n.deleted_at IS NULL AND (o.stage, o.mode) IS DISTINCT FROM (n.stage, n.mode)
        ) f
        CROSS JOIN generate_series(5, 18) lv(g)
        CROSS JOIN LATERAL (VALUES (f.old_stage, f.old_mode, -1), (f.stage, f.mode, 1)) v(stage, mode, sgn)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ) d;
    IF deltas IS NULL THEN
        RETURN NULL;
    END IF;

    UPDATE tile_land_groups t SET n = t.n + d.n, area_mu = t.area_mu + d.area_mu, area_3857 = t.area_3857 + d.area_3857
    FROM unnest(deltas) d
    WHERE t.g = d.g AND t.q = d.q AND t.stage = d.stage AND t.mode = d.mode
        AND t.region_code IS NOT DISTINCT FROM d.region_code AND t.zone_code IS NOT DISTINCT FROM d.zone_code;
    INSERT INTO tile_land_groups (g, q, cx, cy, stage, mode, region_code, zone_code, n, area_mu, area_3857)
    SELECT d.g, d.q, d.cx, d.cy, d.stage, d.mode, d.region_code, d.zone_code, d.n, d.area_mu, d.area_3857
    FROM unnest(deltas) d
    WHERE d.n > 0 AND NOT EXISTS (SELECT 1 FROM tile_land_groups t
        WHERE t.g = d.g AND t.q = d.q AND t.stage = d.stage AND t.mode = d.mode
            AND t.region_code IS NOT DISTINCT FROM d.region_code AND t.zone_code IS NOT DISTINCT FROM d.zone_code);
    DELETE FROM tile_land_groups t USING unnest(deltas) d
    WHERE t.g = d.g AND t.q = d.q AND t.stage = d.stage AND t.mode = d.mode AND t.n <= 0;

    UPDATE tile_land_cells c SET
        mu_idle = c.mu_idle + s.idle, mu_planned = c.mu_planned + s.planned,
        mu_in_progress = c.mu_in_progress + s.in_progress, mu_done = c.mu_done + s.done,
        mu_use = c.mu_use + s.use, mu_sell = c.mu_sell + s.sell, mu_lease = c.mu_lease + s.lease,
        mu_finance = c.mu_finance + s.finance, mu_undecided = c.mu_undecided + s.undecided
    FROM (
        SELECT d.g, d.q,
            coalesce(sum(d.area_mu) FILTER (WHERE d.stage = 'idle'), 0) AS idle,
            coalesce(sum(d.area_mu) FILTER (WHERE d.stage = 'planned'), 0) AS planned,
            coalesce(sum(d.area_mu) FILTER (WHERE d.stage = 'in_progress'), 0) AS in_progress,
            coalesce(sum(d.area_mu) FILTER (WHERE d.stage = 'done'), 0) AS done,
            coalesce(sum(d.area_mu) FILTER (WHERE d.mode = 'use'), 0) AS use,
            coalesce(sum(d.area_mu) FILTER (WHERE d.mode = 'sell'), 0) AS sell,
            coalesce(sum(d.area_mu) FILTER (WHERE d.mode = 'lease'), 0) AS lease,
            coalesce(sum(d.area_mu) FILTER (WHERE d.mode = 'finance'), 0) AS finance,
            coalesce(sum(d.area_mu) FILTER (WHERE d.mode = 'undecided'), 0) AS undecided
        FROM unnest(deltas) d GROUP BY d.g, d.q
    ) s
    WHERE c.g = s.g AND c.q = s.q;
    RETURN NULL;
END $$;

CREATE TRIGGER assets_overview_patch AFTER UPDATE ON assets
    REFERENCING OLD TABLE AS o NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION tile_overview_patch();
