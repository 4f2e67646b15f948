package assets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// Zone is a development zone (园区) or a region (行政区) as the API lists it.
type Zone struct {
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

// Overlap is an asset with the part of it that lies inside a zone.
type Overlap struct {
	Asset
	OverlapMu    float64 `json:"overlap_mu"`
	OverlapShare float64 `json:"overlap_share"`
}

// ZoneResult answers "which assets lie in zone X": the zone, a page of assets and totals.
type ZoneResult struct {
	Zone   Zone      `json:"zone"`
	Total  int64     `json:"total"`
	Limit  int       `json:"limit"`
	Offset int       `json:"offset"`
	Items  []Overlap `json:"items"`
	Totals struct {
		Totals
		OverlapMu float64 `json:"overlap_mu"`
	} `json:"totals"`
}

const zoneColumns = `code, name, type, level, region_code, area_m2 * 0.0015,
    ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)`

func scanZone(row pgx.Row) (Zone, error) {
	var z Zone
	err := row.Scan(&z.Code, &z.Name, &z.Type, &z.Level, &z.RegionCode, &z.AreaMu, &z.BBox[0], &z.BBox[1], &z.BBox[2], &z.BBox[3])
	return z, err
}

// Zones lists every development zone.
func (s *Service) Zones(ctx context.Context) ([]Zone, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+zoneColumns+" FROM zones ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("assets: zones: %w", err)
	}
	zs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Zone, error) { return scanZone(r) })
	if err != nil {
		return nil, fmt.Errorf("assets: zones: %w", err)
	}
	return zs, nil
}

const regionsQuery = `SELECT code, name, '', level, parent_code, area_m2 * 0.0015,
    ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom), ST_X(c), ST_Y(c)
FROM (SELECT *, coalesce(center, ST_PointOnSurface(geom)) AS c FROM regions) r ORDER BY code`

// Regions lists every region (county/district) with its centre.
func (s *Service) Regions(ctx context.Context) ([]Zone, error) {
	rows, err := s.pool.Query(ctx, regionsQuery)
	if err != nil {
		return nil, fmt.Errorf("assets: regions: %w", err)
	}
	rs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Zone, error) {
		var z Zone
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

// overlapExpr is an asset's area inside the zone in 亩: its stored area when wholly inside
// (a cheap prepared-geometry test), else the ellipsoidal area of the intersection.
const overlapExpr = `CASE WHEN ST_CoveredBy(a.geom, zn.geom) THEN a.area_mu
    ELSE ST_Area(ST_Intersection(a.geom, zn.geom)::geography) * 0.0015 END`

// InZone returns the assets matching f that intersect zone code, with their overlap.
func (s *Service) InZone(ctx context.Context, code string, f Filter, p Page) (ZoneResult, error) {
	var res ZoneResult
	z, err := scanZone(s.pool.QueryRow(ctx, "SELECT "+zoneColumns+" FROM zones WHERE code = $1", code))
	if errors.Is(err, pgx.ErrNoRows) {
		return res, fmt.Errorf("zone %q: %w", code, problem.ErrNotFound)
	}
	if err != nil {
		return res, fmt.Errorf("assets: zone: %w", err)
	}
	res.Zone, res.Limit, res.Offset, res.Items = z, p.Limit, p.Offset, []Overlap{}
	var b sqlBuilder
	zp := b.arg(code)
	if err := f.apply(&b); err != nil {
		return res, err
	}
	base := `WITH zn AS (SELECT geom FROM zones WHERE code = ` + zp + `),
m AS (SELECT a.id, ` + overlapExpr + ` AS overlap_mu FROM assets a, zn
      WHERE a.geom && zn.geom AND ST_Intersects(a.geom, zn.geom) AND ` + joinAnd(b.conds) + `)`
	t := &res.Totals
	tq := base + ` SELECT count(*), coalesce(sum(a.area_mu), 0), coalesce(sum(a.book_value), 0)::float8,
    coalesce(sum(a.appraised_value), 0)::float8, coalesce(sum(a.revenue), 0)::float8, coalesce(sum(m.overlap_mu), 0)
    FROM m JOIN assets a ON a.id = m.id`
	if err := s.pool.QueryRow(ctx, tq, b.args...).Scan(&t.Count, &t.AreaMu, &t.BookValue, &t.AppraisedValue, &t.Revenue, &t.OverlapMu); err != nil {
		return res, fmt.Errorf("assets: zone totals: %w", err)
	}
	res.Total = t.Count
	q := base + ` SELECT ` + selectColumns + `, m.overlap_mu FROM m JOIN assets a ON a.id = m.id
    LEFT JOIN regions r ON r.code = a.region_code LEFT JOIN zones z ON z.code = a.zone_code
    ORDER BY ` + orderBy(p.Sort) + ` LIMIT ` + b.arg(p.Limit) + ` OFFSET ` + b.arg(p.Offset)
	rows, err := s.pool.Query(ctx, q, b.args...)
	if err != nil {
		return res, fmt.Errorf("assets: zone query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o Overlap
		if o.Asset, err = s.scanAsset(rows, &o.OverlapMu); err != nil {
			return res, fmt.Errorf("assets: zone scan: %w", err)
		}
		if o.AreaMu > 0 {
			o.OverlapShare = min(o.OverlapMu/o.AreaMu, 1)
		}
		res.Items = append(res.Items, o)
	}
	return res, rows.Err()
}
