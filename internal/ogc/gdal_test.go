package ogc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/auth"
)

// GDAL is the real client here: Debian's gdal-bin (scripts/deps.sh installs it for make test).
// A missing ogrinfo is a failure, not a skip.

// gdal runs a GDAL utility with debug output and returns stdout and stderr together.
func gdal(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := gdalEnv(nil, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	if regexp.MustCompile(`(?m)^ERROR \d+:`).Match(out) {
		t.Errorf("%s %s reported an error:\n%s", name, strings.Join(args, " "), out)
	}
	return string(out)
}

// gdalEnv runs a GDAL utility with extra environment settings (such as GDAL_HTTP_AUTH).
func gdalEnv(env []string, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "CPL_DEBUG=ON", "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "GDAL_HTTP_TIMEOUT=60")
	cmd.Env = append(cmd.Env, env...)
	return cmd.CombinedOutput()
}

// testGDALSignsInWithBasicToken: with anonymous reads off, ogrinfo is refused without
// credentials and reads every collection with HTTP Basic carrying a token as the password (what
// QGIS's and ArcGIS's built-in Basic authentication send), any user name.
func testGDALSignsInWithBasicToken(t *testing.T, pool *pgxpool.Pool) {
	users := auth.NewService(pool)
	ctx := context.Background()
	u, err := users.CreateUser(ctx, auth.Actor{Name: "test"}, auth.User{Username: "qgis-user", Role: auth.Planner}, "Gis-tool-2026", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE users SET must_change_password = false WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	tok, err := users.IssueToken(ctx, u.ID, "QGIS", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e := serve(t, pool, false, users)
	if out, err := gdalEnv(nil, "ogrinfo", "-ro", "-so", "OAPIF:"+e.base, "land"); err == nil {
		t.Fatalf("ogrinfo without credentials succeeded:\n%s", out)
	}
	basic := []string{"GDAL_HTTP_AUTH=BASIC", "GDAL_HTTP_USERPWD=anyone:" + tok}
	out, err := gdalEnv(basic, "ogrinfo", "-ro", "-so", "OAPIF:"+e.base, "land")
	if err != nil || !strings.Contains(string(out), "Feature Count: ") {
		t.Fatalf("ogrinfo with Basic token: %v\n%s", err, out)
	}
	var want int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM assets WHERE kind = 'land' AND deleted_at IS NULL").Scan(&want); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), fmt.Sprintf("Feature Count: %d\n", want)) {
		t.Errorf("ogrinfo with Basic token counts other than the database's %d:\n%s", want, out)
	}
	bad := []string{"GDAL_HTTP_AUTH=BASIC", "GDAL_HTTP_USERPWD=anyone:om_wrong"}
	if out, err := gdalEnv(bad, "ogrinfo", "-ro", "-so", "OAPIF:"+e.base, "land"); err == nil {
		t.Errorf("ogrinfo with a wrong token succeeded:\n%s", out)
	}
}

func testGDALListsEveryCollection(t *testing.T, e *env) {
	out := gdal(t, "ogrinfo", "-ro", "-so", "OAPIF:"+e.base)
	for i, name := range []string{"land", "mine", "forest", "water", "building", "zones", "regions"} {
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^%d: %s( \(|$)`, i+1, name)).MatchString(out) {
			t.Errorf("ogrinfo does not list layer %d: %s:\n%s", i+1, name, out)
		}
	}
	out = gdal(t, "ogrinfo", "-ro", "-so", "OAPIF:"+e.base, "mine")
	for _, want := range []string{"Feature Count: 6", "mineral: String", "reserves: Real", "area_mu: Real", "stage: String", "updated_at: DateTime"} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo mine summary lacks %q:\n%s", want, out)
		}
	}
}

// TestGDALCopiesWithWhereAndSpat checks that ogr2ogr's -where reaches the server as CQL2 and
// -spat as bbox, and that the copy holds exactly the features the database selects.
func testGDALCopiesWithWhereAndSpat(t *testing.T, e *env) {
	dst := filepath.Join(t.TempDir(), "land.geojson")
	out := gdal(t, "ogr2ogr", "-f", "GeoJSON", dst, "OAPIF:"+e.base, "land",
		"-where", "stage = 'idle' AND area_mu < 100", "-spat", "114.0", "29.7", "114.3", "29.9")
	want := e.count(t, `SELECT count(*) FROM assets WHERE kind = 'land' AND deleted_at IS NULL
		AND stage = 'idle' AND area_mu < 100 AND ST_Intersects(geom, ST_MakeEnvelope(114.0, 29.7, 114.3, 29.9, 4490))`)
	if got := geojsonCount(t, dst); got != want || want == 0 {
		t.Errorf("ogr2ogr copied %d features, the database selects %d", got, want)
	}
	if !strings.Contains(out, "CQL text detected") || strings.Contains(out, "evaluated on client side") {
		t.Errorf("GDAL did not hand the whole -where to the server:\n%s", out)
	}
	var filtered bool
	for _, r := range e.requests() {
		q, err := url.ParseQuery(r[strings.Index(r, "?")+1:])
		if err == nil && strings.Contains(r, "/items?") && q.Get("filter") != "" && q.Get("bbox") != "" {
			filtered = true
			t.Logf("GDAL asked: filter=%q bbox=%q filter-lang=%q", q.Get("filter"), q.Get("bbox"), q.Get("filter-lang"))
		}
	}
	if !filtered {
		t.Errorf("no /items request carried both filter and bbox: %v", e.requests())
	}
}

func geojsonCount(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct{ Features []json.RawMessage }
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	return len(fc.Features)
}

// TestGDALReadsLatLonIn4490 reads a crs=EPSG:4490 response with GDAL's GeoJSON driver: the first
// coordinate of the polygon must be the latitude.
func testGDALReadsLatLonIn4490(t *testing.T, e *env) {
	u := e.base + "/collections/land/items?sortby=code&limit=1&crs=" + url.QueryEscape("http://www.opengis.net/def/crs/EPSG/0/4490")
	out := gdal(t, "ogrinfo", "-ro", "-al", "GeoJSON:"+u)
	m := regexp.MustCompile(`MULTIPOLYGON \(\(\(([0-9.]+) ([0-9.]+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no polygon in ogrinfo output:\n%s", out)
	}
	lat, _ := strconv.ParseFloat(m[1], 64)
	lon, _ := strconv.ParseFloat(m[2], 64)
	if math.Abs(lat-29.71) > 1e-6 || math.Abs(lon-113.91) > 1e-6 {
		t.Errorf("first coordinate = %s %s, want 29.71 113.91 (lat lon)", m[1], m[2])
	}
}

// TestGDALReadsATile fetches OGC API – Tiles tiles of land drawn by the tile service and opens
// them with GDAL's MVT driver: at zoom 15 the parcels with every property, at zoom 10 the
// overview's grid cells.
func testGDALReadsATile(t *testing.T, e *env) {
	ts, _ := e.get(t, "/collections/land/tiles/WebMercatorQuad", 200)
	tmpl := links(ts)["item"]
	// L-09 of the fixture: a 0.002° square at (113.97, 29.745), in 赤壁市.
	parcels := ogrTile(t, tmpl, 15, 113.971, 29.746)
	for _, want := range []string{
		"Layer name: land", "Feature Count: 1\n", "id: Integer", "code: String",
		"name: String", "kind: String", "stage: String", "mode: String", "area_mu: Real",
		"land_status: String", "region_code: String", "holder: String",
	} {
		if !regexp.MustCompile(`(?m)^` + want).MatchString(parcels) {
			t.Errorf("zoom-15 MVT summary lacks %q:\n%s", want, parcels)
		}
	}
	cells := ogrTile(t, tmpl, 10, 114.27, 29.78)
	for _, want := range []string{"Layer name: land", "Feature Count: [1-9]", "count: Integer", "cover: Real", "area_mu: Real"} {
		if !regexp.MustCompile(`(?m)^` + want).MatchString(cells) {
			t.Errorf("zoom-10 MVT summary lacks %q:\n%s", want, cells)
		}
	}
	if regexp.MustCompile(`(?m)^code: String`).MatchString(cells) {
		t.Errorf("a zoom-10 land tile carries parcels, not overview cells:\n%s", cells)
	}
	e.get(t, "/collections/land/tiles/WebMercatorQuad/10/0/0", 204)
	e.get(t, "/collections/land/tiles/WebMercatorQuad/2/4/0", 404)
	tms, _ := e.get(t, "/tileMatrixSets/WebMercatorQuad", 200)
	if m := tms["tileMatrices"].([]any); len(m) != 25 || m[10].(map[string]any)["matrixWidth"].(float64) != 1024 {
		t.Errorf("WebMercatorQuad: %d matrices", len(m))
	}
	conf, _ := e.get(t, "/conformance", 200)
	if !strings.Contains(fmt.Sprint(conf["conformsTo"]), "ogcapi-tiles-1/1.0/conf/mvt") {
		t.Errorf("tiles not declared with a tile source: %v", conf["conformsTo"])
	}
}

// ogrTile fetches the tile of tmpl (an OGC tile URL template) at zoom z holding lon, lat and
// returns ogrinfo's summary of it.
func ogrTile(t *testing.T, tmpl string, z int, lon, lat float64) string {
	t.Helper()
	x, y := lon2tile(lon, z), lat2tile(lat, z)
	u := strings.NewReplacer("{tileMatrix}", strconv.Itoa(z), "{tileRow}", strconv.Itoa(y), "{tileCol}", strconv.Itoa(x)).Replace(tmpl)
	status, hdr, body := fetch(t, http.MethodGet, u)
	if status != 200 || hdr.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
		t.Fatalf("GET %s = %d %s", u, status, hdr.Get("Content-Type"))
	}
	path := filepath.Join(t.TempDir(), strconv.Itoa(z), strconv.Itoa(x), strconv.Itoa(y)+".pbf")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return gdal(t, "ogrinfo", "-ro", "-al", "-so", path)
}

func lon2tile(lon float64, z int) int { return int((lon + 180) / 360 * math.Exp2(float64(z))) }

func lat2tile(lat float64, z int) int {
	r := lat * math.Pi / 180
	return int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * math.Exp2(float64(z)))
}
