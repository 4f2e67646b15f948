-- Land parcels as they are, from ParcelMinZoom. Should a tile hold more parcels than fit the size
-- budget, the smallest give way (they reappear one zoom in).
(SELECT coalesce(ST_AsMVT(t, 'land', 4096, 'geom', 'fid'), '') FROM (
    SELECT a.id AS fid, a.id, a.code, a.name, a.kind, a.stage, a.mode,
        round(a.area_mu * 100) / 100 AS area_mu, a.land_status, a.land_class_code,
        a.region_code, a.zone_code, a.holder,
        ST_AsMVTGeom(a.geom_3857, a.tile, 4096, 64, true) AS geom
    FROM (
        SELECT a.*, e.tile FROM envelope e JOIN assets a ON a.geom_3857 && e.buffered
        WHERE a.kind = 'land' AND a.deleted_at IS NULL
            AND ($4 IS NULL OR a.stage = ANY ($4)) AND ($5 IS NULL OR a.mode = ANY ($5))
            AND ($6 IS NULL OR a.region_code = ANY ($6)) AND ($7 IS NULL OR a.zone_code = ANY ($7))
        ORDER BY a.area_m2 DESC
        LIMIT 4000
    ) a
) t)
