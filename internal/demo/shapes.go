package demo

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// Metres per degree of latitude near 30°N on the CGCS2000 ellipsoid, and of longitude at the
// equator; longitude shrinks with cos(latitude).
const (
	mPerDegLat = 110_850.0
	mPerDegLon = 111_320.0
)

// frame converts local metres around an origin to lon/lat: good to a fraction of a percent over
// the few kilometres of one shape.
type frame struct {
	origin   orb.Point
	mxPerDeg float64
}

func newFrame(origin orb.Point) frame {
	return frame{origin: origin, mxPerDeg: mPerDegLon * math.Cos(origin[1]*math.Pi/180)}
}

func (f frame) lonLat(x, y float64) orb.Point {
	return orb.Point{round7(f.origin[0] + x/f.mxPerDeg), round7(f.origin[1] + y/mPerDegLat)}
}

// metres returns the width and height of b in metres.
func (f frame) metres(b orb.Bound) (w, h float64) {
	return (b.Max[0] - b.Min[0]) * f.mxPerDeg, (b.Max[1] - b.Min[1]) * mPerDegLat
}

// round7 keeps 7 decimals (about 1 cm): tidy coordinates, identical on every run.
func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

// ring closes pts (local metres) into a lon/lat ring in f.
func (f frame) ring(pts [][2]float64) orb.Ring {
	r := make(orb.Ring, 0, len(pts)+1)
	for _, p := range pts {
		r = append(r, f.lonLat(p[0], p[1]))
	}
	return append(r, r[0])
}

// blob is an irregular star-shaped outline of about areaM2 around the origin: a circle whose
// radius wanders with a few random harmonics (rough 0 is a circle, 0.5 very lobed). Star-shaped
// rings never cross themselves, so the polygon is always valid.
func blob(r *rand.Rand, n int, areaM2, rough float64) [][2]float64 {
	type wave struct{ k, amp, phase float64 }
	waves := make([]wave, 3)
	for i := range waves {
		waves[i] = wave{float64(2 + r.IntN(4)), rough * (0.2 + 0.8*r.Float64()) / 3, 2 * math.Pi * r.Float64()}
	}
	pts := make([][2]float64, n)
	for i := range pts {
		t := 2 * math.Pi * float64(i) / float64(n)
		rad := 1.0
		for _, w := range waves {
			rad += w.amp * math.Sin(w.k*t+w.phase)
		}
		rad *= 1 + rough*0.15*(r.Float64()-0.5)
		pts[i] = [2]float64{rad * math.Cos(t), rad * math.Sin(t)}
	}
	return scaleTo(pts, areaM2)
}

// scaleTo scales pts about the origin so that they enclose areaM2.
func scaleTo(pts [][2]float64, areaM2 float64) [][2]float64 {
	a := math.Abs(shoelace(pts))
	k := math.Sqrt(areaM2 / a)
	for i := range pts {
		pts[i][0] *= k
		pts[i][1] *= k
	}
	return pts
}

// shoelace is the signed area of a polygon given without its closing point.
func shoelace(pts [][2]float64) float64 {
	s := 0.0
	for i := range pts {
		j := (i + 1) % len(pts)
		s += pts[i][0]*pts[j][1] - pts[j][0]*pts[i][1]
	}
	return s / 2
}

// plot is a land parcel's outline of about areaM2 centred on the origin: a rotated rectangle with
// jittered corners (an irregular quadrilateral) or, one time in three, with a corner cut off (a
// pentagon); a few are kept near-rectangular, as surveyed plots often are.
func plot(r *rand.Rand, areaM2 float64) [][2]float64 {
	aspect := 1 + 1.5*r.Float64()
	w := math.Sqrt(areaM2 * aspect)
	h := areaM2 / w
	jit := 0.18
	if r.IntN(5) == 0 {
		jit = 0.03
	}
	j := func(v float64) float64 { return v * (1 + jit*(2*r.Float64()-1)) }
	pts := [][2]float64{{-j(w / 2), -j(h / 2)}, {j(w / 2), -j(h / 2)}, {j(w / 2), j(h / 2)}, {-j(w / 2), j(h / 2)}}
	if r.IntN(3) == 0 {
		pts = cutCorner(pts, r.IntN(4), 0.2+0.3*r.Float64())
	}
	return scaleTo(rotate(pts, (r.Float64()-0.5)*math.Pi/3), areaM2)
}

// cutCorner replaces corner k of a convex ring by two points a share f along its edges.
func cutCorner(pts [][2]float64, k int, f float64) [][2]float64 {
	n := len(pts)
	prev, c, next := pts[(k+n-1)%n], pts[k], pts[(k+1)%n]
	a := [2]float64{c[0] + (prev[0]-c[0])*f, c[1] + (prev[1]-c[1])*f}
	b := [2]float64{c[0] + (next[0]-c[0])*f, c[1] + (next[1]-c[1])*f}
	out := make([][2]float64, 0, n+1)
	out = append(out, pts[:k]...)
	out = append(out, a, b)
	return append(out, pts[k+1:]...)
}

func rotate(pts [][2]float64, angle float64) [][2]float64 {
	s, c := math.Sincos(angle)
	for i, p := range pts {
		pts[i] = [2]float64{p[0]*c - p[1]*s, p[0]*s + p[1]*c}
	}
	return pts
}

// extent returns the half-width and half-height of pts about the origin (max |x|, max |y|).
func extent(pts [][2]float64) (hw, hh float64) {
	for _, p := range pts {
		hw, hh = max(hw, math.Abs(p[0])), max(hh, math.Abs(p[1]))
	}
	return hw, hh
}

// fitInto shrinks pts about the origin until they fit a box of half-size hw × hh.
func fitInto(pts [][2]float64, hw, hh float64) [][2]float64 {
	ew, eh := extent(pts)
	k := min(1, hw/ew, hh/eh)
	if k < 1 {
		for i := range pts {
			pts[i][0] *= k
			pts[i][1] *= k
		}
	}
	return pts
}

// polygon places pts (local metres) as a lon/lat polygon in f.
func (f frame) polygon(pts [][2]float64) orb.Polygon { return orb.Polygon{f.ring(pts)} }

// polygonAt places pts (local metres) around origin as a lon/lat polygon.
func polygonAt(origin orb.Point, pts [][2]float64) orb.Polygon { return newFrame(origin).polygon(pts) }
