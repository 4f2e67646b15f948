-- The filters of land_rows.sql, appended to it only when the tile has any: a generic plan
-- cannot drop a `$n IS NULL OR ...` test, so the unfiltered map (most tiles) would pay nine of
-- them a parcel, a tenth of the statement's database time at zoom 16.
    AND ($4 IS NULL OR a.stage = ANY ($4)) AND ($5 IS NULL OR a.mode = ANY ($5))
    AND ($6 IS NULL OR a.region_code = ANY ($6)) AND ($7 IS NULL OR a.zone_code = ANY ($7))
    AND ($9 IS NULL OR a.land_status = ANY ($9)) AND ($10 IS NULL OR a.area_mu >= $10)
    AND ($11 IS NULL OR a.area_mu <= $11)
    AND ($12 IS NULL OR a.name ILIKE $12 OR a.code ILIKE $12 OR a.holder ILIKE $12)
