package assets

import (
	"context"
	"fmt"
	"math"
)

// densityHead and densityTail bin the matching land (the filter's conditions on alias a go
// between them) into the hexagons of ST_HexagonGrid over the box: $1 the hexagon side, $2..$5
// the box. A cell's corners are taken to EPSG:4490 and the parcels cut by that polygon there, so
// the figures are those of the polygon the answer carries.
const densityHead = `
WITH cells AS (
    SELECT h.i, h.j, ST_Transform(h.geom, 4490) AS geom
    FROM ST_HexagonGrid($1::float8, ST_Transform(ST_MakeEnvelope($2::float8, $3::float8, $4::float8, $5::float8, 4490), 3857)) h
)
SELECT ST_AsGeoJSON(c.geom, 9)::bytea, count(*),
       sum(p.mu), coalesce(sum(p.mu) FILTER (WHERE p.land_status = 'idle'), 0),
       coalesce(sum(p.mu) FILTER (WHERE p.land_status = 'approved_unsupplied'), 0)
FROM cells c
CROSS JOIN LATERAL (
    SELECT a.land_status,
           CASE WHEN ST_CoveredBy(a.geom, c.geom) THEN a.area_mu
                ELSE ST_Area(ST_Intersection(a.geom, c.geom)::geography) * 0.0015 END AS mu
    FROM assets a
    WHERE `

const densityTail = ` AND ST_Intersects(a.geom, c.geom)
) p
GROUP BY c.i, c.j, c.geom
HAVING sum(p.mu) > 0
ORDER BY c.i, c.j`

// Density returns the cells of q (validated by the caller with q.Validate).
func (s *Service) Density(ctx context.Context, q DensityQuery) (Density, error) {
	out := Density{Zoom: q.Zoom, Cells: []DensityCell{}}
	b := sqlBuilder{args: []any{q.HexSize(), q.BBox.Min[0], q.BBox.Min[1], q.BBox.Max[0], q.BBox.Max[1]}}
	if err := q.Filter.apply(&b); err != nil {
		return out, err
	}
	rows, err := s.reads.Query(ctx, densityHead+joinAnd(b.conds)+densityTail, b.args...)
	if err != nil {
		return out, fmt.Errorf("assets: density: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c DensityCell
		if err := rows.Scan(&c.Geometry, &c.Count, &c.AreaMu, &c.IdleMu, &c.ApprovedUnsuppliedMu); err != nil {
			return out, fmt.Errorf("assets: density scan: %w", err)
		}
		out.MaxMu = math.Max(out.MaxMu, c.AreaMu)
		out.Cells = append(out.Cells, c)
	}
	// A Web-Mercator unit is cos(latitude) metres on the ground.
	mid := (q.BBox.Min[1] + q.BBox.Max[1]) / 2
	out.HexSideM = q.HexSize() * math.Cos(mid*math.Pi/180)
	return out, rows.Err()
}
