package demo

import (
	"math/rand/v2"
	"strings"

	"github.com/onemap/onemap/internal/assets"
)

// choice is an asset chosen for a unit's projects, with the 工作领域 it is counted in.
type choice struct {
	m     *member
	field string
}

// Shares of the assets that become project members: of the parcels with a disposal under way
// or planned, of the other assets with a mode chosen, and of the idle ones whose mode is chosen
// (those enter projects at stage planned).
const (
	shareLand     = 0.40
	shareOther    = 0.80
	shareIdleLand = 0.08
	shareIdle     = 0.50
)

// assign chooses the project members among ms and routes each to a unit and field: parcels in
// zones to the zone, the rest by holder and kind to a department, an enterprise or the county.
// A unit that ends up with nothing gets the first free asset that suits it.
func assign(r *rand.Rand, ms []member, ix units) map[string][]choice {
	pools := map[string][]choice{}
	taken := make([]bool, len(ms))
	for i := range ms {
		m := &ms[i]
		if !chosen(r, m) {
			continue
		}
		code, field := route(r.Float64(), m)
		pools[code] = append(pools[code], choice{m, field})
		taken[i] = true
	}
	for _, u := range ix.order {
		if len(pools[u.code]) > 0 {
			continue
		}
		for i := range ms {
			if !taken[i] && suits(u, &ms[i]) {
				pools[u.code], taken[i] = []choice{{&ms[i], u.field}}, true
				break
			}
		}
	}
	return pools
}

// chosen draws whether m becomes a project member.
func chosen(r *rand.Rand, m *member) bool {
	u := r.Float64()
	idle := m.stage == "idle"
	switch {
	case m.mode == "undecided":
		return false
	case m.kind == assets.Land && idle:
		return u < shareIdleLand
	case m.kind == assets.Land:
		return u < shareLand
	case idle:
		return u < shareIdle
	}
	return u < shareOther
}

// suits tells whether a free asset may stand in for unit u's projects: in its county (outside
// zones) or zone for a region or zone unit, any building or parcel with a disposal under way
// for a department or enterprise.
func suits(u *unit, m *member) bool {
	if m.mode == "undecided" || m.stage == "idle" {
		return false
	}
	switch u.group {
	case "zone":
		return m.zone == u.code
	case "county", "district":
		return m.region == u.code && m.zone == ""
	}
	return m.zone == "" && (m.kind == assets.Building || m.kind == assets.Land)
}

// route is the unit and field an asset's project belongs to; u is a uniform draw.
func route(u float64, m *member) (string, string) {
	switch m.kind {
	case assets.Land:
		return routeLand(u, m)
	case assets.Mine:
		return routeMine(u, m)
	case assets.Forest:
		return routeForest(u, m)
	case assets.Water:
		return routeWater(u, m)
	}
	return routeBuilding(u, m)
}

func routeLand(u float64, m *member) (string, string) {
	switch {
	case m.zone != "" && u < 0.7:
		return m.zone, "zones_energy"
	case m.zone != "":
		return m.zone, "natural_resources"
	case m.tag == usePub.label && u < 0.25 && strings.Contains(m.holder, "机关事务"):
		return "421200-JGSW", "party_gov_assets"
	case m.tag == usePub.label && u < 0.25:
		return "421200-CZJ", "institution_assets"
	case m.tag == usePub.label && u < 0.4 && (m.mode == "lease" || m.mode == "use"):
		return "421200-JTYS", "concession"
	case m.holderType == "国有企业" && u < 0.5:
		return landEnterprise(m.tag), "enterprise_assets"
	case strings.HasSuffix(m.holder, "土地储备中心") && u < 0.3:
		return "421200-ZRZY", "natural_resources"
	}
	return m.region, "natural_resources"
}

// landEnterprise is the state enterprise that takes on a state-held parcel of the given use.
func landEnterprise(use string) string {
	switch use {
	case useInd.label:
		return "421200-GTJT"
	case useWare.label:
		return "421200-JTJT"
	}
	return "421200-CFJT"
}

func routeMine(u float64, m *member) (string, string) {
	switch {
	case m.tag == geotherm.name || (m.tag == vanadium.name && u < 0.5):
		return "421200-FGW", "zones_energy"
	case m.tag == "exploration" && u < 0.4:
		return "421200-ZRZY", "natural_resources"
	case strings.Contains(m.holder, "国有资本投资运营") && u < 0.6:
		return "421200-GZYY", "enterprise_assets"
	case strings.Contains(m.holder, "城市发展投资集团") && u < 0.5:
		return "421200-GZW", "enterprise_assets"
	case m.mode == "lease":
		return m.region, "concession"
	}
	return m.region, "natural_resources"
}

func routeForest(u float64, m *member) (string, string) {
	switch {
	case strings.HasPrefix(m.name, "咸宁市"):
		return "421200-LYJ", "forestry"
	case m.mode == "lease" && u < 0.5:
		return "421200-WLJT", "culture_tourism"
	case u < 0.4:
		return "421200-LYJ", "forestry"
	}
	return m.region, "forestry"
}

func routeWater(u float64, m *member) (string, string) {
	switch {
	case m.mode == "lease" && m.tag == "reservoir":
		return "421200-SWJT", "concession"
	case m.tag == "reservoir" && u < 0.6, u < 0.3:
		return "421200-SLHB", "water"
	case m.mode == "lease" && u < 0.6:
		return m.region, "concession"
	}
	return m.region, "water"
}

func routeBuilding(u float64, m *member) (string, string) {
	switch {
	case strings.HasSuffix(m.holder, "粮食购销有限公司"):
		return []string{"421200-CFJT", "421200-GTJT", "421200-JTJT", "421200-GZYY"}[int(u*4)], "enterprise_assets"
	case strings.HasSuffix(m.holder, "文化和旅游局"):
		return "421200-WHLY", "culture_tourism"
	case strings.Contains(m.name, "招待所") && u < 0.5:
		return "421200-WLJT", "culture_tourism"
	case strings.Contains(m.name, "招待所"):
		return "421200-WHLY", "culture_tourism"
	case strings.Contains(m.name, "办公楼") && u < 0.35:
		return "421200-SJJ", "data"
	case strings.Contains(m.name, "办公楼"):
		return "421200-JGSW", "party_gov_assets"
	case strings.HasSuffix(m.holder, "供销合作社联合社"):
		return "421200-GZW", "enterprise_assets"
	case strings.HasSuffix(m.holder, "水利和湖泊局"):
		return "421200-SLHB", "water"
	case u < 0.5:
		return "421200-CZJ", "institution_assets"
	}
	return m.region, "institution_assets"
}
