package tiles_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/onemap/onemap/tiles"
	"github.com/onemap/onemap/tiles/tilestest"
)

// TestParseFilterAt: at (a date: the end of that day in China Standard Time) joins the cache key
// and tile URLs, and a filter with it is not the present's.
func TestParseFilterAt(t *testing.T) {
	f, err := tiles.ParseFilter(func(n string) string { return map[string]string{"at": "2026-11-30"}[n] })
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Query(); got != "at=2026-11-30T15%3A59%3A59.999999Z" || f.IsZero() {
		t.Errorf("Query() = %s, IsZero %v", got, f.IsZero())
	}
	if _, err := tiles.ParseFilter(func(n string) string { return map[string]string{"at": "last week"}[n] }); err == nil {
		t.Error("at=last week accepted")
	}
}

func TestParseFilterAssetFilters(t *testing.T) {
	q := map[string]string{"land_status": "idle,approved_unsupplied", "min_area_mu": "2.5", "max_area_mu": "10", "q": " 城投 "}
	f, err := tiles.ParseFilter(func(n string) string { return q[n] })
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Query(); got != "land_status=approved_unsupplied%2Cidle&max_area_mu=10&min_area_mu=2.5&q=%E5%9F%8E%E6%8A%95" {
		t.Errorf("Query() = %s", got)
	}
	if f.Overview() || f.IsZero() {
		t.Error("land status, area and text are not the overview's filters")
	}
	for name, bad := range map[string]string{"land_status": "vacant", "min_area_mu": "-1", "max_area_mu": "ten"} {
		_, err := tiles.ParseFilter(func(n string) string {
			if n == name {
				return bad
			}
			return ""
		})
		if err == nil {
			t.Errorf("%s=%s accepted", name, bad)
		}
	}
}

// Below ParcelMinZoom the overview cells sum the matching groups (stage, mode, region, zone); a
// filter they cannot express leaves no land cells. From ParcelMinZoom the parcels are filtered as
// the list API filters them, land status, area and text (name, code, holder) included.
func TestTileFiltersAtEveryZoom(t *testing.T) {
	pool, svc := city(t, tiles.Options{})
	ctx := context.Background()
	count := func(cond string, args ...any) int {
		var n int
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM assets WHERE kind = 'land' AND deleted_at IS NULL AND "+cond, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cells := func(z int, f tiles.Filter) (n int, features int) {
		ml := layer(render(t, svc, tiles.OneMap, tiles.TileAt(z, tilestest.Lon, tilestest.Lat), f), "land")
		if ml == nil {
			return 0, 0
		}
		for _, ft := range ml.Features {
			n += int(ft.Properties["count"].(float64))
		}
		return n, len(ml.Features)
	}
	zoneIdle := tiles.Filter{Zones: []string{tilestest.ZoneCode}, Stages: []string{"idle"}}
	want := count("zone_code = $1 AND stage = 'idle'", tilestest.ZoneCode)
	if want == 0 {
		t.Fatal("no idle parcel in the zone: the case proves nothing")
	}
	for _, z := range []int{8, 11, 13} {
		if got, _ := cells(z, zoneIdle); got != want {
			t.Errorf("zoom %d zone+idle: cells count %d parcels, want %d", z, got, want)
		}
		min := 0.1
		for _, f := range []tiles.Filter{{LandStatuses: []string{"idle"}}, {MinAreaMu: &min}, {Text: "地块"}} {
			if _, n := cells(z, f); n != 0 {
				t.Errorf("zoom %d %s: %d land cells, want none (the overview cannot tell)", z, f.Query(), n)
			}
		}
	}
	small := 100.0 // the parcels are ~4 亩, the mine 160
	for _, tc := range []struct {
		f    tiles.Filter
		cond string
		args []any
	}{
		{tiles.Filter{LandStatuses: []string{"inefficient", "reserve"}}, "land_status IN ('inefficient', 'reserve')", nil},
		{tiles.Filter{MaxAreaMu: &small}, "area_mu <= 100", nil},
		{tiles.Filter{MinAreaMu: &small}, "area_mu >= 100", nil},
		{tiles.Filter{Text: "城投"}, "holder LIKE '%城投%'", nil},
		{tiles.Filter{Text: "地块1"}, "name LIKE '%地块1%'", nil},
		{tiles.Filter{Text: "无此"}, "false", nil},
	} {
		for _, z := range []int{14, 15} {
			id := tiles.TileAt(z, tilestest.Lon, tilestest.Lat)
			ml := layer(render(t, svc, tiles.Land, id, tc.f), "land")
			var got []int64
			if ml != nil {
				for _, ft := range ml.Features {
					got = append(got, int64(ft.Properties["id"].(float64)))
				}
			}
			rows, err := pool.Query(ctx, `SELECT id FROM assets a, (SELECT ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) e) t
				WHERE kind = 'land' AND deleted_at IS NULL AND geom_3857 && t.e AND `+tc.cond+` ORDER BY id`, id.Z, id.X, id.Y)
			if err != nil {
				t.Fatal(err)
			}
			var exp []int64
			for rows.Next() {
				var v int64
				if err := rows.Scan(&v); err != nil {
					t.Fatal(err)
				}
				exp = append(exp, v)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if len(exp) == 0 && tc.cond != "false" && tc.f.MinAreaMu == nil {
				t.Errorf("zoom %d %s: no parcel matches; the case proves nothing", z, tc.f.Query())
			}
			slices.Sort(got)
			if fmt.Sprint(got) != fmt.Sprint(exp) {
				t.Errorf("zoom %d %s: parcels %v, want %v", z, tc.f.Query(), got, exp)
			}
		}
	}
}
