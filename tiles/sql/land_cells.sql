-- Below ParcelMinZoom a parcel is a pixel or two: land is drawn as the overview's grid cells of
-- level z + 5 (32 × 32 a tile, 8 px each), with their parcel count, area, share of the cell
-- covered and the stage and mode holding the most area (ties to the earlier word). Unfiltered
-- tiles read the per-cell totals; filtered ones sum the matching groups (only one branch runs:
-- its one-time filter decides). Land status, area and text ($9..$12) the cells cannot tell: under
-- any of them the layer is empty (the UI marks the results instead). Cells align with the tile grid, so their squares are written
-- straight in tile coordinates, exterior rings clockwise on screen as MVT wants.
(SELECT coalesce(ST_AsMVT(t, 'land', 4096, 'geom'), '') FROM (
    SELECT ST_Reverse(ST_MakeEnvelope((c.cx - ($2 << 5)) * 128, (c.cy - ($3 << 5)) * 128,
            (c.cx - ($2 << 5) + 1) * 128, (c.cy - ($3 << 5) + 1) * 128)) AS geom,
        'land' AS kind,
        (ARRAY['idle', 'planned', 'in_progress', 'done'])[array_position(c.st, greatest(c.st[1], c.st[2], c.st[3], c.st[4]))] AS stage,
        (ARRAY['use', 'sell', 'lease', 'finance', 'undecided'])[
            array_position(c.md, greatest(c.md[1], c.md[2], c.md[3], c.md[4], c.md[5]))] AS mode,
        c.n AS count, round(c.area_mu * 10) / 10 AS area_mu,
        round(least(1, c.area_3857 / power(40075016.685578488 / (1 << ($1 + 5)), 2)) * 100) / 100 AS cover,
        c.region_code, c.zone_code
    FROM (
        SELECT c.cx, c.cy, c.n, c.area_mu, c.area_3857, c.region_code, c.zone_code,
            ARRAY[c.mu_idle, c.mu_planned, c.mu_in_progress, c.mu_done] AS st,
            ARRAY[c.mu_use, c.mu_sell, c.mu_lease, c.mu_finance, c.mu_undecided] AS md
        FROM tile_land_cells c
        WHERE $4 IS NULL AND $5 IS NULL AND $6 IS NULL AND $7 IS NULL
            AND $9 IS NULL AND $10 IS NULL AND $11 IS NULL AND $12 IS NULL
            AND c.g = $1 + 5 AND c.q BETWEEN tile_morton($2, $3) << 10 AND ((tile_morton($2, $3) + 1) << 10) - 1
        UNION ALL
        SELECT min(g.cx), min(g.cy), sum(g.n)::integer, sum(g.area_mu), sum(g.area_3857),
            min(g.region_code), min(g.zone_code),
            ARRAY[coalesce(sum(g.area_mu) FILTER (WHERE g.stage = 'idle'), 0),
                  coalesce(sum(g.area_mu) FILTER (WHERE g.stage = 'planned'), 0),
                  coalesce(sum(g.area_mu) FILTER (WHERE g.stage = 'in_progress'), 0),
                  coalesce(sum(g.area_mu) FILTER (WHERE g.stage = 'done'), 0)],
            ARRAY[coalesce(sum(g.area_mu) FILTER (WHERE g.mode = 'use'), 0),
                  coalesce(sum(g.area_mu) FILTER (WHERE g.mode = 'sell'), 0),
                  coalesce(sum(g.area_mu) FILTER (WHERE g.mode = 'lease'), 0),
                  coalesce(sum(g.area_mu) FILTER (WHERE g.mode = 'finance'), 0),
                  coalesce(sum(g.area_mu) FILTER (WHERE g.mode = 'undecided'), 0)]
        FROM tile_land_groups g
        WHERE NOT ($4 IS NULL AND $5 IS NULL AND $6 IS NULL AND $7 IS NULL)
            AND $9 IS NULL AND $10 IS NULL AND $11 IS NULL AND $12 IS NULL
            AND g.g = $1 + 5 AND g.q BETWEEN tile_morton($2, $3) << 10 AND ((tile_morton($2, $3) + 1) << 10) - 1
            AND ($4 IS NULL OR g.stage = ANY ($4)) AND ($5 IS NULL OR g.mode = ANY ($5))
            AND ($6 IS NULL OR g.region_code = ANY ($6)) AND ($7 IS NULL OR g.zone_code = ANY ($7))
        GROUP BY g.q
    ) c
) t)
