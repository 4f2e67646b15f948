-- Land parcels as they are, from ParcelMinZoom. Below DetailMinZoom (15) a parcel carries what the
-- map styles and filters it by and the id to look it up (id, kind, stage, mode, land_status,
-- area_mu); from it, every property: ST_AsMVT leaves NULLs out, and encoding properties costs
-- more than geometry. A parcel
-- wholly inside the buffered tile needs no clipping: it is moved, scaled and snapped to the tile
-- grid directly (rings turned so exterior ones run clockwise on screen once y flips), at a third
-- of the cost of ST_AsMVTGeom's wagyu clip-and-validate, which the parcels astride the buffer's
-- edge still take; a parcel that snaps to nothing is left out. Should a tile hold more parcels
-- than fit its 500 kB budget (10,000 lean ones, 4,000 with every property), the smallest give way
-- (they reappear one zoom in).
(SELECT coalesce(ST_AsMVT(t, 'land', 4096, 'geom', 'fid'), '') FROM (
    SELECT a.id AS fid, a.id, a.kind, a.stage, a.mode, a.land_status, a.code, a.name, a.area_mu,
        a.land_class_code, a.region_code, a.zone_code, a.holder,
        CASE WHEN NOT ST_IsEmpty(a.g) THEN a.g END AS geom
    FROM (
        SELECT a.*, CASE
            WHEN a.geom_3857 @ e.buffered
                THEN ST_SnapToGrid(ST_TransScale(ST_ForcePolygonCW(a.geom_3857), -e.x0, -e.y0, e.scale, -e.scale), 1)
            ELSE ST_AsMVTGeom(a.geom_3857, e.tile, 4096, 64, true) END AS g
        FROM envelope e, LATERAL (
            SELECT a.id, a.kind, a.stage, a.mode, a.land_status, a.geom_3857,
                CASE WHEN $1 >= 15 THEN a.code END AS code,
                CASE WHEN $1 >= 15 THEN a.name END AS name,
                round(a.area_mu * 100) / 100 AS area_mu,
                CASE WHEN $1 >= 15 THEN a.land_class_code END AS land_class_code,
                CASE WHEN $1 >= 15 THEN a.region_code END AS region_code,
                CASE WHEN $1 >= 15 THEN a.zone_code END AS zone_code,
                CASE WHEN $1 >= 15 THEN a.holder END AS holder
            FROM assets a
            WHERE a.geom_3857 && e.buffered AND a.kind = 'land' AND a.deleted_at IS NULL
                AND ($4 IS NULL OR a.stage = ANY ($4)) AND ($5 IS NULL OR a.mode = ANY ($5))
                AND ($6 IS NULL OR a.region_code = ANY ($6)) AND ($7 IS NULL OR a.zone_code = ANY ($7))
                AND ($9 IS NULL OR a.land_status = ANY ($9)) AND ($10 IS NULL OR a.area_mu >= $10)
                AND ($11 IS NULL OR a.area_mu <= $11)
                AND ($12 IS NULL OR a.name ILIKE $12 OR a.code ILIKE $12 OR a.holder ILIKE $12)
            ORDER BY a.area_m2 DESC
            LIMIT CASE WHEN $1 >= 15 THEN 4000 ELSE 10000 END
        ) a
    ) a
) t)
