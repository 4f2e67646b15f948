package demo

import (
	"math"
	"math/rand/v2"
)

// fieldPlans are the 工作领域 of the plans with the unit leading each, its partners and tasks.
var fieldPlans = []struct{ field, lead, partners, tasks string }{
	{"natural_resources", "市自然资源和规划局", "各县市区人民政府、各园区管委会", "消化批而未供土地，处置闲置土地，推进低效用地再开发"},
	{"water", "市水利和湖泊局", "市发展改革委、市水务集团、各县市区人民政府", "盘活水库、湖泊水域和水利工程资产，推进水权交易"},
	{"forestry", "市林业局", "各国有林场、市文旅集团", "盘活国有林场林地林木资源，发展森林康养和林业碳汇"},
	{"zones_energy", "市发展改革委（能源局）", "各园区管委会、市高投集团", "盘活园区闲置厂房和低效工业用地，推进地热等能源资源开发"},
	{"data", "市数据局", "市机关事务服务中心、市城发集团", "盘活闲置机房和公共数据资源，推进数据资产登记入表"},
	{"culture_tourism", "市文化和旅游局", "市文旅集团、各县市区人民政府", "盘活闲置文旅场馆和景区资产，推进经营权出让"},
	{"party_gov_assets", "市机关事务服务中心", "市财政局、各县市区机关事务服务中心", "清理盘活党政机关闲置办公用房，统筹调剂使用"},
	{"institution_assets", "市财政局", "市教育局、市卫生健康委、市农业农村局", "盘活闲置校舍、卫生院等行政事业单位资产"},
	{"enterprise_assets", "市国资委", "市城发集团、市高投集团、市交投集团、市国资运营公司", "盘活国有企业闲置低效资产，推进资产证券化"},
	{"concession", "市交通运输局", "市水务集团、市财政局、各县市区人民政府", "推进停车场、供水、水域等特许经营权出让"},
}

// targetYears are the years the demo sets 预期盘活效益 for.
var targetYears = []int{2025, TargetYear}

// approvedIn sums the approved economic benefit of p's reports in year, in 万元.
func approvedIn(p *Project, year int) float64 {
	s := 0.0
	for _, rep := range p.Reports {
		if rep.State == "approved" && rep.Month.Year() == year {
			s += rep.EconomicBenefit
		}
	}
	return s
}

// sized is a target that the actual figure reaches a share of in [lo, hi), rounded up to ten
// 万元 (100 when nothing was reached).
func sized(r *rand.Rand, actual, lo, hi float64) float64 {
	if actual <= 0 {
		return 100
	}
	return math.Ceil(actual/between(r, lo, hi)/10) * 10
}

// shares are the progress ranges of the targets per year: 2025 nearly met, 2026 partway.
var shares = map[int][2]float64{2025: {0.7, 0.9}, TargetYear: {0.35, 0.85}}

// benefitTargets sets each county's 预期盘活效益 from what its own units and its zones' brought
// in, and the city's from every unit's.
func benefitTargets(r *rand.Rand, city *City, ix units, ps []Project) []BenefitTarget {
	var out []BenefitTarget
	for _, y := range targetYears {
		byCounty, all := map[string]float64{}, 0.0
		for i := range ps {
			v := approvedIn(&ps[i], y)
			all += v
			if u := ix.byCode[ps[i].UnitCode]; u.county != nil {
				byCounty[u.county.code] += v
			}
		}
		sh := shares[y]
		for _, reg := range city.Regions {
			out = append(out, BenefitTarget{RegionCode: reg.Code, Year: y, Target: sized(r, byCounty[reg.Code], sh[0], sh[1])})
		}
		out = append(out, BenefitTarget{RegionCode: Place.Code, City: true, Year: y, Target: sized(r, all, sh[0], sh[1])})
	}
	return out
}

// fieldTargets sets each 工作领域's target from the approved benefit of its projects.
func fieldTargets(r *rand.Rand, ps []Project) []FieldTarget {
	var out []FieldTarget
	for _, y := range targetYears {
		byField := map[string]float64{}
		for i := range ps {
			byField[ps[i].Field] += approvedIn(&ps[i], y)
		}
		sh := shares[y]
		for _, f := range fieldPlans {
			out = append(out, FieldTarget{
				Year: y, Field: f.field, LeadUnit: f.lead, Partners: f.partners, Tasks: f.tasks,
				Target: sized(r, byField[f.field], sh[0], sh[1]),
			})
		}
	}
	return out
}
