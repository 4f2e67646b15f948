-- Any city (issue 15): the deployment knows the city (or province) it serves; regions take every
-- level of 行政区划代码 (2 digits province, 4 or 6 ending 00 city, 6 county, 9 township); an
-- asset's region is the county holding it (else the city, else the province), never a township.
CREATE TABLE deployment (
    one        boolean PRIMARY KEY DEFAULT true CHECK (one),
    name       text NOT NULL CHECK (name <> ''),
    code       text NOT NULL CHECK (code ~ '^[0-9]{6}$'),
    level      text NOT NULL DEFAULT 'city' CHECK (level IN ('city', 'province')),
    updated_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE regions DROP CONSTRAINT regions_code_check;
ALTER TABLE regions ADD CONSTRAINT regions_code_check CHECK (code ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9})$');
ALTER TABLE regions DROP CONSTRAINT regions_level_check;
ALTER TABLE regions ADD CONSTRAINT regions_level_check CHECK (level IN ('province', 'city', 'county', 'township'));

-- region_rank orders the levels an asset's region is taken from: the county first.
CREATE FUNCTION region_rank(level text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 ELSE 9 END
$$;

-- region_at is the region an asset at point p belongs to.
CREATE FUNCTION region_at(p geometry) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT r.code FROM regions r WHERE r.level <> 'township' AND ST_Intersects(r.geom, p)
    ORDER BY region_rank(r.level), r.code LIMIT 1
$$;

-- zone_at is the zone holding point p.
CREATE FUNCTION zone_at(p geometry) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT z.code FROM zones z WHERE ST_Intersects(z.geom, p) ORDER BY z.code LIMIT 1
$$;

CREATE OR REPLACE FUNCTION assets_derive_location() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p geometry;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.geom IS NOT DISTINCT FROM OLD.geom THEN
        RETURN NEW;
    END IF;
    p := ST_PointOnSurface(NEW.geom);
    IF NEW.region_code IS NULL OR (TG_OP = 'UPDATE' AND NEW.region_code IS NOT DISTINCT FROM OLD.region_code) THEN
        NEW.region_code := region_at(p);
    END IF;
    IF NEW.zone_code IS NULL OR (TG_OP = 'UPDATE' AND NEW.zone_code IS NOT DISTINCT FROM OLD.zone_code) THEN
        NEW.zone_code := zone_at(p);
    END IF;
    RETURN NEW;
END $$;

-- level_order ranks region levels from the widest: a parent has a smaller order than its child.
CREATE FUNCTION level_order(level text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE level WHEN 'province' THEN 1 WHEN 'city' THEN 2 WHEN 'county' THEN 3 ELSE 4 END
$$;

-- region_within tells whether a region lies within a user's scope by their codes: the same code,
-- or scope is a province or city whose prefix the region carries, or the county of a township
-- (the same rule as assets.RegionWithin).
CREATE FUNCTION region_within(region text, scope text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT region = scope OR CASE
        WHEN length(scope) IN (2, 4) THEN length(region) > length(scope) AND left(region, length(scope)) = scope
        WHEN length(scope) = 6 AND right(scope, 4) = '0000' THEN length(region) > 2 AND left(region, 2) = left(scope, 2)
        WHEN length(scope) = 6 AND right(scope, 2) = '00' THEN length(region) > 4 AND left(region, 4) = left(scope, 4)
        WHEN length(scope) = 6 THEN length(region) = 9 AND left(region, 6) = scope
        ELSE false END
$$;
