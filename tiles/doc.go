// Package tiles serves OneMap's vector tiles: Mapbox Vector Tile 2.1 built in PostGIS with
// ST_AsMVT (land parcels: encoded in Go from compact rows), one MVT layer per kind (land, mine, forest, water, building, zone, region) or all of
// them in the composite "onemap", filtered by stage, mode, region, zone, land status, area range
// and text (name, code, holder) as the list API filters; their TileJSON 3.0.0;
// an in-memory LRU cache; and the land overview that keeps low zooms light.
//
// # How a tile is made
//
// Every tile statement is fixed SQL text (sql/*.sql, embedded): the header params.sql and envelope.sql, then
// `SELECT piece || piece ...`, one piece per MVT layer (concatenated MVT layers are one valid
// tile); land parcels are the exception, below. Values travel only as parameters — $1 z, $2 x, $3 y, $4..$7 the filters as text arrays
// (NULL: no filter), $8 the small asset kinds wanted — never spliced into the text; pgx prepares
// each statement once per connection. Rows are found with `geom_3857 && envelope` on the GiST
// index, the envelope being ST_TileEnvelope grown by the 64-unit buffer, made once per
// statement. Geometry is snapped to the tile's 4096 grid, which is the per-zoom simplification
// here: at the zooms where parcels show, a parcel has no vertex a pixel cannot tell apart, and
// the large polygons (forests, zones, counties) are few; ST_AsMVTGeom clips and validates them.
// Feature ids are the asset ids (for MapLibre's feature-state and promoteId); the id is also a
// property.
//
// Land parcels, from ParcelMinZoom, are where a tile's time went (hundreds to a couple of
// thousand a tile): ST_AsMVT spent ~0.3 µs a property value and ST_AsMVTGeom several µs a
// parcel, some 6 µs of database CPU a parcel in all. So land_rows.sql only finds them and sends
// each as a compact row — its properties and its EPSG:3857 geometry as WKB, no sorting — and Go
// encodes the layer as the rows arrive (parcels.go, mvt.go, polygon.go): moved and scaled to the
// tile grid with ST_TransScale's arithmetic, snapped with ST_SnapToGrid's rounding, rings turned
// for MVT's winding from the same start as ST_ForcePolygonCW (the golden tiles did not change),
// and only the few parcels reaching past the tile's buffer clipped (Sutherland–Hodgman). Values
// are shared between features as ST_AsMVT shares them, but for codes and names, which no two
// parcels share. An encoder's buffers are pooled, so a tile leaves next to no garbage. A
// composite tile runs the rows' query and its other layers' statement at the same time, each
// through the read replicas. Database and Go CPU for a zoom-14 tile of the 1M city: 2.5 ms, against
// 5.1 ms through ST_AsMVT (README.md "Benchmarks").
//
// # Low zooms: the land overview
//
// The peers (pg_tileserv, Tegola) ship every parcel at every zoom: a zoom-10 tile of the
// million-parcel city is 5.5 MB of sub-pixel polygons and takes half a second. The demo city's
// parcels are ~50 m across, three pixels at zoom 13, so below ParcelMinZoom (14) land is drawn
// instead as grid cells of 8 pixels (32 × 32 a tile), the way tippecanoe folds tiny polygons into pixel-sized squares: each
// cell says how many parcels it holds (count), their area (area_mu), the share of the cell they
// cover (cover, for opacity), and the stage and mode holding most of that area (for colour). The
// cells come from two tables the overview keeps (migrations/005_tiles_overview.sql): tile_land_groups sums the
// parcels per cell and per (stage, mode, region, zone), so filtered tiles are sums of matching
// rows; tile_land_cells holds each cell's totals, which is all an unfiltered tile reads. Cells are
// keyed by their Morton code, so the cells of one tile are one contiguous index range, and a
// level's parent is its key shifted by two bits: the build sums the finest level (zoom 13's
// cells) from the parcels and each coarser one from the level below. A cell is filed by the centre
// of its parcels' bounding boxes; being aligned to the tile grid, its square is written directly in
// tile coordinates. No overview tile passes 60 kB.
//
// From ParcelMinZoom parcels are drawn as they are. At zoom 14, where a tile holds up to a couple
// of thousand parcels a few pixels wide, a parcel carries what the map styles and filters it by
// and the id to look it up —
// id, kind, stage, mode, land_status, area_mu — and from DetailMinZoom (15) every property: code,
// name, land_class_code, region_code, zone_code, holder too. That halves the size of zoom-14
// tiles. So that no tile outgrows 500 kB however dense a town centre is, a tile keeps at most
// 10,000 lean parcels or 4,000 full ones, dropping the smallest (they appear one zoom in); in the
// demo city no tile comes near (the densest zoom-14 tile holds 1,862 parcels, the densest
// zoom-15 one 618). The small layers — mines, forests, water, idle buildings (hundreds of
// features), zones and counties — are drawn at every zoom with every property; a partial GiST
// index over the non-land assets keeps them from wading through the parcels' index entries.
//
// # Keeping it current
//
// Statement triggers on assets, zones and regions (migrations/019_tiles_incremental.sql) NOTIFY
// channel onemap_tiles at commit with the layers changed and the Web-Mercator box of the old and
// new outlines; Watch (run by `onemap serve`, on every instance) drops only the cached tiles of
// those layers and of the composite whose buffered square meets a box, at every zoom (invalidate.go).
// A write of land parcels also patches the overview in its own transaction: the old state of each
// row is subtracted from its cells at every level, the new one added, and the touched cells summed
// again from their groups, so the overview equals what a rebuild would make (overview_test.go
// checks it for every kind of write). Patches take an advisory lock, so they apply one transaction
// after another and never half-way under a rebuild. A bulk statement (over 2000 rows) or a
// TRUNCATE marks the overview stale instead; one instance, holding the leader lock, rebuilds it
// (Refresh) once writes pause, and at start when it is stale. Refresh builds new tables in one
// transaction and swaps them in, so tiles are served from the old overview while it works;
// `onemap tiles refresh` runs it by hand.
//
// A render that began before a drop reaching its tile is not cached (the cache logs its recent
// drops), and concurrent misses join one render only within one drop generation: no tile older
// than a write is kept after the write's notice.
//
// # Serving
//
// Tiles run on a connection pool of their own (PoolURL): no parallel workers (forking them made
// zoom-14 tiles several times slower here, two cores under eight clients), no JIT and one generic
// plan per statement (planning each tile anew only adds to a millisecond query), and tile bursts
// cannot starve the API's pool. Empty tiles are 204; ETags are a hash of the tile
// (weak, shared by the gzip and identity encodings), answered with 304 on If-None-Match; tiles are
// gzipped once, when rendered, and inflated for a client that does not accept gzip. Clients keep a tile by the data
// version in its URL (version.go, migrations/011_data_version.sql): a number the database raises at
// every commit that changes what tiles show; under the current version a tile is immutable, under
// another it is the current data marked no-cache, without one it is kept a minute. Each commit's
// version is announced after its boxes, so an instance that knows version N has dropped what N
// changed; a request naming a version this instance has not heard of waits for its notices (at
// most 2 s), else drops the whole cache. Watch announces each version to Subscribe (the UI's event
// stream). The cache (Options.CacheMB, 0 disables) is an LRU bounded in bytes that keeps each tile
// once, gzipped (inflated for the rare client without gzip); concurrent misses of one tile render
// it once; CacheStats gives its size and hits for /metrics.
//
// # Measured
//
// On the 1M-parcel demo city, uncached, wrk -t1 -c8 on a shared 2-core machine (make bench;
// README.md "Tile performance" has every row): zoom 10 ~320–560 req/s and 48 kB at most (the
// peers: 1.9 req/s, 5.5 MB), zoom 12 ~260–330, zoom 14 ~350–810, zoom 16 ~1,700–3,000 at load
// average 13–15; no tile over 103 kB. Against pg_tileserv on the same table and properties
// (scripts/bench-peer.sh, interleaved rounds): ~3× at zoom 14, ~2.5× at zoom 16. A parcel tile
// costs what its parcels cost, whatever the city's size; at zoom 16 the composite tile's county
// and zone outlines (ST_AsMVTGeom) now cost as much as its parcels.
package tiles
