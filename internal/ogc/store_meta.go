package ogc

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// extent is a collection's bounding box in CRS84 and its time span (zero when unknown).
type extent struct {
	BBox     []float64
	From, To *time.Time
}

func (e extent) json() map[string]any {
	out := map[string]any{}
	if e.BBox != nil {
		out["spatial"] = map[string]any{"bbox": [][]float64{e.BBox}, "crs": uriCRS84}
	}
	if e.From != nil {
		out["temporal"] = map[string]any{
			"interval": [][]string{{e.From.UTC().Format(time.RFC3339), e.To.UTC().Format(time.RFC3339)}},
			"trs":      "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
		}
	}
	return out
}

// One scan per table: asset kinds grouped, then zones and regions; boxes turned into CRS84.
const qExtents = `
WITH e AS (
    SELECT kind AS id, ST_Extent(geom) AS box, min(updated_at) AS t0, max(updated_at) AS t1
    FROM assets WHERE deleted_at IS NULL GROUP BY kind
    UNION ALL SELECT 'zones', ST_Extent(geom), NULL, NULL FROM zones
    UNION ALL SELECT 'regions', ST_Extent(geom), NULL, NULL FROM regions
), t AS (
    SELECT id, ST_Transform(ST_SetSRID(box::geometry, 4490), 4326) AS g, t0, t1 FROM e WHERE box IS NOT NULL
)
SELECT id, ST_XMin(g), ST_YMin(g), ST_XMax(g), ST_YMax(g), t0, t1 FROM t`

// extents reads every collection's extent; collections without rows are absent.
func (s *store) extents(ctx context.Context) (map[string]extent, error) {
	rows, err := s.db.Query(ctx, qExtents)
	if err != nil {
		return nil, queryError(err)
	}
	out := map[string]extent{}
	var id string
	var x0, y0, x1, y1 float64
	var t0, t1 *time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &x0, &y0, &x1, &y1, &t0, &t1}, func() error {
		out[id] = extent{BBox: []float64{x0, y0, x1, y1}, From: t0, To: t1}
		return nil
	})
	if err != nil {
		return nil, queryError(err)
	}
	return out, nil
}
