package assets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// MaxBufferM is the widest buffer Buffer draws (metres): a county across.
const MaxBufferM = 50_000

// bufferSQL buffers on the ellipsoid (geography): metres stay metres at any latitude.
// Six decimals of a degree are 0.1 m, finer than any parcel survey.
const bufferSQL = `SELECT ST_AsGeoJSON(ST_Buffer(geom::geography, $2::float8)::geometry, 6)
FROM assets WHERE id = $1 AND deleted_at IS NULL`

// Buffer returns the area within radiusM metres of asset id as a GeoJSON Polygon or
// MultiPolygon in EPSG:4490: the browser's "buffer of N metres around the selected asset" is
// then queried as any drawn area (within=), so its list, overlaps, link and exports need nothing new.
func (s *Service) Buffer(ctx context.Context, id int64, radiusM float64) (json.RawMessage, error) {
	if !(radiusM > 0 && radiusM <= MaxBufferM) {
		return nil, problem.Invalid("radius_m", "must be more than 0 and at most %d metres", MaxBufferM)
	}
	var g string
	err := s.reads.QueryRow(ctx, bufferSQL, id, radiusM).Scan(&g)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("asset %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("assets: buffer: %w", err)
	}
	return json.RawMessage(g), nil
}
