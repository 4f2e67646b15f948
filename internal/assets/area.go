package assets

import (
	"strconv"
	"strings"

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

// ParseNear reads the centre ("lon,lat" in degrees) and radius (metres, up to 100 km) of a
// distance query; an empty centre without a radius is no query (nil). Its errors name the API's
// parameters, near and radius_m.
func ParseNear(lonlat string, radius *float64) (*orb.Point, float64, error) {
	if lonlat == "" {
		if radius != nil {
			return nil, 0, problem.Invalid("near", "radius_m needs near=lon,lat")
		}
		return nil, 0, nil
	}
	parts := strings.Split(lonlat, ",")
	if len(parts) != 2 {
		return nil, 0, problem.Invalid("near", "must be lon,lat")
	}
	lon, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	lat, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
	// NaN compares false with everything: the ranges are written to fail it.
	if err1 != nil || err2 != nil || !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
		return nil, 0, problem.Invalid("near", "%q is not lon,lat in degrees", lonlat)
	}
	if radius == nil {
		return nil, 0, problem.Invalid("radius_m", "is required with near")
	}
	if *radius <= 0 || *radius > 100_000 {
		return nil, 0, problem.Invalid("radius_m", "must lie in 0..100000 metres")
	}
	return &orb.Point{lon, lat}, *radius, nil
}
