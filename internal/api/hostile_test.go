package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/ogc"
)

// leaks are what an answer must never show: the database's and GEOS's own words, driver
// prefixes, constraint names and temporary paths.
var leaks = []string{"SQLSTATE", "pq:", "ERROR:", "/tmp/", "pgx", "pgconn", "_fkey", "_check", "constraint", "GEOS", "goroutine", "panic"}

// hostileCase is one request that must be refused with a 4xx naming param.
type hostileCase struct {
	name, method, path, body, contentType string
	param                                 string
	status                                int // 0: any 4xx
}

// TestHostileInput sends malformed, hostile and out-of-range input to every route that takes
// user text or numbers; each must be a 4xx problem+json naming the parameter, never a 500, and
// no answer may leak the server's internals.
func TestHostileInput(t *testing.T) {
	base, pool := fixture(t)
	as := assets.NewService(pool)
	app := api.New(api.Deps{
		Config: config.Config{RequestTimeout: 10 * time.Second, MaxUploadMB: 1, AnonymousRead: true},
		Pool:   pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: api.NewMetrics(),
		Assets: as, Auth: auth.NewService(pool), Exports: exports.NewService(as), Base: context.Background(),
		Mounts: []func(fiber.Router){ogc.New(pool, ogc.Options{}).Register},
	})
	tok := login(t, base, pool, "analyst1", auth.Analyst, nil)
	a := "/api/v1/assets/" + assetID(t, pool, "A")
	m := "/api/v1/assets/" + assetID(t, pool, "M1")
	for _, tt := range hostileCases(a, m) {
		t.Run(tt.name, func(t *testing.T) {
			checkHostile(t, app, tok, tt)
		})
	}
}

// hostileCases lists the requests; a and m are the paths of a land parcel and a mine.
func hostileCases(a, m string) []hostileCase {
	var cs []hostileCase
	get := func(name, path, param string) {
		cs = append(cs, hostileCase{name: name, method: "GET", path: path, param: param})
	}
	// NUL and invalid UTF-8 in every text parameter of the search, zone, export and OGC routes.
	for _, p := range []string{"q", "zone", "kind", "stage", "mode", "region", "land_status", "sort", "properties", "format", "geometry", "within", "near"} {
		get("assets "+p+" NUL", "/api/v1/assets?"+p+"=%00", p)
		get("assets "+p+" bad UTF-8", "/api/v1/assets?"+p+"=%FF", p)
		get("zone query "+p+" NUL", "/api/v1/zones/Z1/assets?"+p+"=a%00b", p)
		get("zone query "+p+" bad UTF-8", "/api/v1/zones/Z1/assets?"+p+"=%C3%28", p)
		get("export "+p+" bad UTF-8", "/api/v1/export?format=csv&"+p+"=%FF", p)
	}
	for _, p := range []string{"filter", "stage", "sortby", "properties", "bbox", "datetime", "crs", "filter-lang"} {
		get("ogc "+p+" NUL", "/ogc/collections/land/items?"+p+"=%00", p)
		get("ogc "+p+" bad UTF-8", "/ogc/collections/land/items?"+p+"=%FF%FE", p)
	}
	get("stats group_by NUL", "/api/v1/stats?group_by=%00", "group_by")
	get("parameter name NUL", "/api/v1/assets?%00=1", "query")
	get("zone code NUL", "/api/v1/zones/Z1%00/assets", "path")
	get("zone code bad UTF-8", "/api/v1/zones/%FF/assets", "path")
	get("asset id NUL", "/api/v1/assets/1%00", "path")
	get("ogc collection NUL", "/ogc/collections/la%00nd/items", "path")
	// Numbers: overflow, negative, not numbers.
	get("ogc offset past int32", "/ogc/collections/land/items?offset=2147483648", "offset")
	get("ogc offset huge", "/ogc/collections/land/items?offset=99999999999999999999", "offset")
	get("ogc limit negative", "/ogc/collections/land/items?limit=-1", "limit")
	get("ogc bbox NaN", "/ogc/collections/land/items?bbox=NaN,0,1,1", "bbox")
	get("limit negative", "/api/v1/assets?limit=-5", "limit")
	get("limit huge", "/api/v1/assets?limit=99999999999999999999", "limit")
	get("offset huge", "/api/v1/assets?offset=99999999999999999999", "offset")
	get("min_area_mu NaN", "/api/v1/assets?min_area_mu=NaN", "min_area_mu")
	get("max_area_mu Inf", "/api/v1/assets?max_area_mu=Inf", "max_area_mu")
	get("min_area_mu 1e400", "/api/v1/assets?min_area_mu=1e400", "min_area_mu")
	get("radius NaN", "/api/v1/assets?near=114.3,29.8&radius_m=NaN", "radius_m")
	get("near NaN", "/api/v1/assets?near=NaN,NaN&radius_m=5", "near")
	get("leaderboard month", "/api/v1/leaderboard?month=%00", "month")
	get("progress year huge", "/api/v1/progress?year=99999999999999999999", "year")
	// Bad GeoJSON in within.
	get("within not JSON", "/api/v1/assets?within=%7B%22type%22", "within")
	get("within line", "/api/v1/assets?within="+esc(`{"type":"LineString","coordinates":[[114,29],[115,30]]}`), "within")
	get("within nested deep", "/api/v1/assets?within="+esc(strings.Repeat("[", 100)), "")
	get("within coordinates huge", "/api/v1/assets?within="+esc(`{"type":"Polygon","coordinates":[[[1e308,1e308],[-1e308,1e308],[1e308,-1e308],[1e308,1e308]]]}`), "within")
	body := func(name, method, path, b, param string, status int) {
		cs = append(cs, hostileCase{name: name, method: method, path: path, body: b, param: param, status: status})
	}
	// Text in bodies: login, tokens, asset names in POST and PATCH.
	body("login user NUL", "POST", "/api/v1/login", `{"username":"ana\u0000lyst","password":"x"}`, "username", 400)
	body("login bad UTF-8", "POST", "/api/v1/login", "{\"username\":\"\xff\xfe\",\"password\":\"x\"}", "body", 400)
	body("token name NUL", "POST", "/api/v1/tokens", `{"name":"QGIS\u0000","days":5}`, "name", 400)
	body("token name bad UTF-8", "POST", "/api/v1/tokens", "{\"name\":\"Q\xc3\x28\",\"days\":5}", "body", 400)
	body("token days huge", "POST", "/api/v1/tokens", `{"name":"Q","days":1e30}`, "", 0)
	body("create name NUL", "POST", "/api/v1/assets", feature("H-1", 114.3, 29.8, `,"name":"甲\u0000"`), "name", 400)
	body("create holder bad UTF-8", "POST", "/api/v1/assets", feature("H-2", 114.3, 29.8, ",\"holder\":\"\xe4\xb8\""), "body", 400)
	body("create book_value 1e20", "POST", "/api/v1/assets", feature("H-3", 114.3, 29.8, `,"book_value":1e20`), "book_value", 422)
	body("create revenue 1e400", "POST", "/api/v1/assets", feature("H-4", 114.3, 29.8, `,"revenue":1e400`), "", 0)
	body("create negative", "POST", "/api/v1/assets", feature("H-5", 114.3, 29.8, `,"appraised_value":-1`), "appraised_value", 422)
	body("create share 2", "POST", "/api/v1/assets", feature("H-6", 114.3, 29.8, `,"developed_share":2`), "developed_share", 422)
	body("create point parcel", "POST", "/api/v1/assets", `{"type":"Feature","geometry":{"type":"Point","coordinates":[114.3,29.8]},"properties":{"code":"H-7","kind":"land"}}`, "geometry", 422)
	body("create line", "POST", "/api/v1/assets", `{"type":"Feature","geometry":{"type":"LineString","coordinates":[[114.3,29.8],[114.4,29.9]]},"properties":{"code":"H-8","kind":"forest"}}`, "geometry", 422)
	body("create outside China", "POST", "/api/v1/assets", feature("H-9", 10, 10, ""), "geometry", 422)
	body("create coordinates not numbers", "POST", "/api/v1/assets", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":"x"},"properties":{"code":"H-10","kind":"land"}}`, "body", 400)
	body("create unclosed ring", "POST", "/api/v1/assets", `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[114.3,29.8],[114.31,29.8],[114.31,29.81]]]},"properties":{"code":"H-11","kind":"land"}}`, "geometry", 0)
	body("create not a feature", "POST", "/api/v1/assets", `[1,2,3]`, "body", 400)
	body("create nested deep", "POST", "/api/v1/assets", strings.Repeat(`{"a":`, 5000)+"1"+strings.Repeat("}", 5000), "body", 400)
	body("create region unknown", "POST", "/api/v1/assets", feature("H-12", 114.3, 29.8, `,"region_code":"999999"`), "region_code", 422)
	body("create zone unknown", "POST", "/api/v1/assets", feature("H-13", 114.3, 29.8, `,"zone_code":"NOPE"`), "zone_code", 422)
	body("create fact huge", "POST", "/api/v1/assets", strings.Replace(feature("H-14", 114.3, 29.8, `,"facts":{"reserves":1e300}`), `"land"`, `"mine"`, 1), "facts.reserves", 422)
	body("patch name NUL", "PATCH", a, `{"version":1,"name":"\u0000"}`, "name", 400)
	body("patch note NUL", "PATCH", a, `{"version":1,"stage":"done","note":"x\u0000"}`, "note", 400)
	body("patch revenue 1e20", "PATCH", a, `{"version":1,"revenue":1e20}`, "revenue", 422)
	body("patch revenue 1e400", "PATCH", a, `{"version":1,"revenue":1e400}`, "revenue", 422)
	body("patch book_value 1e14", "PATCH", a, `{"version":1,"book_value":100000000000000}`, "book_value", 422)
	body("patch share", "PATCH", a, `{"version":1,"invested_share":1.5}`, "invested_share", 422)
	body("patch fact huge", "PATCH", m, `{"version":1,"facts":{"reserves":-1e20}}`, "facts.reserves", 422)
	body("patch fact int", "PATCH", m, `{"version":1,"facts":{"licence_no":7}}`, "facts.licence_no", 422)
	body("patch version huge", "PATCH", a, `{"version":1e30,"stage":"done"}`, "version", 400)
	body("patch nested deep", "PATCH", a, `{"version":1,"facts":`+strings.Repeat("[", 200)+strings.Repeat("]", 200)+`}`, "body", 400)
	body("patch date", "PATCH", a, `{"version":1,"agreed_start":"99999-01-01"}`, "agreed_start", 422)
	body("delete note NUL", "DELETE", a, `{"version":1,"note":"\u0000"}`, "note", 400)
	body("restore path NUL", "POST", a+"%00/restore", `{"version":1}`, "path", 400)
	return cs
}

func esc(s string) string {
	return strings.NewReplacer("{", "%7B", "}", "%7D", "\"", "%22", "[", "%5B", "]", "%5D", " ", "%20").Replace(s)
}

// checkHostile sends one case and checks the answer.
func checkHostile(t *testing.T, app *fiber.App, tok string, tt hostileCase) {
	t.Helper()
	req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
	if tt.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := app.Test(req, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range leaks {
		if strings.Contains(string(raw), l) {
			t.Errorf("the answer leaks %q: %s", l, raw)
		}
	}
	if resp.StatusCode < 400 || resp.StatusCode >= 500 || (tt.status != 0 && resp.StatusCode != tt.status) {
		t.Fatalf("status %d, want %s: %s", resp.StatusCode, statusName(tt.status), raw)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q: %s", ct, raw)
	}
	var p problemBody
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatalf("not a problem: %v: %s", err, raw)
	}
	if tt.param != "" && !p.names(tt.param) {
		t.Errorf("the problem does not name %s: %s", tt.param, raw)
	}
}

func statusName(s int) string {
	if s == 0 {
		return "a 4xx"
	}
	return http.StatusText(s)
}

// TestHostileImportOptions: text PostgreSQL cannot store in an upload's fields or file name is
// a 400 naming the field, not a 500 when the run is recorded.
func TestHostileImportOptions(t *testing.T) {
	app, pool := importApp(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	for _, tt := range []struct {
		file   string
		fields map[string]string
		param  string
	}{
		{"p.geojson", map[string]string{"kind": "land\x00"}, "kind"},
		{"p.geojson", map[string]string{"encoding": "\xff"}, "encoding"},
		{"p.geojson", map[string]string{"srs": "EPSG:\x004490"}, "srs"},
		{"p.geojson", map[string]string{"mapping": `{"DKMC\u0000":"name"}`}, "mapping"},
		{"p\xff.geojson", nil, "file"},
	} {
		var p problemBody
		st := upload(t, app, tok, tt.file, features(1), tt.fields, &p)
		if st != 400 || !p.names(tt.param) {
			t.Errorf("%q %q: %d %+v, want a 400 naming %s", tt.file, tt.fields, st, p, tt.param)
		}
	}
	if n := countRows(t, pool, "SELECT count(*) FROM assets"); n != 0 {
		t.Errorf("refused uploads wrote %d assets", n)
	}
}
