package imports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// PostGIS is the authority on coordinates: it takes each row's source geometry, drops Z and M,
// transforms it to EPSG:4490, repairs it with ST_MakeValid when invalid, and keeps the polygons
// (or the one point) an asset may hold.

const createGeomStaging = `
CREATE TEMP TABLE IF NOT EXISTS import_geom (row integer, srid integer, wkb bytea) ON COMMIT DROP`

const prepareGeom = `
WITH t AS (
    SELECT row, ST_Transform(ST_Force2D(ST_GeomFromWKB(wkb, srid)), 4490) AS g FROM import_geom
), v AS (
    SELECT row, g, ST_IsValid(g) AS valid FROM t
), r AS (
    SELECT row, valid, CASE WHEN valid THEN '' ELSE ST_IsValidReason(g) END AS reason,
        GeometryType(g) AS type,
        CASE
            WHEN ST_Dimension(g) = 0 AND ST_NumGeometries(g) = 1 THEN ST_GeometryN(g, 1)
            WHEN ST_Dimension(g) = 2 OR GeometryType(g) = 'GEOMETRYCOLLECTION' THEN
                ST_Multi(ST_CollectionExtract(CASE WHEN valid THEN g ELSE ST_MakeValid(g, 'method=structure') END, 3))
        END AS out
    FROM v
)
SELECT row, valid, reason, type,
    CASE WHEN out IS NULL OR ST_IsEmpty(out) THEN NULL ELSE ST_AsBinary(out) END,
    CASE WHEN out IS NULL OR ST_IsEmpty(out) OR ST_Dimension(out) = 0 THEN 0 ELSE ST_Area(out::geography) END
FROM r`

// prepared is one row's geometry after PostGIS: WKB in EPSG:4490 (nil when nothing usable is
// left), whether it was valid as given, why not, its type as given and its area in m².
type prepared struct {
	wkb    []byte
	valid  bool
	reason string
	typ    string
	areaM2 float64
}

// prepareGeometries runs the batch's geometries through PostGIS inside tx; srid gives each
// record's source SRID. The result is keyed by row number.
func prepareGeometries(ctx context.Context, tx pgx.Tx, recs []Record, srid func(Record) int) (map[int]prepared, error) {
	if _, err := tx.Exec(ctx, createGeomStaging); err != nil {
		return nil, fmt.Errorf("imports: geometry staging: %w", err)
	}
	if _, err := tx.Exec(ctx, "TRUNCATE import_geom"); err != nil {
		return nil, fmt.Errorf("imports: geometry staging: %w", err)
	}
	rows := make([][]any, 0, len(recs))
	for _, r := range recs {
		if r.Problem == "" {
			rows = append(rows, []any{r.Row, srid(r), r.WKB})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"import_geom"}, []string{"row", "srid", "wkb"}, pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("imports: copy geometries: %w", err)
	}
	res, err := tx.Query(ctx, prepareGeom)
	if err != nil {
		return nil, fmt.Errorf("imports: prepare geometries: %w", err)
	}
	defer res.Close()
	out := make(map[int]prepared, len(rows))
	for res.Next() {
		var row int
		var p prepared
		if err := res.Scan(&row, &p.valid, &p.reason, &p.typ, &p.wkb, &p.areaM2); err != nil {
			return nil, fmt.Errorf("imports: prepare geometries: %w", err)
		}
		out[row] = p
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("imports: prepare geometries: %w", err)
	}
	return out, nil
}
