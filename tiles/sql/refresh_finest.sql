-- The overview's finest level ($1): every live land parcel counted in the cell holding the centre
-- of its bounding box, per stage, mode, region and zone. Rows go in key order, so that each level
-- lies in one stretch of the table.
INSERT INTO tile_land_groups_next (g, q, cx, cy, stage, mode, region_code, zone_code, n, area_mu, area_3857)
SELECT $1::smallint, tile_morton(p.cx, p.cy), p.cx, p.cy, p.stage, p.mode, p.region_code, p.zone_code,
    count(*), sum(p.area_mu), sum(p.area_3857)
FROM (
    SELECT floor(((ST_XMin(a.geom_3857) + ST_XMax(a.geom_3857)) / 2 + 20037508.342789244)
                 / (40075016.685578488 / (1 << $1)))::integer AS cx,
           floor((20037508.342789244 - (ST_YMin(a.geom_3857) + ST_YMax(a.geom_3857)) / 2)
                 / (40075016.685578488 / (1 << $1)))::integer AS cy,
           a.stage, a.mode, a.region_code, a.zone_code, a.area_mu, ST_Area(a.geom_3857) AS area_3857
    FROM assets a
    WHERE a.kind = 'land' AND a.deleted_at IS NULL
) p
GROUP BY p.cx, p.cy, p.stage, p.mode, p.region_code, p.zone_code
ORDER BY 2
