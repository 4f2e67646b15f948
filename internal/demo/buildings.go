package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
)

// buildingsPer is how many idle buildings of institutions each county seat holds (咸安 holds the
// city's own): 183 in all.
var buildingsPer = map[string]int{"421202": 53, "421281": 28, "421221": 24, "421222": 26, "421223": 27, "421224": 25}

// buildingKind is a sort of idle institutional building: its name pattern (%s is a town or
// county), the holder's department, holder type, use, and floor-area range in m².
type buildingKind struct {
	pattern, dept, holderType, use string
	lo, hi                         float64
}

var buildingKinds = []buildingKind{
	{"原%s粮管所仓库", "粮食购销有限公司", "国有企业", "仓储", 600, 4000},
	{"原%s中学教学楼", "教育局", "行政机关", "教学", 1500, 6000},
	{"原%s小学校舍", "教育局", "行政机关", "教学", 500, 2500},
	{"原%s卫生院门诊楼", "卫生健康局", "行政机关", "医疗", 800, 3500},
	{"原%s供销社门市部", "供销合作社联合社", "事业单位", "商业", 300, 1500},
	{"原%s人民政府办公楼", "机关事务服务中心", "事业单位", "办公", 1000, 5000},
	{"原%s农技站", "农业农村局", "行政机关", "办公", 300, 1200},
	{"原%s招待所", "机关事务服务中心", "事业单位", "住宿", 1200, 6000},
	{"原%s水利站", "水利和湖泊局", "行政机关", "办公", 300, 1000},
	{"原%s文化站", "文化和旅游局", "行政机关", "文化", 300, 1500},
}

// buildings draws idle institutional buildings as small footprints on a few blocks (cells)
// beside each county seat, which parcels then leave alone.
func buildings(r *rand.Rand, g *grid, counties []*county) ([]assets.NewAsset, error) {
	var out []assets.NewAsset
	for _, c := range counties {
		n := buildingsPer[c.code]
		slots, err := buildingSlots(r, g, c, n)
		if err != nil {
			return nil, err
		}
		for i := range n {
			out = append(out, building(r, c, fmt.Sprintf("%s-FC-%04d", c.code, i+1), slots[i]))
		}
	}
	return out, nil
}

// buildingSlots reserves two blocks near the seat and cuts them into 8×8 lots, returning n
// lot bounds in a shuffled order.
func buildingSlots(r *rand.Rand, g *grid, c *county, n int) ([]orb.Bound, error) {
	var slots []orb.Bound
	for attempt := 0; len(slots) < 2*64 && attempt < 400; attempt++ {
		p := g.candidate(r, c, site{near: c.seat}, attempt)
		i, ok := g.index(p)
		if !ok || int(g.owner[i]) != c.idx || g.use[i] != cellFree {
			continue
		}
		b := g.bound(i)
		g.use[i] = cellBuilding
		for y := range 8 {
			for x := range 8 {
				lo := orb.Point{b.Min[0] + float64(x)*cellDeg/8, b.Min[1] + float64(y)*cellDeg/8}
				slots = append(slots, orb.Bound{Min: lo, Max: orb.Point{lo[0] + cellDeg/8, lo[1] + cellDeg/8}})
			}
		}
	}
	if len(slots) < n {
		return nil, fmt.Errorf("demo: no room for the buildings of %s", c.name)
	}
	r.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	return slots[:n], nil
}

func building(r *rand.Rand, c *county, code string, lot orb.Bound) assets.NewAsset {
	k := one(r, buildingKinds)
	place := townStem(one(r, c.towns))
	if k.dept == "机关事务服务中心" && r.IntN(2) == 0 {
		place = c.name
	}
	floorArea := math.Round(between(r, k.lo, k.hi))
	floors := 1 + r.IntN(6)
	if k.use == "仓储" {
		floors = 1 + r.IntN(2)
	}
	f := newFrame(lot.Center())
	w, h := f.metres(lot)
	pts := fitInto(plot(r, floorArea/float64(floors)), 0.45*w, 0.45*h)
	idleSince := date(-12*(1+r.IntN(14))-r.IntN(12), -r.IntN(28))
	a := assets.NewAsset{
		Code: code, Kind: assets.Building, Name: fmt.Sprintf(k.pattern, place), RegionCode: c.code,
		Holder: c.name + k.dept, HolderType: k.holderType,
		ResponsibleUnit: c.name + "机关事务服务中心", ResponsiblePerson: person(r),
		Facts: map[string]any{
			"floor_area_m2": floorArea, "floors": floors, "year_built": 1972 + r.IntN(40),
			"use": k.use, "idle_since": dateString(idleSince),
			"title_status": pick(r, []string{"certified", "uncertified", "partial"}, []float64{6, 2.5, 1.5}),
		},
		Geometry: f.polygon(pts),
	}
	// Buildings are valued by floor area: 0.15–0.5 万元 per m² in the seats.
	book := floorArea * between(r, 0.08, 0.2)
	p := plan{stages: [4]float64{4, 3, 2, 2}, modes: [4]float64{3, 3, 4, 1}}
	dispose(r, &a, p, c.done, book, floorArea*between(r, 0.15, 0.5))
	return a
}
