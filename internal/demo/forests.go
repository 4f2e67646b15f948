package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/geo"
)

// forestSpec is one of the city's 15 state forest farms (国有林场): its county, nominal centre
// (zero: somewhere in the hills), area in km² and main species.
type forestSpec struct {
	name, farm, county string
	lon, lat, km2      float64
	species            string
}

var forestFarms = []forestSpec{
	{"咸宁市潜山林场", "潜山林场", "421202", 114.31, 29.80, 9, "马尾松、杉木"},
	{"咸安区大幕山林场", "大幕山林场", "421202", 0, 0, 16, "杉木、毛竹"},
	{"咸安区高桥林场", "高桥林场", "421202", 0, 0, 10, "马尾松、湿地松"},
	{"崇阳桂花林场南山分场", "桂花林场南山分场", "421223", 0, 0, 18, "杉木、毛竹"},
	{"崇阳桂花林场北山分场", "桂花林场北山分场", "421223", 0, 0, 12, "马尾松、杉木"},
	{"崇阳县青山林场", "青山林场", "421223", 0, 0, 11, "毛竹、阔叶混交林"},
	{"通山县九宫山林场", "九宫山林场", "421224", 0, 0, 24, "常绿阔叶林、杉木"},
	{"通山县太阳山林场", "太阳山林场", "421224", 0, 0, 14, "杉木、毛竹"},
	{"通山县隐水林场", "隐水林场", "421224", 0, 0, 9, "马尾松、枫香"},
	{"通城县药姑山林场", "药姑山林场", "421222", 0, 0, 15, "杉木、黄山松"},
	{"通城县黄袍山林场", "黄袍山林场", "421222", 0, 0, 12, "毛竹、杉木"},
	{"赤壁市官塘驿林场", "官塘驿林场", "421281", 0, 0, 10, "马尾松、湿地松"},
	{"赤壁市羊楼洞林场", "羊楼洞林场", "421281", 0, 0, 8, "茶园、杉木"},
	{"嘉鱼县山湖林场", "山湖林场", "421221", 0, 0, 7, "意杨、池杉"},
	{"嘉鱼县官桥林场", "官桥林场", "421221", 0, 0, 8, "湿地松、樟树"},
}

// forests draws the state forest farms as large outlines in the hills of their counties.
func forests(r *rand.Rand, g *grid, byCode map[string]*county) ([]assets.NewAsset, error) {
	out := make([]assets.NewAsset, 0, len(forestFarms))
	for i, fs := range forestFarms {
		c := byCode[fs.county]
		poly, err := g.placeBlob(r, c, fs.name, spot(fs.lon, fs.lat, 10, 45), 36, fs.km2, 0.5)
		if err != nil {
			return nil, err
		}
		out = append(out, forest(r, c, fmt.Sprintf("%s-LC-%02d", c.code, i+1), fs, poly))
	}
	return out, nil
}

func forest(r *rand.Rand, c *county, code string, fs forestSpec, poly orb.Polygon) assets.NewAsset {
	mu := geo.Mu(planarM2(poly))
	ftype := pick(r, []string{"public_welfare", "commercial"}, []float64{6, 4})
	a := assets.NewAsset{
		Code: code, Kind: assets.Forest, Name: fs.name, RegionCode: c.code,
		Holder: c.name + "国有" + fs.farm, HolderType: "事业单位",
		ResponsibleUnit: c.name + "林业局", ResponsiblePerson: person(r),
		Facts: map[string]any{
			"farm_name": fs.farm, "forest_type": ftype, "main_species": fs.species,
			"stock_m3": math.Round(mu * between(r, 4, 9)),
		},
		Geometry: poly,
	}
	// Forest land and standing timber: roughly 0.3–0.6 万元 per 亩 on the books.
	book := mu * between(r, 0.3, 0.6)
	p := plan{stages: [4]float64{4, 3, 3, 2}, modes: [4]float64{4, 0, 3, 3}}
	dispose(r, &a, p, c.done, book, book*between(r, 1.2, 2))
	return a
}
