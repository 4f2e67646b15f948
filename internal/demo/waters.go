package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/geo"
)

// jiayuLakes are lakes of 嘉鱼县 (斧头湖 and 西凉湖 first, by the part inside the county); the
// county counts 38 and more, so the list runs past that.
var jiayuLakes = []string{
	"斧头湖", "西凉湖", "蜜泉湖", "三湖连江", "白湖", "东湖", "梅懈湖", "珍湖", "大岩湖", "净堡湖",
	"太平湖", "鸭子湖", "扁担湖", "王家湖", "刘家湖", "黄家湖", "荷花湖", "马鞍湖", "月亮湖", "长湖",
	"后湖", "前湖", "新湖", "北湖", "南湖", "小南湖", "大洲湖", "肖家湖", "龙潭湖", "沙湖",
	"团墩湖", "陆溪湖", "簰洲湖", "高铁湖", "渡普湖", "官桥湖", "潘家湖", "鱼岳湖", "石矶湖", "蛟子湖",
}

// reservoirSpec is a reservoir with its county, nominal centre (zero: anywhere in the hills),
// water area in km² and capacity in 万m³.
type reservoirSpec struct {
	name, county      string
	lon, lat, km2, wm float64
}

var reservoirs = []reservoirSpec{
	{"陆水水库", "421281", 113.97, 29.68, 22, 74200},
	{"富水水库", "421224", 114.75, 29.72, 30, 167000},
	{"青山水库", "421202", 114.24, 29.76, 3.5, 7150},
	{"南川水库", "421202", 0, 0, 2.4, 5280},
	{"黄龙水库", "421222", 0, 0, 1.6, 3120},
	{"大岭水库", "421223", 0, 0, 1.8, 3560},
	{"洪下水库", "421223", 0, 0, 1.2, 2100},
	{"龟山水库", "421281", 0, 0, 1.1, 1870},
	{"厦铺水库", "421224", 0, 0, 1.3, 2450},
	{"黄袍水库", "421222", 0, 0, 0.9, 1560},
}

// waters draws the lakes of 嘉鱼 and the reservoirs.
func waters(r *rand.Rand, g *grid, byCode map[string]*county) ([]assets.NewAsset, error) {
	out := make([]assets.NewAsset, 0, len(jiayuLakes)+len(reservoirs))
	jiayu := byCode["421221"]
	for i, name := range jiayuLakes {
		km2 := 0.25 + 3*math.Pow(r.Float64(), 2)
		switch i {
		case 0:
			km2 = 28
		case 1:
			km2 = 22
		}
		poly, err := g.placeBlob(r, jiayu, name, site{minKm: 3, maxKm: 30}, 28, km2, 0.45)
		if err != nil {
			return nil, err
		}
		out = append(out, water(r, jiayu, fmt.Sprintf("%s-SY-%03d", jiayu.code, i+1), name, "lake", poly, km2*between(r, 150, 300)))
	}
	for i, rs := range reservoirs {
		c := byCode[rs.county]
		poly, err := g.placeBlob(r, c, rs.name, spot(rs.lon, rs.lat, 6, 35), 40, rs.km2, 0.7)
		if err != nil {
			return nil, err
		}
		out = append(out, water(r, c, fmt.Sprintf("%s-SK-%03d", c.code, i+1), rs.name, "reservoir", poly, rs.wm))
	}
	return out, nil
}

func water(r *rand.Rand, c *county, code, name, typ string, poly orb.Polygon, capacity float64) assets.NewAsset {
	holder := c.name + "水利和湖泊局"
	if typ == "reservoir" {
		holder = c.name + name + "管理处"
	}
	a := assets.NewAsset{
		Code: code, Kind: assets.Water, Name: name, RegionCode: c.code,
		Holder: holder, HolderType: "事业单位", ResponsibleUnit: c.name + "水利和湖泊局", ResponsiblePerson: person(r),
		Facts: map[string]any{
			"water_type": typ, "capacity_wan_m3": math.Round(capacity),
			"aquaculture":  one(r, []string{"生态养殖承包", "已退养还湖", "禁养区", "大水面增殖放流", "网箱已取缔"}),
			"water_rights": one(r, []string{"取水许可已办理", "灌溉用水权", "水权未确权", "供水水源地"}),
		},
		Geometry: poly,
	}
	// Water is valued by its use rights: a few 万元 per 亩 of surface.
	mu := geo.Mu(planarM2(poly))
	book := mu * between(r, 0.3, 0.8)
	dispose(r, &a, plan{stages: [4]float64{4, 3, 2, 2}, modes: [4]float64{3, 0.5, 4, 2}}, c.done, book, book*between(r, 1.1, 1.8))
	return a
}

// planarM2 is the area of a lon/lat polygon in m², near enough for valuing it.
func planarM2(p orb.Polygon) float64 {
	f := newFrame(p.Bound().Center())
	s := 0.0
	for _, ring := range p[:1] {
		for i := 1; i < len(ring); i++ {
			x0, y0 := (ring[i-1][0]-f.origin[0])*f.mxPerDeg, (ring[i-1][1]-f.origin[1])*mPerDegLat
			x1, y1 := (ring[i][0]-f.origin[0])*f.mxPerDeg, (ring[i][1]-f.origin[1])*mPerDegLat
			s += x0*y1 - x1*y0
		}
	}
	return math.Abs(s) / 2
}
