package offline

import (
	"fmt"
	"slices"

	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/onemap/onemap/tiles"
)

// planned is one tile to render and its PMTiles tile ID.
type planned struct {
	id  uint64
	zxy tiles.TileID
}

// plan lists every tile of zooms minZoom..maxZoom touching bounds (minlon, minlat, maxlon, maxlat),
// in tile-ID order, the order a clustered archive stores them in.
func plan(bounds [4]float64, minZoom, maxZoom int) ([]planned, error) {
	if minZoom < 0 || maxZoom > tiles.MaxZoom || minZoom > maxZoom {
		return nil, fmt.Errorf("offline: zooms %d..%d: want 0 <= min <= max <= %d", minZoom, maxZoom, tiles.MaxZoom)
	}
	if bounds[0] >= bounds[2] || bounds[1] >= bounds[3] {
		return nil, fmt.Errorf("offline: bounds %v: want minlon < maxlon and minlat < maxlat", bounds)
	}
	var out []planned
	for z := minZoom; z <= maxZoom; z++ {
		nw, se := tiles.TileAt(z, bounds[0], bounds[3]), tiles.TileAt(z, bounds[2], bounds[1])
		for x := nw.X; x <= se.X; x++ {
			for y := nw.Y; y <= se.Y; y++ {
				out = append(out, planned{pmtiles.ZxyToID(uint8(z), uint32(x), uint32(y)), tiles.TileID{Z: z, X: x, Y: y}})
			}
		}
	}
	slices.SortFunc(out, func(a, b planned) int { return cmpUint(a.id, b.id) })
	return out, nil
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
