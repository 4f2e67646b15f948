package imports_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/imports"
	"github.com/onemap/onemap/internal/problem"
)

func newService(t *testing.T) (*imports.Service, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	return imports.NewService(pool, assets.NewService(pool), imports.Limits{MaxRows: 1000}, nil), pool
}

func count(t *testing.T, pool *pgxpool.Pool, q string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func mustImport(t *testing.T, svc *imports.Service, path string, o imports.Options) imports.Report {
	t.Helper()
	if o.FileName == "" {
		o.FileName = filepath.Base(path)
	}
	rep, err := svc.Import(context.Background(), path, o)
	if err != nil {
		t.Fatalf("Import(%s): %v", o.FileName, err)
	}
	return rep
}

// checkSanDiao asserts the three 三调 parcels came back whole: Chinese text, areas within
// 0.1 %, vertices back in zone 38 within 1 cm.
func checkSanDiao(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	for _, f := range sanDiao() {
		p := f.props
		var name, holder, class, system, crs string
		var area, drift float64
		err := pool.QueryRow(ctx, `SELECT name, holder, land_class_code, land_class_system, source_crs, area_m2,
				ST_HausdorffDistance(ST_Transform(geom, 4526), ST_GeomFromText($2, 4526))
			FROM assets WHERE kind = 'land' AND code = $1`, p["BSM"], wktOf(f.geom)).
			Scan(&name, &holder, &class, &system, &crs, &area, &drift)
		if err != nil {
			t.Fatalf("%s: %v", p["BSM"], err)
		}
		if want := p["ZLDWMC"].(string) + " " + p["DLMC"].(string); name != want {
			t.Errorf("%s name = %q, want %q", p["BSM"], name, want)
		}
		if holder != p["QSDWMC"] || class != p["DLBM"] || system != "gbt21010_2017" || crs != "EPSG:4526" {
			t.Errorf("%s holder, class, system, crs = %q, %q, %q, %q", p["BSM"], holder, class, system, crs)
		}
		if want := p["TBMJ"].(float64); math.Abs(area-want)/want > 0.001 {
			t.Errorf("%s area = %.2f m², want %.2f within 0.1 %%", p["BSM"], area, want)
		}
		if drift > 0.01 {
			t.Errorf("%s vertices moved %.4f m on the way 4526 → 4490 → 4526, want ≤ 1 cm", p["BSM"], drift)
		}
	}
}

func TestImportGBKShapefileInGKZone(t *testing.T) {
	svc, pool := newService(t)
	dir := t.TempDir()
	shp := gbkShapefile(t, dir)
	cpg, err := os.ReadFile(strings.TrimSuffix(shp, ".shp") + ".cpg")
	if err != nil || !strings.Contains(string(cpg), "936") {
		t.Fatalf("fixture .cpg = %q, %v; want CP936", cpg, err)
	}
	dbf, err := os.ReadFile(strings.TrimSuffix(shp, ".shp") + ".dbf")
	if err != nil || bytes.Contains(dbf, []byte("水田")) {
		t.Fatal("fixture DBF holds UTF-8, want GBK")
	}
	zipPath := zipFiles(t, filepath.Join(dir, "dltb.zip"), shapefileParts(shp)...)
	rep := mustImport(t, svc, zipPath, imports.Options{Kind: "land"})
	if rep.Status != imports.StatusDone || rep.RowsInserted != 3 || rep.RowsRejected != 0 || rep.Format != "shapefile" {
		t.Fatalf("report = %s", rep.Summary())
	}
	if *rep.SourceCRS != "EPSG:4526" || !strings.Contains(*rep.Encoding, "936") {
		t.Errorf("source CRS, encoding = %s, %s", *rep.SourceCRS, *rep.Encoding)
	}
	checkSanDiao(t, pool)
	if n := count(t, pool, "SELECT count(*) FROM asset_events WHERE action = 'import' AND import_id = $1", rep.ID); n != 3 {
		t.Errorf("import events = %d, want 3", n)
	}
	got, err := svc.Get(context.Background(), rep.ID)
	if err != nil || got.Status != imports.StatusDone || got.RowsWritten != 3 || got.Phase != imports.PhaseFinished {
		t.Errorf("Get = %+v, %v", got, err)
	}
}

// Without a .cpg and with the DBF's code-page byte cleared, the encoding comes from the user or,
// failing that, from the bytes.
func TestImportShapefileWithoutCodePage(t *testing.T) {
	for _, enc := range []string{"GBK", ""} {
		t.Run("encoding="+enc, func(t *testing.T) {
			svc, pool := newService(t)
			dir := t.TempDir()
			shp := gbkShapefile(t, dir)
			base := strings.TrimSuffix(shp, ".shp")
			if err := os.Remove(base + ".cpg"); err != nil {
				t.Fatal(err)
			}
			dbf, err := os.ReadFile(base + ".dbf")
			if err != nil {
				t.Fatal(err)
			}
			dbf[29] = 0
			if err := os.WriteFile(base+".dbf", dbf, 0o600); err != nil {
				t.Fatal(err)
			}
			rep := mustImport(t, svc, zipFiles(t, filepath.Join(dir, "dltb.zip"), shapefileParts(shp)...), imports.Options{Kind: "land", Encoding: enc})
			if rep.RowsInserted != 3 || *rep.Encoding != "GBK" {
				t.Fatalf("report = %s (encoding %s)", rep.Summary(), *rep.Encoding)
			}
			checkSanDiao(t, pool)
		})
	}
}

func TestImportTXTWithHole(t *testing.T) {
	svc, pool := newService(t)
	sample, err := os.ReadFile("testdata/kcdj.txt")
	if err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(strings.ReplaceAll(string(sample), "\n", "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kcdj.txt")
	if err := os.WriteFile(path, []byte(gbk), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := mustImport(t, svc, path, imports.Options{Kind: "land"})
	if rep.RowsInserted != 2 || *rep.Encoding != "GBK" || *rep.SourceCRS != "EPSG:4526" {
		t.Fatalf("report = %s, %s, %s", rep.Summary(), *rep.Encoding, *rep.SourceCRS)
	}
	var name, class string
	var area, drift float64
	var holes int
	err = pool.QueryRow(context.Background(), `SELECT name, land_class_code, area_m2, ST_NumInteriorRings(ST_GeometryN(geom, 1)),
			ST_HausdorffDistance(ST_Transform(geom, 4526), ST_GeomFromText($1, 4526))
		FROM assets WHERE code = 'XN-001'`,
		"POLYGON((38500000 3300000,38500100 3300000,38500100 3300100,38500000 3300100,38500000 3300000),(38500040 3300040,38500040 3300060,38500060 3300060,38500060 3300040,38500040 3300040))").
		Scan(&name, &class, &area, &holes, &drift)
	if err != nil {
		t.Fatal(err)
	}
	if name != "温泉地块" || class != "0601" || holes != 1 || math.Abs(area-9600)/9600 > 0.001 || drift > 0.01 {
		t.Errorf("XN-001: name %q, class %q, holes %d, area %.2f (want 9600), drift %.4f m", name, class, holes, area, drift)
	}
	if n := count(t, pool, "SELECT ST_NumGeometries(geom) FROM assets WHERE code = 'XN-002'"); n != 2 {
		t.Errorf("XN-002 parts = %d, want 2", n)
	}
}

func TestImportGeoPackage(t *testing.T) {
	svc, pool := newService(t)
	dir := t.TempDir()
	src := writeGeoJSON(t, filepath.Join(dir, "src.geojson"), 4490, []feature{
		{map[string]any{"code": "M-1", "name": "咸安石灰石矿", "mineral": "石灰石", "right_type": "mining", "reserves": 120.5}, gkSquareLonLat(114.3, 29.8)},
		{map[string]any{"code": "M-2", "name": "崇阳钒矿", "mineral": "钒", "right_type": "exploration", "reserves": 8}, gkSquareLonLat(114.05, 29.55)},
	})
	gpkg := filepath.Join(dir, "mines.gpkg")
	translate(t, src, gpkg, "-f", "GPKG", "-nln", "矿产")
	rep := mustImport(t, svc, gpkg, imports.Options{})
	if rep.RowsInserted != 2 || rep.Format != "gpkg" || *rep.SourceCRS != "EPSG:4490" {
		t.Fatalf("report = %s %v", rep.Summary(), rep.Issues)
	}
	var name string
	var reserves float64
	if err := pool.QueryRow(context.Background(), `SELECT name, (facts->>'reserves')::float8 FROM assets WHERE kind = 'mine' AND code = 'M-1'`).
		Scan(&name, &reserves); err != nil {
		t.Fatal(err)
	}
	if name != "咸安石灰石矿" || reserves != 120.5 {
		t.Errorf("M-1 = %q, reserves %g", name, reserves)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	svc, pool := newService(t)
	dir := t.TempDir()
	zipPath := zipFiles(t, filepath.Join(dir, "dltb.zip"), shapefileParts(gbkShapefile(t, dir))...)
	rep := mustImport(t, svc, zipPath, imports.Options{Kind: "land", DryRun: true})
	if !rep.DryRun || rep.Status != imports.StatusDone || rep.RowsWritten != 3 {
		t.Fatalf("dry run report = %s", rep.Summary())
	}
	if n := count(t, pool, "SELECT count(*) FROM assets") + count(t, pool, "SELECT count(*) FROM asset_events"); n != 0 {
		t.Errorf("a dry run left %d assets and events", n)
	}
	got, err := svc.Get(context.Background(), rep.ID)
	if err != nil || !got.DryRun || got.Status != imports.StatusDone || got.RowsWritten != 3 {
		t.Errorf("recorded dry run = %+v, %v", got, err)
	}
}

// A dry run writes nothing to assets, not even rows rolled back: those would stay behind as dead
// tuples (pgstattuple counts them exactly, where pg_stat_user_tables reports late). Its counts
// are still those of the real write: new, updated and unchanged codes.
func TestDryRunLeavesNoDeadTuples(t *testing.T) {
	svc, pool := newService(t)
	if _, err := pool.Exec(context.Background(), "CREATE EXTENSION IF NOT EXISTS pgstattuple"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	parcel := func(code, name string, lon float64) feature {
		return feature{map[string]any{"code": code, "name": name}, gkSquareLonLat(lon, 29.8)}
	}
	first := writeGeoJSON(t, filepath.Join(dir, "a.geojson"), 4490, []feature{parcel("P-1", "一号", 114.30), parcel("P-2", "二号", 114.31)})
	mustImport(t, svc, first, imports.Options{Kind: "land"})
	dead := func() int {
		return count(t, pool, "SELECT dead_tuple_count FROM pgstattuple('assets')") +
			count(t, pool, "SELECT dead_tuple_count FROM pgstattuple('asset_events')")
	}
	dead0, events0 := dead(), count(t, pool, "SELECT count(*) FROM asset_events")
	second := writeGeoJSON(t, filepath.Join(dir, "b.geojson"), 4490, []feature{
		parcel("P-1", "一号地块", 114.30), parcel("P-2", "二号", 114.31), parcel("P-3", "三号", 114.32),
	})
	rep := mustImport(t, svc, second, imports.Options{Kind: "land", DryRun: true, OnConflict: "update"})
	if rep.RowsInserted != 1 || rep.RowsUpdated != 1 || rep.RowsUnchanged != 1 || rep.RowsWritten != 2 {
		t.Errorf("dry run = %s, want 1 new, 1 updated, 1 unchanged", rep.Summary())
	}
	if d := dead(); d != dead0 {
		t.Errorf("the dry run left %d dead tuples in assets and asset_events", d-dead0)
	}
	if n := count(t, pool, "SELECT count(*) FROM assets WHERE name = '一号' OR code = 'P-3'"); n != 1 {
		t.Errorf("the dry run changed assets: %d rows match the first import", n)
	}
	if n := count(t, pool, "SELECT count(*) FROM asset_events"); n != events0 {
		t.Errorf("the dry run added %d events", n-events0)
	}
}

func TestBrokenFileLeavesDatabaseUnchanged(t *testing.T) {
	svc, pool := newService(t)
	dir := t.TempDir()
	shp := gbkShapefile(t, dir)
	b, err := os.ReadFile(shp)
	if err != nil {
		t.Fatal(err)
	}
	// Cut the .shp inside its last record: the index still announces three.
	if err := os.WriteFile(shp, b[:len(b)-40], 0o600); err != nil {
		t.Fatal(err)
	}
	cut := zipFiles(t, filepath.Join(dir, "cut.zip"), shapefileParts(shp)...)
	garbage := filepath.Join(dir, "garbage.zip")
	if err := os.WriteFile(garbage, []byte("PK\x03\x04 this is not a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{cut, garbage} {
		_, err := svc.Import(context.Background(), path, imports.Options{FileName: filepath.Base(path), Kind: "land"})
		if err == nil {
			t.Errorf("%s: imported without an error", filepath.Base(path))
		}
		if problem.Status(err) != 422 {
			t.Errorf("%s: err = %v (status %d), want 422", filepath.Base(path), err, problem.Status(err))
		}
	}
	if n := count(t, pool, "SELECT count(*) FROM assets") + count(t, pool, "SELECT count(*) FROM asset_events"); n != 0 {
		t.Errorf("broken files left %d assets and events", n)
	}
	if n := count(t, pool, "SELECT count(*) FROM imports WHERE status = 'failed' AND error <> ''"); n != 2 {
		t.Errorf("failed runs recorded = %d, want 2", n)
	}
}

func TestRefusesXian1980(t *testing.T) {
	svc, pool := newService(t)
	dir := t.TempDir()
	src := writeGeoJSON(t, filepath.Join(dir, "src.geojson"), 2364, sanDiao()[:1])
	shp := filepath.Join(dir, "xian80.shp")
	translate(t, src, shp, "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", "-a_srs", "EPSG:2364")
	_, err := svc.Import(context.Background(), zipFiles(t, filepath.Join(dir, "x.zip"), shapefileParts(shp)...), imports.Options{FileName: "x.zip", Kind: "land"})
	if problem.Status(err) != 422 || !strings.Contains(err.Error(), "Xi'an 1980") {
		t.Fatalf("err = %v, want a 422 naming Xi'an 1980", err)
	}
	if n := count(t, pool, "SELECT count(*) FROM assets"); n != 0 {
		t.Errorf("assets = %d", n)
	}
}

func TestRepairsAndRejectsRows(t *testing.T) {
	svc, pool := newService(t)
	path := filepath.Join(t.TempDir(), "rows.geojson")
	body := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"OK"},"geometry":{"type":"Polygon","coordinates":[[[114.3,29.8],[114.301,29.8],[114.301,29.801],[114.3,29.801],[114.3,29.8]]]}},
{"type":"Feature","properties":{"code":"BOWTIE"},"geometry":{"type":"Polygon","coordinates":[[[114.3,29.8],[114.301,29.801],[114.301,29.8],[114.3,29.801],[114.3,29.8]]]}},
{"type":"Feature","properties":{"code":"LINE"},"geometry":{"type":"LineString","coordinates":[[114.3,29.8],[114.301,29.801]]}},
{"type":"Feature","properties":{"code":"OK","name":"again"},"geometry":{"type":"Point","coordinates":[114.3,29.8]}},
{"type":"Feature","properties":{"code":"BADMODE","mode":"rent"},"geometry":{"type":"Point","coordinates":[114.3,29.8]}}
]}`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := mustImport(t, svc, path, imports.Options{Kind: "land"})
	if rep.RowsInserted != 2 || rep.RowsRepaired != 1 || rep.RowsRejected != 3 {
		t.Fatalf("report = %s %+v", rep.Summary(), rep.Issues)
	}
	want := map[int]string{2: imports.ActionRepaired, 3: imports.ActionRejected, 4: imports.ActionRejected, 5: imports.ActionRejected}
	for _, i := range rep.Issues {
		if want[i.Row] != i.Action || i.Reason == "" {
			t.Errorf("issue %+v, want action %q for row %d", i, want[i.Row], i.Row)
		}
		delete(want, i.Row)
	}
	if len(want) > 0 {
		t.Errorf("rows without their issue: %v", want)
	}
	if n := count(t, pool, "SELECT count(*) FROM assets WHERE code = 'BOWTIE' AND ST_IsValid(geom) AND ST_NumGeometries(geom) = 2"); n != 1 {
		t.Error("the bow-tie was not stored as two valid triangles")
	}
}

func TestConflictUpdateAndSkip(t *testing.T) {
	svc, pool := newService(t)
	dir := t.TempDir()
	zipPath := zipFiles(t, filepath.Join(dir, "dltb.zip"), shapefileParts(gbkShapefile(t, dir))...)
	mustImport(t, svc, zipPath, imports.Options{Kind: "land"})
	rep := mustImport(t, svc, zipPath, imports.Options{Kind: "land"})
	if rep.RowsSkipped != 3 || rep.Imported() {
		t.Errorf("second import (skip) = %s", rep.Summary())
	}
	rep = mustImport(t, svc, zipPath, imports.Options{Kind: "land", OnConflict: "update", Mapping: imports.Mapping{"QSDWMC": "responsible_unit"}})
	if rep.RowsUpdated != 3 || rep.RowsInserted != 0 {
		t.Fatalf("update import = %s", rep.Summary())
	}
	if n := count(t, pool, "SELECT count(*) FROM asset_events WHERE action = 'update' AND after->>'responsible_unit' = before->>'holder'"); n != 3 {
		t.Errorf("update events with before/after = %d, want 3", n)
	}
	if _, err := svc.Import(context.Background(), zipPath, imports.Options{FileName: "x.zip", OnConflict: "replace"}); problem.Status(err) != 400 {
		t.Errorf("on_conflict=replace: err = %v, want 400", err)
	}
}

func TestRowLimit(t *testing.T) {
	pool := dbtest.New(t)
	svc := imports.NewService(pool, assets.NewService(pool), imports.Limits{MaxRows: 2}, nil)
	dir := t.TempDir()
	_, err := svc.Import(context.Background(), zipFiles(t, filepath.Join(dir, "d.zip"), shapefileParts(gbkShapefile(t, dir))...), imports.Options{FileName: "d.zip", Kind: "land"})
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Status != 422 || !strings.Contains(pe.Detail, "limit of 2") {
		t.Fatalf("err = %v, want 422 naming the limit", err)
	}
}

// While a run works, its progress is in the imports table for any connection to read.
func TestProgressIsVisibleWhileRunning(t *testing.T) {
	svc, pool := newService(t)
	dir := t.TempDir()
	zipPath := zipFiles(t, filepath.Join(dir, "dltb.zip"), shapefileParts(gbkShapefile(t, dir))...)
	var seen []imports.Report
	rep := mustImport(t, svc, zipPath, imports.Options{Kind: "land", Progress: func(r imports.Report) {
		got, err := svc.Get(context.Background(), r.ID)
		if err != nil {
			t.Errorf("Get while running: %v", err)
		}
		seen = append(seen, got)
	}})
	if len(seen) == 0 {
		t.Fatal("no progress reported")
	}
	first := seen[0]
	if first.Status != imports.StatusRunning || first.Phase != imports.PhaseReading || *first.RowsTotal != 3 || first.FinishedAt != nil {
		t.Errorf("first progress = %+v", first)
	}
	if n := count(t, pool, "SELECT count(*) FROM assets WHERE import_id = $1", rep.ID); n != 3 {
		t.Errorf("assets of the run = %d", n)
	}
}

// GeoJSON is WGS 84 by definition, but files carry Gauss-Krüger metres without a crs member:
// the zone prefix of the eastings wins, with a warning.
func TestGeoJSONInZoneMetres(t *testing.T) {
	svc, pool := newService(t)
	path := filepath.Join(t.TempDir(), "gk.geojson")
	body := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"BSM":"9"},"geometry":{"type":"Polygon",
"coordinates":[[[38520000,3300000],[38520100,3300000],[38520100,3300100],[38520000,3300100],[38520000,3300000]]]}}]}`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := mustImport(t, svc, path, imports.Options{Kind: "land"})
	if rep.RowsInserted != 1 || *rep.SourceCRS != "EPSG:4526" || len(rep.Issues) != 1 || rep.Issues[0].Action != imports.ActionWarning {
		t.Fatalf("report = %s %+v", rep.Summary(), rep.Issues)
	}
	if n := count(t, pool, "SELECT count(*) FROM assets WHERE abs(area_m2 - 10000) < 10"); n != 1 {
		t.Error("the parcel is not the 100 m square it was in zone 38")
	}
}
