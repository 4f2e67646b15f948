-- The small asset layers (mine, forest, water, building: hundreds of features), at every zoom, one
-- MVT layer per kind in $8, each with its kind's key facts.
(SELECT coalesce(string_agg(mvt, ''::bytea ORDER BY kind), '') FROM (
    SELECT t.kind, ST_AsMVT(t, t.kind, 4096, 'geom', 'fid') AS mvt FROM (
        SELECT a.id AS fid, a.id, a.code, a.name, a.kind, a.stage, a.mode,
            round(a.area_mu * 100) / 100 AS area_mu, a.region_code, a.zone_code, a.holder,
            CASE a.kind WHEN 'mine' THEN a.facts ->> 'right_type' END AS right_type,
            CASE a.kind WHEN 'mine' THEN a.facts ->> 'mineral' END AS mineral,
            CASE a.kind WHEN 'forest' THEN a.facts ->> 'forest_type' END AS forest_type,
            CASE a.kind WHEN 'water' THEN a.facts ->> 'water_type' END AS water_type,
            CASE a.kind WHEN 'building' THEN a.facts ->> 'use' END AS use,
            ST_AsMVTGeom(a.geom_3857, e.tile, 4096, 64, true) AS geom
        FROM envelope e JOIN assets a ON a.geom_3857 && e.buffered
        WHERE a.kind <> 'land' AND a.deleted_at IS NULL AND a.kind = ANY ($8)
            AND tile_filter(a, $4, $5, $6, $7, $9, $10, $11, $12)
    ) t
    GROUP BY t.kind
) m)
