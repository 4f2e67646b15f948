package demo_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/demo"
)

// load writes a small city (2,000 parcels) into a fresh database.
func load(t *testing.T, opts demo.LoadOptions) (*pgxpool.Pool, demo.Summary) {
	t.Helper()
	pool := dbtest.New(t)
	city, err := demo.Generate(demo.Options{Seed: 1, Parcels: 2000})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := demo.Load(context.Background(), pool, assets.NewService(pool), city, opts)
	if err != nil {
		t.Fatal(err)
	}
	return pool, sum
}

// count runs a count query with args.
func count(t *testing.T, pool *pgxpool.Pool, q string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestLoadWritesTheCity(t *testing.T) {
	pool, sum := load(t, demo.LoadOptions{Batch: 700})
	atLeast := []struct {
		what string
		q    string
		min  int
	}{
		{"counties", "SELECT count(*) FROM regions WHERE code IN ('421202','421221','421222','421223','421224','421281')", 6},
		{"zones", "SELECT count(*) FROM zones", 8},
		{"parcels", "SELECT count(*) FROM assets WHERE kind = 'land'", 2000},
		{"mines", "SELECT count(*) FROM assets WHERE kind = 'mine'", 40},
		{"exploration rights", "SELECT count(*) FROM assets WHERE kind = 'mine' AND facts->>'right_type' = 'exploration'", 3},
		{"forest farms", "SELECT count(*) FROM assets WHERE kind = 'forest'", 15},
		{"lakes in 嘉鱼", "SELECT count(*) FROM assets WHERE kind = 'water' AND region_code = '421221' AND facts->>'water_type' = 'lake'", 38},
		{"reservoirs", "SELECT count(*) FROM assets WHERE kind = 'water' AND facts->>'water_type' = 'reservoir'", 3},
		{"idle buildings", "SELECT count(*) FROM assets WHERE kind = 'building'", 169},
		{"parcels in zones", "SELECT count(*) FROM assets WHERE kind = 'land' AND zone_code IS NOT NULL", 200},
		{"targets", "SELECT count(*) FROM targets WHERE year = 2026", 24},
		{"creation events", "SELECT count(*) FROM asset_events WHERE action = 'create' AND actor = 'onemap demo'", sum.Tally.Total()},
	}
	for _, c := range atLeast {
		if n := count(t, pool, c.q); n < c.min {
			t.Errorf("%s: %d, want at least %d", c.what, n, c.min)
		}
	}
	if n := count(t, pool, "SELECT count(*) FROM assets"); n != sum.Tally.Total() || n != 2000+293 {
		t.Errorf("%d assets, summary says %d, want 2,293", n, sum.Tally.Total())
	}
	if n := count(t, pool, "SELECT count(*) FROM targets WHERE metric = 'approved_unsupplied_share' AND target = 0.30"); n != 6 {
		t.Errorf("%d counties with the 30 %% approved-unsupplied target, want 6", n)
	}
}

func TestLoadedAssetsLieInTheirRegionAndZone(t *testing.T) {
	pool, _ := load(t, demo.LoadOptions{})
	checks := []struct{ what, q string }{
		{"outside their region", `SELECT count(*) FROM assets a LEFT JOIN regions r ON r.code = a.region_code
			WHERE r.code IS NULL OR NOT ST_Within(a.geom, r.geom)`},
		{"zones outside their county", `SELECT count(*) FROM zones z JOIN regions r ON r.code = z.region_code
			WHERE NOT ST_Within(z.geom, r.geom)`},
		{"not touching their zone", `SELECT count(*) FROM assets a JOIN zones z ON z.code = a.zone_code
			WHERE NOT ST_Intersects(a.geom, z.geom)`},
		{"invalid geometries", "SELECT count(*) FROM assets WHERE NOT ST_IsValid(geom)"},
		{"zones outside 5–40 km²", "SELECT count(*) FROM zones WHERE area_m2 NOT BETWEEN 5e6 AND 4e7"},
		{"zones overlapping", "SELECT count(*) FROM zones a JOIN zones b ON a.code < b.code AND ST_Intersects(a.geom, b.geom)"},
		{"lakes, forests and mines overlapping", `SELECT count(*) FROM assets a JOIN assets b ON a.id < b.id
			AND a.kind IN ('water', 'forest', 'mine') AND b.kind IN ('water', 'forest', 'mine') AND ST_Intersects(a.geom, b.geom)`},
		{"parcels in lakes, forests or mines", `SELECT count(*) FROM assets a JOIN assets b
			ON a.kind = 'land' AND b.kind IN ('water', 'forest', 'mine') AND ST_Intersects(a.geom, b.geom)`},
	}
	for _, c := range checks {
		if n := count(t, pool, c.q); n != 0 {
			t.Errorf("%d assets %s", n, c.what)
		}
	}
	if n := count(t, pool, `SELECT count(*) FROM assets a JOIN zones z ON z.code = a.zone_code WHERE NOT ST_Within(a.geom, z.geom)`); n == 0 {
		t.Error("no parcel overlaps a zone border")
	}
	if n := count(t, pool, "SELECT count(*) FROM assets WHERE kind <> 'building' AND (area_mu < 1 OR (kind = 'land' AND area_mu > 160))"); n != 0 {
		t.Errorf("%d assets of implausible size", n)
	}
}

func TestLoadedNamesAndLedger(t *testing.T) {
	pool, _ := load(t, demo.LoadOptions{})
	for _, name := range []string{
		"赤壁偏脊山石灰岩矿", "崇阳大源硅石", "温泉地热", "崇阳桂花林场南山分场", "潜山林场",
		"斧头湖", "西凉湖", "蜜泉湖", "三湖连江", "陆水水库", "青山水库", "富水水库",
		"咸宁高新区", "温泉集聚发展区", "桂花集聚发展区", "梓山湖", "赤壁经济开发区", "嘉鱼经济开发区",
		"通城经济开发区", "崇阳工业园区", "通山经济开发区",
	} {
		if count(t, pool, "SELECT (SELECT count(*) FROM assets WHERE strpos(name, $1) > 0) + (SELECT count(*) FROM zones WHERE strpos(name, $1) > 0)", name) == 0 {
			t.Errorf("nothing is named %s", name)
		}
	}
	where := map[string]string{
		"陆水水库": "421281", "青山水库": "421202", "富水水库": "421224", "赤壁偏脊山石灰岩矿": "421281", "崇阳大源硅石矿": "421223",
	}
	for name, region := range where {
		if count(t, pool, "SELECT count(*) FROM assets WHERE name = $1 AND region_code = $2", name, region) != 1 {
			t.Errorf("%s is not in %s", name, region)
		}
	}
	bad := map[string]string{
		"without holder or responsibility": "holder = '' OR holder_type = '' OR responsible_unit = '' OR responsible_person = ''",
		"without values":                   "book_value IS NULL OR appraised_value IS NULL",
		"done without revenue or mode":     "stage = 'done' AND (revenue <= 0 OR mode = 'undecided')",
		"with revenue before disposal":     "stage IN ('idle', 'planned') AND revenue > 0",
		"land without class or status":     "kind = 'land' AND (land_status IS NULL OR land_class_code IS NULL)",
	}
	for what, cond := range bad {
		if n := count(t, pool, "SELECT count(*) FROM assets WHERE "+cond); n != 0 {
			t.Errorf("%d assets %s", n, what)
		}
	}
	for _, q := range []string{
		"SELECT count(DISTINCT land_status) FROM assets",
		"SELECT count(DISTINCT stage) FROM assets WHERE kind = 'land'",
		"SELECT count(DISTINCT mode) FROM assets WHERE kind = 'land'",
	} {
		if n := count(t, pool, q); n < 4 {
			t.Errorf("%s = %d: want a mix", q, n)
		}
	}
	if n := count(t, pool, "SELECT count(DISTINCT land_class_system) FROM assets"); n != 2 {
		t.Errorf("%d land classification systems in use, want both", n)
	}
}

func TestLoadReplacesTheDemoWithIndexesBuiltAfter(t *testing.T) {
	pool, first := load(t, demo.LoadOptions{})
	ctx := context.Background()
	svc := assets.NewService(pool)
	ids := count(t, pool, "SELECT sum(id) FROM assets")
	indexes := count(t, pool, "SELECT count(*) FROM pg_indexes WHERE tablename = 'assets'")
	city, err := demo.Generate(demo.Options{Seed: 1, Parcels: 2000})
	if err != nil {
		t.Fatal(err)
	}
	// Replacing an all-demo table truncates it; the indexes are then built after the load.
	sum, err := demo.Load(ctx, pool, svc, city, demo.LoadOptions{Replace: true, IndexAfter: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Removed != int64(first.Tally.Total()) || count(t, pool, "SELECT count(*) FROM assets") != first.Tally.Total() {
		t.Fatalf("removed %d of %d, now %d assets", sum.Removed, first.Tally.Total(), count(t, pool, "SELECT count(*) FROM assets"))
	}
	if n := count(t, pool, "SELECT sum(id) FROM assets"); n != ids {
		t.Errorf("ids after a replace sum to %d, before %d: they should restart", n, ids)
	}
	if n := count(t, pool, "SELECT count(*) FROM pg_indexes WHERE tablename = 'assets'"); n != indexes || n < 8 {
		t.Errorf("%d indexes on assets after the bulk load, want the %d of the schema", n, indexes)
	}
	// With an asset of someone else's, the demo's are soft-deleted instead.
	if _, err := svc.Insert(ctx, "analyst", "", []assets.NewAsset{{
		Code: "X-1", Kind: assets.Land, RegionCode: "421202",
		Geometry: city.Assets[0].Geometry,
	}}); err != nil {
		t.Fatal(err)
	}
	if sum, err = demo.Load(ctx, pool, svc, city, demo.LoadOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	if live := count(t, pool, "SELECT count(*) FROM assets WHERE deleted_at IS NULL"); live != first.Tally.Total()+1 {
		t.Errorf("%d live assets, want the demo's %d and the analyst's", live, first.Tally.Total())
	}
	if n := count(t, pool, "SELECT count(*) FROM asset_events WHERE action = 'delete'"); n != first.Tally.Total() {
		t.Errorf("%d delete events, want %d", n, first.Tally.Total())
	}
}
