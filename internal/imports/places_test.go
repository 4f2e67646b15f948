package imports_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/imports"
)

// Hengyang (衡阳市, 430400) stands in for "another city": its counties come as a GBK Shapefile
// in CGCS2000 3° zone 37 with the zone prefix (EPSG:4525), the 三调 XZQ layer's XZQDM/XZQMC.
const (
	hyEast  = 37660000.0 // about 112.6°E
	hyNorth = 2977000.0  // about 26.9°N
	hySide  = 20000.0
)

// hyCounties writes two counties side by side, split at east offset split (metres from hyEast).
func hyCounties(t *testing.T, dir, name string, split float64) string {
	t.Helper()
	rows := []feature{
		{props: map[string]any{"XZQDM": "430405", "XZQMC": "珠晖区"}, geom: rect(hyEast, hyNorth, hyEast+split, hyNorth+hySide)},
		{props: map[string]any{"XZQDM": "430406", "XZQMC": "雁峰区"}, geom: rect(hyEast+split, hyNorth, hyEast+2*hySide, hyNorth+hySide)},
		{props: map[string]any{"XZQDM": "", "XZQMC": "无代码"}, geom: rect(hyEast, hyNorth-hySide, hyEast+hySide, hyNorth)},
	}
	src := writeGeoJSON(t, filepath.Join(dir, name+".geojson"), 4525, rows)
	shp := filepath.Join(dir, name+".shp")
	translate(t, src, shp, "-f", "ESRI Shapefile", "-lco", "ENCODING=CP936", "-a_srs", "EPSG:4525")
	return zipFiles(t, filepath.Join(dir, name+".zip"), shapefileParts(shp)...)
}

func rect(w, s, e, n float64) orb.Polygon {
	return orb.Polygon{{{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}}
}

// lonLat is the CGCS2000 position of a zone-37 Gauss-Krüger point, as PostGIS computes it.
func lonLat(t *testing.T, pool *pgxpool.Pool, east, north float64) (float64, float64) {
	t.Helper()
	var lon, lat float64
	err := pool.QueryRow(context.Background(), `SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_Point($1, $2), 4525), 4490) p`, east, north).Scan(&lon, &lat)
	if err != nil {
		t.Fatal(err)
	}
	return lon, lat
}

func regionOf(t *testing.T, pool *pgxpool.Pool, code string) string {
	t.Helper()
	var r *string
	if err := pool.QueryRow(context.Background(), `SELECT region_code FROM assets WHERE code = $1`, code).Scan(&r); err != nil {
		t.Fatal(err)
	}
	if r == nil {
		return ""
	}
	return *r
}

// TestImportPlaces: another city's counties load from a GBK Shapefile in a GK zone; assets land
// in the right county; a file that moves the boundary between them re-derives the moved asset
// with an event, and a dry run of it writes nothing; zones load with their type and county.
func TestImportPlaces(t *testing.T) {
	svc, pool := newService(t)
	ctx := context.Background()
	dir := t.TempDir()
	first := hyCounties(t, dir, "xzq", hySide)
	rep, err := svc.ImportPlaces(ctx, first, imports.PlaceOptions{Kind: imports.PlaceRegion, FileName: "xzq.zip", Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Inserted != 2 || rep.Rejected != 1 || rep.CRS != "EPSG:4525" || rep.Issues[0].Row != 3 {
		t.Fatalf("first load: %+v", rep)
	}
	var name, level string
	if err := pool.QueryRow(ctx, `SELECT name, level FROM regions WHERE code = '430406'`).Scan(&name, &level); err != nil || name != "雁峰区" || level != "county" {
		t.Fatalf("430406 = %q %q (%v), want 雁峰区 county", name, level, err)
	}
	// Three parcels: well inside each county, and one 2 km west of the shared edge in 雁峰区... east.
	var list []assets.NewAsset
	for i, off := range []float64{5000, 35000, 22000} {
		lon, lat := lonLat(t, pool, hyEast+off, hyNorth+10000)
		list = append(list, assets.NewAsset{Code: []string{"A", "B", "C"}[i], Kind: assets.Land, Geometry: gkSquareLonLat(lon, lat)})
	}
	if _, err := assets.NewService(pool).Insert(ctx, "test", "fixture", list); err != nil {
		t.Fatal(err)
	}
	if got := []string{regionOf(t, pool, "A"), regionOf(t, pool, "B"), regionOf(t, pool, "C")}; !slices.Equal(got, []string{"430405", "430406", "430406"}) {
		t.Fatalf("regions of A, B, C = %v", got)
	}
	// 珠晖区 grows 5 km east: C (at 22 km) now lies in it.
	moved := hyCounties(t, dir, "xzq2", hySide+5000)
	dry, err := svc.ImportPlaces(ctx, moved, imports.PlaceOptions{Kind: imports.PlaceRegion, FileName: "xzq2.zip", DryRun: true, Actor: "test"})
	if err != nil || dry.Updated != 2 || dry.AssetsMoved != 0 || regionOf(t, pool, "C") != "430406" {
		t.Fatalf("dry run: %+v %v; C in %s", dry, err, regionOf(t, pool, "C"))
	}
	rep, err = svc.ImportPlaces(ctx, moved, imports.PlaceOptions{Kind: imports.PlaceRegion, FileName: "xzq2.zip", Actor: "test"})
	if err != nil || rep.Updated != 2 || rep.AssetsMoved != 1 || !slices.Equal(rep.Changes[0].Fields, []string{"geometry"}) {
		t.Fatalf("moving load: %+v %v", rep, err)
	}
	if regionOf(t, pool, "C") != "430405" || regionOf(t, pool, "B") != "430406" {
		t.Errorf("after the move: C in %s, B in %s", regionOf(t, pool, "C"), regionOf(t, pool, "B"))
	}
	if n := count(t, pool, `SELECT count(*) FROM asset_events e JOIN assets a ON a.id = e.asset_id
		WHERE a.code = 'C' AND e.action = 'update' AND e.before->>'region_code' = '430406' AND e.after->>'region_code' = '430405'`); n != 1 {
		t.Errorf("events recording C's move: %d, want 1", n)
	}
	again, err := svc.ImportPlaces(ctx, moved, imports.PlaceOptions{Kind: imports.PlaceRegion, FileName: "xzq2.zip", Actor: "test"})
	if err != nil || again.Unchanged != 2 || again.Updated != 0 || again.AssetsMoved != 0 {
		t.Errorf("same file again: %+v %v", again, err)
	}
	// A zone around A: type and level from its Chinese type, county from its location.
	w, s := hyEast+2000, hyNorth+8000
	zsrc := writeGeoJSON(t, filepath.Join(dir, "zones.geojson"), 4525, []feature{
		{props: map[string]any{"园区代码": "HY01", "园区名称": "衡阳高新区", "园区类型": "国家级高新区"}, geom: rect(w, s, w+6000, s+6000)},
	})
	zrep, err := svc.ImportPlaces(ctx, zsrc, imports.PlaceOptions{Kind: imports.PlaceZone, FileName: "zones.geojson", Actor: "test"})
	if err != nil || zrep.Inserted != 1 {
		t.Fatalf("zones: %+v %v", zrep, err)
	}
	var typ, zlevel, region string
	if err := pool.QueryRow(ctx, `SELECT type, level, region_code FROM zones WHERE code = 'HY01'`).Scan(&typ, &zlevel, &region); err != nil ||
		typ != "high_tech_zone" || zlevel != "national" || region != "430405" {
		t.Errorf("zone HY01 = %s %s %s (%v)", typ, zlevel, region, err)
	}
	if n := count(t, pool, `SELECT count(*) FROM assets a JOIN asset_zones z ON z.asset_id = a.id WHERE a.code = 'A' AND z.zone_code = 'HY01' AND a.zone_code = 'HY01'`); n != 1 {
		t.Errorf("A is not in zone HY01 (overlap row and zone_code): %d", n)
	}
}
