package ogc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"os/exec"
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
	"github.com/onemap/onemap/internal/ogc"
)

// editEnv is a server with Part 4 wired as cmd/onemap wires it, and a token per caller.
type editEnv struct {
	*env
	tokens map[string]string // analyst, planner, scoped (an analyst of 421281), admin
}

// TestPart4 runs the Part 4 tests against one fixture database, in order: they write.
func TestPart4(t *testing.T) {
	pool := dbtest.New(t)
	loadFixture(t, pool)
	e := serveEditable(t, pool)
	for _, tt := range []struct {
		name string
		test func(*testing.T, *editEnv)
	}{
		{"Declared", testPart4Declared},
		{"CreateReadBack", testPart4CreateReadBack},
		{"CreateRejectsByName", testPart4CreateRejectsByName},
		{"PatchIfMatch", testPart4PatchIfMatch},
		{"HostileGeometry", testPart4HostileGeometry},
		{"PatchGeometryInCRS", testPart4PatchGeometryInCRS},
		{"Replace", testPart4Replace},
		{"RolesRegionAndCollections", testPart4RolesRegionAndCollections},
		{"OverlapNeedsReason", testPart4OverlapNeedsReason},
		{"Delete", testPart4Delete},
		{"OWSLibAndGDAL", testPart4OWSLibAndGDAL},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, e) })
	}
}

// serveEditable runs the real app with sign-in required, the OGC API's Part 4 wired to the asset
// service and api.Editor, and signs in one user per role.
func serveEditable(t *testing.T, pool *pgxpool.Pool) *editEnv {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	users := auth.NewService(pool)
	e := &editEnv{env: &env{pool: pool}, tokens: map[string]string{}}
	scoped := "421281"
	for name, u := range map[string]auth.User{
		"analyst": {Role: auth.Analyst}, "planner": {Role: auth.Planner}, "admin": {Role: auth.Admin},
		"scoped": {Role: auth.Analyst, RegionCode: &scoped},
	} {
		u.Username = "part4-" + name
		created, err := users.CreateUser(ctx, auth.Actor{Name: "test"}, u, "Part4-test-2026", false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `UPDATE users SET must_change_password = false WHERE id = $1`, created.ID); err != nil {
			t.Fatal(err)
		}
		if e.tokens[name], err = users.IssueToken(ctx, created.ID, "part4", time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	o := ogc.Options{Assets: assets.NewService(pool), Editor: api.Editor}
	app := api.New(api.Deps{
		Config: config.Config{RequestTimeout: 30 * time.Second, MaxUploadMB: 1}, Pool: pool,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: api.NewMetrics(), Base: ctx, Auth: users,
		Mounts: []func(fiber.Router){ogc.New(pool, o).Register},
	})
	e.base = listen(t, ctx, cancel, app)
	return e
}

// answer is one response: status, headers and the body decoded as JSON (nil when none).
type answer struct {
	status int
	hdr    http.Header
	doc    map[string]any
	raw    string
}

// send makes a request as who (a key of tokens) with body (JSON-encoded unless a string) and
// headers given as name, value pairs.
func (e *editEnv) send(t *testing.T, who, method, path string, body any, headers ...string) answer {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	u := path
	if !strings.HasPrefix(u, "http") {
		u = e.base + path
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/geo+json")
	req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, hdr: resp.Header, raw: string(raw)}
	if len(raw) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &a.doc); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return a
}

// want fails unless the answer has status; for a problem it also checks the parameter named.
func (a answer) want(t *testing.T, status int, param string) answer {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.raw)
	}
	if param != "" && !strings.Contains(fmt.Sprint(a.doc["invalid_params"]), "name:"+param+" ") {
		t.Errorf("problem does not name %q: %s", param, a.raw)
	}
	return a
}

func (a answer) props() map[string]any { return a.doc["properties"].(map[string]any) }

// geoFeature is a GeoJSON Feature with a square of side deg at lon, lat.
func geoFeature(lon, lat, deg float64, props map[string]any) map[string]any {
	ring := [][]float64{{lon, lat}, {lon + deg, lat}, {lon + deg, lat + deg}, {lon, lat + deg}, {lon, lat}}
	return map[string]any{"type": "Feature", "properties": props,
		"geometry": map[string]any{"type": "Polygon", "coordinates": [][][]float64{ring}}}
}

// created posts a new land parcel at lon, lat as the analyst and returns its item URL.
func (e *editEnv) created(t *testing.T, code string, lon, lat float64) string {
	t.Helper()
	a := e.send(t, "analyst", "POST", "/collections/land/items", geoFeature(lon, lat, 0.001, map[string]any{
		"code": code, "name": "新地块" + code, "stage": "idle", "mode": "lease", "land_status": "approved_unsupplied",
	})).want(t, 201, "")
	return a.hdr.Get("Location")
}

func testPart4Declared(t *testing.T, e *editEnv) {
	conf := e.send(t, "planner", "GET", "/conformance", nil).want(t, 200, "")
	for _, c := range []string{"ogcapi-features-4/1.0/conf/create-replace-delete", "ogcapi-features-4/1.0/conf/update"} {
		if !strings.Contains(fmt.Sprint(conf.doc["conformsTo"]), c) {
			t.Errorf("conformance lacks %s", c)
		}
	}
	doc := e.send(t, "planner", "GET", "/api", nil).want(t, 200, "")
	paths := doc.doc["paths"].(map[string]any)
	items, item := paths["/collections/land/items"].(map[string]any), paths["/collections/land/items/{featureId}"].(map[string]any)
	for op, m := range map[string]map[string]any{"post": items, "put": item, "patch": item, "delete": item} {
		if m[op] == nil {
			t.Errorf("OpenAPI lacks %s on land", op)
		}
	}
	if paths["/collections/zones/items"].(map[string]any)["post"] != nil {
		t.Error("OpenAPI offers POST on zones, which are read-only")
	}
}

func testPart4CreateReadBack(t *testing.T, e *editEnv) {
	a := e.send(t, "analyst", "POST", "/collections/land/items", geoFeature(114.35, 29.88, 0.001, map[string]any{
		"code": "P4-1", "name": "第四部分地块", "holder": "城投公司", "stage": "idle", "mode": "lease",
		"book_value": 120.5, "land_status": "approved_unsupplied", "approval_date": "2024-05-01", "note": "OGC 新增",
	})).want(t, 201, "")
	loc, tag := a.hdr.Get("Location"), a.hdr.Get("ETag")
	if !strings.HasPrefix(loc, e.base+"/collections/land/items/") || tag == "" {
		t.Fatalf("Location %q, ETag %q", loc, tag)
	}
	p := a.props()
	if p["code"] != "P4-1" || p["region_code"] != "421202" || p["book_value"] != 120.5 || p["approval_date"] != "2024-05-01" || p["area_m2"].(float64) < 10000 {
		t.Errorf("created feature: %v", p)
	}
	got := e.send(t, "planner", "GET", loc, nil).want(t, 200, "")
	if got.hdr.Get("ETag") != tag {
		t.Errorf("GET ETag %q, the create answered %q", got.hdr.Get("ETag"), tag)
	}
	var note string
	e.scan(t, `SELECT note FROM asset_events ev JOIN assets a ON a.id = ev.asset_id WHERE a.code = 'P4-1' AND ev.action = 'create'`, &note)
	if note != "OGC 新增" {
		t.Errorf("history note %q", note)
	}
	// A mine given in EPSG:4490 (lat, lon) lands at lon, lat; its facts are properties.
	m := geoFeature(29.88, 114.37, 0.002, map[string]any{"code": "P4-M", "name": "矿", "stage": "idle", "mode": "use", "mineral": "金", "reserves": 50})
	a = e.send(t, "analyst", "POST", "/collections/mine/items", m, "Content-Crs", "<http://www.opengis.net/def/crs/EPSG/0/4490>").want(t, 201, "")
	if p := a.props(); p["region_code"] != "421202" || p["mineral"] != "金" || p["reserves"] != 50.0 {
		t.Errorf("mine from EPSG:4490: %v", p)
	}
}

func (e *editEnv) scan(t *testing.T, sql string, dst ...any) {
	t.Helper()
	if err := e.pool.QueryRow(context.Background(), sql).Scan(dst...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func testPart4CreateRejectsByName(t *testing.T, e *editEnv) {
	for _, tc := range []struct {
		props  map[string]any
		status int
		param  string
	}{
		{map[string]any{"code": "P4-X", "name": "x", "stage": "soon"}, 422, "stage"},
		{map[string]any{"code": "P4-X", "name": "x", "colour": "red"}, 422, "colour"},
		{map[string]any{"code": "P4-X", "name": "x", "kind": "mine"}, 422, "kind"},
		{map[string]any{"code": "P4-X", "name": 5}, 422, "name"},
		{map[string]any{"code": "P4-X", "name": "x", "reserves": 5}, 422, "reserves"},
		{map[string]any{"code": "L-00", "name": "taken", "stage": "idle", "mode": "use"}, 409, ""},
	} {
		e.send(t, "analyst", "POST", "/collections/land/items", geoFeature(114.36, 29.89, 0.001, tc.props)).want(t, tc.status, tc.param)
	}
	e.send(t, "analyst", "POST", "/collections/land/items", `{"type":"FeatureCollection","features":[]}`).want(t, 400, "type")
	e.send(t, "analyst", "POST", "/collections/land/items", `{"type":"Feature","geometry":{"type":"Blob"},"properties":{}}`).want(t, 400, "geometry")
	e.send(t, "analyst", "POST", "/collections/land/items", geoFeature(114.36, 29.89, 0.001, map[string]any{"code": "P4-X"}),
		"Content-Crs", "EPSG:9999").want(t, 400, "Content-Crs")
}

// testPart4HostileGeometry: coordinates off the earth, in every body CRS, are a 4xx naming the
// geometry, never a server error.
func testPart4HostileGeometry(t *testing.T, e *editEnv) {
	loc := e.created(t, "P4-H", 114.368, 29.89)
	for _, crs := range []string{"", "EPSG:4490", "EPSG:3857"} {
		for _, g := range []string{
			`{"type":"Point","coordinates":[500,95]}`,
			`{"type":"Polygon","coordinates":[[[1e300,1e300],[1e301,1e300],[1e300,1e301],[1e300,1e300]]]}`,
			`{"type":"Polygon","coordinates":[[[114.3,29.8]]]}`,
			`{"type":"LineString","coordinates":[[114.3,29.8],[114.4,29.9]]}`,
		} {
			a := e.send(t, "analyst", "PATCH", loc, `{"geometry":`+g+`}`, "Content-Crs", crs)
			if a.status < 400 || a.status >= 500 || !strings.Contains(a.raw, "geometry") {
				t.Errorf("PATCH geometry %s in %q = %d: %s", g, crs, a.status, a.raw)
			}
		}
	}
}

func testPart4PatchIfMatch(t *testing.T, e *editEnv) {
	loc := e.created(t, "P4-2", 114.352, 29.882)
	tag := e.send(t, "planner", "GET", loc, nil).want(t, 200, "").hdr.Get("ETag")
	a := e.send(t, "analyst", "PATCH", loc, `{"properties":{"stage":"planned","holder":"交投集团"}}`, "If-Match", tag).want(t, 200, "")
	if p := a.props(); p["stage"] != "planned" || p["holder"] != "交投集团" || p["name"] != "新地块P4-2" {
		t.Errorf("patched: %v", p)
	}
	fresh := a.hdr.Get("ETag")
	if fresh == tag || fresh == "" {
		t.Errorf("ETag after PATCH %q, before %q", fresh, tag)
	}
	// The version seen before the PATCH is stale now: 412, nothing changed.
	e.send(t, "analyst", "PATCH", loc, `{"properties":{"stage":"done"}}`, "If-Match", tag).want(t, 412, "")
	e.send(t, "analyst", "PATCH", loc, `{"properties":{"stage":"done"}}`, "If-Match", "W/"+fresh).want(t, 200, "")
	e.send(t, "analyst", "PATCH", loc, `{"properties":{"stage":"in_progress"}}`).want(t, 200, "") // no If-Match: current
	e.send(t, "analyst", "PATCH", loc, `{"properties":{"stage":"in_progress"}}`, "If-Match", "abc").want(t, 400, "If-Match")
	e.send(t, "analyst", "PATCH", loc, `{"properties":{"mode":null}}`).want(t, 422, "mode")
	e.send(t, "analyst", "PATCH", loc, `{"properties":{"book_value":"lots"}}`).want(t, 422, "book_value")
	e.send(t, "analyst", "PATCH", loc, `{"geometry":null}`).want(t, 422, "geometry")
	e.send(t, "analyst", "PATCH", loc, `{"properties":{"version":9}}`).want(t, 422, "version")
	var n int
	e.scan(t, `SELECT count(*) FROM asset_events ev JOIN assets a ON a.id = ev.asset_id WHERE a.code = 'P4-2' AND ev.action = 'update'`, &n)
	if n != 3 {
		t.Errorf("%d update events, want 3", n)
	}
	e.send(t, "analyst", "PATCH", e.base+"/collections/mine/items/"+loc[strings.LastIndex(loc, "/")+1:], `{"properties":{"stage":"done"}}`).want(t, 404, "")
}

func testPart4PatchGeometryInCRS(t *testing.T, e *editEnv) {
	loc := e.created(t, "P4-3", 114.354, 29.884)
	// A square of 200 m of Web Mercator (about 173 m on the ground here) given in EPSG:3857.
	const r = 6378137.0
	x0, y0 := r*114.354*math.Pi/180, r*math.Log(math.Tan(math.Pi/4+29.884*math.Pi/360))
	g := fmt.Sprintf(`{"geometry":{"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}}`,
		x0, y0, x0+200, y0, x0+200, y0+200, x0, y0+200, x0, y0)
	a := e.send(t, "analyst", "PATCH", loc, g, "Content-Crs", "<http://www.opengis.net/def/crs/EPSG/0/3857>").want(t, 200, "")
	var lon, lat float64
	e.scan(t, `SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM assets WHERE code = 'P4-3'`, &lon, &lat)
	if lon < 114.354 || lon > 114.357 || lat < 29.8 || lat > 29.9 {
		t.Errorf("geometry from EPSG:3857 lies at %f, %f", lon, lat)
	}
	if area := a.props()["area_m2"].(float64); area < 25000 || area > 35000 {
		t.Errorf("area after the reshape %f m²", area)
	}
	var before, after string
	e.scan(t, `SELECT coalesce(ev.before->>'area_m2', ''), coalesce(ev.after->>'area_m2', '') FROM asset_events ev JOIN assets a ON a.id = ev.asset_id
		WHERE a.code = 'P4-3' ORDER BY ev.id DESC LIMIT 1`, &before, &after)
	if before == after {
		t.Errorf("the history does not record the reshape: before %q, after %q", before, after)
	}
}

func testPart4Replace(t *testing.T, e *editEnv) {
	loc := e.created(t, "P4-4", 114.358, 29.886)
	got := e.send(t, "planner", "GET", loc, nil).want(t, 200, "")
	f := got.doc
	delete(f, "links")
	p := f["properties"].(map[string]any)
	p["name"], p["holder"], p["code"] = "改名地块", "城投公司", "IGNORED"
	delete(p, "land_status") // replaced: an absent property is cleared
	a := e.send(t, "analyst", "PUT", loc, f, "If-Match", got.hdr.Get("ETag")).want(t, 200, "")
	if q := a.props(); q["name"] != "改名地块" || q["code"] != "P4-4" || q["land_status"] != nil || q["stage"] != "idle" {
		t.Errorf("replaced: %v", q)
	}
	delete(f, "geometry")
	e.send(t, "analyst", "PUT", loc, f).want(t, 422, "geometry")
	// mode may not be empty: a replace without it is refused by name.
	e.send(t, "analyst", "PUT", loc, geoFeature(114.358, 29.886, 0.001, map[string]any{"name": "x", "stage": "idle"})).want(t, 422, "mode")
}

func testPart4RolesRegionAndCollections(t *testing.T, e *editEnv) {
	body := geoFeature(114.37, 29.87, 0.001, map[string]any{"code": "P4-R", "name": "x", "stage": "idle", "mode": "use"})
	e.send(t, "planner", "POST", "/collections/land/items", body).want(t, 403, "")
	e.tokens["nobody"] = ""
	e.send(t, "nobody", "POST", "/collections/land/items", body).want(t, 401, "")
	e.send(t, "scoped", "POST", "/collections/land/items", body).want(t, 403, "")
	e.send(t, "analyst", "POST", "/collections/zones/items", body).want(t, 405, "")
	loc := e.created(t, "P4-5", 114.362, 29.888)
	e.send(t, "scoped", "PATCH", loc, `{"properties":{"stage":"done"}}`).want(t, 403, "")
	e.send(t, "planner", "DELETE", loc, nil).want(t, 403, "")
	e.send(t, "admin", "PATCH", loc, `{"properties":{"stage":"done"}}`).want(t, 200, "")
}

func testPart4OverlapNeedsReason(t *testing.T, e *editEnv) {
	// L-00 covers 113.91–113.911, 29.71–29.711: half of it overlapped.
	body := geoFeature(113.9105, 29.71, 0.001, map[string]any{"code": "P4-O", "name": "重叠", "stage": "idle", "mode": "use"})
	a := e.send(t, "analyst", "POST", "/collections/land/items", body).want(t, 422, "geometry")
	if !strings.Contains(a.raw, `"overlaps"`) || !strings.Contains(a.raw, `"L-00"`) {
		t.Errorf("overlap problem lacks the overlapped parcel: %s", a.raw)
	}
	body["properties"].(map[string]any)["overlap_reason"] = "共用地块，已核实"
	e.send(t, "analyst", "POST", "/collections/land/items", body).want(t, 201, "")
}

func testPart4Delete(t *testing.T, e *editEnv) {
	loc := e.created(t, "P4-6", 114.366, 29.889)
	tag := e.send(t, "planner", "GET", loc, nil).want(t, 200, "").hdr.Get("ETag")
	e.send(t, "analyst", "PATCH", loc, `{"properties":{"stage":"done"}}`).want(t, 200, "")
	e.send(t, "analyst", "DELETE", loc, nil, "If-Match", tag).want(t, 412, "")
	tag = e.send(t, "planner", "GET", loc, nil).want(t, 200, "").hdr.Get("ETag")
	e.send(t, "analyst", "DELETE", loc, nil, "If-Match", tag).want(t, 204, "")
	e.send(t, "planner", "GET", loc, nil).want(t, 404, "")
	e.send(t, "analyst", "DELETE", loc, nil).want(t, 404, "")
	var deleted bool
	e.scan(t, `SELECT deleted_at IS NOT NULL FROM assets WHERE code = 'P4-6'`, &deleted)
	if !deleted {
		t.Error("the asset row is gone or not soft-deleted")
	}
}

// testPart4OWSLibAndGDAL runs tests/python/ogc_part4.py (OWSLib, Debian's python3-owslib, and
// requests) as the analyst: it creates, replaces, updates and deletes features and meets a 412.
// Then GDAL's ogrinfo reads the result back. A missing client is a failure, not a skip.
func testPart4OWSLibAndGDAL(t *testing.T, e *editEnv) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	// Debian's interpreter: python3-owslib installs there, whatever python3 comes first in PATH.
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", "../../tests/python/ogc_part4.py", e.base, e.tokens["analyst"])
	cmd.Env = append(os.Environ(), "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			stderr = ee.Stderr
		}
		t.Fatalf("ogc_part4.py: %v\n%s%s", err, out, stderr)
	}
	var res struct {
		OWSLib string `json:"owslib"`
		ID     string `json:"id"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("ogc_part4.py printed %q: %v", out, err)
	}
	t.Logf("OWSLib %s", res.OWSLib)
	basic := []string{"GDAL_HTTP_AUTH=BASIC", "GDAL_HTTP_USERPWD=gdal:" + e.tokens["planner"]}
	got, err := gdalEnv(basic, "ogrinfo", "-ro", "-al", "-q", "OAPIF:"+e.base, "land", "-where", "code LIKE 'OWS-%'")
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, got)
	}
	for _, want := range []string{"code (String) = OWS-A", "name (String) = OWSLib 改名", "stage (String) = planned", "MULTIPOLYGON (((114.372 29.892"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("ogrinfo does not read back %q:\n%s", want, got)
		}
	}
	if strings.Contains(string(got), "OWS-B") {
		t.Errorf("ogrinfo still reads the deleted OWS-B:\n%s", got)
	}
}
