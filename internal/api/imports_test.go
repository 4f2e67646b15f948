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

// An analyst scoped to a region imports only what lies in it: a file reaching beyond fails whole.
func TestImportRegionScope(t *testing.T) {
	app, pool := importApp(t)
	if _, err := pool.Exec(context.Background(), `INSERT INTO regions (code, name, geom)
		VALUES ('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.305, 30.0, 4490)))`); err != nil {
		t.Fatal(err)
	}
	region := "421202"
	tok := login(t, app, pool, "scoped", auth.Analyst, &region)
	var pb struct{ Status int }
	if st := upload(t, app, tok, "p.geojson", features(2), map[string]string{"kind": "land"}, &pb); st != 403 {
		t.Errorf("P-2 lies east of the region: %d, want 403", st)
	}
	if st := upload(t, app, tok, "p.geojson", features(2), map[string]string{"kind": "land", "dry_run": "true"}, &pb); st != 403 {
		t.Errorf("dry run: P-2 lies east of the region: %d, want 403", st)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM assets"); n != 0 {
		t.Errorf("a refused import left %d assets", n)
	}
	var rep imports.Report
	if st := upload(t, app, tok, "p.geojson", features(1), map[string]string{"kind": "land"}, &rep); st != 201 || rep.RowsInserted != 1 {
		t.Errorf("P-1 lies inside: %d %s", st, rep.Summary())
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
