package demo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// cellDeg is the side of a grid cell in degrees (about 0.97 km × 1.1 km at Xianning's latitude).
const cellDeg = 0.01

// Cell uses: what a cell is reserved for.
const (
	cellFree     uint8 = iota // parcels may go here
	cellZone                  // inside a development zone's bound: parcels yes, other assets no
	cellObject                // a lake, reservoir, forest or mine: no parcels
	cellBuilding              // the idle buildings of a county seat: no parcels
)

// grid is a lon/lat raster over the city. A cell belongs to a county only when it lies wholly
// inside that county (no boundary edge touches it), so anything drawn inside a county's cells is
// inside the county: no point-in-polygon test per parcel, and no parcel straddles a border.
type grid struct {
	lon0, lat0 float64
	nx, ny     int
	owner      []int8  // county index, -1 for outside or on a boundary
	use        []uint8 // cellFree, cellZone, ...
}

// parcelLand reports whether cell i may hold parcels: inside a county, free or in a zone.
func (g *grid) parcelLand(i int) bool {
	return g.owner[i] >= 0 && (g.use[i] == cellFree || g.use[i] == cellZone)
}

// parcelCells counts the cells that may hold parcels.
func (g *grid) parcelCells() int {
	n := 0
	for i := range g.owner {
		if g.parcelLand(i) {
			n++
		}
	}
	return n
}

func newGrid(counties []*county) *grid {
	var b orb.Bound
	for i, c := range counties {
		if i == 0 {
			b = c.bound
		}
		b = b.Union(c.bound)
	}
	g := &grid{lon0: math.Floor(b.Min[0]/cellDeg) * cellDeg, lat0: math.Floor(b.Min[1]/cellDeg) * cellDeg}
	g.nx = int(math.Ceil((b.Max[0]-g.lon0)/cellDeg)) + 1
	g.ny = int(math.Ceil((b.Max[1]-g.lat0)/cellDeg)) + 1
	g.owner = make([]int8, g.nx*g.ny)
	g.use = make([]uint8, g.nx*g.ny)
	boundary := make([]bool, g.nx*g.ny)
	for _, c := range counties {
		g.markEdges(c.shape, boundary)
	}
	for i := range g.owner {
		g.owner[i] = -1
	}
	for _, c := range counties {
		g.fill(c, boundary)
	}
	return g
}

// fill gives county c every cell off the boundary whose centre lies inside it, row by row: the
// crossings of the row's centre line with the outline, paired (even-odd), bracket the inside.
func (g *grid) fill(c *county, boundary []bool) {
	var xs []float64
	for y := range g.ny {
		lat := g.lat0 + (float64(y)+0.5)*cellDeg
		xs = xs[:0]
		for _, p := range c.shape {
			for _, r := range p {
				for k := 1; k < len(r); k++ {
					a, b := r[k-1], r[k]
					if (a[1] > lat) != (b[1] > lat) {
						xs = append(xs, a[0]+(lat-a[1])*(b[0]-a[0])/(b[1]-a[1]))
					}
				}
			}
		}
		slices.Sort(xs)
		for k := 0; k+1 < len(xs); k += 2 {
			x0 := max(0, int(math.Ceil((xs[k]-g.lon0)/cellDeg-0.5)))
			x1 := min(g.nx-1, int(math.Floor((xs[k+1]-g.lon0)/cellDeg-0.5)))
			for x := x0; x <= x1; x++ {
				if i := y*g.nx + x; !boundary[i] {
					g.owner[i] = int8(c.idx)
				}
			}
		}
	}
}

// markEdges flags every cell an edge's bound touches: conservative, so an unflagged cell is
// wholly inside or wholly outside each county.
func (g *grid) markEdges(mp orb.MultiPolygon, boundary []bool) {
	for _, p := range mp {
		for _, r := range p {
			for k := 1; k < len(r); k++ {
				eb := orb.Bound{Min: r[k-1], Max: r[k-1]}.Extend(r[k])
				g.eachCell(eb, func(i int) bool { boundary[i] = true; return true })
			}
		}
	}
}

// index returns the cell holding p and whether p lies on the grid.
func (g *grid) index(p orb.Point) (int, bool) {
	x := int(math.Floor((p[0] - g.lon0) / cellDeg))
	y := int(math.Floor((p[1] - g.lat0) / cellDeg))
	if x < 0 || y < 0 || x >= g.nx || y >= g.ny {
		return 0, false
	}
	return y*g.nx + x, true
}

// bound returns cell i's extent.
func (g *grid) bound(i int) orb.Bound {
	x, y := i%g.nx, i/g.nx
	lon, lat := g.lon0+float64(x)*cellDeg, g.lat0+float64(y)*cellDeg
	return orb.Bound{Min: orb.Point{lon, lat}, Max: orb.Point{lon + cellDeg, lat + cellDeg}}
}

// eachCell calls fn for every cell b touches (clamped to the grid) until fn returns false; it
// reports whether b lay wholly on the grid and fn never stopped.
func (g *grid) eachCell(b orb.Bound, fn func(i int) bool) bool {
	x0, y0 := int(math.Floor((b.Min[0]-g.lon0)/cellDeg)), int(math.Floor((b.Min[1]-g.lat0)/cellDeg))
	x1, y1 := int(math.Floor((b.Max[0]-g.lon0)/cellDeg)), int(math.Floor((b.Max[1]-g.lat0)/cellDeg))
	whole := x0 >= 0 && y0 >= 0 && x1 < g.nx && y1 < g.ny
	for y := max(y0, 0); y <= min(y1, g.ny-1); y++ {
		for x := max(x0, 0); x <= min(x1, g.nx-1); x++ {
			if !fn(y*g.nx + x) {
				return false
			}
		}
	}
	return whole
}

// fits reports whether every cell b touches is inside county c and has one of the allowed uses.
func (g *grid) fits(b orb.Bound, c int, allowed ...uint8) bool {
	return g.eachCell(b, func(i int) bool {
		if int(g.owner[i]) != c {
			return false
		}
		for _, u := range allowed {
			if g.use[i] == u {
				return true
			}
		}
		return false
	})
}

// reserve marks every cell b touches with use.
func (g *grid) reserve(b orb.Bound, use uint8) {
	g.eachCell(b, func(i int) bool { g.use[i] = use; return true })
}

// hilbert is the distance of cell (x, y) along a Hilbert curve over an n×n square (n a power of
// two): parcels are written in this order so that neighbours on the map share disk pages.
func hilbert(n, x, y int) int {
	d := 0
	for s := n / 2; s > 0; s /= 2 {
		rx, ry := 0, 0
		if x&s > 0 {
			rx = 1
		}
		if y&s > 0 {
			ry = 1
		}
		d += s * s * ((3 * rx) ^ ry)
		if ry == 0 {
			if rx == 1 {
				x, y = s-1-x, s-1-y
			}
			x, y = y, x
		}
	}
	return d
}
