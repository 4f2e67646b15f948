package assets_test

import (
	"errors"
	"math"
	"testing"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// FuzzParseArea: the within parser never panics; it refuses with a 400 naming within, or returns
// a polygonal geometry with finite coordinates.
func FuzzParseArea(f *testing.F) {
	for _, s := range []string{
		`{"type":"Polygon","coordinates":[[[114.3,29.8],[114.31,29.8],[114.31,29.81],[114.3,29.8]]]}`,
		`{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}}`,
		`{"type":"Point","coordinates":[1,2]}`, `{"type":"Polygon","coordinates":[[[1e308,1e308]]]}`, `[`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := assets.ParseArea(s)
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Status != 400 || pe.Params[0].Name != "within" {
				t.Fatalf("%q: %v is not a 400 naming within", s, err)
			}
			return
		}
		if g == nil || g.Dimensions() != 2 {
			t.Fatalf("%q: accepted %v", s, g)
		}
		b := g.Bound()
		for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%q: accepted coordinates %v", s, b)
			}
		}
	})
}

// FuzzParseNear: near=lon,lat and radius_m are accepted only as finite degrees and a radius in
// range; anything else is a 400 naming near or radius_m.
func FuzzParseNear(f *testing.F) {
	f.Add("114.3,29.8", 500.0)
	f.Add("NaN,NaN", 5.0)
	f.Add("1e400,0", math.Inf(1))
	f.Add(",", -1.0)
	f.Fuzz(func(t *testing.T, s string, r float64) {
		p, radius, err := assets.ParseNear(s, &r)
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Status != 400 || (pe.Params[0].Name != "near" && pe.Params[0].Name != "radius_m") {
				t.Fatalf("%q, %v: %v", s, r, err)
			}
			return
		}
		if p == nil || !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) || !(radius > 0 && radius <= 100_000) {
			t.Fatalf("%q, %v: accepted %v, %v", s, r, p, radius)
		}
	})
}
