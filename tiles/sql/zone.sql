-- Development zones; the region filter keeps the zones of those regions, the zone filter those zones.
(SELECT coalesce(ST_AsMVT(t, 'zone', 4096, 'geom'), '') FROM (
    SELECT z.code, z.name, z.type, z.level, z.region_code, round(z.area_mu * 100) / 100 AS area_mu,
        ST_AsMVTGeom(z.geom_3857, e.tile, 4096, 64, true) AS geom
    FROM envelope e JOIN zones z ON z.geom_3857 && e.buffered
    WHERE ($6 IS NULL OR z.region_code = ANY ($6)) AND ($7 IS NULL OR z.code = ANY ($7))
) t)
