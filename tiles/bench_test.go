package tiles_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/tiles"
	"github.com/onemap/onemap/tiles/tilestest"
)

// The benchmark's tile lists, as scripts/bench-tiles.sql makes them: up to $2 tiles of zoom $1.
// areaTilesSQL: tiles under points spread evenly over the counties (the city as a viewer pans
// over it); parcelTilesSQL: the tiles of a 1 % sample of the parcels (busy tiles weigh more).
const areaTilesSQL = `
SELECT x, y FROM (
    SELECT DISTINCT floor((ST_X(p) + 20037508.342789244) / (40075016.685578488 / (1 << $1)))::integer AS x,
        floor((20037508.342789244 - ST_Y(p)) / (40075016.685578488 / (1 << $1)))::integer AS y
    FROM (SELECT (ST_Dump(ST_GeneratePoints(ST_Transform(ST_Union(geom), 3857), 3000, 42))).geom AS p
          FROM regions) g
) t
ORDER BY md5(x || '/' || y)
LIMIT $2`

const parcelTilesSQL = `
SELECT x, y FROM (
    SELECT DISTINCT floor((ST_X(c) + 20037508.342789244) / (40075016.685578488 / (1 << $1)))::integer AS x,
        floor((20037508.342789244 - ST_Y(c)) / (40075016.685578488 / (1 << $1)))::integer AS y
    FROM (SELECT ST_Centroid(geom_3857) AS c FROM assets TABLESAMPLE SYSTEM (1) REPEATABLE (42)
          WHERE kind = 'land' AND deleted_at IS NULL) p
) t
ORDER BY md5(x || '/' || y)
LIMIT $2`

// gridCitySQL adds 40,000 parcels (200 × 200, ~60 m apart) around the test city, for benchmarks
// run without ONEMAP_BENCH_DATABASE_URL.
const gridCitySQL = `
INSERT INTO assets (code, kind, name, holder, mode, stage, land_status, geom)
SELECT 'G' || i, 'land', '地块' || i, '咸宁城投', (ARRAY['use', 'sell', 'lease', 'finance', 'undecided'])[1 + i % 5],
    (ARRAY['idle', 'planned', 'in_progress', 'done'])[1 + i % 4], 'idle',
    ST_Multi(ST_MakeEnvelope(114.2 + (i % 200) * 0.0006, 29.8 + (i / 200) * 0.0006,
                             114.2 + (i % 200) * 0.0006 + 0.0004, 29.8 + (i / 200) * 0.0006 + 0.0004, 4490))
FROM generate_series(0, 39999) i`

// benchPool is the benchmark city: ONEMAP_BENCH_DATABASE_URL (the 1M-parcel city, its overview
// refreshed beforehand) or a fresh test database with 40,000 parcels.
func benchPool(b *testing.B) *pgxpool.Pool {
	ctx := context.Background()
	if url := os.Getenv("ONEMAP_BENCH_DATABASE_URL"); url != "" {
		pool, err := db.Open(ctx, tiles.PoolURL(url))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(pool.Close)
		return pool
	}
	base := dbtest.New(b)
	tilestest.City(b, base)
	if _, err := base.Exec(ctx, gridCitySQL); err != nil {
		b.Fatal(err)
	}
	pool, err := db.Open(ctx, tiles.PoolURL(base.Config().ConnString()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	svc, err := tiles.New(pool, tiles.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := svc.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	return pool
}

// BenchmarkTiles renders, uncached and eight at a time, the tiles bench.sh loads with wrk,
// reporting the largest tile and the average.
func BenchmarkTiles(b *testing.B) {
	pool := benchPool(b)
	svc, err := tiles.New(pool, tiles.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, list := range []struct{ name, sql string }{{"area", areaTilesSQL}, {"parcels", parcelTilesSQL}} {
		for _, z := range []int{10, 12, 14, 16} {
			ids := sampleTiles(b, pool, list.sql, z)
			for _, l := range []tiles.Layer{tiles.Land, tiles.OneMap} {
				b.Run(fmt.Sprintf("%s/%s/z%d", list.name, l, z), func(b *testing.B) { benchTiles(b, svc, l, ids) })
			}
		}
	}
}

// sampleTiles runs a tile-list query for zoom z.
func sampleTiles(b *testing.B, pool *pgxpool.Pool, sql string, z int) []tiles.TileID {
	rows, err := pool.Query(context.Background(), sql, z, 2000)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tiles.TileID, error) {
		id := tiles.TileID{Z: z}
		return id, r.Scan(&id.X, &id.Y)
	})
	if err != nil || len(ids) == 0 {
		b.Fatalf("sample tiles at zoom %d: %d, %v", z, len(ids), err)
	}
	return ids
}

func benchTiles(b *testing.B, svc *tiles.Service, l tiles.Layer, ids []tiles.TileID) {
	var next, largest, total atomic.Int64
	b.SetParallelism(4) // 8 goroutines on 2 cores, as wrk -c8
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := ids[int(next.Add(1))%len(ids)]
			t, err := svc.Tile(context.Background(), l, id, tiles.Filter{})
			if err != nil {
				b.Error(err)
				return
			}
			n := int64(t.Size)
			total.Add(n)
			for m := largest.Load(); n > m && !largest.CompareAndSwap(m, n); m = largest.Load() {
			}
		}
	})
	b.ReportMetric(float64(largest.Load())/1024, "max_kB")
	b.ReportMetric(float64(total.Load())/float64(b.N)/1024, "avg_kB")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tiles/s")
}
