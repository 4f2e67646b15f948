package assets

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/onemap/onemap/internal/problem"
)

// topologyQuery measures the live land parcels near outline $1 (within about 10 m: the bounding
// box pre-filter keeps the parcel index in use), leaving out the parcels $2 (the one edited, or
// those a split or merge replaces): how much of each the outline overlaps (m² on the ellipsoid),
// how far it lies from it, and whether it touched the union of $2 (a new parcel has none: every
// neighbour counts). Distances are Web Mercator lengths scaled by cos(latitude), true within a
// centimetre over such spans: geography distances snap gaps under a metre to 0.
const topologyQuery = `
WITH s AS (SELECT g, ST_Transform(g, 3857) AS m, cos(radians(ST_Y(ST_Centroid(g)))) AS k
    FROM (SELECT ST_GeomFromWKB($1, 4490) AS g) x),
b AS (SELECT ST_Transform(ST_Union(geom), 3857) AS m FROM assets WHERE id = ANY($2))
SELECT n.id, n.code,
    CASE WHEN ST_Intersects(s.g, n.geom) THEN ST_Area(ST_Intersection(s.g, n.geom)::geography) ELSE 0 END,
    ST_Distance(s.m, n.geom_3857) * s.k,
    b.m IS NULL OR $3 OR ST_DWithin(b.m, n.geom_3857, 0.05 / s.k)
FROM s CROSS JOIN b
JOIN assets n ON n.geom && ST_Expand(s.g, 0.0001)
WHERE n.kind = 'land' AND n.deleted_at IS NULL AND NOT n.id = ANY($2)
ORDER BY n.id`

// lister is a pool or a transaction.
type lister interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// neighbours runs topologyQuery for outline g, except the parcels except; fresh says g is a new
// parcel's (every neighbour near it counts as having touched it).
func neighbours(ctx context.Context, q lister, g orb.Geometry, except []int64, fresh bool) ([]neighbour, error) {
	in, err := wkb.Marshal(g)
	if err != nil {
		return nil, problem.Unprocessable("geometry", "cannot be encoded: %v", err)
	}
	if except == nil {
		except = []int64{}
	}
	rows, err := q.Query(ctx, topologyQuery, in, except, fresh)
	if err != nil {
		return nil, mapWriteError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (neighbour, error) {
		var n neighbour
		err := r.Scan(&n.id, &n.code, &n.overlapM2, &n.gapM, &n.touched)
		return n, err
	})
	if err != nil {
		return nil, mapWriteError(err)
	}
	return out, nil
}

// toCGCSQuery transforms a geometry from a Gauss-Krüger zone (or any SRID PostGIS knows) to
// EPSG:4490, as imports do (imports/store_geom.go).
const toCGCSQuery = `SELECT ST_AsBinary(ST_Transform(ST_SetSRID(ST_Force2D(ST_GeomFromWKB($1)), $2::int), 4490))`

// ToCGCS2000 returns g, given in EPSG srid (e.g. 4526, a 3° Gauss-Krüger zone in metres), in
// EPSG:4490 lon/lat. 4490 and 4326 come back as they are.
func (s *Service) ToCGCS2000(ctx context.Context, g orb.Geometry, srid int) (orb.Geometry, error) {
	if srid == 4490 || srid == 4326 {
		return g, nil
	}
	in, err := wkb.Marshal(g)
	if err != nil {
		return nil, problem.Unprocessable("geometry", "cannot be encoded: %v", err)
	}
	var out []byte
	if err := s.pool.QueryRow(ctx, toCGCSQuery, in, srid).Scan(&out); err != nil {
		return nil, mapWriteError(err)
	}
	res, err := wkb.Unmarshal(out)
	if err != nil {
		return nil, fmt.Errorf("assets: transformed geometry: %w", err)
	}
	return res, nil
}

// outlineQuery reads an asset's stored outline as GeoJSON (7 decimals: about 1 cm).
const outlineQuery = `SELECT ST_AsGeoJSON(geom, 7)::jsonb FROM assets WHERE id = $1`

func outline(ctx context.Context, tx pgx.Tx, id int64) (json.RawMessage, error) {
	var g json.RawMessage
	if err := tx.QueryRow(ctx, outlineQuery, id).Scan(&g); err != nil {
		return nil, fmt.Errorf("assets: outline: %w", err)
	}
	return g, nil
}

// geomEvent records a change of shape: the before and after snapshots each carry the outline
// ("geometry", GeoJSON), and the after the editor's overlap confirmation when there was one.
var geomEvent = `
INSERT INTO asset_events (asset_id, action, actor, before, after, note)
SELECT a.id, 'update', $2, $3::jsonb || jsonb_build_object('geometry', $4::jsonb),
    ` + snapshot() + ` || jsonb_build_object('geometry', ST_AsGeoJSON(a.geom, 7)::jsonb) || $5::jsonb,
    $6
FROM assets a WHERE a.id = $1`

func appendGeomEvent(ctx context.Context, tx pgx.Tx, id int64, actor, note string, before json.RawMessage, ge *geomEdit) error {
	if _, err := tx.Exec(ctx, geomEvent, id, actor, before, ge.oldOutline, ge.extra, note); err != nil {
		return fmt.Errorf("assets: event: %w", err)
	}
	return nil
}

// codeTaken tells whether a live asset of a kind holds a code.
const codeTaken = `SELECT EXISTS (SELECT 1 FROM assets WHERE kind = $1 AND code = $2 AND deleted_at IS NULL)`

func codeFree(ctx context.Context, tx pgx.Tx, k Kind, code string) error {
	var taken bool
	if err := tx.QueryRow(ctx, codeTaken, string(k), code).Scan(&taken); err != nil {
		return fmt.Errorf("assets: code: %w", err)
	}
	if taken {
		return fmt.Errorf("%w: an asset of this kind already has this code", problem.ErrConflict)
	}
	return nil
}
