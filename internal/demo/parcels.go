package demo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Shares of the parcels that follow each pull: development zones, county seats, and the
// countryside at large.
const (
	shareZone  = 0.20
	shareSeat  = 0.36
	shareRural = 0.44
	seatSigmaM = 5000.0 // how far the seat's pull reaches (Gaussian σ)
	cellCap    = 400    // most parcels in one cell (about 1 km²), however many are asked for
)

// parcelCell is one grid cell's share of the parcels, in Hilbert order.
type parcelCell struct {
	cell  int
	n     int     // parcels in it
	first int     // number of its first parcel within the county (1-based)
	pSeat float64 // chance that a parcel outside any zone is a town parcel rather than a rural one
	// zoneShare is the share of the cell's parcels drawn by a zone: they go inside it.
	zoneShare float64
	zoned     bool // the cell touches a zone (parcels test which)
}

// allocate spreads n parcels over the free and zone cells: weight from the county's size,
// the seat's nearness and the zones, capped per cell, rounded so that the total is exactly n.
func allocate(g *grid, counties []*county, zones []*zone, n int) []parcelCell {
	type cand struct {
		pc                  parcelCell
		h                   int
		rural, seat, inZone float64
	}
	var cs []cand
	var sumR, sumS, sumZ float64
	side := 1
	for side < max(g.nx, g.ny) {
		side *= 2
	}
	for i, o := range g.owner {
		if o < 0 || (g.use[i] != cellFree && g.use[i] != cellZone) {
			continue
		}
		c := counties[o]
		b := g.bound(i)
		d := km(c.seat, b.Center()) * 1000
		cd := cand{pc: parcelCell{cell: i, zoned: g.use[i] == cellZone}, h: hilbert(side, i%g.nx, i/g.nx), rural: c.weight}
		cd.seat = c.weight * math.Exp(-d*d/(2*seatSigmaM*seatSigmaM))
		if cd.pc.zoned {
			cd.inZone = zoneFraction(zones, b)
		}
		sumR, sumS, sumZ = sumR+cd.rural, sumS+cd.seat, sumZ+cd.inZone
		cs = append(cs, cd)
	}
	slices.SortFunc(cs, func(a, b cand) int { return a.h - b.h })
	want := make([]float64, len(cs))
	for i, cd := range cs {
		town, rural, zoned := shareSeat*cd.seat/sumS, shareRural*cd.rural/sumR, shareZone*cd.inZone/sumZ
		want[i] = float64(n) * (town + rural + zoned)
		cs[i].pc.pSeat = town / (town + rural)
		cs[i].pc.zoneShare = zoned / (town + rural + zoned)
	}
	capWants(want)
	out := make([]parcelCell, 0, len(cs))
	next := make([]int, len(counties))
	acc, done := 0.0, 0
	for i, cd := range cs {
		acc += want[i]
		k := min(int(math.Round(acc))-done, n-done)
		if k <= 0 {
			continue
		}
		done += k
		o := g.owner[cd.pc.cell]
		cd.pc.n, cd.pc.first = k, next[o]+1
		next[o] += k
		out = append(out, cd.pc)
	}
	return out
}

// capWants limits each cell to cellCap parcels, handing the excess to the other cells in
// proportion to their wants (water-filling), so the total stays the same.
func capWants(want []float64) {
	for range 20 {
		excess, free := 0.0, 0.0
		for i, w := range want {
			if w > cellCap {
				excess += w - cellCap
				want[i] = cellCap
			} else if w < cellCap {
				free += w
			}
		}
		if excess == 0 || free == 0 {
			return
		}
		k := 1 + excess/free
		for i, w := range want {
			if w < cellCap {
				want[i] = w * k
			}
		}
	}
}

// zoneFraction estimates the share of b inside some zone from a 4×4 sample.
func zoneFraction(zones []*zone, b orb.Bound) float64 {
	in := 0
	for y := range 4 {
		for x := range 4 {
			p := orb.Point{
				b.Min[0] + (float64(x)+0.5)*(b.Max[0]-b.Min[0])/4,
				b.Min[1] + (float64(y)+0.5)*(b.Max[1]-b.Min[1])/4,
			}
			if zoneAt(zones, p) != nil {
				in++
			}
		}
	}
	return float64(in) / 16
}
