package assets

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Region is a county or district as written by the demo and boundary loads: 行政区划代码 (6
// digits), name, level (province, city, county), parent code and EPSG:4490 geometry.
type Region struct {
	Code       string
	Name       string
	Level      string
	ParentCode string
	Center     orb.Point
	Geometry   orb.MultiPolygon
}

// Zone is a development zone (园区, 开发区, 集聚区) with its type, level and county.
type Zone struct {
	Code       string
	Name       string
	Type       string // high_tech_zone, development_zone, cluster_zone, industrial_park, other
	Level      string // national, provincial, city, county
	RegionCode string
	Geometry   orb.MultiPolygon
}

// Target is one yearly target of a region: a metric (approved_unsupplied_share, idle_share,
// revenue, done_count) and the value to reach.
type Target struct {
	RegionCode string
	Year       int
	Metric     string
	Target     float64
}

const upsertRegion = `
INSERT INTO regions (code, name, level, parent_code, center, geom)
VALUES ($1, $2, $3, NULLIF($4, ''), ST_SetSRID(ST_GeomFromWKB($5), 4490), ST_SetSRID(ST_GeomFromWKB($6), 4490))
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level,
    parent_code = EXCLUDED.parent_code, center = EXCLUDED.center, geom = EXCLUDED.geom`

// UpsertRegion writes r inside tx, replacing the region of the same code.
func (s *Service) UpsertRegion(ctx context.Context, tx pgx.Tx, r Region) error {
	center, err := wkb.Marshal(r.Center)
	if err != nil {
		return fmt.Errorf("assets: region %s centre: %w", r.Code, err)
	}
	shape, err := wkb.Marshal(r.Geometry)
	if err != nil {
		return fmt.Errorf("assets: region %s geometry: %w", r.Code, err)
	}
	return upsert(ctx, tx, "region "+r.Code, upsertRegion, r.Code, r.Name, r.Level, r.ParentCode, center, shape)
}

const upsertZone = `
INSERT INTO zones (code, name, type, level, region_code, geom)
VALUES ($1, $2, $3, $4, NULLIF($5, ''), ST_SetSRID(ST_GeomFromWKB($6), 4490))
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type,
    level = EXCLUDED.level, region_code = EXCLUDED.region_code, geom = EXCLUDED.geom`

// UpsertZone writes z inside tx, replacing the zone of the same code.
func (s *Service) UpsertZone(ctx context.Context, tx pgx.Tx, z Zone) error {
	shape, err := wkb.Marshal(z.Geometry)
	if err != nil {
		return fmt.Errorf("assets: zone %s geometry: %w", z.Code, err)
	}
	return upsert(ctx, tx, "zone "+z.Code, upsertZone, z.Code, z.Name, z.Type, z.Level, z.RegionCode, shape)
}

const upsertTarget = `
INSERT INTO targets (region_code, year, metric, target) VALUES ($1, $2, $3, $4)
ON CONFLICT (region_code, year, metric) DO UPDATE SET target = EXCLUDED.target`

// UpsertTarget writes t inside tx, replacing the target of the same region, year and metric.
func (s *Service) UpsertTarget(ctx context.Context, tx pgx.Tx, t Target) error {
	what := fmt.Sprintf("target %s/%d/%s", t.RegionCode, t.Year, t.Metric)
	return upsert(ctx, tx, what, upsertTarget, t.RegionCode, t.Year, t.Metric, t.Target)
}

// upsert runs one upsert statement, naming what it wrote in any error.
func upsert(ctx context.Context, tx pgx.Tx, what, q string, args ...any) error {
	if _, err := tx.Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("assets: %s: %w", what, mapWriteError(err))
	}
	return nil
}
