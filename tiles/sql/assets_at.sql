-- The asset layers at a past time $13: every kind in $8, one MVT layer each, as the assets stood
-- then (migration 017's assets_at rebuilds them from their history), drawn as themselves at every
-- zoom: the land overview knows only the present. Below DetailMinZoom a feature carries what the
-- map styles it by (id, kind, stage, mode, land_status, area_mu); from it, the rest. The filters
-- apply to the rebuilt values.
(SELECT coalesce(string_agg(mvt, ''::bytea ORDER BY kind), '') FROM (
    SELECT t.kind, ST_AsMVT(t, t.kind, 4096, 'geom', 'fid') AS mvt FROM (
        SELECT a.id AS fid, a.id, a.kind, a.stage, a.mode, a.land_status,
            round(a.area_mu * 100) / 100 AS area_mu,
            CASE WHEN $1 >= 15 THEN a.code END AS code,
            CASE WHEN $1 >= 15 THEN a.name END AS name,
            CASE WHEN $1 >= 15 THEN a.region_code END AS region_code,
            CASE WHEN $1 >= 15 THEN a.zone_code END AS zone_code,
            CASE WHEN $1 >= 15 THEN a.holder END AS holder,
            CASE WHEN $1 >= 15 THEN a.land_class_code END AS land_class_code,
            ST_AsMVTGeom(a.geom_3857, e.tile, 4096, 64, true) AS geom
        FROM envelope e, LATERAL assets_at($13::timestamptz, e.buffered) a
        WHERE a.kind = ANY ($8)
            AND tile_filter(a, $4, $5, $6, $7, $9, $10, $11, $12)
    ) t
    WHERE t.geom IS NOT NULL
    GROUP BY t.kind
) m)
