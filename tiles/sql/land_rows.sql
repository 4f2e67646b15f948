-- Land parcels as rows, from ParcelMinZoom: the land layer is encoded in Go (parcels.go) from
-- these, which costs a fraction of ST_AsMVT's per-property work and of ST_AsMVTGeom's per-parcel
-- geometry. A row is what the parcel's feature carries — below DetailMinZoom (15) what the map
-- styles and filters it by (id, stage, mode, land_status, area_mu; the kind is the layer's),
-- from it every property — and its EPSG:3857 geometry as WKB, in no particular order. It has no
-- envelope CTE (envelope.sql): the tile's buffered square is the index condition itself,
-- computed once a statement. Under a filter, land_filters.sql follows.
SELECT a.id, a.stage, a.mode, a.land_status, round(a.area_mu * 100) / 100 AS area_mu,
    CASE WHEN $1 >= 15 THEN a.code END AS code,
    CASE WHEN $1 >= 15 THEN a.name END AS name,
    CASE WHEN $1 >= 15 THEN a.land_class_code END AS land_class_code,
    CASE WHEN $1 >= 15 THEN a.region_code END AS region_code,
    CASE WHEN $1 >= 15 THEN a.zone_code END AS zone_code,
    CASE WHEN $1 >= 15 THEN a.holder END AS holder,
    ST_AsBinary(a.geom_3857) AS wkb
FROM assets a
WHERE a.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AND a.kind = 'land' AND a.deleted_at IS NULL
