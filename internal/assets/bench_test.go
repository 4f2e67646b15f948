package assets_test

import (
	"context"
	"os"
	"testing"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/db/dbtest"
)

// BenchmarkInZone measures the idle-land-in-zone query on a zone of 50,000 parcels (a 224×224
// grid of ~40 亩 squares, two in five idle or approved-unsupplied, a border row straddling the
// zone's edge). Target: ≤ 50 ms per query.
func BenchmarkInZone(b *testing.B) {
	pool := dbtest.New(b)
	ctx := context.Background()
	setup := []string{
		`INSERT INTO regions (code, name, geom) VALUES ('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.8, 30.2, 4490)))`,
		`INSERT INTO zones (code, name, region_code, geom) VALUES ('Z', '基准园区', '421202', ST_Multi(ST_MakeEnvelope(114.2, 29.8, 114.2 + 224 * 0.0018, 29.8 + 224 * 0.0018 - 0.0009, 4490)))`,
		`INSERT INTO assets (code, kind, name, region_code, land_status, geom)
		 SELECT 'B-' || i || '-' || j, 'land', '基准地块', '421202',
		        (ARRAY['idle','approved_unsupplied','in_use','inefficient','reserve'])[1 + (i * 7 + j) % 5],
		        ST_Multi(ST_MakeEnvelope(114.2 + i * 0.0018, 29.8 + j * 0.0018, 114.2 + i * 0.0018 + 0.0016, 29.8 + j * 0.0018 + 0.0016, 4490))
		 FROM generate_series(0, 223) i, generate_series(0, 223) j`,
		`ANALYZE`,
	}
	for _, q := range setup {
		if _, err := pool.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	svc := assets.NewService(pool)
	f := assets.Filter{Kinds: []assets.Kind{assets.Land}, LandStatuses: []string{"idle", "approved_unsupplied"}, MinAreaMu: ptrF(10)}
	b.ResetTimer()
	for b.Loop() {
		res, err := svc.InZone(ctx, "Z", f, assets.Page{Limit: 100}, assets.NoShape)
		if err != nil {
			b.Fatal(err)
		}
		if res.Total < 20_000 {
			b.Fatalf("total %d, want ≈ 20,000", res.Total)
		}
	}
}

// BenchmarkCityZone runs the idle-land query on the benchmark city of ONEMAP_BENCH_DATABASE_URL
// (`onemap demo --parcels N`, scripts/bench.sh) in its zone holding the most parcels, so that
// make bench shows how the query grows with the city.
func BenchmarkCityZone(b *testing.B) {
	url := os.Getenv("ONEMAP_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("ONEMAP_BENCH_DATABASE_URL names no benchmark city")
	}
	ctx := context.Background()
	pool, err := db.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	var zone string
	var parcels int
	if err := pool.QueryRow(ctx, `SELECT zone_code, count(*) FROM asset_zones GROUP BY 1 ORDER BY 2 DESC LIMIT 1`).Scan(&zone, &parcels); err != nil {
		b.Fatal(err)
	}
	svc := assets.NewService(pool)
	// The demo's parcels are ~4 亩: no area bound, or nothing would match.
	f := assets.Filter{Kinds: []assets.Kind{assets.Land}, LandStatuses: []string{"idle", "approved_unsupplied"}}
	var total int64
	for b.Loop() {
		res, err := svc.InZone(ctx, zone, f, assets.Page{Limit: 100}, assets.NoShape)
		if err != nil {
			b.Fatal(err)
		}
		total = res.Total
	}
	b.ReportMetric(float64(parcels), "zone_assets")
	b.ReportMetric(float64(total), "matches")
}

func ptrF(v float64) *float64 { return &v }
