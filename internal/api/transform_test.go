package api_test

import (
	"context"
	"fmt"
	"math"
	"testing"
)

// transformAnswer is the part of a /transform answer (or its problem) the tests read.
type transformAnswer struct {
	Lon, Lat float64
	CRS      string
	Params   []struct{ Name string } `json:"invalid_params"`
}

// TestTransformGaussKruger: a zone's central meridian at the equator is (CM, 0); a point PostGIS
// projects into zone 38 (EPSG:4526, prefixed) and its unprefixed twin (EPSG:4545) comes back
// to within 1e-9° of where it started.
func TestTransformGaussKruger(t *testing.T) {
	app, pool := fixture(t)
	var a transformAnswer
	if st := get(t, app, "/api/v1/transform?x=38500000&y=0&crs=EPSG:4526", &a); st != 200 {
		t.Fatalf("status %d", st)
	}
	if math.Abs(a.Lon-114) > 1e-9 || math.Abs(a.Lat) > 1e-9 || a.CRS != "EPSG:4526" {
		t.Errorf("central meridian: got %+v, want 114, 0", a)
	}
	const lon, lat = 114.3201, 29.8417
	for _, srid := range []int{4526, 4545} {
		var x, y float64
		err := pool.QueryRow(context.Background(), `SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4490), $3::int) p`,
			lon, lat, srid).Scan(&x, &y)
		if err != nil {
			t.Fatal(err)
		}
		a = transformAnswer{}
		if st := get(t, app, fmt.Sprintf("/api/v1/transform?x=%.4f&y=%.4f&crs=epsg:%d", x, y, srid), &a); st != 200 {
			t.Fatalf("EPSG:%d: status %d", srid, st)
		}
		if math.Abs(a.Lon-lon) > 1e-9 || math.Abs(a.Lat-lat) > 1e-9 {
			t.Errorf("EPSG:%d (%.4f, %.4f): got %.10f, %.10f, want %v, %v", srid, x, y, a.Lon, a.Lat, lon, lat)
		}
	}
}

// TestTransformBadInput: every bad parameter is a 4xx naming it.
func TestTransformBadInput(t *testing.T) {
	app, _ := fixture(t)
	for _, c := range []struct {
		query  string
		status int
		param  string
	}{
		{"y=3300000&crs=EPSG:4526", 400, "x"},
		{"x=38500000&crs=EPSG:4526", 400, "y"},
		{"x=abc&y=3300000&crs=EPSG:4526", 400, "x"},
		{"x=38500000&y=NaN&crs=EPSG:4526", 400, "y"},
		{"x=38500000&y=3300000", 400, "crs"},
		{"x=38500000&y=3300000&crs=EPSG:4326", 400, "crs"},
		{"x=38500000&y=3300000&crs=zone38", 400, "crs"},
		{"x=1e30&y=1e30&crs=EPSG:4526", 422, "x"},
	} {
		var a transformAnswer
		st := get(t, app, "/api/v1/transform?"+c.query, &a)
		if st != c.status || len(a.Params) == 0 || a.Params[0].Name != c.param {
			t.Errorf("%s: status %d params %+v, want %d naming %s", c.query, st, a.Params, c.status, c.param)
		}
	}
}
