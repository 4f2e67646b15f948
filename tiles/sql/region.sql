-- Counties and districts; the region filter keeps those regions.
(SELECT coalesce(ST_AsMVT(t, 'region', 4096, 'geom'), '') FROM (
    SELECT r.code, r.name, r.level, r.parent_code, round(r.area_m2 * 0.15) / 100 AS area_mu,
        ST_AsMVTGeom(r.geom_3857, e.tile, 4096, 64, true) AS geom
    FROM envelope e JOIN regions r ON r.geom_3857 && e.buffered
    WHERE ($6 IS NULL OR r.code = ANY ($6))
) t)
