package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/db/dbtest"
)

const initCounties = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"XZQDM":"430405","XZQMC":"珠晖区"},"geometry":{"type":"Polygon","coordinates":[[[112.6,26.8],[112.7,26.8],[112.7,26.9],[112.6,26.9],[112.6,26.8]]]}},
{"type":"Feature","properties":{"XZQDM":"430406","XZQMC":"雁峰区"},"geometry":{"type":"Polygon","coordinates":[[[112.7,26.8],[112.8,26.8],[112.8,26.9],[112.7,26.9],[112.7,26.8]]]}}]}`

const initZones = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"HY01","name":"衡阳高新区","type":"国家级高新区"},"geometry":{"type":"Polygon","coordinates":[[[112.61,26.81],[112.65,26.81],[112.65,26.85],[112.61,26.85],[112.61,26.81]]]}}]}`

const initParcels = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"BSM":"1"},"geometry":{"type":"Polygon","coordinates":[[[112.62,26.82],[112.621,26.82],[112.621,26.821],[112.62,26.821],[112.62,26.82]]]}},
{"type":"Feature","properties":{"BSM":"2"},"geometry":{"type":"Polygon","coordinates":[[[112.75,26.85],[112.751,26.85],[112.751,26.851],[112.75,26.851],[112.75,26.85]]]}}]}`

// TestInitAnotherCity is what a bureau of another city runs: `onemap init` on an empty database
// with its counties and zones, then an ordinary asset import; the parcels land in their county
// and zone, the city is stored, the first admin exists with a printed password to change.
func TestInitAnotherCity(t *testing.T) {
	url := dbtest.NewURL(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	counties, zones, parcels := write("xzq.geojson", initCounties), write("yq.geojson", initZones), write("dk.geojson", initParcels)
	if _, _, err := runCLI(t, url, "init", "--city-name", "衡阳市", "--city-code", "4304", "--regions", counties); err == nil {
		t.Error("a 4-digit city code was taken")
	}
	out, errOut, err := runCLI(t, url, "init", "--city-name", "衡阳市", "--city-code", "430400", "--regions", counties, "--zones", zones)
	if err != nil {
		t.Fatalf("init: %v\n%s\n%s", err, out, errOut)
	}
	pw := regexp.MustCompile(`First administrator: admin / (\S+)`).FindStringSubmatch(out)
	if pw == nil || !strings.Contains(out, "region: 2 rows, 2 new") || !strings.Contains(out, "zone: 1 rows, 1 new") {
		t.Fatalf("init output:\n%s", out)
	}
	if out, _, err := runCLI(t, url, "import", "--kind", "land", parcels); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var got string
	err = pool.QueryRow(context.Background(), `SELECT string_agg(code || ':' || region_code || ':' || coalesce(zone_code, '-'), ' ' ORDER BY code) FROM assets`).Scan(&got)
	if err != nil || got != "1:430405:HY01 2:430406:-" {
		t.Errorf("parcels' county and zone: %q (%v)", got, err)
	}
	var city, role string
	var must bool
	if err := pool.QueryRow(context.Background(), `SELECT d.name || d.code || d.level, u.role, u.must_change_password FROM deployment d, users u WHERE u.username = 'admin'`).Scan(&city, &role, &must); err != nil ||
		city != "衡阳市430400city" || role != "admin" || !must {
		t.Errorf("city %q, admin %q must change %v (%v)", city, role, must, err)
	}
	// Loading the same counties again changes nothing.
	if out, _, err := runCLI(t, url, "import", "--kind", "region", counties); err != nil || !strings.Contains(out, "2 unchanged") {
		t.Errorf("reload: %v\n%s", err, out)
	}
}
