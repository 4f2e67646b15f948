-- Vector tiles (package tiles): a generalised overview of the land parcels for low zooms, an index
-- for the small asset layers, and change notifications that keep tile caches and the overview fresh.

-- tile_morton interleaves the bits of a cell's x and y (x in the even bits): the cells of one tile
-- then form one contiguous range of keys, and a child's key is its parent's shifted by two bits.
CREATE FUNCTION tile_morton(x bigint, y bigint) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    x := (x | (x << 16)) & 281470681808895;      -- 0x0000FFFF0000FFFF
    x := (x | (x << 8)) & 71777214294589695;     -- 0x00FF00FF00FF00FF
    x := (x | (x << 4)) & 1085102592571150095;   -- 0x0F0F0F0F0F0F0F0F
    x := (x | (x << 2)) & 3689348814741910323;   -- 0x3333333333333333
    x := (x | (x << 1)) & 6148914691236517205;   -- 0x5555555555555555
    y := (y | (y << 16)) & 281470681808895;
    y := (y | (y << 8)) & 71777214294589695;
    y := (y | (y << 4)) & 1085102592571150095;
    y := (y | (y << 2)) & 3689348814741910323;
    y := (y | (y << 1)) & 6148914691236517205;
    RETURN x | (y << 1);
END $$;

-- Land parcels summed per grid cell and per (stage, mode, region, zone), so that filtered overview
-- tiles are sums of rows. Cell level g is a tile zoom: cell (cx, cy) is tile (g, cx, cy).
CREATE TABLE tile_land_groups (
    g           smallint NOT NULL,
    q           bigint NOT NULL,
    cx          integer NOT NULL,
    cy          integer NOT NULL,
    stage       text NOT NULL,
    mode        text NOT NULL,
    region_code text,
    zone_code   text,
    n           integer NOT NULL,
    area_mu     double precision NOT NULL,
    area_3857   double precision NOT NULL
);
CREATE INDEX tile_land_groups_gq_idx ON tile_land_groups (g, q);

-- The same cells summed over every group, with the area of each stage and mode (whence the
-- dominant ones): what an unfiltered overview tile reads.
CREATE TABLE tile_land_cells (
    g              smallint NOT NULL,
    q              bigint NOT NULL,
    cx             integer NOT NULL,
    cy             integer NOT NULL,
    n              integer NOT NULL,
    area_mu        double precision NOT NULL,
    area_3857      double precision NOT NULL,
    region_code    text,
    zone_code      text,
    mu_idle        double precision NOT NULL,
    mu_planned     double precision NOT NULL,
    mu_in_progress double precision NOT NULL,
    mu_done        double precision NOT NULL,
    mu_use         double precision NOT NULL,
    mu_sell        double precision NOT NULL,
    mu_lease       double precision NOT NULL,
    mu_finance     double precision NOT NULL,
    mu_undecided   double precision NOT NULL
);
CREATE INDEX tile_land_cells_gq_idx ON tile_land_cells (g, q);

-- What the overview was built from, to tell whether it is current.
CREATE TABLE tile_state (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    built_at    timestamptz,
    fingerprint text NOT NULL DEFAULT '',
    land_bounds geometry(Polygon, 4326)
);
INSERT INTO tile_state DEFAULT VALUES;

-- The small layers (mine, forest, water, building) must not wade through a million parcels'
-- index entries at low zooms.
CREATE INDEX assets_geom_3857_other_idx ON assets USING gist (geom_3857)
    WHERE kind <> 'land' AND deleted_at IS NULL;

-- Every committed change to what tiles show is announced on channel onemap_tiles (payload: the
-- table), once per statement; NOTIFY is delivered at commit and folded within a transaction.
CREATE FUNCTION tile_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('onemap_tiles', TG_TABLE_NAME);
    RETURN NULL;
END $$;
CREATE TRIGGER assets_tile_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assets
    FOR EACH STATEMENT EXECUTE FUNCTION tile_notify();
CREATE TRIGGER zones_tile_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON zones
    FOR EACH STATEMENT EXECUTE FUNCTION tile_notify();
CREATE TRIGGER regions_tile_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
    FOR EACH STATEMENT EXECUTE FUNCTION tile_notify();
