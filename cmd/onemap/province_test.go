package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/airbusgeo/godal"
	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
)

// province is 湖南省 with two cities side by side, each of two counties: 衡阳市 (west) and 湘潭市
// (east), as west/south/east/north boxes in CGCS2000 lon/lat. (The real cities lie elsewhere;
// what counts here is two cities with their counties on one deployment.)
var province = []struct {
	code, name string
	box        [4]float64
}{
	{"430000", "湖南省", [4]float64{112.4, 26.8, 113.2, 27.0}},
	{"430400", "衡阳市", [4]float64{112.4, 26.8, 112.8, 27.0}},
	{"430405", "珠晖区", [4]float64{112.4, 26.8, 112.6, 27.0}},
	{"430406", "雁峰区", [4]float64{112.6, 26.8, 112.8, 27.0}},
	{"430300", "湘潭市", [4]float64{112.8, 26.8, 113.2, 27.0}},
	{"430302", "雨湖区", [4]float64{112.8, 26.8, 113.0, 27.0}},
	{"430304", "岳塘区", [4]float64{113.0, 26.8, 113.2, 27.0}},
}

// provinceParcels says, per county, how many parcels it holds and how many are revitalised:
// 衡阳 1 of 5 done, 湘潭 4 of 5, so the 榜单 of cities puts 湘潭 first.
var provinceParcels = map[string][2]int{"430405": {3, 1}, "430406": {2, 0}, "430302": {4, 3}, "430304": {1, 1}}

// TestProvinceOfTwoCities sets a province up as a bureau would — `onemap init --level province`
// with a GBK Shapefile of the 三调 行政区 layer (XZQDM/XZQMC) holding the province, two cities and
// their counties, then an ordinary asset import — and checks that statistics roll up (the
// counties of each city sum to the city, the cities to the province) and that the 榜单 of cities
// ranks both.
func TestProvinceOfTwoCities(t *testing.T) {
	url := dbtest.NewURL(t)
	dir := t.TempDir()
	out, errOut, err := runCLI(t, url, "init", "--level", "province", "--city-name", "湖南省", "--city-code", "430000",
		"--regions", provinceShapefile(t, dir))
	if err != nil || !strings.Contains(out, "region: 7 rows, 7 new") {
		t.Fatalf("init: %v\n%s\n%s", err, out, errOut)
	}
	if out, _, err := runCLI(t, url, "import", "--kind", "land", provinceParcelFile(t, dir)); err != nil || !strings.Contains(out, "imported 10 of 10 rows") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	app := provinceApp(t, url)
	var cfg struct {
		City struct{ Name, Code, Level string }
	}
	getJSON(t, app, "/api/v1/config", &cfg)
	if cfg.City.Name != "湖南省" || cfg.City.Level != "province" {
		t.Errorf("config city: %+v", cfg.City)
	}
	for county, n := range provinceParcels {
		var res struct{ Total int }
		if getJSON(t, app, "/api/v1/assets?region="+county, &res); res.Total != n[0] {
			t.Errorf("assets in %s: %d, want %d", county, res.Total, n[0])
		}
	}
	var byProvince, byCity statsAnswer
	getJSON(t, app, "/api/v1/stats?group_by=province", &byProvince)
	getJSON(t, app, "/api/v1/stats?group_by=city", &byCity)
	if len(byProvince.Groups) != 1 || byProvince.Groups[0].ProvinceCode != "430000" || byProvince.Groups[0].Count != 10 {
		t.Fatalf("by province: %+v", byProvince)
	}
	if len(byCity.Groups) != 2 || byCity.Groups[0].CityCode != "430300" || byCity.Groups[1].CityCode != "430400" {
		t.Fatalf("by city: %+v", byCity)
	}
	sameSums(t, "cities → 湖南省", byCity.Groups, byProvince.Groups[0].sums)
	for _, city := range byCity.Groups {
		var counties statsAnswer
		getJSON(t, app, "/api/v1/stats?group_by=region&region="+city.CityCode, &counties)
		if len(counties.Groups) != 2 {
			t.Errorf("counties of %s: %+v", city.CityName, counties.Groups)
		}
		for _, c := range counties.Groups {
			if !strings.HasPrefix(c.RegionCode, city.CityCode[:4]) {
				t.Errorf("county %s listed under %s", c.RegionCode, city.CityCode)
			}
		}
		sameSums(t, "counties → "+city.CityName, counties.Groups, city.sums)
	}
	var board struct {
		Ranks []struct {
			Rank        int
			RegionCode  string `json:"region_code"`
			RegionName  string `json:"region_name"`
			Count, Done int
			DoneShare   float64 `json:"done_share"`
		}
	}
	getJSON(t, app, "/api/v1/leaderboard?level=city", &board)
	if len(board.Ranks) != 2 || board.Ranks[0].RegionName != "湘潭市" || board.Ranks[0].Count != 5 || board.Ranks[0].Done != 4 ||
		board.Ranks[1].RegionName != "衡阳市" || board.Ranks[1].Count != 5 || board.Ranks[1].Done != 1 {
		t.Errorf("榜单 of cities: %+v", board.Ranks)
	}
	provinceTargets(t, app, url)
}

// provinceTargets sets done_count targets at each level and checks that each measures everything
// within its region: the province 5 done, 湘潭市 4, its county 430302 3.
func provinceTargets(t *testing.T, app *fiber.App, url string) {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(context.Background(), `INSERT INTO targets (region_code, year, metric, target)
		VALUES ('430000', 2026, 'done_count', 10), ('430300', 2026, 'done_count', 8), ('430302', 2026, 'done_count', 6)`); err != nil {
		t.Fatal(err)
	}
	var progress struct {
		Targets []struct {
			RegionCode string  `json:"region_code"`
			Metric     string  `json:"metric"`
			Actual     float64 `json:"actual"`
			Ratio      float64 `json:"ratio"`
		}
	}
	getJSON(t, app, "/api/v1/progress?year=2026", &progress)
	want := map[string]float64{"430000": 5, "430300": 4, "430302": 3}
	for _, p := range progress.Targets {
		if w, ok := want[p.RegionCode]; ok && p.Metric == "done_count" {
			if p.Actual != w {
				t.Errorf("progress of %s: %v done, want %v", p.RegionCode, p.Actual, w)
			}
			delete(want, p.RegionCode)
		}
	}
	if len(want) > 0 {
		t.Errorf("no progress for %v in %+v", want, progress.Targets)
	}
}

// statsAnswer is /api/v1/stats as this test reads it.
type statsAnswer struct{ Groups []statsGroup }

type statsGroup struct {
	RegionCode   string `json:"region_code"`
	CityCode     string `json:"city_code"`
	CityName     string `json:"city_name"`
	ProvinceCode string `json:"province_code"`
	sums
}

type sums struct {
	Count   int
	AreaMu  float64 `json:"area_mu"`
	Revenue float64
}

// sameSums checks that the groups' figures add up to want's.
func sameSums(t *testing.T, what string, groups []statsGroup, want sums) {
	t.Helper()
	var got sums
	for _, g := range groups {
		got.Count += g.Count
		got.AreaMu += g.AreaMu
		got.Revenue += g.Revenue
	}
	if got.Count != want.Count || math.Abs(got.AreaMu-want.AreaMu) > 1e-6 || math.Abs(got.Revenue-want.Revenue) > 1e-6 {
		t.Errorf("%s: parts sum to %+v, the whole is %+v", what, got, want)
	}
}

// provinceShapefile writes the province, its cities and counties as a zipped GBK Shapefile in
// EPSG:4490 with the 三调 行政区 fields XZQDM and XZQMC.
func provinceShapefile(t *testing.T, dir string) string {
	t.Helper()
	var fs []string
	for _, r := range province {
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"XZQDM":%q,"XZQMC":%q},"geometry":%s}`, r.code, r.name, boxJSON(r.box)))
	}
	src := writeFile(t, dir, "xzq.geojson", `{"type":"FeatureCollection","features":[`+strings.Join(fs, ",")+`]}`)
	godal.RegisterAll()
	ds, err := godal.Open(src, godal.VectorOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ds.Close() }() // read only
	// GDAL zips the parts itself (.shz), as the zip a bureau would upload.
	shz := filepath.Join(dir, "xzq.shz")
	out, err := ds.VectorTranslate(shz, []string{"-f", "ESRI Shapefile", "-lco", "ENCODING=CP936", "-a_srs", "EPSG:4490"})
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	zipped := filepath.Join(dir, "xzq.zip")
	if err := os.Rename(shz, zipped); err != nil {
		t.Fatal(err)
	}
	if cpg := zipEntry(t, zipped, "xzq.cpg"); !strings.Contains(cpg, "936") {
		t.Fatalf("the Shapefile is not GBK: .cpg %q", cpg)
	}
	return zipped
}

// zipEntry is the text of one file in a zip.
func zipEntry(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open(name)
	if err != nil {
		t.Fatalf("%s in %s: %v", name, path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// provinceParcelFile writes the land parcels of provinceParcels as GeoJSON: 0.002° squares in a
// row across the middle of each county, the first `done` of them revitalised with a revenue.
func provinceParcelFile(t *testing.T, dir string) string {
	t.Helper()
	var fs []string
	for _, r := range province {
		n, ok := provinceParcels[r.code]
		for i := 0; ok && i < n[0]; i++ {
			x, y := r.box[0]+0.02+float64(i)*0.01, (r.box[1]+r.box[3])/2
			stage, revenue := "idle", 0
			if i < n[1] {
				stage, revenue = "done", 10*(i+1)
			}
			fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"code":"%s-%d","name":"%s%d号地","stage":%q,"revenue":%d},"geometry":%s}`,
				r.code, i, r.name, i+1, stage, revenue, boxJSON([4]float64{x, y, x + 0.002 + 0.001*float64(i), y + 0.002})))
		}
	}
	return writeFile(t, dir, "parcels.geojson", `{"type":"FeatureCollection","features":[`+strings.Join(fs, ",")+`]}`)
}

func boxJSON(b [4]float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[3]g,%[2]g],[%[3]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[2]g]]]}`, b[0], b[1], b[2], b[3])
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// provinceApp is the real server's app on url (anonymous reads on).
func provinceApp(t *testing.T, url string) *fiber.App {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	cfg := config.Config{RequestTimeout: 20 * time.Second, AnonymousRead: true, SessionIdle: time.Hour, SessionMax: time.Hour}
	srv, err := newServer(context.Background(), cfg, slog.New(slog.DiscardHandler), pool, pool)
	if err != nil {
		t.Fatal(err)
	}
	return srv.app
}

// getJSON GETs target, wants 200 and decodes the answer into v.
func getJSON(t *testing.T, app *fiber.App, target string, v any) {
	t.Helper()
	res, err := app.Test(httptest.NewRequest("GET", target, nil), 30_000)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s (%v)", target, res.StatusCode, body, err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
}
