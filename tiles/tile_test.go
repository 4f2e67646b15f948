package tiles

import (
	"errors"
	"math"
	"net/url"
	"testing"

	"github.com/onemap/onemap/internal/problem"
)

// invalidParam returns the one parameter a problem names, or "".
func invalidParam(err error) string {
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Status != 400 || len(pe.Params) != 1 {
		return ""
	}
	return pe.Params[0].Name
}

func TestParseTileID(t *testing.T) {
	for _, tc := range []struct {
		z, x, y string
		want    TileID
		param   string
	}{
		{"0", "0", "0", TileID{0, 0, 0}, ""},
		{"22", "4194303", "4194303", TileID{22, 4194303, 4194303}, ""},
		{"14", "13393", "6767", TileID{14, 13393, 6767}, ""},
		{"23", "0", "0", TileID{}, "z"},
		{"-1", "0", "0", TileID{}, "z"},
		{"1e3", "0", "0", TileID{}, "z"},
		{"2", "4", "0", TileID{}, "x"},
		{"2", "-1", "0", TileID{}, "x"},
		{"2", "0", "4", TileID{}, "y"},
		{"2", "0", "", TileID{}, "y"},
	} {
		got, err := ParseTileID(tc.z, tc.x, tc.y)
		if got != tc.want || invalidParam(err) != tc.param || (tc.param == "") != (err == nil) {
			t.Errorf("ParseTileID(%q, %q, %q) = %v, %v; want %v naming %q", tc.z, tc.x, tc.y, got, err, tc.want, tc.param)
		}
	}
}

func TestTileGeometry(t *testing.T) {
	id := TileAt(14, 114.2987, 29.8529)
	if id != (TileID{14, 13393, 6767}) {
		t.Fatalf("TileAt = %v", id)
	}
	minX, minY, maxX, maxY := id.Bounds()
	if math.Abs(maxX-minX-id.Size()) > 1e-6 || math.Abs(maxY-minY-id.Size()) > 1e-6 || math.Abs(id.Size()-2445.98) > 0.01 {
		t.Errorf("bounds %v %v %v %v, size %v", minX, minY, maxX, maxY, id.Size())
	}
	// 114.2987°E in Web Mercator metres lies inside the tile's x range.
	if x := 114.2987 * earthHalf / 180; x < minX || x > maxX {
		t.Errorf("x %v outside %v..%v", x, minX, maxX)
	}
	if TileAt(3, 180, -89) != (TileID{3, 7, 7}) {
		t.Errorf("TileAt clamps to the matrix: %v", TileAt(3, 180, -89))
	}
}

// A tile's cells CellShift levels down are exactly the keys of one contiguous range, the
// property the overview's range scans rely on.
func TestMortonRanges(t *testing.T) {
	const k = 2
	tile := TileID{3, 5, 2}
	lo := Morton(tile.X, tile.Y) << (2 * k)
	hi := (Morton(tile.X, tile.Y)+1)<<(2*k) - 1
	seen := 0
	for cx := range 1 << (tile.Z + k) {
		for cy := range 1 << (tile.Z + k) {
			q := Morton(cx, cy)
			inside := cx>>k == tile.X && cy>>k == tile.Y
			if inside != (q >= lo && q <= hi) {
				t.Fatalf("cell %d,%d key %d: inside=%v, range %d..%d", cx, cy, q, inside, lo, hi)
			}
			if inside {
				seen++
			}
		}
	}
	if seen != 1<<(2*k) {
		t.Errorf("%d cells inside, want %d", seen, 1<<(2*k))
	}
}

func TestParseLayer(t *testing.T) {
	for _, name := range []string{"land", "mine", "forest", "water", "building", "zone", "region", "onemap"} {
		if l, err := ParseLayer(name); err != nil || string(l) != name {
			t.Errorf("ParseLayer(%q) = %q, %v", name, l, err)
		}
	}
	for _, name := range []string{"", "Land", "roads", "onemap.json"} {
		if _, err := ParseLayer(name); invalidParam(err) != "layer" {
			t.Errorf("ParseLayer(%q): %v, want a 400 naming layer", name, err)
		}
	}
}

func TestParseFilter(t *testing.T) {
	query := func(v url.Values) func(string) string { return v.Get }
	f, err := ParseFilter(query(url.Values{
		"stage": {"planned, idle,idle,"}, "mode": {"sell"}, "region": {"421202,421281"}, "zone": {"高新区-1"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Query(); got != "mode=sell&region=421202%2C421281&stage=idle%2Cplanned&zone=%E9%AB%98%E6%96%B0%E5%8C%BA-1" {
		t.Errorf("Query() = %s", got)
	}
	if f, err := ParseFilter(query(url.Values{})); err != nil || !f.IsZero() || f.Query() != "" {
		t.Errorf("no filters: %+v, %v", f, err)
	}
	many := "idle" // 65 values, each fine: too many
	for range 64 {
		many += ",idle"
	}
	for _, tc := range []struct{ param, value string }{
		{"stage", "sold"},
		{"stage", many},
		{"mode", "idle"},
		{"region", "4212"},
		{"region", "42120a"},
		{"zone", "a b"},
		{"zone", "x;DROP"},
	} {
		if _, err := ParseFilter(query(url.Values{tc.param: {tc.value}})); invalidParam(err) != tc.param {
			t.Errorf("%s=%q: %v, want a 400 naming %s", tc.param, tc.value, err, tc.param)
		}
	}
}

func TestPoolURL(t *testing.T) {
	got, err := url.Parse(PoolURL("postgres://u@h:5432/db?sslmode=disable"))
	if err != nil {
		t.Fatal(err)
	}
	q := got.Query()
	if q.Get("sslmode") != "disable" || q.Get("max_parallel_workers_per_gather") != "0" || q.Get("jit") != "off" ||
		q.Get("plan_cache_mode") != "force_generic_plan" || got.Path != "/db" {
		t.Errorf("PoolURL = %s", got)
	}
	if dsn := "host=h dbname=db"; PoolURL(dsn) != dsn {
		t.Errorf("a key=value DSN is changed: %s", PoolURL(dsn))
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	tile := func(n int) *Tile { return &Tile{gz: make([]byte, n)} }
	at := tileAddr{Land, TileID{Z: 1}}
	c := newCache(100_000) // each 21,000-byte tile costs about 21,300
	for _, k := range []string{"a", "b", "c", "d"} {
		c.add(k, at, tile(21_000), 0)
	}
	if _, ok := c.get("a"); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	c.add("e", at, tile(21_000), 0) // over the limit: b, the least recent, goes
	if _, ok := c.get("b"); ok {
		t.Error("b kept; want it evicted")
	}
	for _, k := range []string{"a", "c", "d", "e"} {
		if _, ok := c.get(k); !ok {
			t.Errorf("%s evicted", k)
		}
	}
	c.add("huge", at, tile(30_000), 0) // over a quarter of the cache: not kept
	if st := c.stats(); st.Entries != 4 || st.Hits != 5 || st.Misses != 1 {
		t.Errorf("huge kept or others lost, or lookups miscounted: %+v", st)
	}
	if n := c.drop(nil); n != 4 || c.stats().Entries != 0 || c.used != 0 {
		t.Errorf("drop(nil) dropped %d; after it %+v", n, c.stats())
	}
	if newCache(0) != nil {
		t.Error("a disabled cache exists")
	}
}

// A drop forgets the tiles it reaches, and a render begun before a drop that reaches its tile is
// not kept; a render begun before the log's memory is not kept either.
func TestCacheDropsWhatAChangeReaches(t *testing.T) {
	c := newCache(1 << 20)
	tile := &Tile{gz: []byte{1}}
	z10 := TileAt(10, 114.3, 29.8)
	z16 := TileAt(16, 114.3, 29.8)
	far := TileAt(16, 116, 31)
	for _, id := range []TileID{z10, z16, far} {
		c.add("land/"+id.String(), tileAddr{Land, id}, tile, 0)
		c.add("onemap/"+id.String(), tileAddr{OneMap, id}, tile, 0)
		c.add("mine/"+id.String(), tileAddr{Mine, id}, tile, 0)
	}
	minX, minY, _, _ := z16.Bounds()
	box := map[Layer][4]float64{Land: {minX + 1, minY + 1, minX + 2, minY + 2}}
	before := c.generation()
	if n := c.drop(reach(box)); n != 4 { // land and onemap at z10 and z16
		t.Errorf("dropped %d tiles, want 4", n)
	}
	for _, k := range []string{"land/" + far.String(), "onemap/" + far.String(), "mine/" + z16.String()} {
		if _, ok := c.get(k); !ok {
			t.Errorf("%s dropped", k)
		}
	}
	c.add("land/"+z16.String(), tileAddr{Land, z16}, tile, before)
	c.add("mine/"+z10.String()+"?x", tileAddr{Mine, z10}, tile, before)
	if _, ok := c.get("land/" + z16.String()); ok {
		t.Error("a render begun before the drop that reached it was kept")
	}
	if _, ok := c.get("mine/" + z10.String() + "?x"); !ok {
		t.Error("a render begun before a drop that did not reach it was not kept")
	}
	for range dropLog + 1 {
		c.drop(reach(map[Layer][4]float64{}))
	}
	c.add("mine/"+far.String()+"?old", tileAddr{Mine, far}, tile, before)
	if _, ok := c.get("mine/" + far.String() + "?old"); ok {
		t.Error("a render older than the drop log was kept")
	}
}
