package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/onemap/onemap/internal/assets"
)

// zoneSpec is a development zone of the Xianning plan or a county industrial park, with a
// nominal centre near where it really lies and a plausible area.
type zoneSpec struct {
	code, name, typ, level, county string
	lon, lat, km2                  float64
}

var zoneSpecs = []zoneSpec{
	{"421202-YQ01", "咸宁高新区", "high_tech_zone", "national", "421202", 114.26, 29.87, 38},
	{"421202-YQ02", "温泉集聚发展区", "cluster_zone", "city", "421202", 114.33, 29.81, 20},
	{"421202-YQ03", "桂花集聚发展区", "cluster_zone", "city", "421202", 114.42, 29.73, 14},
	{"421202-YQ04", "梓山湖新城", "cluster_zone", "city", "421202", 114.19, 29.93, 15},
	{"421281-YQ01", "赤壁经济开发区", "development_zone", "provincial", "421281", 113.94, 29.75, 26},
	{"421221-YQ01", "嘉鱼经济开发区", "development_zone", "provincial", "421221", 113.97, 29.98, 18},
	{"421222-YQ01", "通城经济开发区", "development_zone", "provincial", "421222", 113.80, 29.27, 14},
	{"421223-YQ01", "崇阳工业园区", "industrial_park", "county", "421223", 114.06, 29.57, 10},
	{"421224-YQ01", "通山经济开发区", "development_zone", "provincial", "421224", 114.50, 29.62, 10},
}

// zone is a placed development zone.
type zone struct {
	spec   zoneSpec
	county *county
	shape  orb.Polygon
	bound  orb.Bound
}

// placeZones draws each zone as an irregular outline inside its county, near its nominal
// centre, not overlapping another zone.
func placeZones(r *rand.Rand, g *grid, byCode map[string]*county) ([]*zone, error) {
	out := make([]*zone, 0, len(zoneSpecs))
	for _, s := range zoneSpecs {
		c := byCode[s.county]
		shape := func() [][2]float64 { return blob(r, 16, s.km2*1e6, 0.35) }
		poly, ok := g.place(r, c, site{near: orb.Point{s.lon, s.lat}}, shape, cellZone, cellFree)
		if !ok {
			return nil, fmt.Errorf("demo: no room for zone %s in %s", s.name, c.name)
		}
		out = append(out, &zone{spec: s, county: c, shape: poly, bound: poly.Bound()})
	}
	return out, nil
}

// zoneAt returns the zone holding p, or nil.
func zoneAt(zones []*zone, p orb.Point) *zone {
	for _, z := range zones {
		if z.bound.Contains(p) && planar.PolygonContains(z.shape, p) {
			return z
		}
	}
	return nil
}

// record is the zone as the zones table holds it.
func (z *zone) record() assets.Zone {
	return assets.Zone{
		Code: z.spec.code, Name: z.spec.name, Type: z.spec.typ, Level: z.spec.level,
		RegionCode: z.county.code, Geometry: orb.MultiPolygon{z.shape},
	}
}
