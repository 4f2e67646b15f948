package tiles

import (
	"fmt"
	"math"
	"strconv"

	"github.com/onemap/onemap/internal/problem"
)

// MaxZoom is the deepest zoom served; TileJSON advertises MaxDataZoom and clients overzoom past it.
const MaxZoom = 22

// earthHalf is half the Web-Mercator world's side in metres (EPSG:3857).
const earthHalf = 20037508.342789244

// TileID names one tile of the Web-Mercator XYZ matrix: y counts from the north.
type TileID struct {
	Z, X, Y int
}

// ParseTileID reads z, x and y as they appear in a tile URL; each fault names its parameter.
func ParseTileID(z, x, y string) (TileID, error) {
	zi, err := parseCoord("z", z, MaxZoom+1)
	if err != nil {
		return TileID{}, err
	}
	n := 1 << zi
	xi, err := parseCoord("x", x, n)
	if err != nil {
		return TileID{}, err
	}
	yi, err := parseCoord("y", y, n)
	if err != nil {
		return TileID{}, err
	}
	return TileID{Z: zi, X: xi, Y: yi}, nil
}

// parseCoord parses a whole number in [0, limit).
func parseCoord(name, s string, limit int) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, problem.Invalid(name, "%q is not a whole number", s)
	}
	if v < 0 || v >= limit {
		return 0, problem.Invalid(name, "%d is outside 0..%d", v, limit-1)
	}
	return v, nil
}

// String renders the tile as z/x/y.
func (t TileID) String() string { return fmt.Sprintf("%d/%d/%d", t.Z, t.X, t.Y) }

// Size is the tile's side in EPSG:3857 metres.
func (t TileID) Size() float64 { return 2 * earthHalf / float64(int(1)<<t.Z) }

// Bounds is the tile's envelope in EPSG:3857 metres, as ST_TileEnvelope gives it.
func (t TileID) Bounds() (minX, minY, maxX, maxY float64) {
	s := t.Size()
	minX = -earthHalf + float64(t.X)*s
	maxY = earthHalf - float64(t.Y)*s
	return minX, maxY - s, minX + s, maxY
}

// TileAt returns the tile at zoom z holding the point (lon, lat) in degrees.
func TileAt(z int, lon, lat float64) TileID {
	n := float64(int(1) << z)
	r := lat * math.Pi / 180
	x := int((lon + 180) / 360 * n)
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	clamp := func(v int) int { return min(max(v, 0), int(n)-1) }
	return TileID{Z: z, X: clamp(x), Y: clamp(y)}
}

// Morton interleaves x and y (x in the even bits): the key tile_morton gives a cell in SQL. The
// descendants at zoom z+k of the tile keyed q are exactly the keys q<<2k .. (q+1)<<2k - 1.
func Morton(x, y int) uint64 {
	return spread(uint64(x)) | spread(uint64(y))<<1
}

func spread(v uint64) uint64 {
	v &= 0xFFFFFFFF
	v = (v | v<<16) & 0x0000FFFF0000FFFF
	v = (v | v<<8) & 0x00FF00FF00FF00FF
	v = (v | v<<4) & 0x0F0F0F0F0F0F0F0F
	v = (v | v<<2) & 0x3333333333333333
	v = (v | v<<1) & 0x5555555555555555
	return v
}
