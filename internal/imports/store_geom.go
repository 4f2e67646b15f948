package imports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// PostGIS is the authority on coordinates: it takes each row's source geometry, drops Z and M,
// transforms it to EPSG:4490, repairs it with ST_MakeValid when invalid, and keeps the polygons
// (or the one point) an asset may hold.

// prepareGeom computes each step once: every LATERAL step ends in OFFSET 0, which keeps
// PostgreSQL from pulling it up and copying its expression (a transform, a validity test) into
// every later mention of it. Areas, for checking declared ones, are planar in a Gauss-Krüger zone
// (within 0.1 % of the ellipsoid's there) and ellipsoidal otherwise.
const prepareGeom = `
SELECT i.row, c.valid, CASE WHEN c.valid THEN '' ELSE ST_IsValidReason(b.g) END, GeometryType(b.g),
    CASE WHEN d.out IS NULL OR ST_IsEmpty(d.out) THEN NULL ELSE ST_AsBinary(d.out) END,
    CASE WHEN d.out IS NULL OR ST_IsEmpty(d.out) OR ST_Dimension(d.out) = 0 THEN 0
        WHEN c.valid AND i.srid NOT IN (4490, 4326) THEN ST_Area(b.src)
        ELSE ST_Area(d.out::geography) END,
    CASE WHEN $4 = '' OR d.out IS NULL OR ST_IsEmpty(d.out) THEN NULL ELSE
        region_at(ST_PointOnSurface(d.out)) END
FROM unnest($1::integer[], $2::integer[], $3::bytea[]) AS i(row, srid, wkb),
LATERAL (SELECT s.src, ST_Transform(s.src, 4490) AS g FROM (SELECT ST_Force2D(ST_GeomFromWKB(i.wkb, i.srid)) AS src OFFSET 0) s OFFSET 0) b,
LATERAL (SELECT ST_IsValid(b.g) AS valid OFFSET 0) c,
LATERAL (SELECT CASE
            WHEN ST_Dimension(b.g) = 0 AND ST_NumGeometries(b.g) = 1 THEN ST_GeometryN(b.g, 1)
            WHEN ST_Dimension(b.g) = 2 OR GeometryType(b.g) = 'GEOMETRYCOLLECTION' THEN
                ST_Multi(ST_CollectionExtract(CASE WHEN c.valid THEN b.g ELSE ST_MakeValid(b.g, 'method=structure') END, 3))
        END AS out OFFSET 0) d`

// prepared is one row's geometry after PostGIS: WKB in EPSG:4490 (nil when nothing usable is
// left), whether it was valid as given, why not, its type as given, its area in m², and, for a
// region-scoped run, the region it falls in (found as the location trigger finds it).
type prepared struct {
	wkb    []byte
	valid  bool
	reason string
	typ    string
	areaM2 float64
	region *string
}

// prepareGeometries runs a batch's geometries through PostGIS; srid gives each record's source
// SRID; scope, when not "", asks for each geometry's region. It writes nothing, so it needs no
// transaction. The result is keyed by row number.
func prepareGeometries(ctx context.Context, pool *pgxpool.Pool, recs []Record, srid func(Record) int, scope string) (map[int]prepared, error) {
	rows := make([]int32, 0, len(recs))
	srids := make([]int32, 0, len(recs))
	wkbs := make([][]byte, 0, len(recs))
	for _, r := range recs {
		if r.Problem == "" {
			rows, srids, wkbs = append(rows, int32(r.Row)), append(srids, int32(srid(r))), append(wkbs, r.WKB)
		}
	}
	res, err := pool.Query(ctx, prepareGeom, rows, srids, wkbs, scope)
	if err != nil {
		return nil, fmt.Errorf("imports: prepare geometries: %w", err)
	}
	defer res.Close()
	out := make(map[int]prepared, len(rows))
	for res.Next() {
		var row int
		var p prepared
		if err := res.Scan(&row, &p.valid, &p.reason, &p.typ, &p.wkb, &p.areaM2, &p.region); err != nil {
			return nil, fmt.Errorf("imports: prepare geometries: %w", err)
		}
		out[row] = p
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("imports: prepare geometries: %w", err)
	}
	return out, nil
}
