package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/demo"
)

// densityAnswer is what the tests read of GET /api/v1/density.
type densityAnswer struct {
	Zoom     int     `json:"zoom"`
	HexSideM float64 `json:"hex_side_m"`
	MaxMu    float64 `json:"max_mu"`
	Features []struct {
		Geometry   json.RawMessage `json:"geometry"`
		Properties struct {
			Count  int     `json:"count"`
			AreaMu float64 `json:"area_mu"`
			IdleMu float64 `json:"idle_mu"`
			AUMu   float64 `json:"approved_unsupplied_mu"`
		} `json:"properties"`
	} `json:"features"`
}

func (d densityAnswer) sum() (mu float64) {
	for _, f := range d.Features {
		mu += f.Properties.AreaMu
	}
	return mu
}

// demoCity serves the demo city of 400 parcels (seed 7) and returns the app and the city's box.
func demoCity(t *testing.T) (*fiber.App, string) {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	city, err := demo.Generate(demo.Options{Seed: 7, Parcels: 400})
	if err != nil {
		t.Fatal(err)
	}
	svc := assets.NewService(pool)
	if _, err := demo.Load(ctx, pool, svc, city, demo.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	var w, s, e, n float64
	if err := pool.QueryRow(ctx, `SELECT ST_XMin(x), ST_YMin(x), ST_XMax(x), ST_YMax(x) FROM (SELECT ST_Extent(geom) x FROM regions) r`).Scan(&w, &s, &e, &n); err != nil {
		t.Fatal(err)
	}
	app := api.New(api.Deps{
		Config: config.Config{AnonymousRead: true, RequestTimeout: 30 * time.Second}, Pool: pool,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: api.NewMetrics(), Assets: svc,
		Auth: auth.NewService(pool), Base: ctx,
	})
	return app, fmt.Sprintf("%g,%g,%g,%g", w, s, e, n)
}

// totals is the totals member of a list or stats answer.
type totals struct {
	Totals struct {
		Count     int      `json:"count"`
		AreaMu    float64  `json:"area_mu"`
		OverlapMu *float64 `json:"overlap_mu"`
	} `json:"totals"`
}

const idleLand = "kind=land&land_status=idle,approved_unsupplied"

// TestDensityAddsUpToTheAssets: the cells over the whole city hold every 亩 of idle and
// approved-unsupplied land the assets API lists, under a county filter too; and each cell holds
// the 亩 the assets API finds inside that cell's own polygon (within=).
func TestDensityAddsUpToTheAssets(t *testing.T) {
	app, box := demoCity(t)
	var all totals
	if st := get(t, app, "/api/v1/assets?limit=1&"+idleLand, &all); st != 200 || all.Totals.AreaMu < 100 {
		t.Fatalf("assets: %d %+v", st, all.Totals)
	}
	var d densityAnswer
	if st := get(t, app, "/api/v1/density?zoom=10&bbox="+box, &d); st != 200 {
		t.Fatalf("density: status %d", st)
	}
	if got, want := d.sum(), all.Totals.AreaMu; math.Abs(got-want) > 1e-5*want {
		t.Errorf("cells hold %.4f 亩, the assets %.4f 亩", got, want)
	}
	if d.Zoom != 10 || d.HexSideM < 2500 || d.HexSideM > 4000 || len(d.Features) < 20 {
		t.Errorf("zoom %d, side %.0f m, %d cells", d.Zoom, d.HexSideM, len(d.Features))
	}
	for _, f := range d.Features {
		if p := f.Properties; math.Abs(p.IdleMu+p.AUMu-p.AreaMu) > 1e-6 || p.AreaMu > d.MaxMu || p.Count < 1 {
			t.Errorf("cell %+v (max %.2f)", p, d.MaxMu)
		}
	}
	t.Run("county", func(t *testing.T) {
		var one totals
		get(t, app, "/api/v1/assets?limit=1&region=421202&"+idleLand, &one)
		var dc densityAnswer
		get(t, app, "/api/v1/density?zoom=10&region=421202&bbox="+box, &dc)
		if got, want := dc.sum(), one.Totals.AreaMu; want == 0 || want >= all.Totals.AreaMu || math.Abs(got-want) > 1e-5*want {
			t.Errorf("咸安区: cells hold %.4f 亩, the assets %.4f 亩 (city %.4f)", got, want, all.Totals.AreaMu)
		}
	})
	t.Run("each cell", func(t *testing.T) {
		var dz densityAnswer
		if st := get(t, app, "/api/v1/density?zoom=11&bbox="+box, &dz); st != 200 {
			t.Fatalf("zoom 11: status %d", st)
		}
		// Parcels across a cell's edge count in each cell they lie in.
		parts := 0
		for _, f := range dz.Features {
			parts += f.Properties.Count
		}
		if parts <= all.Totals.Count || math.Abs(dz.sum()-all.Totals.AreaMu) > 1e-5*all.Totals.AreaMu {
			t.Errorf("zoom 11: %d parts of %d parcels, %.4f 亩 of %.4f", parts, all.Totals.Count, dz.sum(), all.Totals.AreaMu)
		}
		sort.Slice(dz.Features, func(i, j int) bool { return dz.Features[i].Properties.Count > dz.Features[j].Properties.Count })
		for _, f := range dz.Features[:min(6, len(dz.Features))] {
			var in totals
			get(t, app, "/api/v1/assets?limit=1&"+idleLand+"&within="+url.QueryEscape(string(f.Geometry)), &in)
			// The list leaves out parcels with under 0.005 亩 inside (a touch is not "in").
			if in.Totals.OverlapMu == nil {
				t.Fatalf("no overlap_mu in %+v", in.Totals)
			}
			if math.Abs(*in.Totals.OverlapMu-f.Properties.AreaMu) > 0.005*float64(f.Properties.Count) || in.Totals.Count > f.Properties.Count {
				t.Errorf("cell of %d parcels, %.4f 亩; the assets inside it: %d, %.4f 亩", f.Properties.Count, f.Properties.AreaMu, in.Totals.Count, *in.Totals.OverlapMu)
			}
		}
	})
}

// TestDensityRefusesBadInput names the parameter at fault.
func TestDensityRefusesBadInput(t *testing.T) {
	app, _ := fixture(t)
	for q, param := range map[string]string{
		"bbox=114,29,115,30":                                     "zoom",
		"zoom=14&bbox=114,29,115,30":                             "zoom",
		"zoom=x&bbox=114,29,115,30":                              "zoom",
		"zoom=11":                                                "bbox",
		"zoom=11&bbox=114,29,115":                                "bbox",
		"zoom=11&bbox=115,29,114,30":                             "bbox",
		"zoom=11&bbox=114,29,nope,30":                            "bbox",
		"zoom=13&bbox=100,20,120,40":                             "bbox",
		"zoom=11&bbox=114,29,115,30&land_status=in_use":          "land_status",
		"zoom=11&bbox=114,29,115,30&kind=mine":                   "kind",
		"zoom=11&bbox=114,29,115,30&near=114.3,29.8&radius_m=50": "within",
	} {
		var p struct {
			Status        int `json:"status"`
			InvalidParams []struct {
				Name string `json:"name"`
			} `json:"invalid_params"`
		}
		if st := get(t, app, "/api/v1/density?"+q, &p); st != 400 || len(p.InvalidParams) == 0 || p.InvalidParams[0].Name != param {
			t.Errorf("%s: %d %+v, want 400 naming %s", q, st, p, param)
		}
	}
	// A and B (idle) lie inside the box, C far outside, D is in use.
	var d densityAnswer
	var ab totals
	box := url.QueryEscape(`{"type":"Polygon","coordinates":[[[114.29,29.79],[114.32,29.79],[114.32,29.82],[114.29,29.82],[114.29,29.79]]]}`)
	get(t, app, "/api/v1/assets?kind=land&land_status=idle&within="+box, &ab)
	if st := get(t, app, "/api/v1/density?zoom=13&bbox=114.29,29.79,114.32,29.82", &d); st != 200 || ab.Totals.Count != 2 || math.Abs(d.sum()-ab.Totals.AreaMu) > 1e-5*ab.Totals.AreaMu {
		t.Errorf("fixture: %d, %.4f 亩 in %d cells; A and B: %+v", st, d.sum(), len(d.Features), ab.Totals)
	}
}
