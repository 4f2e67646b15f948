package tiles

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// World is the whole Web-Mercator square in degrees: the bounds of a city with no data yet.
var World = [4]float64{-180, -85.051129, 180, 85.051129}

// boundsSQL is the extent of everything tiled, in degrees (CGCS2000 coordinates are WGS 84's to
// within a metre): regions, zones, the small asset layers and the land overview's bounds.
const boundsSQL = `
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (
    SELECT ST_Extent(b) AS e FROM (
        SELECT ST_Extent(geom)::geometry AS b FROM regions
        UNION ALL SELECT ST_Extent(geom)::geometry FROM zones
        UNION ALL SELECT ST_Extent(geom)::geometry FROM assets WHERE kind <> 'land' AND deleted_at IS NULL
        UNION ALL SELECT land_bounds FROM tile_state
    ) parts
) x WHERE e IS NOT NULL`

// regionBoundsSQL is the extent of one region, in degrees.
const regionBoundsSQL = `
SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)
FROM (SELECT ST_Extent(geom) AS e FROM regions WHERE code = $1) x WHERE e IS NOT NULL`

// Bounds is the extent of everything tiled as minlon, minlat, maxlon, maxlat (World when empty).
func (s *Service) Bounds(ctx context.Context) ([4]float64, error) {
	b, err := s.scanBounds(ctx, boundsSQL)
	if errors.Is(err, pgx.ErrNoRows) {
		return World, nil
	}
	return b, err
}

// RegionBounds is the extent of the region with that 行政区划代码; problem.ErrNotFound when none.
func (s *Service) RegionBounds(ctx context.Context, code string) ([4]float64, error) {
	b, err := s.scanBounds(ctx, regionBoundsSQL, code)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, fmt.Errorf("tiles: region %s: %w", code, problem.ErrNotFound)
	}
	return b, err
}

func (s *Service) scanBounds(ctx context.Context, sql string, args ...any) ([4]float64, error) {
	var b [4]float64
	err := s.pool.QueryRow(ctx, sql, args...).Scan(&b[0], &b[1], &b[2], &b[3])
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return b, fmt.Errorf("tiles: bounds: %w", err)
	}
	return b, err
}
