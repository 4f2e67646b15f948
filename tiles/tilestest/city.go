// Package tilestest builds a small city for tests of tiles and of the HTTP tile routes: two
// regions, one development zone, a grid of land parcels in each region and one asset of each
// other kind, all near (114.30°E, 29.85°N) in Xianning.
package tilestest

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
)

// The city's codes and where it lies.
const (
	RegionWest = "421202" // 114.20–114.30°E, 29.80–29.90°N
	RegionEast = "421281" // 114.30–114.40°E
	ZoneCode   = "XN-GX"  // 114.265–114.285°E, 29.845–29.855°N, in the west region
	Lon, Lat   = 114.28, 29.85
	// ParcelsPerRegion is how many land parcels each region holds (a 10 × 6 grid).
	ParcelsPerRegion = 60
)

const regionsSQL = `
INSERT INTO regions (code, name, level, geom) VALUES
    ($1, '咸安区', 'county', ST_Multi(ST_MakeEnvelope(114.20, 29.80, 114.30, 29.90, 4490))),
    ($2, '赤壁市', 'county', ST_Multi(ST_MakeEnvelope(114.30, 29.80, 114.40, 29.90, 4490)));
`

const zoneSQL = `
INSERT INTO zones (code, name, type, region_code, geom)
VALUES ($1, '咸宁高新区', 'high_tech_zone', $2, ST_Multi(ST_MakeEnvelope(114.265, 29.845, 114.285, 29.855, 4490)))`

// City fills the database behind pool with the test city.
func City(t testing.TB, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	if _, err := pool.Exec(ctx, regionsSQL, RegionWest, RegionEast); err != nil {
		t.Fatalf("tilestest: regions: %v", err)
	}
	if _, err := pool.Exec(ctx, zoneSQL, ZoneCode, RegionWest); err != nil {
		t.Fatalf("tilestest: zone: %v", err)
	}
	list := append(parcels(114.265), parcels(114.315)...)
	list = append(list, others()...)
	if _, err := assets.NewService(pool).Insert(ctx, "tilestest", "fixture", list); err != nil {
		t.Fatalf("tilestest: assets: %v", err)
	}
}

// parcels lays a 10 × 6 grid of ~50 m squares from (lon0, 29.845), 0.002° apart, cycling
// through the stages, modes and land statuses.
func parcels(lon0 float64) []assets.NewAsset {
	var out []assets.NewAsset
	for i := range ParcelsPerRegion {
		lon, lat := lon0+float64(i%10)*0.002, 29.845+float64(i/10)*0.002
		status, class := assets.LandStatuses[i%5], []string{"0701", "1001", "0901"}[i%3]
		sys := "tdly2023"
		out = append(out, assets.NewAsset{
			Code: fmt.Sprintf("L-%.3f-%02d", lon0, i), Kind: assets.Land, Name: fmt.Sprintf("地块%d", i),
			Holder: "咸宁城投", Stage: assets.Stages[i%4], Mode: assets.Modes[i%5],
			Land:     &assets.LandFacts{Status: &status, ClassSystem: &sys, ClassCode: &class},
			Geometry: square(lon, lat, 0.0005),
		})
	}
	return out
}

// others returns one mine, forest and water body (polygons) and one building (a point).
func others() []assets.NewAsset {
	return []assets.NewAsset{
		{
			Code: "M-1", Kind: assets.Mine, Name: "石灰岩矿", Stage: "planned", Mode: "sell",
			Facts: map[string]any{"right_type": "mining", "mineral": "石灰岩"}, Geometry: square(114.29, 29.86, 0.004),
		},
		{
			Code: "F-1", Kind: assets.Forest, Name: "国有林场", Stage: "idle", Mode: "lease",
			Facts: map[string]any{"forest_type": "commercial"}, Geometry: square(114.33, 29.86, 0.01),
		},
		{
			Code: "W-1", Kind: assets.Water, Name: "水库", Stage: "done", Mode: "use",
			Facts: map[string]any{"water_type": "reservoir"}, Geometry: square(114.262, 29.862, 0.006),
		},
		{
			Code: "B-1", Kind: assets.Building, Name: "闲置办公楼", Stage: "in_progress", Mode: "lease",
			Facts: map[string]any{"use": "office"}, Geometry: orb.Point{114.275, 29.85},
		},
	}
}

func square(lon, lat, d float64) orb.Polygon {
	return orb.Polygon{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}
}
