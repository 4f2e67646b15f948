package tiles_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/onemap/onemap/tiles"
	"github.com/onemap/onemap/tiles/tilestest"
)

// stages lists the stage of every land feature of a tile.
func stages(t *testing.T, svc *tiles.Service, id tiles.TileID) []any {
	t.Helper()
	tile, err := svc.Tile(context.Background(), tiles.Land, id, tiles.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	if l := layer(decode(t, raw(t, tile)), "land"); l != nil {
		for _, f := range l.Features {
			out = append(out, f.Properties["stage"])
		}
	}
	return out
}

func allDone(s []any) bool {
	for _, v := range s {
		if v != "done" {
			return false
		}
	}
	return len(s) > 0
}

// A committed write reaches cached parcel tiles and overview cells at once: a small one patches
// the overview as it commits; one that leaves it stale (as a bulk load) has it rebuilt once
// writes pause.
func TestWatchKeepsTilesCurrent(t *testing.T) {
	for _, tc := range []struct {
		name, sql string
		stale     bool
	}{
		{"patched", "UPDATE assets SET stage = 'done' WHERE kind = 'land'", false},
		// What a bulk statement does to the overview, on a city too small to need one.
		{"rebuilt", "UPDATE tile_state SET stale = true; UPDATE assets SET stage = 'done' WHERE kind = 'land'", true},
	} {
		t.Run(tc.name, func(t *testing.T) { testWatch(t, tc.sql, tc.stale) })
	}
}

func testWatch(t *testing.T, write string, stale bool) {
	pool, svc := city(t, tiles.Options{CacheMB: 8})
	ctx, cancel := context.WithCancel(context.Background())
	listening, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		svc.Watch(ctx, slog.New(slog.DiscardHandler), tiles.WatchOptions{
			Quiet: 100 * time.Millisecond, MaxDelay: time.Second, Listening: listening,
		})
		close(stopped)
	}()
	defer func() { cancel(); <-stopped }()
	<-listening

	parcels, cells := tiles.TileAt(15, tilestest.Lon, tilestest.Lat), tiles.TileAt(10, tilestest.Lon, tilestest.Lat)
	if allDone(stages(t, svc, parcels)) || allDone(stages(t, svc, cells)) { // now cached
		t.Fatal("the city starts with every parcel done")
	}
	if _, err := pool.Exec(ctx, "BEGIN; "+write+"; COMMIT"); err != nil {
		t.Fatal(err)
	}
	if current, err := svc.Current(ctx); err != nil || current == stale {
		t.Errorf("Current after the write = %v, %v; want %v", current, err, !stale)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !allDone(stages(t, svc, parcels)) || !allDone(stages(t, svc, cells)) {
		if time.Now().After(deadline) {
			t.Fatalf("tiles still stale: parcels %v, cells %v", stages(t, svc, parcels), stages(t, svc, cells))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if current, err := svc.Current(ctx); err != nil || !current {
		t.Errorf("Current at last = %v, %v; want true", current, err)
	}
}
