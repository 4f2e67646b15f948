package ledger

import (
	"fmt"
	"math"

	"github.com/onemap/onemap/internal/problem"
)

// FieldLabels are the Chinese names of the 工作领域 (Fields).
var FieldLabels = map[string]string{
	"natural_resources": "自然资源", "water": "水利", "forestry": "林业", "zones_energy": "园区和能源",
	"data": "数据", "culture_tourism": "文旅", "party_gov_assets": "党政机关资产",
	"institution_assets": "其他行政事业资产", "enterprise_assets": "企业国有资产", "concession": "特许经营权",
}

// RegionTarget is a region's yearly 预期盘活效益 (万元): targets' metric "benefit".
type RegionTarget struct {
	RegionCode string  `json:"region_code"`
	RegionName string  `json:"region_name"`
	Benefit    float64 `json:"benefit"`
}

// FieldTarget is a 工作领域's yearly 预期盘活效益 (万元) with its 牵头单位, 配合单位 and 主要任务.
type FieldTarget struct {
	Field    string  `json:"field"`
	Label    string  `json:"label"`
	LeadUnit string  `json:"lead_unit"`
	Partners string  `json:"partners"`
	Tasks    string  `json:"tasks"`
	Target   float64 `json:"target"`
}

// Targets are one year's targets per region and per 工作领域.
type Targets struct {
	Year    int            `json:"year"`
	Regions []RegionTarget `json:"regions"`
	Fields  []FieldTarget  `json:"fields"`
}

// maxMoney is the largest amount numeric(16,2) holds, in 万元.
const maxMoney = 1e14 - 1

// checkMoney says what is wrong with a target amount ("" when nothing).
func checkMoney(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "is not a number"
	case v < 0:
		return "must not be negative"
	case v > maxMoney:
		return "is too large"
	}
	return ""
}

// check validates t against the regions (code → name), naming the offending entry, and fills
// in the names and labels.
func (t *Targets) check(regions map[string]string) error {
	var errs []*problem.Error
	bad := func(name, format string, args ...any) {
		errs = append(errs, problem.Unprocessable(name, format, args...))
	}
	if t.Year < 2000 || t.Year > 2100 {
		bad("year", "%d is outside 2000..2100", t.Year)
	}
	seen := map[string]bool{}
	for i := range t.Regions {
		r := &t.Regions[i]
		name, ok := regions[r.RegionCode]
		switch {
		case !ok:
			bad(fmt.Sprintf("regions[%d].region_code", i), "%q is not a region", r.RegionCode)
		case seen[r.RegionCode]:
			bad(fmt.Sprintf("regions[%d].region_code", i), "%q is listed twice", r.RegionCode)
		}
		if why := checkMoney(r.Benefit); why != "" {
			bad(fmt.Sprintf("regions[%d].benefit", i), "%s", why)
		}
		seen[r.RegionCode], r.RegionName = true, name
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		switch {
		case FieldLabels[f.Field] == "":
			bad(fmt.Sprintf("fields[%d].field", i), "%q is not a 工作领域", f.Field)
		case seen["field:"+f.Field]:
			bad(fmt.Sprintf("fields[%d].field", i), "%q is listed twice", f.Field)
		}
		if why := checkMoney(f.Target); why != "" {
			bad(fmt.Sprintf("fields[%d].target", i), "%s", why)
		}
		seen["field:"+f.Field], f.Label = true, FieldLabels[f.Field]
	}
	if e := problem.Join(errs...); e != nil {
		return e
	}
	return nil
}

// FieldProgress is one 工作领域's approved 经济效益 of a year against its target.
type FieldProgress struct {
	Field    string  `json:"field"`
	Label    string  `json:"label"`
	LeadUnit string  `json:"lead_unit"`
	Target   float64 `json:"target"`
	Actual   float64 `json:"actual"`
	Ratio    float64 `json:"ratio"`
}

// ratio is actual/target, 0 without a target.
func ratio(actual, target float64) float64 {
	if target <= 0 {
		return 0
	}
	return actual / target
}
