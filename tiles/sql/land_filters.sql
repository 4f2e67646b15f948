-- The filters of land_rows.sql (tile_filter, migrations/020), appended to it only when the tile
-- has any: a generic plan cannot drop a `$n IS NULL OR ...` test, so the unfiltered map (most
-- tiles) would pay nine of them a parcel, a tenth of the statement's database time at zoom 16.
    AND tile_filter(a, $4, $5, $6, $7, $9, $10, $11, $12)
