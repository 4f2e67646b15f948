package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/geo"
)

// member is what the history needs to know of an asset.
type member struct {
	ref                                    AssetRef
	name, region, zone, holder, holderType string
	responsible, stage, mode, tag          string
	appraised, revenue, quantity           float64
	unit                                   string // the quantity's unit: 亩, 平方米, 立方米, 吨
	kind                                   assets.Kind
}

// Roster collects, while the assets are written, those the history may use: every asset other
// than land, and a share of the parcels that keeps the history about the size of the default
// city's however many parcels are asked for.
type Roster struct {
	seed    uint64
	keep    float64
	members []member
}

// NewRoster returns an empty roster for city.
func NewRoster(city *City) *Roster {
	keep := 1.0
	if n := city.ParcelCount(); n > DefaultParcels {
		keep = float64(DefaultParcels) / float64(n)
	}
	return &Roster{seed: city.Seed(), keep: keep}
}

// Add collects what the history may use of list. Whether a parcel is kept depends on its code
// and the seed only, so batches may come in any size.
func (r *Roster) Add(list []assets.NewAsset) {
	for i := range list {
		a := &list[i]
		if a.Kind == assets.Land && r.keep < 1 && hashUnit(r.seed, a.Code) >= r.keep {
			continue
		}
		r.members = append(r.members, memberOf(a))
	}
}

// hashUnit maps (seed, code) to [0, 1).
func hashUnit(seed uint64, code string) float64 {
	h := fnv.New64a()
	h.Write([]byte(code))
	return rand.New(rand.NewPCG(seed, h.Sum64())).Float64()
}

func memberOf(a *assets.NewAsset) member {
	m := member{
		ref: AssetRef{Kind: string(a.Kind), Code: a.Code}, kind: a.Kind, name: a.Name, region: a.RegionCode,
		zone: a.ZoneCode, holder: a.Holder, holderType: a.HolderType, responsible: a.ResponsibleUnit,
		stage: a.Stage, mode: a.Mode, revenue: a.Revenue,
	}
	if a.AppraisedValue != nil {
		m.appraised = *a.AppraisedValue
	}
	m.quantity, m.unit, m.tag = measure(a)
	return m
}

// measure is an asset's physical quantity as the 榜单 counts it (亩 of land and forest and lakes,
// 平方米 of buildings, 立方米 of reservoirs, 吨 of mines) and a tag telling its sort.
func measure(a *assets.NewAsset) (float64, string, string) {
	mu := 0.0
	if p, ok := a.Geometry.(orb.Polygon); ok {
		mu = geo.Mu(planarM2(p))
	}
	switch a.Kind {
	case assets.Building:
		return num(a.Facts["floor_area_m2"]), "平方米", a.Holder
	case assets.Mine:
		mineral, _ := a.Facts["mineral"].(string)
		if a.Facts["right_type"] == "exploration" {
			mineral = "exploration"
		}
		return mineTonnes(a), "吨", mineral
	case assets.Water:
		if a.Facts["water_type"] == "reservoir" {
			return num(a.Facts["capacity_wan_m3"]) * 1e4, "立方米", "reservoir"
		}
		return mu, "亩", "lake"
	case assets.Land:
		return mu, "亩", landUse(a.Name)
	}
	return mu, "亩", ""
}

// mineTonnes is a mine's yearly output in 吨: a few per cent of its reserves (万吨 or 万立方米
// at 2.6 t/m³; a geothermal field's 立方米/日 over a year).
func mineTonnes(a *assets.NewAsset) float64 {
	reserves := num(a.Facts["reserves"])
	switch a.Facts["reserves_unit"] {
	case "万吨":
		return reserves * 1e4 * 0.02
	case "万立方米":
		return reserves * 1e4 * 2.6 * 0.02
	case "立方米/日":
		return reserves * 365
	}
	return reserves * 0.05
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return 0
}

// landUse is the use label in a parcel's name (工业用地…), or "" when it has none.
func landUse(name string) string {
	for _, u := range uses {
		if strings.Contains(name, u.label) {
			return u.label
		}
	}
	return ""
}

// place is where an asset lies as a project name says it: the part of a parcel's name before
// its use (a town or zone), else the asset's name.
func (m *member) place() string {
	if m.tag != "" && m.kind == assets.Land {
		if i := strings.Index(m.name, m.tag); i > 0 {
			return m.name[:i]
		}
	}
	return m.name
}

// round2money rounds 万元 to two decimals, keeping zero as zero.
func round2money(v float64) float64 { return math.Round(v*100) / 100 }
