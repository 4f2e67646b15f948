package ogc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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
)

// GDAL is the real client here: Debian's gdal-bin (scripts/deps.sh installs it for make test).
// A missing ogrinfo is a failure, not a skip.

// gdal runs a GDAL utility with debug output and returns stdout and stderr together.
func gdal(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "CPL_DEBUG=ON", "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1", "GDAL_HTTP_TIMEOUT=60")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	if regexp.MustCompile(`(?m)^ERROR \d+:`).Match(out) {
		t.Errorf("%s %s reported an error:\n%s", name, strings.Join(args, " "), out)
	}
	return string(out)
}

// mvtSource is a minimal real TileSource for this test (the product's is tiles.Service): one
// ST_AsMVT layer per asset kind with a few properties.
type mvtSource struct{ pool *pgxpool.Pool }

const qTestTile = `
WITH t AS (
    SELECT a.id, a.code, a.name, a.stage, a.mode, a.area_mu,
           ST_AsMVTGeom(a.geom_3857, ST_TileEnvelope($1, $2, $3)) AS geom
    FROM assets a
    WHERE a.kind = $4 AND a.deleted_at IS NULL AND a.geom_3857 && ST_TileEnvelope($1, $2, $3)
)
SELECT ST_AsMVT(t, $4, 4096, 'geom') FROM t`

func (m mvtSource) Tile(ctx context.Context, layer string, z, x, y int) ([]byte, error) {
	var b []byte
	err := m.pool.QueryRow(ctx, qTestTile, z, x, y, layer).Scan(&b)
	return b, err
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

// TestGDALReadsATile fetches an OGC API – Tiles tile and opens it with GDAL's MVT driver.
func testGDALReadsATile(t *testing.T, e *env) {
	ts, _ := e.get(t, "/collections/land/tiles/WebMercatorQuad", 200)
	tmpl := links(ts)["item"]
	z, x, y := 10, lon2tile(114.27, 10), lat2tile(29.78, 10)
	u := strings.NewReplacer("{tileMatrix}", strconv.Itoa(z), "{tileRow}", strconv.Itoa(y), "{tileCol}", strconv.Itoa(x)).Replace(tmpl)
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
		t.Fatalf("GET %s = %d %s (%v)", u, resp.StatusCode, resp.Header.Get("Content-Type"), err)
	}
	path := filepath.Join(t.TempDir(), strconv.Itoa(z), strconv.Itoa(x), strconv.Itoa(y)+".pbf")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	out := gdal(t, "ogrinfo", "-ro", "-al", "-so", path)
	for _, want := range []string{"Layer name: land", "code: String", "stage: String", "mode: String", "area_mu: Real"} {
		if !strings.Contains(out, want) {
			t.Errorf("MVT summary lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`Feature Count: [1-9]`).MatchString(out) {
		t.Errorf("tile has no features:\n%s", out)
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

func lon2tile(lon float64, z int) int { return int((lon + 180) / 360 * math.Exp2(float64(z))) }

func lat2tile(lat float64, z int) int {
	r := lat * math.Pi / 180
	return int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * math.Exp2(float64(z)))
}
