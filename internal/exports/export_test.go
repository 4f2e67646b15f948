package exports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/demo"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/imports"
)

func ptr[T any](v T) *T { return &v }

func square(lon, lat, d float64) orb.Polygon {
	return orb.Polygon{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}
}

// city is a small deterministic city in Xianning: every kind, land facts, kind facts, a parcel
// with a hole, a two-part parcel and points, Chinese text throughout.
func city() []assets.NewAsset {
	var list []assets.NewAsset
	stages, modes := assets.Stages, assets.Modes
	for i := range 12 {
		lon, lat := 114.1+float64(i%4)*0.05, 29.7+float64(i/4)*0.05
		a := assets.NewAsset{
			Code: fmt.Sprintf("XA-%03d", i+1), Kind: assets.Land, Name: fmt.Sprintf("咸安区第%d号地块", i+1),
			Holder: "咸宁市城市建设投资有限公司", HolderType: "国有企业", BookValue: ptr(1000.5 + float64(i)),
			Stage: stages[i%len(stages)], Mode: modes[i%len(modes)], ResponsibleUnit: "咸安区自然资源局",
			ResponsiblePerson: "张三", Revenue: float64(i) * 12.25, Geometry: square(lon, lat, 0.004),
			Land: &assets.LandFacts{
				Status: ptr(assets.LandStatuses[i%len(assets.LandStatuses)]), ClassSystem: ptr("gbt21010_2017"),
				ClassCode: ptr("0601"), ApprovalNo: ptr(fmt.Sprintf("鄂政土批〔2021〕%d号", i+1)),
				DevelopedShare: ptr(1.0 / 3), IdleCause: ptr("enterprise"),
			},
		}
		if i%3 == 0 {
			a.Land.AgreedStart = &assets.Date{Time: time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)}
		}
		list = append(list, a)
	}
	holed := square(114.4, 29.9, 0.01)
	holed = append(holed, orb.Ring{{114.403, 29.903}, {114.403, 29.906}, {114.406, 29.906}, {114.406, 29.903}, {114.403, 29.903}})
	list = append(list,
		assets.NewAsset{Code: "XA-H", Kind: assets.Land, Name: "带洞地块", Geometry: holed},
		assets.NewAsset{Code: "XA-M", Kind: assets.Land, Name: "两块地", Geometry: orb.MultiPolygon{square(114.5, 29.9, 0.002), square(114.51, 29.9, 0.002)}},
		assets.NewAsset{
			Code: "KC-1", Kind: assets.Mine, Name: "崇阳钒矿", Geometry: square(114.05, 29.5, 0.01),
			Facts: map[string]any{"mineral": "钒", "right_type": "mining", "reserves": 120.5, "valid_to": "2030-12-31"},
		},
		assets.NewAsset{
			Code: "LC-1", Kind: assets.Forest, Name: "九宫山林场", Geometry: square(114.6, 29.4, 0.02),
			Facts: map[string]any{"farm_name": "九宫山国有林场", "forest_type": "public_welfare", "stock_m3": 35000.0},
		},
		assets.NewAsset{
			Code: "SY-1", Kind: assets.Water, Name: "斧头湖", Geometry: square(114.2, 30.0, 0.03),
			Facts: map[string]any{"water_type": "lake", "capacity_wan_m3": 12000.0},
		},
		assets.NewAsset{
			Code: "FC-1", Kind: assets.Building, Name: "原粮站仓库", Mode: "lease", Geometry: orb.Point{114.32, 29.84},
			Facts: map[string]any{"floor_area_m2": 3200.0, "floors": 2.0, "use": "仓储"},
		},
	)
	return list
}

// snapshot reads every asset's ledger fields, keyed by kind and code.
func snapshot(t *testing.T, pool *pgxpool.Pool) map[string][]any {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT kind || ':' || code, name, holder, holder_type,
		book_value::float8, appraised_value::float8, mode, stage, responsible_unit, responsible_person, revenue::float8,
		land_status, land_class_system, land_class_code, approval_no, approval_date::text, agreed_start::text,
		developed_share, idle_cause, facts::text, GeometryType(geom), ST_NumInteriorRings(ST_GeometryN(geom, 1)),
		ST_NumGeometries(geom), area_m2 FROM assets WHERE deleted_at IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]any{}
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out[v[0].(string)] = v[1:]
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// same compares two snapshots: text exactly, numbers (and areas) within 1e-6 relative.
func same(t *testing.T, format string, want, got map[string][]any, only func(key string) bool) {
	t.Helper()
	n := 0
	for key, w := range want {
		if !only(key) {
			continue
		}
		n++
		g, ok := got[key]
		if !ok {
			t.Errorf("%s: %s did not come back", format, key)
			continue
		}
		for i := range w {
			if !close(w[i], g[i]) {
				t.Errorf("%s: %s field %d = %v, want %v", format, key, i+1, g[i], w[i])
			}
		}
	}
	if len(got) != n {
		t.Errorf("%s: %d assets came back, want %d", format, len(got), n)
	}
}

func close(a, b any) bool {
	fa, okA := a.(float64)
	fb, okB := b.(float64)
	if okA && okB {
		return math.Abs(fa-fb) <= 1e-6*math.Max(1, math.Abs(fa))
	}
	return reflect.DeepEqual(a, b)
}

// seeded is a database holding city, and an export service on it.
func seeded(t *testing.T) (*pgxpool.Pool, *exports.Service) {
	t.Helper()
	pool := dbtest.New(t)
	as := assets.NewService(pool)
	if _, err := as.Insert(context.Background(), "test", "city", city()); err != nil {
		t.Fatal(err)
	}
	return pool, exports.NewService(as)
}

func TestExportReimport(t *testing.T) {
	pool, svc := seeded(t)
	ctx := context.Background()
	want := snapshot(t, pool)
	all := func(string) bool { return true }
	tests := []struct {
		o    exports.Options
		file string
		only func(string) bool
	}{
		{exports.Options{Format: "geojson"}, "city.geojson", all},
		{exports.Options{Format: "csv", WKT: true}, "city.csv", all},
		{exports.Options{Format: "xlsx", WKT: true}, "city.xlsx", all},
		{exports.Options{Format: "xlsx", Sheets: "one", WKT: true}, "city.xlsx", all},
		{exports.Options{Format: "shapefile"}, "city.zip", all},
		{exports.Options{Format: "shapefile", SRS: "EPSG:4526", Encoding: "UTF-8"}, "city.zip", all},
		{exports.Options{Format: "gpkg"}, "city.gpkg", all},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s %s %s %s", tt.o.Format, tt.o.SRS, tt.o.Encoding, tt.o.Sheets)
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			var buf bytes.Buffer
			if err := svc.Export(ctx, assets.Filter{}, tt.o, &buf); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			got := reimport(t, path, imports.Options{})
			same(t, name, want, got, tt.only)
		})
	}
}

func reimport(t *testing.T, path string, o imports.Options) map[string][]any {
	t.Helper()
	pool := dbtest.New(t)
	svc := imports.NewService(pool, assets.NewService(pool), imports.Limits{}, nil)
	o.FileName = filepath.Base(path)
	rep, err := svc.Import(context.Background(), path, o)
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if rep.RowsRejected > 0 {
		t.Errorf("re-import rejected rows: %+v", rep.Issues)
	}
	return snapshot(t, pool)
}

func TestExportTXTAndCSVBOM(t *testing.T) {
	pool, svc := seeded(t)
	ctx := context.Background()
	var txt bytes.Buffer
	if err := svc.Export(ctx, assets.Filter{}, exports.Options{Format: "txt"}, &txt); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(txt.Bytes(), []byte("带洞地块")) || !bytes.Contains(txt.Bytes(), []byte("\xb4\xf8\xb6\xb4\xb5\xd8\xbf\xe9")) {
		t.Error("the TXT is not in GBK")
	}
	path := filepath.Join(t.TempDir(), "land.txt")
	if err := os.WriteFile(path, txt.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	want := snapshot(t, pool)
	got := reimport(t, path, imports.Options{Kind: "land"})
	for key, g := range got {
		w := want[key]
		// A TXT carries code, name, land class and geometry; areas agree within 0.01 %.
		if w == nil || w[0] != g[0] || w[12] != g[12] || math.Abs(w[22].(float64)-g[22].(float64)) > 1e-4*w[22].(float64) || w[20] != g[20] {
			t.Errorf("TXT %s: got %v, want %v", key, g, w)
		}
	}
	if len(got) != 14 {
		t.Errorf("TXT parcels back = %d, want the 14 land parcels", len(got))
	}
	var csv bytes.Buffer
	if err := svc.Export(ctx, assets.Filter{Kinds: []assets.Kind{assets.Building}}, exports.Options{Format: "csv"}, &csv); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(csv.String(), "\ufeff资产编号,资产名称,资产类型,") || !strings.Contains(csv.String(), "原粮站仓库") || strings.Count(csv.String(), "\n") != 2 {
		t.Errorf("CSV = %q", csv.String())
	}
}

// The demo city exported and imported into a database holding only its places and its other
// assets (the same seed without parcels) comes back whole: every parcel inserted with the same
// fields and area, every other asset found unchanged (the update compares every column and the
// geometry exactly).
func TestDemoCityRoundTrip(t *testing.T) {
	ctx := context.Background()
	load := func(parcels int) *pgxpool.Pool {
		pool := dbtest.New(t)
		city, err := demo.Generate(demo.Options{Seed: 7, Parcels: parcels})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Load(ctx, pool, assets.NewService(pool), city, demo.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		return pool
	}
	src := load(400)
	want := snapshot(t, src)
	svc := exports.NewService(assets.NewService(src))
	for _, o := range []exports.Options{{Format: "gpkg"}, {Format: "xlsx", WKT: true}, {Format: "shapefile", Encoding: "UTF-8"}} {
		t.Run(o.Format, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "city."+map[string]string{"shapefile": "zip"}[o.Format]+map[bool]string{true: o.Format}[o.Format != "shapefile"])
			var buf bytes.Buffer
			if err := svc.Export(ctx, assets.Filter{}, o, &buf); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			dst := load(0)
			imp := imports.NewService(dst, assets.NewService(dst), imports.Limits{}, nil)
			rep, err := imp.Import(ctx, path, imports.Options{FileName: filepath.Base(path), OnConflict: "update"})
			if err != nil {
				t.Fatal(err)
			}
			if rep.RowsInserted != 400 || rep.RowsUpdated != 0 || rep.RowsRejected != 0 || rep.RowsUnchanged != len(want)-400 {
				t.Fatalf("re-import = %s %+v", rep.Summary(), rep.Issues[:min(5, len(rep.Issues))])
			}
			same(t, o.Format, want, snapshot(t, dst), func(string) bool { return true })
		})
	}
}

func TestShapefileSidecars(t *testing.T) {
	_, svc := seeded(t)
	var buf bytes.Buffer
	o := exports.Options{Format: "shapefile", SRS: "EPSG:4526"}
	if err := svc.Export(context.Background(), assets.Filter{Kinds: []assets.Kind{assets.Land, assets.Building}}, o, &buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(b)
	}
	for _, name := range []string{"land.shp", "land.shx", "land.dbf", "building_point.shp", "building_point.dbf"} {
		if _, ok := files[name]; !ok {
			t.Errorf("the zip lacks %s (has %v)", name, len(files))
		}
	}
	if cpg := files["land.cpg"]; !strings.Contains(cpg, "936") {
		t.Errorf("land.cpg = %q, want CP936 (GBK)", cpg)
	}
	if prj := files["land.prj"]; !strings.Contains(prj, "38500000") || !strings.Contains(prj, "114") {
		t.Errorf("land.prj = %q, want CGCS2000 3° zone 38", prj)
	}
}

// The export of a drawn area tells, after the ledger's columns, each asset's part inside it.
func TestExportOfAnAreaHasOverlap(t *testing.T) {
	_, svc := seeded(t)
	ctx := context.Background()
	// XA-001 (114.100–114.104) wholly inside, XA-002 (114.150–114.154) its west half.
	area := assets.Filter{Within: orb.Polygon{{{114.099, 29.699}, {114.152, 29.699}, {114.152, 29.705}, {114.099, 29.705}, {114.099, 29.699}}}}
	var out bytes.Buffer
	if err := svc.Export(ctx, area, exports.Options{Format: "csv"}, &out); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := rows[0]
	if len(rows) != 3 || !slices.Equal(head[len(head)-3:], []string{"重叠比例", "中心经度", "中心纬度"}) {
		t.Fatalf("CSV = %v", rows)
	}
	share := map[string]string{}
	for _, r := range rows[1:] {
		share[r[0]] = r[len(r)-3]
	}
	half, err := strconv.ParseFloat(share["XA-002"], 64)
	if share["XA-001"] != "1" || err != nil || math.Abs(half-0.5) > 1e-3 {
		t.Errorf("overlap shares = %v", share)
	}
	out.Reset()
	if err := svc.Export(ctx, area, exports.Options{Format: "geojson"}, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Count(out.String(), `"重叠比例"`) != 2 {
		t.Errorf("GeoJSON = %.300s", out.String())
	}
	// Without an area there is no overlap to tell.
	out.Reset()
	if err := svc.Export(ctx, assets.Filter{}, exports.Options{Format: "csv"}, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "重叠") {
		t.Error("a plain export has overlap columns")
	}
}
