-- Precise tile invalidation and an incremental land overview (package tiles, watch.go and
-- invalidate.go read what is announced here).
--
-- Every statement that changes assets, zones or regions announces on channel onemap_tiles, as
-- JSON, which layers it touched and the Web-Mercator box of the old and new geometries per layer:
--   {"table":"assets","layers":{"land":[xmin,ymin,xmax,ymax],"mine":[…]},"stale":false}
-- so that each instance drops only the cached tiles those boxes reach. A statement of assets also
-- patches the land overview (tile_land_groups, tile_land_cells, every level) in its own
-- transaction: the parcels it removes are subtracted from their cells, those it adds are added,
-- whatever changed (insert, delete, stage, mode, region, zone, shape, kind, soft deletion). Only a
-- bulk statement (more than 2000 rows, or 1000 updated, as the demo and imports write) or a TRUNCATE leaves the
-- overview to the full rebuild (tiles.Service.Refresh): it marks tile_state.stale and says
-- "stale":true, and the leading instance rebuilds once writes pause. While the overview is stale,
-- patches are skipped (the rebuild reads every parcel anyway).
--
-- Patches and rebuilds exclude each other on one advisory lock, held to the end of the
-- transaction: patches therefore apply one transaction after another (at most a few
-- milliseconds each), and a rebuild reads the parcels with no patch half-applied.
--
-- At commit, the data version (011) is announced last, as {"version":N}, after the boxes of the
-- same transaction (notices of one transaction arrive in the order sent, transactions in commit
-- order): an instance that has heard version N has dropped every tile that N changed.

-- tile_state.stale replaces the fingerprint of the parcels (no longer written: patched overviews
-- would never match it, and reading it cost a second per million parcels).
ALTER TABLE tile_state ADD COLUMN stale boolean NOT NULL DEFAULT false;
-- A database that holds parcels already may hold an overview older than them: rebuild it once.
UPDATE tile_state SET stale = EXISTS (SELECT 1 FROM assets WHERE kind = 'land' AND deleted_at IS NULL);

DROP TRIGGER assets_overview_patch ON assets;
DROP FUNCTION tile_overview_patch();

DROP TRIGGER assets_tile_notify ON assets;
DROP TRIGGER zones_tile_notify ON zones;
DROP TRIGGER regions_tile_notify ON regions;
DROP FUNCTION tile_notify();

-- One changed row as a statement saw it: sgn -1 for its old state, +1 for its new one.
CREATE TYPE tile_change AS (
    sgn integer, layer text, live boolean, stage text, mode text, region_code text, zone_code text,
    area_mu double precision, geom geometry
);

-- tile_announce sends the layers and boxes of changes, and whether the overview went stale.
CREATE FUNCTION tile_announce(tbl text, changes tile_change[], stale boolean) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_notify('onemap_tiles', jsonb_build_object('table', tbl, 'stale', stale,
        'layers', coalesce((
            SELECT jsonb_object_agg(b.layer, jsonb_build_array(ST_XMin(b.box), ST_YMin(b.box), ST_XMax(b.box), ST_YMax(b.box)))
            FROM (SELECT c.layer, ST_Extent(c.geom) AS box FROM unnest(changes) c
                  WHERE c.geom IS NOT NULL GROUP BY c.layer) b), '{}'::jsonb))::text)
$$;

-- tile_overview_apply adds the live land parcels among changes (sgn -1 subtracts) to every level
-- of the overview, as refresh_finest.sql and the rollup count them: a parcel in the level-18 cell
-- holding the centre of its bounding box, and in that cell's parents down to level 5. Groups that
-- fall to no parcel go; the cells touched are summed again from their groups.
CREATE FUNCTION tile_overview_apply(changes tile_change[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    deltas tile_delta[];
BEGIN
    SELECT array_agg(ROW(d.g, d.q, d.cx, d.cy, d.stage, d.mode, d.region_code, d.zone_code, d.n, d.area_mu, d.area_3857)::tile_delta)
    INTO deltas
    FROM (
        SELECT lv.g::smallint AS g, tile_morton(f.cx, f.cy) >> (2 * (18 - lv.g)) AS q,
            f.cx >> (18 - lv.g) AS cx, f.cy >> (18 - lv.g) AS cy, f.stage, f.mode, f.region_code, f.zone_code,
            sum(f.sgn)::integer AS n, sum(f.sgn * f.area_mu) AS area_mu, sum(f.sgn * f.area_3857) AS area_3857
        FROM (
            SELECT floor(((ST_XMin(c.geom) + ST_XMax(c.geom)) / 2 + 20037508.342789244)
                         / (40075016.685578488 / (1 << 18)))::integer AS cx,
                   floor((20037508.342789244 - (ST_YMin(c.geom) + ST_YMax(c.geom)) / 2)
                         / (40075016.685578488 / (1 << 18)))::integer AS cy,
                   c.sgn, c.stage, c.mode, c.region_code, c.zone_code, c.area_mu, ST_Area(c.geom) AS area_3857
            FROM unnest(changes) c
            WHERE c.layer = 'land' AND c.live
        ) f
        CROSS JOIN generate_series(5, 18) lv(g)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        -- An edit that moves nothing the overview counts (a name, a holder) cancels out here.
        HAVING sum(f.sgn) <> 0 OR sum(f.sgn * f.area_mu) <> 0 OR sum(f.sgn * f.area_3857) <> 0
    ) d;
    IF deltas IS NULL THEN
        RETURN;
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
    DELETE FROM tile_land_groups t USING (SELECT DISTINCT g, q FROM unnest(deltas)) d
    WHERE t.g = d.g AND t.q = d.q AND t.n <= 0;

    DELETE FROM tile_land_cells c USING (SELECT DISTINCT g, q FROM unnest(deltas)) d
    WHERE c.g = d.g AND c.q = d.q;
    INSERT INTO tile_land_cells
    SELECT t.g, t.q, min(t.cx), min(t.cy), sum(t.n)::integer, sum(t.area_mu), sum(t.area_3857),
        min(t.region_code), min(t.zone_code),
        coalesce(sum(t.area_mu) FILTER (WHERE t.stage = 'idle'), 0),
        coalesce(sum(t.area_mu) FILTER (WHERE t.stage = 'planned'), 0),
        coalesce(sum(t.area_mu) FILTER (WHERE t.stage = 'in_progress'), 0),
        coalesce(sum(t.area_mu) FILTER (WHERE t.stage = 'done'), 0),
        coalesce(sum(t.area_mu) FILTER (WHERE t.mode = 'use'), 0),
        coalesce(sum(t.area_mu) FILTER (WHERE t.mode = 'sell'), 0),
        coalesce(sum(t.area_mu) FILTER (WHERE t.mode = 'lease'), 0),
        coalesce(sum(t.area_mu) FILTER (WHERE t.mode = 'finance'), 0),
        coalesce(sum(t.area_mu) FILTER (WHERE t.mode = 'undecided'), 0)
    FROM tile_land_groups t JOIN (SELECT DISTINCT g, q FROM unnest(deltas)) d ON t.g = d.g AND t.q = d.q
    GROUP BY t.g, t.q;
END $$;

-- tile_assets_changed collects a statement's changed assets, patches the overview (or marks it
-- stale) and announces the boxes.
CREATE FUNCTION tile_assets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes tile_change[];
    stale boolean := false;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(ROW(1, n.kind, n.deleted_at IS NULL, n.stage, n.mode, n.region_code, n.zone_code, n.area_mu, n.geom_3857)::tile_change)
        INTO changes FROM n;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(ROW(-1, o.kind, o.deleted_at IS NULL, o.stage, o.mode, o.region_code, o.zone_code, o.area_mu, o.geom_3857)::tile_change)
        INTO changes FROM o;
    ELSE
        SELECT array_agg(c) INTO changes FROM o JOIN n USING (id)
        CROSS JOIN LATERAL (VALUES
            (ROW(-1, o.kind, o.deleted_at IS NULL, o.stage, o.mode, o.region_code, o.zone_code, o.area_mu, o.geom_3857)::tile_change),
            (ROW(1, n.kind, n.deleted_at IS NULL, n.stage, n.mode, n.region_code, n.zone_code, n.area_mu, n.geom_3857)::tile_change)) v(c);
    END IF;
    IF changes IS NULL THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(changes) c WHERE c.layer = 'land' AND c.live) THEN
        PERFORM pg_advisory_xact_lock(7953766223091941380); -- the overview's lock key (tiles.overviewLock)
        SELECT t.stale INTO stale FROM tile_state t;
        IF NOT stale AND cardinality(changes) > 2000 THEN
            UPDATE tile_state SET stale = true;
            stale := true;
        ELSIF NOT stale THEN
            PERFORM tile_overview_apply(changes);
        END IF;
    END IF;
    PERFORM tile_announce('assets', changes, stale);
    RETURN NULL;
END $$;

-- tile_places_changed announces a statement's changed zones or regions (layer: zone, region).
CREATE FUNCTION tile_places_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes tile_change[];
    layer text := CASE TG_TABLE_NAME WHEN 'zones' THEN 'zone' ELSE 'region' END;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT array_agg(ROW(1, layer, true, NULL, NULL, NULL, NULL, NULL, n.geom_3857)::tile_change) INTO changes FROM n;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        SELECT array_cat(changes, array_agg(ROW(-1, layer, true, NULL, NULL, NULL, NULL, NULL, o.geom_3857)::tile_change)) INTO changes FROM o;
    END IF;
    IF changes IS NOT NULL THEN
        PERFORM tile_announce(TG_TABLE_NAME, changes, false);
    END IF;
    RETURN NULL;
END $$;

-- A TRUNCATE has no rows to tell: every tile is dropped and the overview rebuilt.
CREATE FUNCTION tile_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'assets' THEN
        PERFORM pg_advisory_xact_lock(7953766223091941380);
        UPDATE tile_state SET stale = true;
    END IF;
    PERFORM pg_notify('onemap_tiles', jsonb_build_object('table', TG_TABLE_NAME, 'stale', TG_TABLE_NAME = 'assets')::text);
    RETURN NULL;
END $$;

CREATE TRIGGER assets_tile_insert AFTER INSERT ON assets REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION tile_assets_changed();
CREATE TRIGGER assets_tile_update AFTER UPDATE ON assets REFERENCING OLD TABLE AS o NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION tile_assets_changed();
CREATE TRIGGER assets_tile_delete AFTER DELETE ON assets REFERENCING OLD TABLE AS o
    FOR EACH STATEMENT EXECUTE FUNCTION tile_assets_changed();
CREATE TRIGGER assets_tile_truncate AFTER TRUNCATE ON assets
    FOR EACH STATEMENT EXECUTE FUNCTION tile_truncated();

CREATE TRIGGER zones_tile_insert AFTER INSERT ON zones REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION tile_places_changed();
CREATE TRIGGER zones_tile_update AFTER UPDATE ON zones REFERENCING OLD TABLE AS o NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION tile_places_changed();
CREATE TRIGGER zones_tile_delete AFTER DELETE ON zones REFERENCING OLD TABLE AS o
    FOR EACH STATEMENT EXECUTE FUNCTION tile_places_changed();
CREATE TRIGGER zones_tile_truncate AFTER TRUNCATE ON zones
    FOR EACH STATEMENT EXECUTE FUNCTION tile_truncated();

CREATE TRIGGER regions_tile_insert AFTER INSERT ON regions REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION tile_places_changed();
CREATE TRIGGER regions_tile_update AFTER UPDATE ON regions REFERENCING OLD TABLE AS o NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION tile_places_changed();
CREATE TRIGGER regions_tile_delete AFTER DELETE ON regions REFERENCING OLD TABLE AS o
    FOR EACH STATEMENT EXECUTE FUNCTION tile_places_changed();
CREATE TRIGGER regions_tile_truncate AFTER TRUNCATE ON regions
    FOR EACH STATEMENT EXECUTE FUNCTION tile_truncated();

-- The version, announced last at commit (see above).
CREATE OR REPLACE FUNCTION data_version_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7953766223091941379); -- the data version's own lock key
    INSERT INTO data_versions (version) VALUES (nextval('data_version_seq')) RETURNING version INTO v;
    DELETE FROM data_version_pending WHERE xid = NEW.xid;
    PERFORM pg_notify('onemap_tiles', jsonb_build_object('version', v)::text);
    RETURN NULL;
END $$;
