package tiles_test

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/onemap/onemap/tiles"
	"github.com/onemap/onemap/tiles/tilestest"
)

// watching starts Watch on svc until the test ends and waits until it listens.
func watching(t *testing.T, svc *tiles.Service) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	listening, stopped := make(chan struct{}, 1), make(chan struct{})
	go func() {
		svc.Watch(ctx, slog.New(slog.DiscardHandler), tiles.WatchOptions{Listening: listening})
		close(stopped)
	}()
	t.Cleanup(func() { cancel(); <-stopped })
	<-listening
}

// Two instances on one database: an edit of one parcel drops, on both, only the cached tiles
// of land and of the composite whose buffered square its outline meets (PostGIS says which);
// other tiles stay cached and the dropped ones come back with the edit.
func TestEditDropsOnlyTouchedTiles(t *testing.T) {
	pool, a := city(t, tiles.Options{CacheMB: 16})
	b, err := tiles.New(pool, tiles.Options{CacheMB: 16})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	instances := []*tiles.Service{a, b}
	for _, svc := range instances {
		watching(t, svc)
	}
	var id int64
	var lon, lat float64
	if err := pool.QueryRow(ctx, `SELECT id, ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM assets
		WHERE kind = 'land' AND stage <> 'done' ORDER BY id LIMIT 1`).Scan(&id, &lon, &lat); err != nil {
		t.Fatal(err)
	}
	type warm struct {
		l  tiles.Layer
		id tiles.TileID
	}
	var tilesWarm []warm // the parcel's tiles and others', each once
	for z := 8; z <= 17; z++ {
		for _, p := range [][2]float64{{lon, lat}, {tilestest.Lon + 0.06, tilestest.Lat}} {
			for _, l := range []tiles.Layer{tiles.Land, tiles.OneMap, tiles.Mine, tiles.Region} {
				if w := (warm{l, tiles.TileAt(z, p[0], p[1])}); !slices.Contains(tilesWarm, w) {
					tilesWarm = append(tilesWarm, w)
				}
			}
		}
	}
	fetch := func(svc *tiles.Service, w warm) *tiles.Tile {
		tile, err := svc.Tile(ctx, w.l, w.id, tiles.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		return tile
	}
	touched := map[warm]bool{}
	const touchSQL = `SELECT ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) && geom_3857 FROM assets WHERE id = $4`
	for _, w := range tilesWarm {
		var hit bool
		if err := pool.QueryRow(ctx, touchSQL, w.id.Z, w.id.X, w.id.Y, id).Scan(&hit); err != nil {
			t.Fatal(err)
		}
		touched[w] = hit && (w.l == tiles.Land || w.l == tiles.OneMap)
	}
	before := map[warm]string{}
	for _, svc := range instances {
		for _, w := range tilesWarm {
			before[w] = fetch(svc, w).ETag
		}
	}
	n0 := a.CacheStats().Entries
	if n0 == 0 || b.CacheStats().Entries != n0 {
		t.Fatalf("cached before the edit: %d and %d tiles", n0, b.CacheStats().Entries)
	}

	if _, err := pool.Exec(ctx, `UPDATE assets SET stage = 'done' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	var v int64
	if err := pool.QueryRow(ctx, `SELECT max(version) FROM data_versions`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, w := range tilesWarm {
		if !touched[w] {
			want++
		}
	}
	if want == len(tilesWarm) || want == 0 {
		t.Fatalf("the fixture touches %d of %d tiles: nothing to tell apart", len(tilesWarm)-want, len(tilesWarm))
	}
	// A request naming the new version waits for this instance's notices rather than dropping
	// everything (the entry count below tells).
	if f, err := b.Freshness(ctx, strconv.FormatInt(v, 10)); err != nil || f != tiles.Versioned {
		t.Errorf("Freshness of the new version on the other instance = %v, %v; want Versioned", f, err)
	}
	for i, svc := range instances {
		waitVersion(t, svc, v)
		if got := svc.CacheStats().Entries; got != want {
			t.Errorf("instance %d: %d tiles cached after the edit, want %d of %d", i, got, want, n0)
		}
		for _, w := range tilesWarm {
			st := svc.CacheStats()
			etag := fetch(svc, w).ETag
			hit := svc.CacheStats().Hits > st.Hits
			if hit == touched[w] {
				t.Errorf("instance %d: %s %s: cached %v after an edit touching it %v", i, w.l, w.id, hit, touched[w])
			}
			if w.l == tiles.Land && touched[w] && etag == before[w] {
				t.Errorf("instance %d: land %s unchanged by the edit", i, w.id)
			}
		}
	}
}

// waitVersion waits until svc has heard of data version v.
func waitVersion(t *testing.T, svc *tiles.Service, v int64) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if got, err := svc.Version(context.Background()); err == nil && got >= v {
			return
		}
	}
	t.Fatalf("version %d not heard", v)
}
