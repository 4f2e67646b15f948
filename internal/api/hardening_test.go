package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/auth"
)

// chibi adds the county 赤壁市 (421281) west of the fixture's 咸安区 (421202).
func chibi(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `INSERT INTO regions (code, name, geom) VALUES ('421281', '赤壁市', ST_Multi(ST_MakeEnvelope(113.5, 29.5, 113.9, 30.0, 4490)))`); err != nil {
		t.Fatal(err)
	}
	return "421281"
}

// feature is a POST /api/v1/assets body: a small land parcel at lon, lat with extra properties.
func feature(code string, lon, lat float64, props string) string {
	e, n := lon+0.001, lat+0.001
	return fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]},"properties":{"code":%q,"kind":"land"%s}}`,
		lon, lat, e, lat, e, n, lon, n, lon, lat, code, props)
}

// problemBody is a problem+json answer.
type problemBody struct {
	Status int
	Detail string
	Params []struct{ Name, Reason string } `json:"invalid_params"`
}

// names tells whether the problem names the parameter, in invalid_params or its detail.
func (p problemBody) names(param string) bool {
	for _, x := range p.Params {
		if x.Name == param {
			return true
		}
	}
	return strings.Contains(p.Detail, param)
}

// TestScopeFromGeometry: an analyst confined to 赤壁 writes only what lies in 赤壁, whatever the
// body says, and may not update, delete or restore what lies elsewhere.
func TestScopeFromGeometry(t *testing.T) {
	app, pool := fixture(t)
	region := chibi(t, pool)
	scoped := login(t, app, pool, "chibi", auth.Analyst, &region)
	admin := login(t, app, pool, "admin1", auth.Admin, nil)
	// In 咸安 (114.30, 29.80), claiming 赤壁 in the body: refused, nothing written.
	for _, props := range []string{`,"region_code":"421281"`, ``} {
		if st := send(t, app, "POST", "/api/v1/assets", scoped, feature("X-1", 114.30, 29.80, props), nil); st != 403 {
			t.Errorf("create in another county (%s): %d, want 403", props, st)
		}
	}
	// In 赤壁, naming 咸安: refused too; in 赤壁 with nothing named: created there.
	if st := send(t, app, "POST", "/api/v1/assets", scoped, feature("X-2", 113.7, 29.8, `,"region_code":"421202"`), nil); st != 403 {
		t.Errorf("create naming another county: %d, want 403", st)
	}
	var a struct {
		ID         int64
		RegionCode string `json:"region_code"`
		Version    int
	}
	if st := send(t, app, "POST", "/api/v1/assets", scoped, feature("X-3", 113.7, 29.8, ""), &a); st != 201 || a.RegionCode != region {
		t.Fatalf("create in own county: %d %+v", st, a)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM assets WHERE code LIKE 'X-%'"); n != 1 {
		t.Errorf("assets written: %d, want 1", n)
	}
	other := "/api/v1/assets/" + assetID(t, pool, "A")
	if st := send(t, app, "PATCH", other, scoped, `{"version":1,"stage":"done"}`, nil); st != 403 {
		t.Errorf("update elsewhere: %d", st)
	}
	if st := send(t, app, "DELETE", other, scoped, `{"version":1}`, nil); st != 403 {
		t.Errorf("delete elsewhere: %d", st)
	}
	if st := send(t, app, "DELETE", other, admin, `{"version":1}`, nil); st != 204 {
		t.Fatalf("admin delete: %d", st)
	}
	if st := send(t, app, "POST", other+"/restore", scoped, `{"version":2}`, nil); st != 403 {
		t.Errorf("restore elsewhere: %d, want 403", st)
	}
	own := "/api/v1/assets/" + jsonNum(a.ID)
	if st := send(t, app, "PATCH", own, scoped, `{"version":1,"stage":"planned"}`, nil); st != 200 {
		t.Errorf("update own: %d", st)
	}
	if st := send(t, app, "DELETE", own, scoped, `{"version":2}`, nil); st != 204 {
		t.Errorf("delete own: %d", st)
	}
	if st := send(t, app, "POST", own+"/restore", scoped, `{"version":3}`, nil); st != 204 {
		t.Errorf("restore own: %d", st)
	}
}

// TestCreateGeometryRules: a parcel must enclose an area; a self-intersecting one is repaired as
// imports repair it.
func TestCreateGeometryRules(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	point := `{"type":"Feature","geometry":{"type":"Point","coordinates":[114.3,29.8]},"properties":{"code":"P","kind":"land"}}`
	flat := `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[114.3,29.8],[114.31,29.8],[114.32,29.8],[114.3,29.8]]]},"properties":{"code":"F","kind":"water"}}`
	for _, b := range []string{point, flat} {
		var p problemBody
		if st := send(t, app, "POST", "/api/v1/assets", tok, b, &p); st != 422 || !p.names("geometry") {
			t.Errorf("%s: %d %+v, want 422 naming geometry", b, st, p)
		}
	}
	mine := `{"type":"Feature","geometry":{"type":"Point","coordinates":[114.3,29.8]},"properties":{"code":"M","kind":"mine"}}`
	if st := send(t, app, "POST", "/api/v1/assets", tok, mine, nil); st != 201 {
		t.Errorf("a mine may be a point: %d", st)
	}
	bowtie := `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[114.30,29.80],[114.301,29.801],[114.301,29.80],[114.30,29.801],[114.30,29.80]]]},"properties":{"code":"BOW","kind":"land"}}`
	var a struct {
		AreaMu float64 `json:"area_mu"`
	}
	if st := send(t, app, "POST", "/api/v1/assets", tok, bowtie, &a); st != 201 || a.AreaMu <= 0 {
		t.Fatalf("bow-tie: %d %+v", st, a)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM assets WHERE code = 'BOW' AND ST_IsValid(geom) AND ST_NumGeometries(geom) = 2"); n != 1 {
		t.Error("the bow-tie was not stored as two valid triangles")
	}
}

// TestIdempotencyKey: a retry with the same key gets the first answer without the work being
// done again; another request under the key is a 422; keys are per user.
func TestIdempotencyKey(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	other := login(t, app, pool, "analyst2", auth.Analyst, nil)
	body := feature("IDEM-1", 114.40, 29.60, "")
	first, st1, h1 := sendKey(t, app, "POST", "/api/v1/assets", tok, "k-1", body)
	again, st2, h2 := sendKey(t, app, "POST", "/api/v1/assets", tok, "k-1", body)
	if st1 != 201 || st2 != 201 || first != again || h1.Get("Location") == "" || h1.Get("Location") != h2.Get("Location") || h2.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %d, replayed %q, bodies equal %v", st1, st2, h2.Get("Idempotent-Replayed"), first == again)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM asset_events e JOIN assets a ON a.id = e.asset_id WHERE a.code = 'IDEM-1'"); n != 1 {
		t.Errorf("events for IDEM-1: %d, want 1", n)
	}
	if _, st, _ := sendKey(t, app, "POST", "/api/v1/assets", tok, "k-1", feature("IDEM-2", 114.40, 29.60, "")); st != 422 {
		t.Errorf("another body under the key: %d, want 422", st)
	}
	// The same key is another user's own.
	if _, st, _ := sendKey(t, app, "POST", "/api/v1/assets", other, "k-1", feature("IDEM-3", 114.41, 29.60, "")); st != 201 {
		t.Errorf("another user's key: %d, want 201", st)
	}
	path := "/api/v1/assets/" + assetID(t, pool, "A")
	p1, st1, _ := sendKey(t, app, "PATCH", path, tok, "k-2", `{"version":1,"revenue":5}`)
	p2, st2, _ := sendKey(t, app, "PATCH", path, tok, "k-2", `{"version":1,"revenue":5}`)
	if st1 != 200 || st2 != 200 || p1 != p2 {
		t.Errorf("PATCH retry: %d %d", st1, st2)
	}
	if n := countRows(t, pool, "SELECT version FROM assets WHERE code = 'A'"); n != 2 {
		t.Errorf("version after a PATCH and its retry: %d, want 2", n)
	}
	// A refused request's answer is kept too (the retry is refused the same way).
	if _, st, _ := sendKey(t, app, "PATCH", path, tok, "k-3", `{"version":1,"stage":"x"}`); st != 412 && st != 422 {
		t.Errorf("bad PATCH: %d", st)
	}
}

func sendKey(t *testing.T, app *fiber.App, method, path, token, key, body string) (string, int, http.Header) {
	t.Helper()
	resp, b := request(t, app, method, path, body, jsonAs(token, "Idempotency-Key", key)...)
	return b, resp.StatusCode, resp.Header
}
