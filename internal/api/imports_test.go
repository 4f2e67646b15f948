package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/imports"
)

// importApp is the application with imports (at most 3 rows) and exports, uploads up to 1 MB.
func importApp(t *testing.T) (*fiber.App, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	as := assets.NewService(pool)
	app := api.New(api.Deps{
		Config: config.Config{RequestTimeout: 20 * time.Second, MaxUploadMB: 1, AnonymousRead: true},
		Pool:   pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: api.NewMetrics(),
		Assets: as, Auth: auth.NewService(pool), Base: context.Background(),
		Imports: imports.NewService(pool, as, imports.Limits{MaxRows: 3}, nil), Exports: exports.NewService(as),
	})
	return app, pool
}

// features is a GeoJSON FeatureCollection of n small land parcels near Xianning.
func features(n int) string {
	var fs []string
	for i := range n {
		lon := 114.3 + float64(i)*0.01
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"code":"P-%d","name":"地块%d"},"geometry":{"type":"Polygon","coordinates":[[[%g,29.8],[%g,29.8],[%g,29.801],[%g,29.801],[%g,29.8]]]}}`,
			i+1, i+1, lon, lon+0.001, lon+0.001, lon, lon))
	}
	return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
}

// upload posts a multipart import and decodes the answer into out.
func upload(t *testing.T, app *fiber.App, token, name, body string, fields map[string]string, out any) int {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(fw, body); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/api/v1/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := app.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out) // a 413 from Fiber may carry no JSON
	}
	return resp.StatusCode
}

func TestImportAPI(t *testing.T) {
	app, pool := importApp(t)
	if st := upload(t, app, "", "p.geojson", features(1), map[string]string{"kind": "land"}, nil); st != 401 {
		t.Errorf("anonymous upload: %d, want 401", st)
	}
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	var rep imports.Report
	if st := upload(t, app, tok, "p.geojson", features(2), map[string]string{"kind": "land", "dry_run": "true"}, &rep); st != 201 || !rep.DryRun || rep.RowsWritten != 2 {
		t.Fatalf("dry run: %d %+v", st, rep)
	}
	if st := upload(t, app, tok, "p.geojson", features(2), map[string]string{"kind": "land", "mapping": `{"name":"holder"}`}, &rep); st != 201 || rep.RowsInserted != 2 || rep.Actor != "analyst1" {
		t.Fatalf("import: %d %+v", st, rep)
	}
	var holder string
	if err := pool.QueryRow(context.Background(), "SELECT holder FROM assets WHERE code = 'P-2'").Scan(&holder); err != nil || holder != "地块2" {
		t.Errorf("mapping name → holder: holder = %q, %v", holder, err)
	}
	var got imports.Report
	if st := send(t, app, "GET", fmt.Sprintf("/api/v1/imports/%d", rep.ID), tok, "", &got); st != 200 || got.Status != "done" || got.RowsWritten != 2 {
		t.Errorf("GET import: %d %+v", st, got)
	}
	var list struct{ Items []imports.Report }
	if st := send(t, app, "GET", "/api/v1/imports", tok, "", &list); st != 200 || len(list.Items) != 2 || list.Items[0].ID != rep.ID {
		t.Errorf("GET imports: %d %+v", st, list)
	}
	var pb struct {
		Status int
		Params []struct{ Name string } `json:"invalid_params"`
	}
	tests := []struct {
		name, file, body string
		fields           map[string]string
		status           int
		param            string
	}{
		{"too many rows", "p.geojson", features(4), map[string]string{"kind": "land"}, 422, "file"},
		{"bad on_conflict", "p.geojson", features(1), map[string]string{"on_conflict": "replace"}, 400, "on_conflict"},
		{"bad mapping", "p.geojson", features(1), map[string]string{"mapping": "[1]"}, 400, "mapping"},
		{"unknown format", "p.bin", "hello", nil, 422, "file"},
		{"Xi'an 1980", "p.geojson", features(1), map[string]string{"kind": "land", "srs": "EPSG:2364"}, 422, "srs"},
	}
	for _, tt := range tests {
		pb.Params = nil
		if st := upload(t, app, tok, tt.file, tt.body, tt.fields, &pb); st != tt.status || len(pb.Params) == 0 || pb.Params[0].Name != tt.param {
			t.Errorf("%s: %d %+v, want %d naming %s", tt.name, st, pb, tt.status, tt.param)
		}
	}
}

// An analyst scoped to a region imports only what lies in it: rows lying elsewhere (by their
// geometry), naming another region, or taking over an asset that lies elsewhere are rejected,
// each with its reason; the rest is imported.
func TestImportRegionScope(t *testing.T) {
	app, pool := importApp(t)
	if _, err := pool.Exec(context.Background(), `INSERT INTO regions (code, name, geom) VALUES
		('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.305, 30.0, 4490))),
		('421281', '赤壁市', ST_Multi(ST_MakeEnvelope(114.305, 29.5, 114.6, 30.0, 4490)))`); err != nil {
		t.Fatal(err)
	}
	region := "421202"
	tok := login(t, app, pool, "scoped", auth.Analyst, &region)
	var rep imports.Report
	// A dry run tells the same rejection and writes nothing.
	if st := upload(t, app, tok, "p.geojson", features(2), map[string]string{"kind": "land", "dry_run": "true"}, &rep); st != 201 ||
		rep.RowsRejected != 1 || len(rep.Issues) != 1 || rep.Issues[0].Row != 2 || rep.Issues[0].Field != "geometry" {
		t.Fatalf("dry run: %d %s %+v", st, rep.Summary(), rep.Issues)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM assets"); n != 0 {
		t.Fatalf("a dry run left %d assets", n)
	}
	if st := upload(t, app, tok, "p.geojson", features(2), map[string]string{"kind": "land"}, &rep); st != 201 ||
		rep.RowsInserted != 1 || rep.RowsRejected != 1 {
		t.Fatalf("P-1 inside, P-2 east of the region: %d %s", st, rep.Summary())
	}
	if len(rep.Issues) != 1 || rep.Issues[0].Row != 2 || rep.Issues[0].Field != "geometry" ||
		!strings.Contains(rep.Issues[0].Reason, "421281") || !strings.Contains(rep.Issues[0].Reason, "outside your region 421202") {
		t.Errorf("issues = %+v", rep.Issues)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM assets WHERE region_code = '421202'"); n != 1 {
		t.Errorf("assets in the region = %d, want 1", n)
	}
	// An unscoped analyst's P-2 in 赤壁: the scoped one may not take it over by its code, nor
	// write a parcel inside their region that names another region.
	admin := login(t, app, pool, "admin1", auth.Admin, nil)
	if st := upload(t, app, admin, "p.geojson", features(2), map[string]string{"kind": "land"}, &rep); st != 201 || rep.RowsInserted != 1 {
		t.Fatalf("admin import: %d %s", st, rep.Summary())
	}
	moved := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"P-2"},"geometry":{"type":"Polygon","coordinates":[[[114.2,29.8],[114.201,29.8],[114.201,29.801],[114.2,29.801],[114.2,29.8]]]}},
{"type":"Feature","properties":{"code":"P-9","region_code":"421281"},"geometry":{"type":"Polygon","coordinates":[[[114.2,29.8],[114.201,29.8],[114.201,29.801],[114.2,29.801],[114.2,29.8]]]}}]}`
	if st := upload(t, app, tok, "m.geojson", moved, map[string]string{"kind": "land", "on_conflict": "update"}, &rep); st != 201 ||
		rep.RowsWritten != 0 || rep.RowsRejected != 2 {
		t.Fatalf("take-over and foreign region_code: %d %s %+v", st, rep.Summary(), rep.Issues)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM assets WHERE code = 'P-2' AND region_code = '421281'"); n != 1 {
		t.Error("P-2 was moved out of 赤壁 by an analyst of 咸安")
	}
}

func countRows(t *testing.T, pool *pgxpool.Pool, q string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A dry run's answer shows the first rows and where each field goes; after the commit,
// /imports/{id}/assets lists what the run wrote and frames it.
func TestImportPreviewAndAssets(t *testing.T) {
	app, pool := importApp(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	var dry imports.Report
	if st := upload(t, app, tok, "p.geojson", features(2), map[string]string{"kind": "land", "dry_run": "true"}, &dry); st != 201 {
		t.Fatalf("dry run: %d", st)
	}
	if len(dry.Preview) != 2 || dry.Preview[0].Code != "P-1" || dry.Preview[0].Attrs["name"] != "地块1" {
		t.Errorf("preview = %+v", dry.Preview)
	}
	if dry.Fields["code"] != "code" || dry.Fields["name"] != "name" {
		t.Errorf("fields = %v", dry.Fields)
	}
	var none imports.Imported
	if st := send(t, app, "GET", fmt.Sprintf("/api/v1/imports/%d/assets", dry.ID), tok, "", &none); st != 200 || none.Total != 0 || none.BBox != nil {
		t.Errorf("assets of a dry run: %d %+v", st, none)
	}
	var rep imports.Report
	if st := upload(t, app, tok, "p.geojson", features(2), map[string]string{"kind": "land"}, &rep); st != 201 || rep.RowsInserted != 2 {
		t.Fatalf("import: %d %+v", st, rep)
	}
	var got imports.Imported
	if st := send(t, app, "GET", fmt.Sprintf("/api/v1/imports/%d/assets", rep.ID), tok, "", &got); st != 200 || got.Total != 2 || len(got.Items) != 2 || got.Items[1].Code != "P-2" {
		t.Fatalf("assets: %d %+v", st, got)
	}
	if b := got.BBox; len(b) != 4 || b[0] < 114.29 || b[0] > 114.31 || b[2] < 114.31 || b[1] < 29.79 || b[3] > 29.81 {
		t.Errorf("bbox = %v", b)
	}
	for _, path := range []string{"/api/v1/imports/999999/assets", "/api/v1/imports/x/assets", fmt.Sprintf("/api/v1/imports/%d/assets?limit=0", rep.ID)} {
		if st := send(t, app, "GET", path, tok, "", nil); st != 404 && st != 400 {
			t.Errorf("%s: %d, want 4xx", path, st)
		}
	}
}
