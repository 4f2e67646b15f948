package assets

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onemap/onemap/internal/problem"
)

// CGCS2000 SRIDs: the geographic system and the range of its Gauss-Krüger projections (6° and
// 3° zones, with and without the zone prefix on the easting), all in PostGIS's spatial_ref_sys.
const (
	SRIDGeographic = 4490
	sridGKFirst    = 4491
	sridGKLast     = 4554
)

// ValidTransformSRID tells a CRS /transform takes: CGCS2000 geographic or one of its GK zones.
func ValidTransformSRID(srid int) bool {
	return srid == SRIDGeographic || (srid >= sridGKFirst && srid <= sridGKLast)
}

// transformSQL projects one point (x easting, y northing in srid) to CGCS2000 lon/lat.
const transformSQL = `
SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), $3), 4490) AS p) t`

// Transform returns the CGCS2000 longitude and latitude of x (easting) and y (northing) in srid
// (a CRS ValidTransformSRID accepts). A point PostGIS cannot project, or one off the globe, is a
// 422 naming x.
func (s *Service) Transform(ctx context.Context, x, y float64, srid int) (lon, lat float64, err error) {
	err = s.pool.QueryRow(ctx, transformSQL, x, y, srid).Scan(&lon, &lat)
	var pg *pgconn.PgError
	if errors.As(err, &pg) || errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, problem.Unprocessable("x", "(%g, %g) cannot be projected from EPSG:%d", x, y, srid)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("assets: transform: %w", err)
	}
	if math.IsNaN(lon) || math.IsNaN(lat) || math.Abs(lon) > 180 || math.Abs(lat) > 90 {
		return 0, 0, problem.Unprocessable("x", "(%g, %g) lies off the globe in EPSG:%d", x, y, srid)
	}
	return lon, lat, nil
}
