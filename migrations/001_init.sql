-- OneMap schema, version 1. Storage CRS is CGCS2000 geographic (EPSG:4490); every geometry table
-- keeps a generated, indexed Web-Mercator copy for tiles. Areas come from the ellipsoid, never typed.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE regions (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
    name        text NOT NULL,
    level       text NOT NULL DEFAULT 'county' CHECK (level IN ('province', 'city', 'county')),
    parent_code text,
    center      geometry(Point, 4490),
    geom        geometry(MultiPolygon, 4490) NOT NULL,
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    area_m2     double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED
);
CREATE INDEX regions_geom_idx ON regions USING gist (geom);
CREATE INDEX regions_geom_3857_idx ON regions USING gist (geom_3857);

CREATE TABLE zones (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    type        text NOT NULL DEFAULT 'industrial_park'
                CHECK (type IN ('high_tech_zone', 'development_zone', 'cluster_zone', 'industrial_park', 'other')),
    level       text NOT NULL DEFAULT 'county' CHECK (level IN ('national', 'provincial', 'city', 'county')),
    region_code text REFERENCES regions (code),
    geom        geometry(MultiPolygon, 4490) NOT NULL,
    geom_3857   geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    area_m2     double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
    area_mu     double precision GENERATED ALWAYS AS (ST_Area(geom::geography) * 0.0015) STORED
);
CREATE INDEX zones_geom_idx ON zones USING gist (geom);
CREATE INDEX zones_geom_3857_idx ON zones USING gist (geom_3857);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    display_name  text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'analyst', 'planner', 'leader')),
    region_code   text REFERENCES regions (code),
    created_at    timestamptz NOT NULL DEFAULT now(),
    disabled_at   timestamptz
);

CREATE TABLE imports (
    id           bigserial PRIMARY KEY,
    file_name    text NOT NULL,
    format       text NOT NULL,
    kind         text,
    source_crs   text,
    encoding     text,
    dry_run      boolean NOT NULL DEFAULT false,
    status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    rows_read    integer NOT NULL DEFAULT 0,
    rows_written integer NOT NULL DEFAULT 0,
    rows_rejected integer NOT NULL DEFAULT 0,
    report       jsonb NOT NULL DEFAULT '[]',
    error        text,
    created_by   bigint REFERENCES users (id),
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);

-- One row per spatial asset. Land facts used in queries are columns; the other kinds' facts live in
-- `facts` (validated per kind in internal/assets).
CREATE TABLE assets (
    id                 bigserial PRIMARY KEY,
    code               text NOT NULL CHECK (code <> ''),
    kind               text NOT NULL CHECK (kind IN ('land', 'mine', 'forest', 'water', 'building')),
    name               text NOT NULL DEFAULT '',
    region_code        text REFERENCES regions (code),
    zone_code          text REFERENCES zones (code),
    holder             text NOT NULL DEFAULT '',
    holder_type        text NOT NULL DEFAULT '',
    book_value         numeric(16, 2) CHECK (book_value >= 0),
    appraised_value    numeric(16, 2) CHECK (appraised_value >= 0),
    mode               text NOT NULL DEFAULT 'undecided'
                       CHECK (mode IN ('use', 'sell', 'lease', 'finance', 'undecided')),
    stage              text NOT NULL DEFAULT 'idle'
                       CHECK (stage IN ('idle', 'planned', 'in_progress', 'done')),
    responsible_unit   text NOT NULL DEFAULT '',
    responsible_person text NOT NULL DEFAULT '',
    revenue            numeric(16, 2) NOT NULL DEFAULT 0 CHECK (revenue >= 0),
    -- land
    land_status        text CHECK (land_status IN ('approved_unsupplied', 'idle', 'inefficient', 'reserve', 'in_use')),
    land_class_system  text CHECK (land_class_system IN ('gbt21010_2017', 'tdly2023')),
    land_class_code    text,
    approval_no        text,
    approval_date      date,
    supply_method      text,
    supply_date        date,
    agreed_start       date,
    actual_start       date,
    developed_share    double precision CHECK (developed_share BETWEEN 0 AND 1),
    invested_share     double precision CHECK (invested_share BETWEEN 0 AND 1),
    idle_cause         text CHECK (idle_cause IN ('government', 'enterprise')),
    idle_override      text CHECK (idle_override IN ('approved_unsupplied', 'idle', 'inefficient', 'reserve', 'in_use')),
    idle_override_reason text,
    CONSTRAINT assets_land_status_check2 CHECK (kind = 'land' OR land_status IS NULL),
    CONSTRAINT assets_idle_override_reason_check CHECK (idle_override IS NULL OR coalesce(idle_override_reason, '') <> ''),
    -- other kinds
    facts              jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(facts) = 'object'),
    source_crs         text,
    import_id          bigint REFERENCES imports (id),
    geom               geometry(Geometry, 4490) NOT NULL
                       CHECK (GeometryType(geom) IN ('MULTIPOLYGON', 'POINT') AND NOT ST_IsEmpty(geom)),
    geom_3857          geometry(Geometry, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
    area_m2            double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
    area_mu            double precision GENERATED ALWAYS AS (ST_Area(geom::geography) * 0.0015) STORED,
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    deleted_at         timestamptz
);
CREATE UNIQUE INDEX assets_kind_code_key ON assets (kind, code) WHERE deleted_at IS NULL;
CREATE INDEX assets_geom_idx ON assets USING gist (geom);
CREATE INDEX assets_geom_3857_idx ON assets USING gist (geom_3857);
CREATE INDEX assets_region_idx ON assets (region_code);
CREATE INDEX assets_zone_idx ON assets (zone_code);
CREATE INDEX assets_kind_stage_idx ON assets (kind, stage);
CREATE INDEX assets_land_status_idx ON assets (land_status) WHERE land_status IS NOT NULL;

-- Region and zone follow from location when not given: the region holding the asset's
-- representative point, and the zone holding it.
CREATE FUNCTION assets_derive_location() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p geometry;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.geom IS NOT DISTINCT FROM OLD.geom THEN
        RETURN NEW;
    END IF;
    p := ST_PointOnSurface(NEW.geom);
    IF NEW.region_code IS NULL OR (TG_OP = 'UPDATE' AND NEW.region_code IS NOT DISTINCT FROM OLD.region_code) THEN
        NEW.region_code := (SELECT r.code FROM regions r WHERE ST_Intersects(r.geom, p) LIMIT 1);
    END IF;
    IF NEW.zone_code IS NULL OR (TG_OP = 'UPDATE' AND NEW.zone_code IS NOT DISTINCT FROM OLD.zone_code) THEN
        NEW.zone_code := (SELECT z.code FROM zones z WHERE ST_Intersects(z.geom, p) LIMIT 1);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER assets_derive_location BEFORE INSERT OR UPDATE OF geom ON assets
    FOR EACH ROW EXECUTE FUNCTION assets_derive_location();

-- Append-only history of every change to an asset.
CREATE TABLE asset_events (
    id         bigserial PRIMARY KEY,
    asset_id   bigint NOT NULL REFERENCES assets (id),
    action     text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'import')),
    user_id    bigint REFERENCES users (id),
    actor      text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL DEFAULT now(),
    before     jsonb,
    after      jsonb,
    note       text NOT NULL DEFAULT '',
    import_id  bigint REFERENCES imports (id)
);
CREATE INDEX asset_events_asset_idx ON asset_events (asset_id, at);
CREATE FUNCTION asset_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'asset_events is append-only';
END $$;
CREATE TRIGGER asset_events_append_only BEFORE UPDATE OR DELETE ON asset_events
    FOR EACH ROW EXECUTE FUNCTION asset_events_append_only();

CREATE TABLE targets (
    id          bigserial PRIMARY KEY,
    region_code text NOT NULL REFERENCES regions (code),
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    metric      text NOT NULL CHECK (metric IN ('approved_unsupplied_share', 'idle_share', 'revenue', 'done_count')),
    target      double precision NOT NULL CHECK (target >= 0),
    UNIQUE (region_code, year, metric)
);
