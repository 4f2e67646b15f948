package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
)

// mineral is what a county's mines yield: the mineral as licensed, the word its mines are named
// by, and the unit and range of its reserves.
type mineral struct {
	name, suffix, unit string
	lo, hi             float64
}

var (
	limestone = mineral{"水泥用石灰岩", "石灰岩矿", "万吨", 300, 4000}
	buildRock = mineral{"建筑石料用灰岩", "建筑石料矿", "万吨", 100, 1500}
	shale     = mineral{"砖瓦用页岩", "页岩矿", "万吨", 50, 600}
	silica    = mineral{"硅石", "硅石矿", "万吨", 80, 900}
	vanadium  = mineral{"石煤钒矿", "钒矿", "万吨", 200, 3000}
	fluorite  = mineral{"萤石", "萤石矿", "万吨", 20, 300}
	granite   = mineral{"饰面用花岗岩", "花岗岩矿", "万立方米", 50, 800}
	tantalum  = mineral{"钽铌矿", "钽铌矿", "吨", 300, 5000}
	feldspar  = mineral{"长石", "长石矿", "万吨", 30, 400}
	sand      = mineral{"建筑用砂", "砂矿", "万立方米", 100, 2000}
	marble    = mineral{"饰面用大理岩", "大理岩矿", "万立方米", 30, 500}
	kaolin    = mineral{"高岭土", "高岭土矿", "万吨", 50, 800}
	geotherm  = mineral{"地热", "地热", "立方米/日", 1000, 6000}
)

// countyMines says how many mines each county has beyond the named ones, and of what.
var countyMines = []struct {
	county   string
	n        int
	minerals []mineral
}{
	{"421281", 8, []mineral{limestone, buildRock, kaolin, shale}},
	{"421223", 8, []mineral{vanadium, silica, limestone, fluorite}},
	{"421224", 8, []mineral{fluorite, limestone, marble, buildRock}},
	{"421222", 7, []mineral{granite, tantalum, feldspar, buildRock}},
	{"421202", 6, []mineral{limestone, shale, buildRock}},
	{"421221", 5, []mineral{sand, shale, buildRock}},
}

// namedMine is a mine the city's ledger names.
type namedMine struct {
	name, county string
	m            mineral
	near         orb.Point
	reserves     float64
}

var namedMines = []namedMine{
	{"赤壁偏脊山石灰岩矿", "421281", limestone, orb.Point{}, 2860},
	{"崇阳大源硅石矿", "421223", silica, orb.Point{}, 680},
	{"咸宁温泉地热田", "421202", geotherm, orb.Point{114.33, 29.83}, 3500},
}

// mines draws the mining and exploration rights as polygons in the hills.
func mines(r *rand.Rand, g *grid, byCode map[string]*county) ([]assets.NewAsset, error) {
	var out []assets.NewAsset
	seq := map[string]int{}
	add := func(c *county, name string, m mineral, s site, reserves float64, explore bool) error {
		km2 := between(r, 0.06, 1.2)
		if explore {
			km2 = between(r, 2, 9)
		}
		poly, err := g.placeBlob(r, c, name, s, 18, km2, 0.4)
		if err != nil {
			return err
		}
		seq[c.code]++
		out = append(out, mine(r, c, fmt.Sprintf("%s-KC-%03d", c.code, seq[c.code]), name, m, reserves, explore, poly))
		return nil
	}
	for _, nm := range namedMines {
		if err := add(byCode[nm.county], nm.name, nm.m, spot(nm.near[0], nm.near[1], 6, 30), nm.reserves, false); err != nil {
			return nil, err
		}
	}
	for _, cm := range countyMines {
		c := byCode[cm.county]
		for range cm.n {
			m := one(r, cm.minerals)
			explore := r.IntN(4) == 0
			name := c.short + townStem(one(r, c.towns)) + m.suffix
			if explore {
				name += "勘探"
			}
			if err := add(c, name, m, site{minKm: 5, maxKm: 40}, between(r, m.lo, m.hi), explore); err != nil {
				return nil, err
			}
		}
	}
	expiring(out)
	return out, nil
}

// expiring moves the licence term of every 15th mine so that it runs out within the 90 days
// after reviewDay (and, for some, 30–90 days after asOf), keeping its length: the licence
// warning has members. It draws nothing from the stream, so the rest of the city stays.
func expiring(ms []assets.NewAsset) {
	for i := 7; i < len(ms); i += 15 {
		f := ms[i].Facts
		from, err1 := time.Parse(time.DateOnly, f["valid_from"].(string))
		to, err2 := time.Parse(time.DateOnly, f["valid_to"].(string))
		if err1 != nil || err2 != nil {
			continue // cannot happen: mine wrote both with dateString
		}
		end := soon(1 + i*37%(warnDays-2))
		f["valid_from"], f["valid_to"] = end.Add(from.Sub(to)).Format(time.DateOnly), end.Format(time.DateOnly)
	}
}

func mine(r *rand.Rand, c *county, code, name string, m mineral, reserves float64, explore bool, poly orb.Polygon) assets.NewAsset {
	right, licence := "mining", fmt.Sprintf("C%s%d%02d%07d", c.code, 2005+r.IntN(19), 1+r.IntN(12), r.IntN(1e7))
	from := date(-12*(1+r.IntN(13))-r.IntN(12), -r.IntN(28))
	years := one(r, []int{3, 5, 8, 10})
	holder := c.name + one(r, []string{"城市发展投资集团有限公司", "国有资本投资运营有限公司", "矿业开发有限公司"})
	if explore {
		right, licence = "exploration", fmt.Sprintf("T%s%d%02d%06d", c.code, 2010+r.IntN(15), 1+r.IntN(12), r.IntN(1e6))
		from = date(-6-r.IntN(60), -r.IntN(28))
		years = 5
		holder = fmt.Sprintf("湖北省地质局第%s地质大队", one(r, []string{"一", "四", "六", "七", "八"}))
	}
	to := &assets.Date{Time: from.AddDate(years, 0, -1)}
	scale := "small"
	if frac := (reserves - m.lo) / (m.hi - m.lo); frac > 0.75 {
		scale = "large"
	} else if frac > 0.35 {
		scale = "medium"
	}
	a := assets.NewAsset{
		Code: code, Kind: assets.Mine, Name: name, RegionCode: c.code,
		Holder: holder, HolderType: map[bool]string{false: "国有企业", true: "事业单位"}[explore],
		ResponsibleUnit: c.name + "自然资源和规划局", ResponsiblePerson: person(r),
		Facts: map[string]any{
			"right_type": right, "mineral": m.name, "licence_no": licence,
			"valid_from": dateString(from), "valid_to": dateString(to),
			"reserves": math.Round(reserves), "reserves_unit": m.unit, "scale": scale,
		},
		Geometry: poly,
	}
	book := between(r, 200, 3000) * map[string]float64{"small": 0.5, "medium": 1.5, "large": 3}[scale]
	p := plan{stages: [4]float64{3, 3, 2, 2}, modes: [4]float64{3, 3, 2, 2}}
	dispose(r, &a, p, c.done, book, book*between(r, 1.1, 2))
	return a
}
