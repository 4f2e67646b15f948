package tiles

import (
	"encoding/json"
)

// notice is one message on Channel (migrations/019_tiles_incremental.sql writes them): the layers
// a statement changed with the Web-Mercator box of their old and new geometries, whether it left
// the overview stale; or, last at each commit, the data version it took.
type notice struct {
	Table   string               `json:"table"`
	Layers  map[Layer][4]float64 `json:"layers"`
	Stale   bool                 `json:"stale"`
	Version int64                `json:"version"`
}

// parseNotice reads a payload; anything else than the JSON above (an older server's table name,
// "overview" from Refresh) reads as a change of unknown reach, which drops every tile.
func parseNotice(payload string) (n notice, known bool) {
	if err := json.Unmarshal([]byte(payload), &n); err != nil {
		return notice{}, false
	}
	return n, n.Version > 0 || n.Layers != nil
}

// reach returns the tiles a change of these layers within these boxes can alter: a tile of one
// of the layers, or of the composite, whose buffered square (the statements read features within
// 64 of 4096 units around it) meets a box. An overview cell lies at the centre of its parcel's
// box, so the overview tiles a parcel's edit alters are among them too.
func reach(boxes map[Layer][4]float64) func(tileAddr) bool {
	return func(at tileAddr) bool {
		if at.layer == OneMap {
			for _, b := range boxes {
				if touches(at.id, b) {
					return true
				}
			}
			return false
		}
		b, ok := boxes[at.layer]
		return ok && touches(at.id, b)
	}
}

// touches tells whether box b (xmin, ymin, xmax, ymax in EPSG:3857) meets tile t's buffered
// square, with a hair more margin against rounding.
func touches(t TileID, b [4]float64) bool {
	minX, minY, maxX, maxY := t.Bounds()
	m := t.Size() * (64.0/4096 + 1e-6)
	return b[0] <= maxX+m && b[2] >= minX-m && b[1] <= maxY+m && b[3] >= minY-m
}

// apply drops what the notice's change reaches from the cache; it returns how many tiles went.
func (s *Service) apply(n notice, known bool) int {
	if s.cache == nil {
		return 0
	}
	switch {
	case !known:
		return s.cache.drop(nil)
	case len(n.Layers) == 0:
		return 0
	}
	return s.cache.drop(reach(n.Layers))
}
