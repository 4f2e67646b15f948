package assets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// Place is a development zone (园区) or a region (行政区) as the API lists it.
type Place struct {
	Code       string          `json:"code"`
	Name       string          `json:"name"`
	Type       string          `json:"type,omitempty"`
	Level      string          `json:"level"`
	RegionCode *string         `json:"region_code,omitempty"`
	AreaMu     float64         `json:"area_mu"`
	BBox       [4]float64      `json:"bbox"`
	Center     *[2]float64     `json:"center,omitempty"`
	Geometry   json.RawMessage `json:"geometry,omitempty"`
}

// ZoneResult answers "which assets lie in zone X": the zone, a page of assets (each with its
// Share inside the zone) and totals (with OverlapMu).
type ZoneResult struct {
	Zone   Place   `json:"zone"`
	Total  int64   `json:"total"`
	Limit  int     `json:"limit"`
	Offset int     `json:"offset"`
	Items  []Asset `json:"items"`
	Totals Totals  `json:"totals"`
	// BBox is the extent of every match (nil for none).
	BBox *[4]float64 `json:"bbox,omitempty"`
}

const zoneColumns = `code, name, type, level, region_code, area_m2 * 0.0015,
    ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)`

func scanZone(row pgx.Row) (Place, error) {
	var z Place
	err := row.Scan(&z.Code, &z.Name, &z.Type, &z.Level, &z.RegionCode, &z.AreaMu, &z.BBox[0], &z.BBox[1], &z.BBox[2], &z.BBox[3])
	return z, err
}

// Zones lists every development zone.
func (s *Service) Zones(ctx context.Context) ([]Place, error) {
	rows, err := s.reads.Query(ctx, "SELECT "+zoneColumns+" FROM zones ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("assets: zones: %w", err)
	}
	zs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Place, error) { return scanZone(r) })
	if err != nil {
		return nil, fmt.Errorf("assets: zones: %w", err)
	}
	return zs, nil
}

const regionsQuery = `SELECT code, name, '', level, parent_code, area_m2 * 0.0015,
    ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom), ST_X(c), ST_Y(c)
FROM (SELECT *, coalesce(center, ST_PointOnSurface(geom)) AS c FROM regions) r ORDER BY code`

// Regions lists every region (county/district) with its centre.
func (s *Service) Regions(ctx context.Context) ([]Place, error) {
	rows, err := s.reads.Query(ctx, regionsQuery)
	if err != nil {
		return nil, fmt.Errorf("assets: regions: %w", err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Place, error) {
		var z Place
		var c [2]float64
		err := r.Scan(&z.Code, &z.Name, &z.Type, &z.Level, &z.RegionCode, &z.AreaMu, &z.BBox[0], &z.BBox[1], &z.BBox[2], &z.BBox[3], &c[0], &c[1])
		z.Center = &c
		return z, err
	})
	if err != nil {
		return nil, fmt.Errorf("assets: regions: %w", err)
	}
	return rs, nil
}

// InZone returns the assets matching f that intersect zone code, with their overlap, read from
// asset_zones (kept by triggers; migrations/003_asset_zones.sql). One pass computes the page and,
// through window aggregates, the totals of every match. A zone's list is of what is left to put
// to work: revitalised (done) assets are left out unless f asks for a stage or IncludeDone;
// f's area bounds apply to the 亩 inside the zone, not to the whole asset; and an asset merely
// touching the zone (0 亩 inside) is not listed.
func (s *Service) InZone(ctx context.Context, code string, f Filter, p Page, shape Shape) (ZoneResult, error) {
	var res ZoneResult
	z, err := scanZone(s.reads.QueryRow(ctx, "SELECT "+zoneColumns+" FROM zones WHERE code = $1", code))
	if errors.Is(err, pgx.ErrNoRows) {
		return res, fmt.Errorf("zone %q: %w", code, problem.ErrNotFound)
	}
	if err != nil {
		return res, fmt.Errorf("assets: zone: %w", err)
	}
	res.Zone, res.Limit, res.Offset, res.Items = z, p.Limit, p.Offset, []Asset{}
	if len(f.Stages) == 0 && !f.IncludeDone {
		f.Stages = openStages
	}
	b := sqlBuilder{area: "az.overlap_m2 * 0.0015"}
	b.where("az.zone_code = " + b.arg(code))
	// An asset touching the zone's edge is not in it.
	b.where("(ST_Dimension(a.geom) < 2 OR az.overlap_m2 * 0.0015 >= " + b.arg(minOverlapMu) + ")")
	if err := f.apply(&b); err != nil {
		return res, err
	}
	// The narrow inner query sorts and pages ids with window totals; only the page's rows are
	// then read whole.
	q := `WITH page AS (
    SELECT a.id, az.overlap_m2 * 0.0015 AS overlap_mu, count(*) OVER () AS n, sum(a.area_mu) OVER () AS mu,
        coalesce(sum(a.book_value) OVER (), 0)::float8 AS bv, coalesce(sum(a.appraised_value) OVER (), 0)::float8 AS av,
        coalesce(sum(a.revenue) OVER (), 0)::float8 AS rev, sum(az.overlap_m2 * 0.0015) OVER () AS omu,
        ST_Extent(a.geom) OVER () AS ext
    FROM asset_zones az JOIN assets a ON a.id = az.asset_id
    WHERE ` + joinAnd(b.conds) + ` ORDER BY ` + orderBy(p.Sort) + ` LIMIT ` + b.arg(p.Limit) + ` OFFSET ` + b.arg(p.Offset) + `)
SELECT ` + columnsFor(shape) + `, page.overlap_mu, page.n, page.mu, page.bv, page.av, page.rev, page.omu,
    ST_XMin(page.ext), ST_YMin(page.ext), ST_XMax(page.ext), ST_YMax(page.ext)` + geomColumn(shape) + `
FROM page JOIN assets a ON a.id = page.id
    LEFT JOIN regions r ON r.code = a.region_code LEFT JOIN zones z ON z.code = a.zone_code
ORDER BY ` + orderBy(p.Sort)
	rows, err := s.reads.Query(ctx, q, b.args...)
	if err != nil {
		return res, fmt.Errorf("assets: zone query: %w", err)
	}
	defer rows.Close()
	t := &res.Totals
	t.OverlapMu = new(float64)
	var ext extent
	for rows.Next() {
		var overlap float64
		dest := []any{&overlap, &t.Count, &t.AreaMu, &t.BookValue, &t.AppraisedValue, &t.Revenue, t.OverlapMu}
		dest = append(dest, ext.dest()...)
		var g []byte
		if shape != NoShape {
			dest = append(dest, &g)
		}
		a, err := s.scanAsset(rows, dest...)
		if err != nil {
			return res, fmt.Errorf("assets: zone scan: %w", err)
		}
		a.Geometry = g
		a.Share = newShare(overlap, a.AreaMu)
		res.Items = append(res.Items, a)
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("assets: zone rows: %w", err)
	}
	if len(res.Items) == 0 && p.Offset > 0 {
		// A page past the end carries no window totals: count them on their own.
		if err := s.zoneTotals(ctx, &b, t, &ext); err != nil {
			return res, err
		}
	}
	res.Total, res.BBox = t.Count, ext.bbox()
	return res, nil
}

func (s *Service) zoneTotals(ctx context.Context, b *sqlBuilder, t *Totals, ext *extent) error {
	q := "SELECT " + totalsColumns + `, coalesce(sum(az.overlap_m2 * 0.0015), 0), ` + extentColumns + `
FROM asset_zones az JOIN assets a ON a.id = az.asset_id WHERE ` + joinAnd(b.conds)
	dest := append([]any{&t.Count, &t.AreaMu, &t.BookValue, &t.AppraisedValue, &t.Revenue, t.OverlapMu}, ext.dest()...)
	if err := s.reads.QueryRow(ctx, q, b.args[:len(b.args)-2]...).Scan(dest...); err != nil {
		return fmt.Errorf("assets: zone totals: %w", err)
	}
	return nil
}
