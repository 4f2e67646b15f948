-- tile_filter is the tiles' asset filter (tiles/sql/params.sql's $4–$7 and $9–$12: stages,
-- modes, region codes, zone codes, land statuses, least and greatest 亩, an ILIKE pattern on name,
-- code and holder; NULL: no filter) on one asset, in one place for the present's tiles
-- (land_rows.sql, others.sql) and the past's (assets_at.sql: assets_at's rows are assets too).
-- A single SQL expression, so the planner inlines it into each tile statement.
CREATE FUNCTION tile_filter(a assets, stages text[], modes text[], regions text[], zones text[],
    statuses text[], min_mu float8, max_mu float8, pattern text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (stages IS NULL OR a.stage = ANY (stages)) AND (modes IS NULL OR a.mode = ANY (modes))
        AND (regions IS NULL OR a.region_code = ANY (regions)) AND (zones IS NULL OR a.zone_code = ANY (zones))
        AND (statuses IS NULL OR a.land_status = ANY (statuses)) AND (min_mu IS NULL OR a.area_mu >= min_mu)
        AND (max_mu IS NULL OR a.area_mu <= max_mu)
        AND (pattern IS NULL OR a.name ILIKE pattern OR a.code ILIKE pattern OR a.holder ILIKE pattern)
$$;
