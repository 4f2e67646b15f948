package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/tiles"
)

// geomFixture: two counties side by side — 咸安区 421202 [114.0,114.6] and 嘉鱼县 421221
// [114.6,115.0] × [29.5,30.0] — a zone in the first, parcels A (in the zone) and C, a parcel J
// in the second, and the app with tiles (no cache: every tile is rendered afresh).
func geomFixture(t *testing.T) (*fiber.App, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO regions (code, name, geom) VALUES ('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.6, 30.0, 4490)))`,
		`INSERT INTO regions (code, name, geom) VALUES ('421221', '嘉鱼县', ST_Multi(ST_MakeEnvelope(114.6, 29.5, 115.0, 30.0, 4490)))`,
		`INSERT INTO zones (code, name, type, region_code, geom) VALUES ('Z1', '测试园区', 'high_tech_zone', '421202', ST_Multi(ST_MakeEnvelope(114.30, 29.80, 114.31, 29.81, 4490)))`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	list := []assets.NewAsset{
		{Code: "A", Kind: assets.Land, Name: "甲地块", Geometry: square(114.302, 29.802, 0.002)},
		{Code: "C", Kind: assets.Land, Name: "丙地块", Geometry: square(114.40, 29.70, 0.002)},
		{Code: "J", Kind: assets.Land, Name: "嘉鱼地块", Geometry: square(114.70, 29.60, 0.002)},
	}
	if _, err := assets.NewService(pool).Insert(ctx, "test", "fixture", list); err != nil {
		t.Fatal(err)
	}
	ts, err := tiles.New(pool, tiles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	app := api.New(api.Deps{
		Config: config.Config{MaxUploadMB: 1, AnonymousRead: true, RequestTimeout: 10 * time.Second},
		Pool:   pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: api.NewMetrics(),
		Assets: assets.NewService(pool), Auth: auth.NewService(pool), Base: context.Background(), Tiles: ts,
	})
	return app, pool
}

// polygonJSON is a GeoJSON Polygon of ring.
func polygonJSON(p orb.Polygon) string {
	b, _ := json.Marshal(map[string]any{"type": "Polygon", "coordinates": p})
	return string(b)
}

// edited is the part of an asset the geometry tests read.
type edited struct {
	Version    int
	RegionCode *string `json:"region_code"`
	ZoneCode   *string `json:"zone_code"`
	AreaM2     float64 `json:"area_m2"`
	Center     []float64
	Geometry   struct{ Coordinates [][][][]float64 }
	Topology   *assets.Topology
}

// tileCodes lists the parcel codes in the land tile at zoom z holding lon, lat.
func tileCodes(t *testing.T, app *fiber.App, z int, lon, lat float64) []string {
	t.Helper()
	id := tiles.TileAt(z, lon, lat)
	resp, body := getTile(t, app, fmt.Sprintf("/tiles/land/%d/%d/%d.mvt", id.Z, id.X, id.Y))
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatalf("decode tile: %v", err)
	}
	var codes []string
	for _, l := range layers {
		for _, f := range l.Features {
			if c, ok := f.Properties["code"].(string); ok {
				codes = append(codes, c)
			}
		}
	}
	return codes
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestGeometryEditMovesParcel moves parcel A to the other county: its area, region and zone are
// recomputed, the history keeps both outlines, and the tiles show it at its new place only.
func TestGeometryEditMovesParcel(t *testing.T) {
	app, pool := geomFixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	path := "/api/v1/assets/" + assetID(t, pool, "A")
	var before edited
	send(t, app, "GET", path, "", "", &before)
	if !contains(tileCodes(t, app, 16, 114.303, 29.803), "A") {
		t.Fatal("the tile of A's old place does not show it before the edit")
	}
	body := `{"version":1,"geometry":` + polygonJSON(square(114.80, 29.70, 0.003)) + `,"note":"界址更正"}`
	var a edited
	if st := send(t, app, "PATCH", path, tok, body, &a); st != 200 {
		t.Fatalf("PATCH geometry: %d", st)
	}
	if a.Version != 2 || a.RegionCode == nil || *a.RegionCode != "421221" || a.ZoneCode != nil {
		t.Errorf("after the move: version %d, region %v, zone %v; want 2, 421221, none", a.Version, a.RegionCode, a.ZoneCode)
	}
	if r := a.AreaM2 / before.AreaM2; math.Abs(r-2.25) > 0.01 {
		t.Errorf("area %.1f m² after, %.1f before: ratio %.3f, want about 2.25", a.AreaM2, before.AreaM2, r)
	}
	var d struct {
		Events []struct {
			Note          string
			Before, After struct {
				Geometry *struct{ Coordinates [][][][]float64 }
			}
		}
	}
	send(t, app, "GET", path, "", "", &d)
	e := d.Events[len(d.Events)-1]
	if e.Before.Geometry == nil || e.After.Geometry == nil || e.Note != "界址更正" {
		t.Fatalf("last event keeps no outlines: %+v", e)
	}
	if x0, x1 := e.Before.Geometry.Coordinates[0][0][0][0], e.After.Geometry.Coordinates[0][0][0][0]; x0 != 114.302 || x1 != 114.80 {
		t.Errorf("event outlines start at lon %v and %v, want 114.302 and 114.8", x0, x1)
	}
	if contains(tileCodes(t, app, 16, 114.303, 29.803), "A") {
		t.Error("the tile of A's old place still shows it")
	}
	if !contains(tileCodes(t, app, 16, 114.8015, 29.7015), "A") {
		t.Error("the tile of A's new place does not show it")
	}
}

// TestGeometryEditRegionScope: an analyst confined to 咸安区 can reshape a parcel there, but can
// neither move it out into 嘉鱼县 (403: the new outline is outside their region) nor reshape a
// parcel of 嘉鱼县 to bring it in (403: the parcel lies outside their region).
func TestGeometryEditRegionScope(t *testing.T) {
	app, pool := geomFixture(t)
	xianan := "421202"
	tok := login(t, app, pool, "xa", auth.Analyst, &xianan)
	a, j := "/api/v1/assets/"+assetID(t, pool, "A"), "/api/v1/assets/"+assetID(t, pool, "J")
	if st := send(t, app, "PATCH", a, tok, `{"version":1,"geometry":`+polygonJSON(square(114.70, 29.70, 0.002))+`}`, nil); st != 403 {
		t.Errorf("moving A out of the analyst's county: %d, want 403", st)
	}
	if st := send(t, app, "PATCH", j, tok, `{"version":1,"geometry":`+polygonJSON(square(114.50, 29.70, 0.002))+`}`, nil); st != 403 {
		t.Errorf("moving J into the analyst's county: %d, want 403", st)
	}
	if st := send(t, app, "PATCH", a, tok, `{"version":1,"geometry":`+polygonJSON(square(114.302, 29.802, 0.0025))+`}`, nil); st != 200 {
		t.Errorf("reshaping A within the county: %d, want 200", st)
	}
}

// TestGeometryEditOverlap: an outline overlapping a live parcel by more than 1 m² is refused with
// the overlapped parcels listed, then accepted with a reason the event keeps; a new parcel
// likewise; a sliver within the tolerance passes and is reported; a neighbour left under a metre
// away is reported as a gap; the preview route says the same without saving.
func TestGeometryEditOverlap(t *testing.T) {
	app, pool := geomFixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	c := "/api/v1/assets/" + assetID(t, pool, "C")
	over := `{"version":1,"geometry":` + polygonJSON(square(114.3035, 29.802, 0.002)) + `}`
	var p struct {
		Status   int
		Params   []struct{ Name string } `json:"invalid_params"`
		Overlaps []assets.Overlap
	}
	if st := send(t, app, "PATCH", c, tok, over, &p); st != 422 || len(p.Overlaps) != 1 || p.Overlaps[0].Code != "A" ||
		p.Overlaps[0].OverlapM2 < 1000 || len(p.Params) == 0 || p.Params[0].Name != "geometry" {
		t.Fatalf("overlapping edit: %d %+v, want 422 listing A", st, p)
	}
	var a edited
	withReason := over[:len(over)-1] + `,"overlap_reason":"与甲地块存在历史争议，保留"}`
	if st := send(t, app, "PATCH", c, tok, withReason, &a); st != 200 || a.Topology == nil || len(a.Topology.Overlaps) != 1 {
		t.Fatalf("with a reason: %d %+v", st, a.Topology)
	}
	var d struct {
		Events []struct{ After map[string]any }
	}
	send(t, app, "GET", c, "", "", &d)
	if last := d.Events[len(d.Events)-1].After; last["overlap_reason"] != "与甲地块存在历史争议，保留" || last["overlaps"] == nil {
		t.Errorf("event after = %v, want the reason and the overlaps", last)
	}

	feature := func(code string, p orb.Polygon, extra string) string {
		return `{"type":"Feature","geometry":` + polygonJSON(p) + `,"properties":{"code":"` + code + `","kind":"land"` + extra + `}}`
	}
	if st := send(t, app, "POST", "/api/v1/assets", tok, feature("N1", square(114.303, 29.803, 0.002), ""), &p); st != 422 || len(p.Overlaps) == 0 {
		t.Errorf("overlapping new parcel: %d %+v, want 422", st, p)
	}
	if st := send(t, app, "POST", "/api/v1/assets", tok, feature("N1", square(114.303, 29.803, 0.002), `,"overlap_reason":"确认"`), nil); st != 201 {
		t.Errorf("overlapping new parcel with a reason: %d, want 201", st)
	}
	// E touches A's west edge (114.302) but for a tab 0.000001° (~0.1 m) into it, 0.00005°
	// (~5.5 m) high: an overlap of about 0.5 m², within the tolerance.
	e := orb.Polygon{{{114.300, 29.8025}, {114.302001, 29.8025}, {114.302001, 29.80255}, {114.302, 29.80255}, {114.302, 29.8035}, {114.300, 29.8035}, {114.300, 29.8025}}}
	var made edited
	if st := send(t, app, "POST", "/api/v1/assets", tok, feature("E", e, ""), &made); st != 201 || made.Topology == nil ||
		len(made.Topology.Slivers) != 1 || len(made.Topology.Overlaps) != 0 {
		t.Fatalf("parcel with a sliver overlap: %d %+v, want 201 and one sliver", st, made.Topology)
	}
	// Pull E's east edge 0.000005° (about 0.48 m) back from A: a gap.
	gap := orb.Polygon{{{114.300, 29.8025}, {114.301995, 29.8025}, {114.301995, 29.8035}, {114.300, 29.8035}, {114.300, 29.8025}}}
	path := "/api/v1/assets/" + assetID(t, pool, "E")
	if st := send(t, app, "PATCH", path, tok, `{"version":1,"geometry":`+polygonJSON(gap)+`}`, &made); st != 200 ||
		len(made.Topology.Gaps) != 1 || made.Topology.Gaps[0].Code != "A" || made.Topology.Gaps[0].GapM > 1 {
		t.Errorf("reshape leaving a gap: %d %+v, want A reported under a metre away", st, made.Topology)
	}
	var pre assets.Topology
	body := `{"kind":"land","geometry":` + polygonJSON(square(114.3035, 29.8025, 0.001)) + `,"except":[` + assetID(t, pool, "E") + `]}`
	if st := send(t, app, "POST", "/api/v1/assets/topology", tok, body, &pre); st != 200 || len(pre.Overlaps) == 0 {
		t.Errorf("preview: %d %+v, want overlaps", st, pre)
	}
	if st := send(t, app, "POST", "/api/v1/assets/topology", tok, `{"kind":"land"}`, nil); st != 400 {
		t.Errorf("preview without geometry: %d, want 400", st)
	}
}

// TestGeometryEditGaussKruger sends an outline in a 3° Gauss-Krüger zone (EPSG:4526, central
// meridian 114°E, prefixed eastings) and finds it stored within a metre of where it was meant.
func TestGeometryEditGaussKruger(t *testing.T) {
	app, pool := geomFixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	want := square(114.305, 29.805, 0.002)
	var gk json.RawMessage
	if err := pool.QueryRow(context.Background(), `SELECT ST_AsGeoJSON(ST_Transform(ST_GeomFromGeoJSON($1)::geometry, 4526), 3)::jsonb`,
		polygonJSON(want)).Scan(&gk); err != nil {
		t.Fatal(err)
	}
	var a edited
	body := `{"version":1,"crs":"EPSG:4526","geometry":` + string(gk) + `}`
	if st := send(t, app, "PATCH", "/api/v1/assets/"+assetID(t, pool, "A"), tok, body, &a); st != 200 {
		t.Fatalf("PATCH in EPSG:4526: %d", st)
	}
	got := a.Geometry.Coordinates[0][0]
	for i, p := range want[0] {
		dx := (got[i][0] - p[0]) * 111320 * math.Cos(p[1]*math.Pi/180)
		dy := (got[i][1] - p[1]) * 110540
		if math.Hypot(dx, dy) > 1 {
			t.Errorf("vertex %d: %v, want %v within 1 m (off by %.2f m)", i, got[i], p, math.Hypot(dx, dy))
		}
	}
	if st := send(t, app, "PATCH", "/api/v1/assets/"+assetID(t, pool, "A"), tok, `{"version":2,"crs":"EPSG:3857","geometry":`+string(gk)+`}`, nil); st != 400 {
		t.Errorf("an unsupported crs: %d, want 400", st)
	}
}

// TestGeometryEditRepairs: a self-intersecting outline (a bow tie) is repaired as imports repair
// it; one enclosing nothing is refused naming geometry and where it breaks.
func TestGeometryEditRepairs(t *testing.T) {
	app, pool := geomFixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	path := "/api/v1/assets/" + assetID(t, pool, "C")
	bowtie := orb.Polygon{{{114.40, 29.70}, {114.402, 29.702}, {114.402, 29.70}, {114.40, 29.702}, {114.40, 29.70}}}
	var a edited
	if st := send(t, app, "PATCH", path, tok, `{"version":1,"geometry":`+polygonJSON(bowtie)+`}`, &a); st != 200 || a.AreaM2 <= 0 || len(a.Geometry.Coordinates) != 2 {
		t.Errorf("bow tie: %d, area %.1f, %d polygons; want 200 and two triangles", st, a.AreaM2, len(a.Geometry.Coordinates))
	}
	flat := orb.Polygon{{{114.40, 29.70}, {114.402, 29.70}, {114.40, 29.70}, {114.402, 29.70}, {114.40, 29.70}}}
	var p struct {
		Detail string
		Params []struct{ Name string } `json:"invalid_params"`
	}
	if st := send(t, app, "PATCH", path, tok, `{"version":2,"geometry":`+polygonJSON(flat)+`}`, &p); st != 422 || len(p.Params) == 0 || p.Params[0].Name != "geometry" {
		t.Errorf("flat outline: %d %+v, want 422 naming geometry", st, p)
	}
}
