package demo

import (
	"fmt"
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
)

// How dense the parcels may get. A cell (about 1 km²) holds at most cellCap parcels while the
// city fits at that density (up to about 2.4M parcels); a bigger city raises the cap in step,
// so that the busiest cells stay capHeadroom times the mean and the seats' pull still shows
// (at 3M: 510 a cell, whose parcels are about 0.9 亩), up to cellCapMax (lots of about
// 800 m²; the 5M city's densest parcels are about 0.5 亩). Beyond that, about 5.9M parcels,
// the six counties are full and the demo refuses.
const (
	cellCap     = 400
	cellCapMax  = 1000
	capHeadroom = 1.2
)

// densityCap returns the most parcels one of cells cells may hold for a city of n parcels, or
// an error saying how many fit when n do not.
func densityCap(n, cells int) (int, error) {
	if most := maxParcels(cells); n > most {
		return 0, fmt.Errorf("demo: %d parcels do not fit: at most %d fit in the %d km² of free land of the six counties (the densest cells holding %d)", n, most, cells, cellCapMax)
	}
	return max(cellCap, int(math.Ceil(capHeadroom*float64(n)/float64(max(cells, 1))))), nil
}

// maxParcels is the largest city cells cells hold at the densest cap with its headroom.
func maxParcels(cells int) int { return int(float64(cells) * cellCapMax / capHeadroom) }

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
// the seat's nearness and the zones, at most limit per cell, rounded so that the total is
// exactly n.
func allocate(g *grid, counties []*county, zones []*zone, n, limit int) []parcelCell {
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
		if !g.parcelLand(i) {
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
	capWants(want, float64(limit))
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

// capWants limits each cell to limit parcels, handing the excess to the other cells in
// proportion to their wants (water-filling), so the total stays the same.
func capWants(want []float64, limit float64) {
	for range 20 {
		excess, free := 0.0, 0.0
		for i, w := range want {
			if w > limit {
				excess += w - limit
				want[i] = limit
			} else if w < limit {
				free += w
			}
		}
		if excess == 0 || free == 0 {
			return
		}
		k := 1 + excess/free
		for i, w := range want {
			if w < limit {
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
