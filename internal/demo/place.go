package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// site says where an asset may go: near a nominal point (searched in a widening spiral around
// it), or anywhere in the county at a distance from its seat within [minKm, maxKm].
type site struct {
	near         orb.Point
	minKm, maxKm float64
}

// goldenAngle spreads spiral candidates evenly (a sunflower pattern).
const goldenAngle = 2.399963229728653 // π(3 − √5)

// candidate returns the attempt-th centre to try for s in county c.
func (g *grid) candidate(r *rand.Rand, c *county, s site, attempt int) orb.Point {
	if s.near != (orb.Point{}) {
		f := newFrame(s.near)
		rad := 700 * math.Sqrt(float64(attempt))
		t := goldenAngle * float64(attempt)
		return f.lonLat(rad*math.Cos(t), rad*math.Sin(t))
	}
	f := newFrame(c.seat)
	rad := 1000 * between(r, s.minKm, s.maxKm)
	t := 2 * math.Pi * r.Float64()
	return f.lonLat(rad*math.Cos(t), rad*math.Sin(t))
}

// place tries outlines from shape at candidate centres until one lies wholly in cells of county
// c whose use is one of allowed; it reserves those cells with use and returns the polygon, or
// false when no candidate fits. A crowded county gets the outline shrunk by a fifth every 150
// tries, so that every seed finds room.
func (g *grid) place(r *rand.Rand, c *county, s site, shape func() [][2]float64, use uint8, allowed ...uint8) (orb.Polygon, bool) {
	scale := 1.0
	for attempt := range 1200 {
		if attempt > 0 && attempt%150 == 0 {
			scale *= 0.8
		}
		centre := g.candidate(r, c, s, attempt%600)
		pts := shape()
		for i := range pts {
			pts[i][0] *= scale
			pts[i][1] *= scale
		}
		poly := polygonAt(centre, pts)
		if b := poly.Bound(); g.fits(b, c.idx, allowed...) {
			g.reserve(b, use)
			return poly, true
		}
	}
	return nil, false
}

// spot is the site near (lon, lat), or, when that is zero, anywhere minKm–maxKm from the seat.
func spot(lon, lat, minKm, maxKm float64) site {
	if lon == 0 && lat == 0 {
		return site{minKm: minKm, maxKm: maxKm}
	}
	return site{near: orb.Point{lon, lat}}
}

// placeBlob places an irregular outline of about km2 (n vertices, roughness rough) for the asset
// called name at s in county c, on free cells that it then reserves for itself.
func (g *grid) placeBlob(r *rand.Rand, c *county, name string, s site, n int, km2, rough float64) (orb.Polygon, error) {
	shape := func() [][2]float64 { return blob(r, n, km2*1e6, rough) }
	poly, ok := g.place(r, c, s, shape, cellObject, cellFree)
	if !ok {
		return nil, fmt.Errorf("demo: no room for %s in %s", name, c.name)
	}
	return poly, nil
}

// km is the distance between two lon/lat points in kilometres (equirectangular: fine within a
// city).
func km(a, b orb.Point) float64 {
	f := newFrame(a)
	dx := (b[0] - a[0]) * f.mxPerDeg
	dy := (b[1] - a[1]) * mPerDegLat
	return math.Hypot(dx, dy) / 1000
}
