package assets

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/onemap/onemap/internal/problem"
)

// ParseArea reads the area of a spatial query: a GeoJSON Polygon or MultiPolygon, bare or as a
// Feature, in EPSG:4326/4490 lon/lat. Its errors name the API's parameter, within.
func ParseArea(s string) (orb.Geometry, error) {
	var g orb.Geometry
	if gj, err := geojson.UnmarshalGeometry([]byte(s)); err == nil && gj.Coordinates != nil {
		g = gj.Coordinates
	} else if f, err := geojson.UnmarshalFeature([]byte(s)); err == nil && f.Geometry != nil {
		g = f.Geometry
	} else {
		return nil, problem.Invalid("within", "is not a GeoJSON Polygon or MultiPolygon")
	}
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon:
	default:
		return nil, problem.Invalid("within", "must be a Polygon or MultiPolygon, got %s", g.GeoJSONType())
	}
	if err := checkRings(g); err != nil {
		return nil, err
	}
	b := g.Bound()
	if b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
		return nil, problem.Invalid("within", "coordinates must be lon/lat degrees (EPSG:4326 or 4490)")
	}
	return g, nil
}

// checkRings refuses rings that are not closed or have fewer than four positions.
func checkRings(g orb.Geometry) error {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, p := range polys {
		if len(p) == 0 {
			return problem.Invalid("within", "a polygon has no rings")
		}
		for _, r := range p {
			if len(r) < 4 || !r.Closed() {
				return problem.Invalid("within", "each ring needs at least four positions, the last equal to the first")
			}
		}
	}
	return nil
}
