package api_test

import (
	"context"
	"testing"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/imports"
)

// twoCounties are two counties of 衡阳市 as a GeoJSON in CGCS2000 lon/lat with 三调 field names.
const twoCounties = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"XZQDM":"430405","XZQMC":"珠晖区"},"geometry":{"type":"Polygon","coordinates":[[[112.6,26.8],[112.7,26.8],[112.7,26.9],[112.6,26.9],[112.6,26.8]]]}},
{"type":"Feature","properties":{"XZQDM":"430406","XZQMC":"雁峰区"},"geometry":{"type":"Polygon","coordinates":[[[112.7,26.8],[112.8,26.8],[112.8,26.9],[112.7,26.9],[112.7,26.8]]]}}]}`

// TestPlacesAndCityAPI: an admin loads regions through the import route (dry run first) and
// names the city; an analyst may do neither; the UI's config tells the city.
func TestPlacesAndCityAPI(t *testing.T) {
	app, pool := importApp(t)
	admin := login(t, app, pool, "admin1", auth.Admin, nil)
	analyst := login(t, app, pool, "analyst1", auth.Analyst, nil)
	var rep imports.PlaceReport
	if st := upload(t, app, analyst, "xzq.geojson", twoCounties, map[string]string{"kind": "region"}, &rep); st != 403 {
		t.Errorf("analyst loading regions: %d, want 403", st)
	}
	if st := upload(t, app, admin, "xzq.geojson", twoCounties, map[string]string{"kind": "region", "dry_run": "true"}, &rep); st != 201 || rep.Inserted != 2 || !rep.DryRun {
		t.Fatalf("dry run: %d %+v", st, rep)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM regions WHERE code LIKE '4304%'"); n != 0 {
		t.Fatalf("a dry run wrote %d regions", n)
	}
	if st := upload(t, app, admin, "xzq.geojson", twoCounties, map[string]string{"kind": "region"}, &rep); st != 201 || rep.Inserted != 2 {
		t.Fatalf("load: %d %+v", st, rep)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM regions WHERE code IN ('430405', '430406') AND level = 'county'"); n != 2 {
		t.Errorf("regions stored: %d, want 2 counties", n)
	}
	if n := countRows(t, pool, "SELECT count(*) FROM audit_log WHERE action = 'import' AND detail->>'kind' = 'region'"); n != 2 {
		t.Errorf("audited region loads: %d, want 2", n)
	}
	if st := send(t, app, "PUT", "/api/v1/city", analyst, `{"name":"衡阳市","code":"430400"}`, nil); st != 403 {
		t.Errorf("analyst naming the city: %d", st)
	}
	if st := send(t, app, "PUT", "/api/v1/city", admin, `{"name":"衡阳市","code":"4304"}`, nil); st != 422 {
		t.Errorf("a 4-digit city code: %d, want 422", st)
	}
	if st := send(t, app, "PUT", "/api/v1/city", admin, `{"name":"衡阳市","code":"430400"}`, nil); st != 200 {
		t.Fatalf("admin naming the city: %d", st)
	}
	var cfg struct {
		City struct{ Name, Code, Level string }
	}
	if st := send(t, app, "GET", "/api/v1/config", "", "", &cfg); st != 200 || cfg.City.Name != "衡阳市" || cfg.City.Code != "430400" || cfg.City.Level != "city" {
		t.Errorf("config: %d %+v", st, cfg)
	}
}

// TestCityScope: an analyst scoped to a city acts in each of its counties and nowhere else; the
// asset's region stays its county (never the city).
func TestCityScope(t *testing.T) {
	app, pool := fixture(t)
	if _, err := pool.Exec(context.Background(), `INSERT INTO regions (code, name, level, geom) VALUES
		('421200', '咸宁市', 'city', ST_Multi(ST_MakeEnvelope(113.5, 29.0, 114.9, 30.3, 4490))),
		('430405', '珠晖区', 'county', ST_Multi(ST_MakeEnvelope(112.6, 26.8, 112.7, 26.9, 4490)))`); err != nil {
		t.Fatal(err)
	}
	city := "421200"
	tok := login(t, app, pool, "city-analyst", auth.Analyst, &city)
	var a struct {
		RegionCode string `json:"region_code"`
	}
	if st := send(t, app, "POST", "/api/v1/assets", tok, feature("CS-1", 114.10, 29.60, ""), &a); st != 201 || a.RegionCode != "421202" {
		t.Errorf("create in a county of the city: %d, region %q (want 201 in 421202)", st, a.RegionCode)
	}
	if st := send(t, app, "POST", "/api/v1/assets", tok, feature("CS-2", 112.65, 26.85, ""), nil); st != 403 {
		t.Errorf("create in another city's county: %d, want 403", st)
	}
	if st := send(t, app, "PATCH", "/api/v1/assets/"+assetID(t, pool, "A"), tok, `{"version":1,"stage":"planned"}`, nil); st != 200 {
		t.Errorf("update in a county of the city: %d, want 200", st)
	}
}

// TestProvinceRollup: a province of two cities on one deployment; statistics group at the city
// and province levels, and a city's or the province's code filters to the counties within.
func TestProvinceRollup(t *testing.T) {
	app, pool := fixture(t) // county 421202 holding five assets
	if _, err := pool.Exec(context.Background(), `INSERT INTO regions (code, name, level, geom) VALUES
		('420000', '湖北省', 'province', ST_Multi(ST_MakeEnvelope(108.0, 29.0, 116.0, 33.0, 4490))),
		('421200', '咸宁市', 'city', ST_Multi(ST_MakeEnvelope(113.5, 29.0, 114.9, 30.3, 4490))),
		('420100', '武汉市', 'city', ST_Multi(ST_MakeEnvelope(113.7, 30.3, 115.1, 31.4, 4490))),
		('420102', '江岸区', 'county', ST_Multi(ST_MakeEnvelope(114.2, 30.5, 114.4, 30.7, 4490)))`); err != nil {
		t.Fatal(err)
	}
	admin := login(t, app, pool, "admin1", auth.Admin, nil)
	if st := send(t, app, "POST", "/api/v1/assets", admin, feature("WH-1", 114.3, 30.6, ""), nil); st != 201 {
		t.Fatalf("create in 江岸区: %d", st)
	}
	var byCity struct {
		Groups []struct {
			CityCode string `json:"city_code"`
			CityName string `json:"city_name"`
			Count    int
		}
		Totals struct{ Count int }
	}
	if st := get(t, app, "/api/v1/stats?group_by=city", &byCity); st != 200 || len(byCity.Groups) != 2 ||
		byCity.Groups[0].CityCode != "420100" || byCity.Groups[0].Count != 1 || byCity.Groups[1].CityName != "咸宁市" || byCity.Groups[1].Count != 5 {
		t.Errorf("by city: %d %+v", st, byCity)
	}
	var byProvince struct {
		Groups []struct {
			ProvinceCode string `json:"province_code"`
			Count        int
		}
	}
	if st := get(t, app, "/api/v1/stats?group_by=province", &byProvince); st != 200 || len(byProvince.Groups) != 1 || byProvince.Groups[0].Count != 6 {
		t.Errorf("by province: %d %+v", st, byProvince)
	}
	var board struct {
		Ranks []struct {
			RegionCode string `json:"region_code"`
			Count      int
		}
	}
	if st := get(t, app, "/api/v1/leaderboard?level=city", &board); st != 200 || len(board.Ranks) != 2 || board.Ranks[0].Count+board.Ranks[1].Count != 6 {
		t.Errorf("榜单 of cities: %d %+v", st, board)
	}
	if st := get(t, app, "/api/v1/leaderboard", &board); st != 200 || len(board.Ranks) != 2 {
		t.Errorf("榜单 of counties (the default): %d %+v", st, board)
	}
	if st := get(t, app, "/api/v1/leaderboard?level=village", nil); st != 400 {
		t.Errorf("level=village: %d, want 400", st)
	}
	for region, want := range map[string]int{"421200": 5, "420100": 1, "420000": 6, "421202": 5, "420102": 1, "421200,420102": 6} {
		var res struct{ Total int }
		if st := get(t, app, "/api/v1/assets?region="+region, &res); st != 200 || res.Total != want {
			t.Errorf("region=%s: %d, total %d, want %d", region, st, res.Total, want)
		}
	}
}
