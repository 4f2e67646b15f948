-- Which assets lie in which development zone, and how much of each: kept current by triggers so
-- that "idle land in zone X" reads an index instead of intersecting geometries at query time.
CREATE TABLE asset_zones (
    zone_code  text NOT NULL REFERENCES zones (code) ON DELETE CASCADE ON UPDATE CASCADE,
    asset_id   bigint NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    overlap_m2 double precision NOT NULL,
    PRIMARY KEY (zone_code, asset_id)
);
CREATE INDEX asset_zones_asset_idx ON asset_zones (asset_id);

-- overlap_m2 of an asset in a zone: the asset's own area when wholly inside (a cheap test),
-- else the ellipsoidal area of the intersection.
CREATE FUNCTION zone_overlap_m2(a geometry, a_area double precision, z geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN ST_CoveredBy(a, z) THEN a_area ELSE ST_Area(ST_Intersection(a, z)::geography) END
$$;

CREATE FUNCTION asset_zones_after_assets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM asset_zones az USING new_rows n, old_rows o
        WHERE az.asset_id = n.id AND o.id = n.id AND NOT ST_Equals(o.geom, n.geom);
        INSERT INTO asset_zones (zone_code, asset_id, overlap_m2)
        SELECT z.code, n.id, zone_overlap_m2(n.geom, n.area_m2, z.geom)
        FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN zones z ON ST_Intersects(z.geom, n.geom)
        WHERE NOT ST_Equals(o.geom, n.geom);
    ELSE
        INSERT INTO asset_zones (zone_code, asset_id, overlap_m2)
        SELECT z.code, n.id, zone_overlap_m2(n.geom, n.area_m2, z.geom)
        FROM new_rows n JOIN zones z ON ST_Intersects(z.geom, n.geom);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER asset_zones_insert AFTER INSERT ON assets REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION asset_zones_after_assets();
CREATE TRIGGER asset_zones_update AFTER UPDATE ON assets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION asset_zones_after_assets();

CREATE FUNCTION asset_zones_after_zones() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM asset_zones az USING new_rows n WHERE az.zone_code = n.code;
    INSERT INTO asset_zones (zone_code, asset_id, overlap_m2)
    SELECT n.code, a.id, zone_overlap_m2(a.geom, a.area_m2, n.geom)
    FROM new_rows n JOIN assets a ON ST_Intersects(a.geom, n.geom);
    RETURN NULL;
END $$;
CREATE TRIGGER asset_zones_zone_insert AFTER INSERT ON zones REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION asset_zones_after_zones();
CREATE TRIGGER asset_zones_zone_update AFTER UPDATE ON zones REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION asset_zones_after_zones();

-- Assets stored before this migration.
INSERT INTO asset_zones (zone_code, asset_id, overlap_m2)
SELECT z.code, a.id, zone_overlap_m2(a.geom, a.area_m2, z.geom)
FROM zones z JOIN assets a ON ST_Intersects(a.geom, z.geom);
