package ledger

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// GroupLabels are the Chinese names of the five groups of the 榜单.
var GroupLabels = map[string]string{
	"county": "县市组", "district": "城区组", "city": "市级组", "zone": "园区组", "enterprise": "国有企业组",
}

// ValidGroup reports whether g is one of Groups.
func ValidGroup(g string) bool { return GroupLabels[g] != "" }

// chinaTime is the clock the 榜单's 制表时间 is written in (the plans are dated in Beijing time).
var chinaTime = time.FixedZone("CST", 8*3600)

// Quantity is an amount of one physical unit (亩, 平方米, 公里 …): 实物量.
type Quantity struct {
	Unit     string  `json:"unit"`
	Quantity float64 `json:"quantity"`
}

// BoardRow is one unit's line in a month's 榜单, summed over its projects' approved reports.
type BoardRow struct {
	Rank     int    `json:"rank"`
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
	// Projects is 本月盘活的项目总数: projects with an approved report in the month.
	Projects        int64      `json:"projects"`
	Quantities      []Quantity `json:"quantities"`
	EconomicBenefit float64    `json:"economic_benefit"`
	// SocialBenefit is the reports' 社会效益 texts joined with "；".
	SocialBenefit   string   `json:"social_benefit"`
	TreasuryIncome  float64  `json:"treasury_income"`
	FiscalAvailable float64  `json:"fiscal_available"`
	TypicalCases    []string `json:"typical_cases"`
}

// Board is one group's 盘活榜单 for one month.
type Board struct {
	Month     string     `json:"month"`
	Group     string     `json:"group"`
	GroupName string     `json:"group_name"`
	Title     string     `json:"title"`
	MadeAt    time.Time  `json:"made_at"`
	Rows      []BoardRow `json:"rows"`
}

// MonthStart is the first day of t's month, UTC.
func MonthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// boardTitle is the plans' heading: "咸宁市2026年10月国有“三资”盘活榜单（县市组）".
func boardTitle(city string, month time.Time, group string) string {
	return fmt.Sprintf("%s%d年%d月国有“三资”盘活榜单（%s）", city, month.Year(), int(month.Month()), GroupLabels[group])
}

// rank orders rows by 经济效益 (desc), then 项目数 (desc), then unit code, and numbers them.
func rank(rows []BoardRow) {
	slices.SortFunc(rows, func(a, b BoardRow) int {
		if c := cmp.Compare(b.EconomicBenefit, a.EconomicBenefit); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Projects, a.Projects); c != 0 {
			return c
		}
		return cmp.Compare(a.UnitCode, b.UnitCode)
	})
	for i := range rows {
		rows[i].Rank = i + 1
	}
}

// Trend is a group's monthly approved 经济效益 (万元) per unit and in total, oldest month first.
type Trend struct {
	Group  string      `json:"group"`
	Months []string    `json:"months"`
	Units  []TrendUnit `json:"units"`
	Total  []float64   `json:"total"`
}

// TrendUnit is one unit's line of a Trend.
type TrendUnit struct {
	UnitCode        string    `json:"unit_code"`
	UnitName        string    `json:"unit_name"`
	EconomicBenefit []float64 `json:"economic_benefit"`
}

// trendMonths lists the n months ending with to's month, oldest first, as "YYYY-MM".
func trendMonths(to time.Time, n int) []string {
	out := make([]string, n)
	first := MonthStart(to).AddDate(0, 1-n, 0)
	for i := range out {
		out[i] = first.AddDate(0, i, 0).Format("2006-01")
	}
	return out
}

// sortTrend puts the units with the most 经济效益 over the span first (then by code).
func sortTrend(units []TrendUnit) {
	sum := func(u TrendUnit) (t float64) {
		for _, v := range u.EconomicBenefit {
			t += v
		}
		return t
	}
	slices.SortStableFunc(units, func(a, b TrendUnit) int { return cmp.Compare(sum(b), sum(a)) })
}

// round2 rounds to the 2 decimals money is kept in (万元).
func round2(v float64) float64 { return math.Round(v*100) / 100 }
