-- Per-cell totals of the new groups, every level at once, in key order: counts, areas, the area
-- of each stage and mode, and the least region and zone code present.
INSERT INTO tile_land_cells_next
SELECT g, q, min(cx), min(cy), sum(n)::integer, sum(area_mu), sum(area_3857),
    min(region_code), min(zone_code),
    coalesce(sum(area_mu) FILTER (WHERE stage = 'idle'), 0),
    coalesce(sum(area_mu) FILTER (WHERE stage = 'planned'), 0),
    coalesce(sum(area_mu) FILTER (WHERE stage = 'in_progress'), 0),
    coalesce(sum(area_mu) FILTER (WHERE stage = 'done'), 0),
    coalesce(sum(area_mu) FILTER (WHERE mode = 'use'), 0),
    coalesce(sum(area_mu) FILTER (WHERE mode = 'sell'), 0),
    coalesce(sum(area_mu) FILTER (WHERE mode = 'lease'), 0),
    coalesce(sum(area_mu) FILTER (WHERE mode = 'finance'), 0),
    coalesce(sum(area_mu) FILTER (WHERE mode = 'undecided'), 0)
FROM tile_land_groups_next
GROUP BY g, q
ORDER BY g, q
