package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/attachments"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/ledger"
	"github.com/onemap/onemap/internal/ogc"
)

func square(lon, lat, deg float64) orb.Polygon {
	return orb.Polygon{{{lon, lat}, {lon + deg, lat}, {lon + deg, lat + deg}, {lon, lat + deg}, {lon, lat}}}
}

// fixture: one county, one zone [114.30,114.31]×[29.80,29.81], and four land parcels — A wholly
// inside the zone, B half inside (straddling its east edge), C outside, D inside but in use.
func fixture(t *testing.T) (*fiber.App, *pgxpool.Pool) {
	t.Helper()
	return fixtureWith(t, config.Config{MaxUploadMB: 1, AnonymousRead: true}, nil)
}

// fixtureWith is fixture with other settings (the timeout is always set) and, when users is
// non-nil, that auth service instead of the default one.
func fixtureWith(t *testing.T, cfg config.Config, users func(*pgxpool.Pool) *auth.Service) (*fiber.App, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO regions (code, name, geom) VALUES ('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.6, 30.0, 4490)))`,
		`INSERT INTO zones (code, name, type, region_code, geom) VALUES ('Z1', '测试园区', 'high_tech_zone', '421202', ST_Multi(ST_MakeEnvelope(114.30, 29.80, 114.31, 29.81, 4490)))`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	idle, inUse := "idle", "in_use"
	bv := 100.0
	list := []assets.NewAsset{
		{Code: "A", Kind: assets.Land, Name: "甲地块", Geometry: square(114.302, 29.802, 0.002), Land: &assets.LandFacts{Status: &idle}, BookValue: &bv, Mode: "sell"},
		{Code: "B", Kind: assets.Land, Name: "乙地块", Geometry: square(114.309, 29.805, 0.002), Land: &assets.LandFacts{Status: &idle}, BookValue: &bv},
		{Code: "C", Kind: assets.Land, Name: "丙地块", Geometry: square(114.40, 29.70, 0.002), Land: &assets.LandFacts{Status: &idle}},
		{Code: "D", Kind: assets.Land, Name: "丁地块", Geometry: square(114.305, 29.805, 0.001), Land: &assets.LandFacts{Status: &inUse}},
		{Code: "M1", Kind: assets.Mine, Name: "测试矿", Geometry: square(114.35, 29.75, 0.01), Facts: map[string]any{"mineral": "石灰岩", "right_type": "mining"}},
	}
	if _, err := assets.NewService(pool).Insert(ctx, "test", "fixture", list); err != nil {
		t.Fatal(err)
	}
	cfg.RequestTimeout = 10 * time.Second
	authSvc := auth.NewService(pool)
	if users != nil {
		authSvc = users(pool)
	}
	app := api.New(api.Deps{
		Config: cfg,
		Pool:   pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics: api.NewMetrics(), Assets: assets.NewService(pool), Auth: authSvc, Base: context.Background(),
		Ledger: ledger.NewService(pool), Attachments: attachments.NewService(pool),
		Mounts: []func(fiber.Router){ogc.New(pool, ogc.Options{}).Register},
	})
	return app, pool
}

func get(t *testing.T, app *fiber.App, path string, out any) int {
	t.Helper()
	resp, err := app.Test(httptest.NewRequest("GET", path, nil), 20_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("GET %s: decode: %v", path, err)
		}
	}
	return resp.StatusCode
}

// TestQueryOverlap: a zone query and a drawn-area query over the same square tell each asset's
// part inside it, and its total.
func TestQueryOverlap(t *testing.T) {
	app, _ := fixture(t)
	square := url.QueryEscape(`{"type":"Polygon","coordinates":[[[114.30,29.80],[114.31,29.80],[114.31,29.81],[114.30,29.81],[114.30,29.80]]]}`)
	for _, path := range []string{
		"/api/v1/zones/Z1/assets?kind=land&land_status=idle,approved_unsupplied&sort=code",
		"/api/v1/assets?kind=land&land_status=idle,approved_unsupplied&sort=code&within=" + square,
	} {
		var res struct {
			Total int
			Items []struct {
				Code         string
				AreaMu       float64 `json:"area_mu"`
				OverlapMu    float64 `json:"overlap_mu"`
				OverlapShare float64 `json:"overlap_share"`
			}
			Totals struct {
				Count     int
				AreaMu    float64  `json:"area_mu"`
				OverlapMu *float64 `json:"overlap_mu"`
				BookValue float64  `json:"book_value"`
			}
		}
		if st := get(t, app, path, &res); st != 200 {
			t.Fatalf("%s: status %d", path, st)
		}
		if res.Total != 2 || len(res.Items) != 2 || res.Items[0].Code != "A" || res.Items[1].Code != "B" {
			t.Fatalf("%s: items = %+v, want A and B", path, res.Items)
		}
		a, b := res.Items[0], res.Items[1]
		if a.OverlapShare != 1 || math.Abs(a.OverlapMu-a.AreaMu) > 1e-6 {
			t.Errorf("%s: A wholly inside: overlap %.4f of %.4f 亩, share %.4f", path, a.OverlapMu, a.AreaMu, a.OverlapShare)
		}
		// B's west half lies inside: half its area by construction (to the ellipsoid's curvature).
		if math.Abs(b.OverlapShare-0.5) > 1e-3 || math.Abs(b.OverlapMu-b.AreaMu/2) > 0.01 {
			t.Errorf("%s: B half inside: overlap %.4f of %.4f 亩, share %.4f", path, b.OverlapMu, b.AreaMu, b.OverlapShare)
		}
		if res.Totals.Count != 2 || res.Totals.BookValue != 200 || res.Totals.OverlapMu == nil ||
			math.Abs(*res.Totals.OverlapMu-(a.OverlapMu+b.OverlapMu)) > 1e-6 {
			t.Errorf("%s: totals = %+v", path, res.Totals)
		}
		// A 0.002° square at 29.8°N is about 42,800 m² = 64.2 亩.
		if a.AreaMu < 63.5 || a.AreaMu > 65 {
			t.Errorf("%s: A area = %.2f 亩, want ≈ 64.2", path, a.AreaMu)
		}
	}
	// A page past the end still tells the totals, overlap included.
	var past struct {
		Total  int
		Items  []any
		Totals struct {
			Count     int
			OverlapMu *float64 `json:"overlap_mu"`
		}
	}
	get(t, app, "/api/v1/zones/Z1/assets?kind=land&land_status=idle,approved_unsupplied&offset=50", &past)
	if past.Total != 2 || len(past.Items) != 0 || past.Totals.Count != 2 || past.Totals.OverlapMu == nil || *past.Totals.OverlapMu <= 0 {
		t.Errorf("page past the end = %+v", past)
	}
	var big struct{ Total int }
	get(t, app, "/api/v1/zones/Z1/assets?kind=land&land_status=idle&min_area_mu=70", &big)
	if big.Total != 0 {
		t.Errorf("min_area_mu=70 kept %d parcels, want 0", big.Total)
	}
	// properties= keeps the fields asked for, and the id, in JSON and GeoJSON alike.
	var slim struct {
		Total int
		Items []map[string]any
	}
	get(t, app, "/api/v1/assets?kind=land&land_status=idle,approved_unsupplied&sort=code&properties=code,overlap_mu&within="+square, &slim)
	var slimFC struct {
		Features []struct{ Properties map[string]any }
	}
	get(t, app, "/api/v1/zones/Z1/assets?kind=land&land_status=idle,approved_unsupplied&sort=code&properties=code,overlap_mu&format=geojson&geometry=center", &slimFC)
	if slim.Total != 2 || len(slim.Items) != 2 || len(slimFC.Features) != 2 {
		t.Fatalf("properties=: %+v %+v", slim, slimFC)
	}
	for i, props := range []map[string]any{slim.Items[0], slim.Items[1], slimFC.Features[0].Properties, slimFC.Features[1].Properties} {
		if len(props) != 3 || props["id"] == nil || props["code"] != []string{"A", "B"}[i%2] || props["overlap_mu"] == nil {
			t.Errorf("properties=code,overlap_mu item %d = %v", i, props)
		}
	}
	// A list without a spatial query carries no overlap.
	var plain struct {
		Items  []map[string]any
		Totals map[string]any
	}
	get(t, app, "/api/v1/assets?kind=land", &plain)
	if _, ok := plain.Totals["overlap_mu"]; ok || len(plain.Items) == 0 || plain.Items[0]["overlap_mu"] != nil {
		t.Errorf("plain list = %+v", plain)
	}
}

func TestSearchFilters(t *testing.T) {
	app, _ := fixture(t)
	within := url.QueryEscape(`{"type":"Polygon","coordinates":[[[114.30,29.80],[114.31,29.80],[114.31,29.81],[114.30,29.81],[114.30,29.80]]]}`)
	tests := []struct {
		query string
		want  int
	}{
		{"", 5},
		{"kind=land", 4},
		{"kind=mine,land", 5},
		{"mode=sell", 1},
		{"land_status=in_use", 1},
		{"zone=Z1", 3},
		{"region=421202", 5},
		{"q=甲", 1},
		{"q=m1", 1},
		{"within=" + within, 3},
		{"near=114.303,29.803&radius_m=50", 1},
		{"near=114.303,29.803&radius_m=1000", 3},
		{"min_area_mu=100", 1},
		{"max_area_mu=20", 1},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var res struct{ Total int }
			if st := get(t, app, "/api/v1/assets?"+tt.query, &res); st != 200 || res.Total != tt.want {
				t.Errorf("status %d, total %d, want %d", st, res.Total, tt.want)
			}
		})
	}
}

func TestGeoJSONAndDetail(t *testing.T) {
	app, _ := fixture(t)
	var fc struct {
		Type     string
		Features []struct {
			ID         int64
			Geometry   struct{ Type string }
			Properties map[string]any
		}
	}
	get(t, app, "/api/v1/assets?kind=mine&format=geojson", &fc)
	if fc.Type != "FeatureCollection" || len(fc.Features) != 1 || fc.Features[0].Geometry.Type != "MultiPolygon" ||
		fc.Features[0].Properties["code"] != "M1" || fc.Features[0].Properties["geometry"] != nil {
		t.Fatalf("geojson = %+v", fc)
	}
	var d struct {
		Code   string
		Facts  map[string]any
		Events []struct{ Action string }
	}
	if st := get(t, app, "/api/v1/assets/"+jsonNum(fc.Features[0].ID), &d); st != 200 {
		t.Fatalf("detail status %d", st)
	}
	if d.Code != "M1" || d.Facts["mineral"] != "石灰岩" || len(d.Events) != 1 || d.Events[0].Action != "create" {
		t.Errorf("detail = %+v", d)
	}
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestStats(t *testing.T) {
	app, _ := fixture(t)
	var st struct {
		Groups []struct {
			RegionName string `json:"region_name"`
			Kind       string
			Count      int
		}
		Totals struct{ Count int }
	}
	get(t, app, "/api/v1/stats?group_by=region,kind", &st)
	if st.Totals.Count != 5 || len(st.Groups) != 2 || st.Groups[0].RegionName != "咸安区" {
		t.Fatalf("stats = %+v", st)
	}
	for _, g := range st.Groups {
		if (g.Kind == "land" && g.Count != 4) || (g.Kind == "mine" && g.Count != 1) {
			t.Errorf("group %+v", g)
		}
	}
}

func TestBadInput(t *testing.T) {
	app, _ := fixture(t)
	tests := []struct {
		path   string
		status int
		param  string
	}{
		{"/api/v1/assets?kind=castle", 400, "kind"},
		{"/api/v1/assets?stage=sleeping", 400, "stage"},
		{"/api/v1/assets?mode=rent", 400, "mode"},
		{"/api/v1/assets?land_status=x", 400, "land_status"},
		{"/api/v1/assets?region=12", 400, "region"},
		{"/api/v1/assets?limit=0", 400, "limit"},
		{"/api/v1/assets?limit=abc", 400, "limit"},
		{"/api/v1/assets?offset=-1", 400, "offset"},
		{"/api/v1/assets?sort=password", 400, "sort"},
		{"/api/v1/assets?format=geojson&geometry=bbox", 400, "geometry"},
		{"/api/v1/assets?geometry=center", 400, "geometry"},
		{"/api/v1/assets?properties=code,password", 400, "properties"},
		{"/api/v1/assets?properties=geometry", 400, "properties"},
		{"/api/v1/assets?min_area_mu=ten", 400, "min_area_mu"},
		{"/api/v1/assets?min_area_mu=-1", 400, "min_area_mu"},
		{"/api/v1/zones/Z1/assets?include_done=yes", 400, "include_done"},
		{"/api/v1/assets?within=%7Bnope", 400, "within"},
		{"/api/v1/assets?within=" + url.QueryEscape(`{"type":"Point","coordinates":[114,29]}`), 400, "within"},
		{"/api/v1/assets?near=114,29", 400, "radius_m"},
		{"/api/v1/assets?near=abc&radius_m=5", 400, "near"},
		{"/api/v1/assets?radius_m=5", 400, "near"},
		{"/api/v1/assets?format=kml", 400, "format"},
		{"/api/v1/assets/abc", 400, "id"},
		{"/api/v1/assets/99999", 404, ""},
		{"/api/v1/zones/NOPE/assets", 404, ""},
		{"/api/v1/stats?group_by=colour", 400, "group_by"},
		{"/api/v1/nothing", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := app.Test(httptest.NewRequest("GET", tt.path, nil), 10_000)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var p struct {
				Type   string
				Status int
				Params []struct{ Name string } `json:"invalid_params"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || p.Status != tt.status || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("status %d (%d), content type %q", resp.StatusCode, p.Status, resp.Header.Get("Content-Type"))
			}
			if tt.param != "" && (len(p.Params) == 0 || p.Params[0].Name != tt.param) {
				t.Errorf("invalid_params = %+v, want %s", p.Params, tt.param)
			}
		})
	}
}

func TestZoneQueryGeoJSON(t *testing.T) {
	app, pool := fixture(t)
	var fc struct {
		Type          string
		NumberMatched int
		Features      []struct {
			Geometry   struct{ Type string }
			Properties struct {
				Code         string
				OverlapShare float64 `json:"overlap_share"`
			}
		}
	}
	if st := get(t, app, "/api/v1/zones/Z1/assets?kind=land&land_status=idle&sort=code&format=geojson", &fc); st != 200 {
		t.Fatalf("status %d", st)
	}
	if fc.Type != "FeatureCollection" || fc.NumberMatched != 2 || len(fc.Features) != 2 ||
		fc.Features[1].Properties.Code != "B" || fc.Features[1].Geometry.Type != "MultiPolygon" ||
		math.Abs(fc.Features[1].Properties.OverlapShare-0.5) > 1e-3 {
		t.Errorf("zone geojson = %+v", fc)
	}
	// geometry=center: one point per asset, on its surface, the properties unchanged.
	var pts struct {
		Features []struct {
			Geometry struct {
				Type        string
				Coordinates []float64
			}
			Properties struct{ Code string }
		}
	}
	if st := get(t, app, "/api/v1/zones/Z1/assets?kind=land&land_status=idle&sort=code&format=geojson&geometry=center", &pts); st != 200 {
		t.Fatalf("status %d", st)
	}
	if len(pts.Features) != 2 {
		t.Fatalf("center features = %+v", pts)
	}
	for _, f := range pts.Features {
		var inside bool
		if err := pool.QueryRow(context.Background(), `SELECT ST_Intersects(geom, ST_SetSRID(ST_MakePoint($2, $3), 4490)) FROM assets WHERE code = $1`,
			f.Properties.Code, f.Geometry.Coordinates[0], f.Geometry.Coordinates[1]).Scan(&inside); err != nil || f.Geometry.Type != "Point" || !inside {
			t.Errorf("center of %s = %+v (inside %v, err %v)", f.Properties.Code, f.Geometry, inside, err)
		}
	}
}

func TestAwkwardInputIsNotAServerError(t *testing.T) {
	app, _ := fixture(t)
	paths := []string{
		// a self-intersecting "bowtie" polygon
		"/api/v1/assets?within=" + url.QueryEscape(`{"type":"Polygon","coordinates":[[[114.30,29.80],[114.31,29.81],[114.31,29.80],[114.30,29.81],[114.30,29.80]]]}`),
		// an unclosed ring
		"/api/v1/assets?within=" + url.QueryEscape(`{"type":"Polygon","coordinates":[[[114.30,29.80],[114.31,29.81],[114.31,29.80]]]}`),
		"/api/v1/assets?q=" + url.QueryEscape(`%_\'"; DROP TABLE assets; --`),
		"/api/v1/assets?near=179.9,89.9&radius_m=100000",
		"/api/v1/assets?min_area_mu=1e308&max_area_mu=NaN",
		"/api/v1/assets?offset=2147483647",
		"/api/v1/zones/" + url.PathEscape("Z1'; --") + "/assets",
	}
	for _, p := range paths {
		resp, err := app.Test(httptest.NewRequest("GET", p, nil), 10_000)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("%s: status %d", p, resp.StatusCode)
		}
	}
}
