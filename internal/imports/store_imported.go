package imports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Imported is what a run wrote: its assets (at most limit of them, newest id first) and the
// extent of all of them, to frame them on the map.
type Imported struct {
	Items []ImportedAsset `json:"items"`
	Total int             `json:"total"`
	// BBox is [west, south, east, north] in CGCS2000, null when the run wrote nothing.
	BBox []float64 `json:"bbox"`
}

// ImportedAsset is one asset an import inserted or updated, as the UI lists it.
type ImportedAsset struct {
	ID     int64   `json:"id"`
	Code   string  `json:"code"`
	Kind   string  `json:"kind"`
	Name   string  `json:"name"`
	Holder string  `json:"holder"`
	AreaMu float64 `json:"area_mu"`
	// Region, stage, mode and book value let the UI's result list show the rows as it shows any.
	RegionCode *string  `json:"region_code"`
	Stage      string   `json:"stage"`
	Mode       *string  `json:"mode"`
	BookValue  *float64 `json:"book_value"`
}

const selectImportedExtent = `SELECT n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (SELECT count(*)::int AS n, ST_Extent(geom) AS e FROM assets WHERE import_id = $1 AND deleted_at IS NULL) x`

const selectImportedAssets = `SELECT id, code, kind, name, holder, coalesce(area_mu, 0)::float8,
    region_code, stage, mode, book_value::float8
FROM assets WHERE import_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT $2`

// Assets returns the live assets run id last wrote, after checking the run exists.
func (s *Service) Assets(ctx context.Context, id int64, limit int) (Imported, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Imported{}, err
	}
	out := Imported{Items: []ImportedAsset{}}
	var x0, y0, x1, y1 *float64
	if err := s.pool.QueryRow(ctx, selectImportedExtent, id).Scan(&out.Total, &x0, &y0, &x1, &y1); err != nil {
		return out, fmt.Errorf("imports: extent of %d: %w", id, err)
	}
	if x0 != nil {
		out.BBox = []float64{*x0, *y0, *x1, *y1}
	}
	rows, err := s.pool.Query(ctx, selectImportedAssets, id, limit)
	if err != nil {
		return out, fmt.Errorf("imports: assets of %d: %w", id, err)
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ImportedAsset])
	if err != nil {
		return out, fmt.Errorf("imports: assets of %d: %w", id, err)
	}
	out.Items = items
	return out, nil
}
