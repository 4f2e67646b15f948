package tiles

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
)

// Tile coordinates: extent units a side, features kept up to buffer units beyond the edges.
const (
	extent = 4096
	buffer = 64
)

// MVT geometry commands.
const (
	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

var errWKB = errors.New("tiles: unreadable WKB polygon")

// grid maps EPSG:3857 metres to one tile's coordinates: x' = (x - x0) * scale,
// y' = (y0 - y) * scale, the arithmetic of ST_TransScale that drew parcels inside the buffer
// before (land.sql).
type grid struct {
	x0, y0, scale float64
}

func newGrid(t TileID) grid {
	minX, _, maxX, maxY := t.Bounds()
	return grid{x0: minX, y0: maxY, scale: extent / (maxX - minX)}
}

// polygons turns (multi)polygons given as WKB in EPSG:3857 into MVT polygon commands on one
// tile's grid, as ST_AsMVTGeom would: a polygon wholly within the tile and its buffer is only
// moved, scaled and snapped (ST_SnapToGrid's rounding, half to even); one reaching past the
// buffer is first clipped to it (Sutherland–Hodgman, orb/clip). Repeated points go; a ring
// left with fewer than three points or no area goes, and with an exterior ring its holes;
// exterior rings are turned to positive area in tile coordinates (clockwise on screen), holes
// to negative. Its buffers are reused from feature to feature.
type polygons struct {
	g     grid
	wkb   wkbReader
	rings []orb.Ring // the current feature's rings in tile coordinates, before rounding
	poly  []int      // how many rings each polygon of the feature has
	pts   [][2]int32 // one ring, rounded
	cmds  []uint32
}

// encode returns the commands of one feature's geometry, empty when nothing is left of it. The
// slice is valid until the next call.
func (p *polygons) encode(wkb []byte) ([]uint32, error) {
	if err := p.read(wkb); err != nil {
		return nil, err
	}
	box := orb.Bound{Min: orb.Point{-buffer, -buffer}, Max: orb.Point{extent + buffer, extent + buffer}}
	b := p.bound()
	inside := box.Contains(b.Min) && box.Contains(b.Max)
	p.cmds = p.cmds[:0]
	var cx, cy int32
	r := 0
	for _, n := range p.poly {
		for i := range n {
			ring := p.rings[r+i]
			if !inside {
				ring = clip.Ring(box, ring)
			}
			area := p.round(ring)
			if area == 0 {
				if i == 0 {
					break // no exterior, no holes
				}
				continue
			}
			if (i == 0) != (area > 0) {
				reverse(p.pts[1:]) // as ST_ForcePolygonCW turns a ring: from the same start
			}
			cx, cy = p.ring(cx, cy)
		}
		r += n
	}
	return p.cmds, nil
}

// read fills rings and poly from a WKB Polygon or MultiPolygon, in tile coordinates.
func (p *polygons) read(wkb []byte) error {
	p.rings, p.poly = p.rings[:0], p.poly[:0]
	p.wkb = wkbReader{b: wkb}
	switch p.wkb.header() {
	case 3:
		return p.polygon()
	case 6:
		n := p.wkb.count()
		for range n {
			if p.wkb.header() != 3 {
				return errWKB
			}
			if err := p.polygon(); err != nil {
				return err
			}
		}
		return p.wkb.err
	}
	return errWKB
}

// polygon reads the rings of one WKB polygon (its header read).
func (p *polygons) polygon() error {
	n := p.wkb.count()
	for range n {
		m := p.wkb.count()
		if p.wkb.err != nil || int(m) > len(p.wkb.b)/16 {
			return errWKB
		}
		k := len(p.rings)
		if k < cap(p.rings) {
			p.rings = p.rings[:k+1]
		} else {
			p.rings = append(p.rings, nil)
		}
		ring := p.rings[k][:0]
		for range m {
			x, y := p.wkb.float(), p.wkb.float()
			ring = append(ring, orb.Point{(x - p.g.x0) * p.g.scale, (p.g.y0 - y) * p.g.scale})
		}
		p.rings[k] = ring
	}
	p.poly = append(p.poly, int(n))
	return p.wkb.err
}

// bound is the box around every ring of the feature.
func (p *polygons) bound() orb.Bound {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, r := range p.rings {
		for _, q := range r {
			b.Min[0], b.Min[1] = min(b.Min[0], q[0]), min(b.Min[1], q[1])
			b.Max[0], b.Max[1] = max(b.Max[0], q[0]), max(b.Max[1], q[1])
		}
	}
	return b
}

// round snaps ring to the grid into pts, dropping repeated points and the closing one, and
// returns twice its signed area (0 for fewer than three points).
func (p *polygons) round(ring orb.Ring) int64 {
	p.pts = p.pts[:0]
	for _, q := range ring {
		pt := [2]int32{int32(math.RoundToEven(q[0])), int32(math.RoundToEven(q[1]))}
		if n := len(p.pts); n == 0 || p.pts[n-1] != pt {
			p.pts = append(p.pts, pt)
		}
	}
	for len(p.pts) > 1 && p.pts[len(p.pts)-1] == p.pts[0] {
		p.pts = p.pts[:len(p.pts)-1]
	}
	if len(p.pts) < 3 {
		return 0
	}
	var a int64
	for i, q := range p.pts {
		r := p.pts[(i+1)%len(p.pts)]
		a += int64(q[0])*int64(r[1]) - int64(r[0])*int64(q[1])
	}
	return a
}

// ring appends pts as MoveTo, LineTo and ClosePath from the cursor (cx, cy) and returns the
// cursor after it.
func (p *polygons) ring(cx, cy int32) (int32, int32) {
	p.cmds = append(p.cmds, command(cmdMoveTo, 1))
	for i, q := range p.pts {
		if i == 1 {
			p.cmds = append(p.cmds, command(cmdLineTo, len(p.pts)-1))
		}
		p.cmds = append(p.cmds, zigzag(q[0]-cx), zigzag(q[1]-cy))
		cx, cy = q[0], q[1]
	}
	p.cmds = append(p.cmds, command(cmdClosePath, 1))
	return cx, cy
}

func command(id, count int) uint32 { return uint32(id&7 | count<<3) }

func zigzag(v int32) uint32 { return uint32(v<<1) ^ uint32(v>>31) }

func reverse(pts [][2]int32) {
	for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
		pts[i], pts[j] = pts[j], pts[i]
	}
}

// wkbReader reads the parts of WKB that polygons need; a read past the end sets err.
type wkbReader struct {
	b   []byte
	ord binary.ByteOrder
	err error
}

// header reads a geometry's byte order and type.
func (r *wkbReader) header() uint32 {
	if len(r.b) < 5 {
		r.err = errWKB
		return 0
	}
	r.ord = binary.ByteOrder(binary.LittleEndian)
	if r.b[0] == 0 {
		r.ord = binary.BigEndian
	}
	r.b = r.b[1:]
	return r.count()
}

func (r *wkbReader) count() uint32 {
	if len(r.b) < 4 || r.ord == nil {
		r.err = errWKB
		return 0
	}
	v := r.ord.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *wkbReader) float() float64 {
	if len(r.b) < 8 {
		r.err = errWKB
		return 0
	}
	v := math.Float64frombits(r.ord.Uint64(r.b))
	r.b = r.b[8:]
	return v
}
