package tiles_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"

	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/tiles"
	"github.com/onemap/onemap/tiles/tilestest"
)

// city returns a service over a fresh database holding the test city, its overview built.
func city(t *testing.T, opt tiles.Options) (*pgxpool.Pool, *tiles.Service) {
	t.Helper()
	pool := dbtest.New(t)
	tilestest.City(t, pool)
	svc, err := tiles.New(pool, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return pool, svc
}

// render fetches and decodes one tile.
func render(t *testing.T, svc *tiles.Service, l tiles.Layer, id tiles.TileID, f tiles.Filter) mvt.Layers {
	t.Helper()
	tile, err := svc.Tile(context.Background(), l, id, f)
	if err != nil {
		t.Fatalf("Tile(%s, %s): %v", l, id, err)
	}
	ls := decode(t, raw(t, tile))
	checkGeometry(t, ls)
	return ls
}

// raw inflates a tile's MVT bytes.
func raw(t *testing.T, tile *tiles.Tile) []byte {
	t.Helper()
	data, err := tile.Data()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestTiles runs the read-only checks on one shared city.
func TestTiles(t *testing.T) {
	pool, svc := city(t, tiles.Options{})
	t.Run("golden", func(t *testing.T) { testGolden(t, svc) })
	t.Run("composite", func(t *testing.T) { testComposite(t, svc) })
	t.Run("parcels", func(t *testing.T) { testParcels(t, svc) })
	t.Run("cells", func(t *testing.T) { testCells(t, svc) })
	t.Run("filters", func(t *testing.T) { testFilters(t, svc) })
	t.Run("empty", func(t *testing.T) { testEmpty(t, svc) })
	t.Run("morton", func(t *testing.T) { testMorton(t, pool) })
}

// The golden tiles: parcels at zoom 15, overview cells at zoom 10, every layer at both.
func testGolden(t *testing.T, svc *tiles.Service) {
	for _, tc := range []struct {
		layer tiles.Layer
		z     int
	}{{tiles.Land, 15}, {tiles.OneMap, 15}, {tiles.Land, 10}, {tiles.OneMap, 10}} {
		t.Run(fmt.Sprintf("%s-z%d", tc.layer, tc.z), func(t *testing.T) {
			ls := render(t, svc, tc.layer, tiles.TileAt(tc.z, tilestest.Lon, tilestest.Lat), tiles.Filter{})
			golden(t, fmt.Sprintf("%s-z%d", tc.layer, tc.z), dump(ls))
		})
	}
}

// The composite tile holds every layer, each feature with its layer's fields.
func testComposite(t *testing.T, svc *tiles.Service) {
	ls := render(t, svc, tiles.OneMap, tiles.TileAt(12, tilestest.Lon, tilestest.Lat), tiles.Filter{})
	// NULL columns are left out of MVT features.
	nullable := map[string]bool{"zone_code": true, "region_code": true, "parent_code": true}
	for _, p := range tiles.Parts(tiles.OneMap) {
		l := layer(ls, string(p))
		if l == nil || len(l.Features) == 0 {
			t.Errorf("layer %s missing or empty", p)
			continue
		}
		if p == tiles.Land {
			continue // cells at this zoom: checked in testCells
		}
		for _, f := range l.Features {
			for _, field := range tiles.Fields(p) {
				if _, ok := f.Properties[field.Name]; !ok && !nullable[field.Name] {
					t.Errorf("%s feature %v lacks property %s", p, f.ID, field.Name)
				}
			}
		}
	}
}

// Parcels carry their id as feature id and property, their kind's facts and derived region.
func testParcels(t *testing.T, svc *tiles.Service) {
	ls := render(t, svc, tiles.Land, tiles.TileAt(15, tilestest.Lon, tilestest.Lat), tiles.Filter{})
	l := layer(ls, "land")
	if l == nil || len(l.Features) == 0 {
		t.Fatal("no land parcels at zoom 15")
	}
	for _, f := range l.Features {
		p := f.Properties
		id, ok := f.ID.(float64)
		if !ok || p["id"] != id || p["kind"] != "land" || p["land_class_code"] == nil || p["land_status"] == nil {
			t.Errorf("parcel %v: properties %v", f.ID, p)
		}
		if p["region_code"] != tilestest.RegionWest {
			t.Errorf("parcel %v: region_code %v, want %s (derived from its location)", f.ID, p["region_code"], tilestest.RegionWest)
		}
	}
	// Below DetailMinZoom parcels carry only what styles them and their id.
	ls = render(t, svc, tiles.Land, tiles.TileAt(tiles.DetailMinZoom-1, tilestest.Lon, tilestest.Lat), tiles.Filter{})
	for _, f := range layer(ls, "land").Features {
		keys := make([]string, 0, len(f.Properties))
		for k := range f.Properties {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if got := strings.Join(keys, ","); got != "area_mu,id,kind,land_status,mode,stage" {
			t.Fatalf("zoom %d parcel properties %s", tiles.DetailMinZoom-1, got)
		}
	}
}

// Overview cells must account for every parcel, filtered or not: the two SQL branches agree.
func testCells(t *testing.T, svc *tiles.Service) {
	id := tiles.TileAt(10, tilestest.Lon, tilestest.Lat)
	for _, tc := range []struct {
		f    tiles.Filter
		want int
	}{
		{tiles.Filter{}, 2 * tilestest.ParcelsPerRegion},
		{tiles.Filter{Stages: []string{"idle"}}, 2 * tilestest.ParcelsPerRegion / 4},
		{tiles.Filter{Stages: []string{"idle", "done"}, Modes: []string{"use"}}, 2 * 6},
		{tiles.Filter{Regions: []string{tilestest.RegionEast}}, tilestest.ParcelsPerRegion},
		{tiles.Filter{Zones: []string{"NO-SUCH"}}, 0},
	} {
		t.Run(tc.f.Query(), func(t *testing.T) {
			ls := render(t, svc, tiles.Land, id, tc.f)
			got := 0
			if l := layer(ls, "land"); l != nil {
				for _, f := range l.Features {
					got += int(f.Properties["count"].(float64))
					if len(tc.f.Stages) == 1 && f.Properties["stage"] != tc.f.Stages[0] {
						t.Errorf("cell stage %v under filter %v", f.Properties["stage"], tc.f.Stages)
					}
				}
			}
			if got != tc.want {
				t.Errorf("cells count %d parcels, want %d", got, tc.want)
			}
		})
	}
}

// Filters keep exactly the features that match, per layer as Filter documents.
func testFilters(t *testing.T, svc *tiles.Service) {
	features := func(l tiles.Layer, z int, f tiles.Filter, name string) []*geojson.Feature {
		if ml := layer(render(t, svc, l, tiles.TileAt(z, tilestest.Lon, tilestest.Lat), f), name); ml != nil {
			return ml.Features
		}
		return nil
	}
	// Parcels: the filtered tile holds the unfiltered tile's features that match, no more, no less.
	for _, tc := range []struct {
		z     int
		f     tiles.Filter
		match func(p map[string]any) bool
	}{
		{14, tiles.Filter{Stages: []string{"planned"}}, func(p map[string]any) bool { return p["stage"] == "planned" }},
		{14, tiles.Filter{Modes: []string{"sell", "lease"}, Stages: []string{"idle", "done"}}, func(p map[string]any) bool {
			return (p["mode"] == "sell" || p["mode"] == "lease") && (p["stage"] == "idle" || p["stage"] == "done")
		}},
		{15, tiles.Filter{Zones: []string{tilestest.ZoneCode}}, func(p map[string]any) bool { return p["zone_code"] == tilestest.ZoneCode }},
		{15, tiles.Filter{Regions: []string{tilestest.RegionEast}}, func(p map[string]any) bool { return false }},
	} {
		var want []any
		for _, ft := range features(tiles.Land, tc.z, tiles.Filter{}, "land") {
			if tc.match(ft.Properties) {
				want = append(want, ft.ID)
			}
		}
		var got []any
		for _, ft := range features(tiles.Land, tc.z, tc.f, "land") {
			got = append(got, ft.ID)
		}
		if len(want) == 0 && tc.f.Regions == nil {
			t.Errorf("zoom %d %s: no parcel of the tile matches; the case proves nothing", tc.z, tc.f.Query())
		}
		slices.SortFunc(want, cmpID)
		slices.SortFunc(got, cmpID)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("zoom %d %s: parcels %v, want %v", tc.z, tc.f.Query(), got, want)
		}
	}
	// The other layers, at a zoom showing them all.
	for _, tc := range []struct {
		f     tiles.Filter
		layer string
		want  int
	}{
		{tiles.Filter{}, "zone", 1},
		{tiles.Filter{Zones: []string{tilestest.ZoneCode}}, "zone", 1},
		{tiles.Filter{Regions: []string{tilestest.RegionEast}}, "zone", 0},
		{tiles.Filter{}, "region", 2},
		{tiles.Filter{Regions: []string{tilestest.RegionEast}}, "region", 1},
		{tiles.Filter{}, "mine", 1},
		{tiles.Filter{Stages: []string{"idle"}}, "mine", 0},
		{tiles.Filter{Stages: []string{"planned"}}, "mine", 1},
	} {
		if got := len(features(tiles.OneMap, 13, tc.f, tc.layer)); got != tc.want {
			t.Errorf("%s under %q: %d features, want %d", tc.layer, tc.f.Query(), got, tc.want)
		}
	}
}

func cmpID(a, b any) int { return int(a.(float64) - b.(float64)) }

// A tile where nothing lies has no bytes at all.
func testEmpty(t *testing.T, svc *tiles.Service) {
	for _, l := range tiles.Layers() {
		tile, err := svc.Tile(context.Background(), l, tiles.TileAt(14, 2.35, 48.85), tiles.Filter{})
		if err != nil || tile.Size != 0 {
			t.Errorf("%s tile over Paris: %d bytes, %v; want none", l, tile.Size, err)
		}
	}
}

// The SQL cell key equals the Go one.
func testMorton(t *testing.T, pool *pgxpool.Pool) {
	for _, c := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {3, 5}, {107150, 54300}, {1<<22 - 1, 1<<22 - 3}} {
		var got uint64
		if err := pool.QueryRow(context.Background(), "SELECT tile_morton($1, $2)", c[0], c[1]).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := tiles.Morton(c[0], c[1]); got != want {
			t.Errorf("tile_morton(%d, %d) = %d, Go says %d", c[0], c[1], got, want)
		}
	}
}
