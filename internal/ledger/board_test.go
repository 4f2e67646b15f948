package ledger

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/db/dbtest"
)

// fixtureReport is one project's report in the fixture city; the test sums these itself.
type fixtureReport struct {
	project, unit, field string
	deleted              bool
	month                string
	state                string
	qty                  float64
	qunit                string
	econ                 float64
	social               string
	treasury, fiscal     float64
	typical              string
}

// fixtureReports: October 2026 has ties on 经济效益 (赤壁市 150 in two projects before 嘉鱼县's 150
// in one; Z1 and Z2 30 each, by code), reports not approved (submitted, draft, returned) and a
// deleted project, all left out; September and 2025 fill the trend and the yearly progress.
var fixtureReports = []fixtureReport{
	{"P1", "421281", "natural_resources", false, "2026-10", "approved", 10, "亩", 100, "", 80, 50, "赤壁市老旧厂房改造"},
	{"P2", "421281", "culture_tourism", false, "2026-10", "approved", 200, "平方米", 50, "带动就业50人", 0, 0, ""},
	{"P3", "421281", "water", false, "2026-10", "submitted", 3, "亩", 999, "不计", 0, 0, "不计"},
	{"P4", "421221", "natural_resources", false, "2026-10", "approved", 5.5, "亩", 150, "盘活闲置土地", 100, 20, ""},
	{"P5", "421221", "natural_resources", true, "2026-10", "approved", 7, "亩", 400, "已删除", 0, 0, "已删除"},
	{"P6", "Z2", "zones_energy", false, "2026-10", "approved", 1, "公里", 30, "", 30, 30, ""},
	{"P7", "Z1", "zones_energy", false, "2026-10", "approved", 2, "公里", 30, "", 0, 0, ""},
	{"P8", "D1", "party_gov_assets", false, "2026-10", "approved", 1000, "平方米", 80, "办公用房统筹", 60, 40, "典型案例甲"},
	{"P9", "D1", "party_gov_assets", false, "2026-10", "approved", 0, "亩", 20, "", 0, 0, "  "},
	{"P10", "D2", "water", false, "2026-10", "returned", 9, "立方米", 70, "", 0, 0, ""},
	{"P11", "E1", "enterprise_assets", false, "2026-10", "approved", 12, "吨", 500, "国企改革", 300, 100, "城发集团REITs"},
	{"P11", "E1", "enterprise_assets", false, "2026-09", "approved", 12, "吨", 200, "", 0, 0, ""},
	{"P12", "E1", "enterprise_assets", false, "2026-10", "draft", 1, "吨", 900, "", 0, 0, ""},
	{"P13", "E2", "concession", false, "2026-10", "approved", 3, "公里", 700.25, "特许经营", 0, 0, "高投集团特许经营"},
	{"P1", "421281", "natural_resources", false, "2026-09", "approved", 4, "亩", 40, "", 0, 0, ""},
	{"P4", "421221", "natural_resources", false, "2025-12", "approved", 1, "亩", 60, "", 0, 0, ""},
	{"P14", "421202", "data", false, "2026-03", "approved", 1, "亩", 25, "", 0, 0, ""},
}

// boardFixture builds the fixture city with plain SQL: 咸宁市 with 咸安区 (城区组), 赤壁市, 嘉鱼县
// and 通城县 (县市组, 通城县 with nothing), zones Z1 (咸安区) and Z2 (赤壁市), departments D1, D2
// and enterprises E1, E2, and fixtureReports' projects and reports.
func boardFixture(t *testing.T) (*Service, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	box := `ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.1, 29.6, 4490))`
	stmts := []string{
		`INSERT INTO deployment (name, code) VALUES ('咸宁市', '421200')`,
		`INSERT INTO regions (code, name, level, geom) VALUES ('421200', '咸宁市', 'city', ` + box + `)`,
		`INSERT INTO regions (code, name, geom) VALUES ('421202', '咸安区', ` + box + `), ('421281', '赤壁市', ` + box + `),
			('421221', '嘉鱼县', ` + box + `), ('421222', '通城县', ` + box + `)`,
		`INSERT INTO zones (code, name, region_code, geom) VALUES ('Z1', '咸宁高新区', '421202', ` + box + `), ('Z2', '赤壁高新区', '421281', ` + box + `)`,
		`INSERT INTO units (code, name, grp, region_code) VALUES ('D1', '市机关事务服务中心', 'city', '421200'),
			('D2', '市水利和湖泊局', 'city', '421200'), ('E1', '咸宁城发集团', 'enterprise', '421200'), ('E2', '咸宁高投集团', 'enterprise', '421200')`,
	}
	for _, q := range stmts {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, r := range fixtureReports {
		_, err := pool.Exec(ctx, `INSERT INTO projects (code, name, year, unit_code, field, mode, deleted_at)
			VALUES ($1, $1 || '项目', 2026, $2, $3, 'use', CASE WHEN $4 THEN now() END) ON CONFLICT DO NOTHING`,
			r.project, r.unit, r.field, r.deleted)
		if err != nil {
			t.Fatal(err)
		}
		_, err = pool.Exec(ctx, `INSERT INTO project_reports (project_id, month, state, quantity, quantity_unit,
			economic_benefit, social_benefit, treasury_income, fiscal_available, typical_case, return_reason)
			SELECT id, ($2 || '-01')::date, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $3 = 'returned' THEN '数据有误' ELSE '' END
			FROM projects WHERE code = $1`,
			r.project, r.month, r.state, r.qty, r.qunit, r.econ, r.social, r.treasury, r.fiscal, r.typical)
		if err != nil {
			t.Fatal(err)
		}
	}
	return NewService(pool), pool
}

// unitGroups is each fixture unit's group and name.
var unitGroups = map[string][2]string{
	"421202": {"district", "咸安区"}, "421281": {"county", "赤壁市"}, "421221": {"county", "嘉鱼县"},
	"421222": {"county", "通城县"}, "Z1": {"zone", "咸宁高新区"}, "Z2": {"zone", "赤壁高新区"},
	"D1": {"city", "市机关事务服务中心"}, "D2": {"city", "市水利和湖泊局"},
	"E1": {"enterprise", "咸宁城发集团"}, "E2": {"enterprise", "咸宁高投集团"},
}

// expectedBoard recomputes a group's rows from fixtureReports, in Go.
func expectedBoard(group, month string) []BoardRow {
	byUnit := map[string]*BoardRow{}
	projects := map[string]map[string]bool{}
	for code, g := range unitGroups {
		if g[0] == group {
			byUnit[code] = &BoardRow{UnitCode: code, UnitName: g[1], Quantities: []Quantity{}, TypicalCases: []string{}}
			projects[code] = map[string]bool{}
		}
	}
	var socials = map[string][]string{}
	reps := slices.Clone(fixtureReports)
	slices.SortStableFunc(reps, func(a, b fixtureReport) int { return cmp.Compare(a.project, b.project) })
	for _, r := range reps {
		w := byUnit[r.unit]
		if w == nil || r.state != "approved" || r.month != month || r.deleted {
			continue
		}
		projects[r.unit][r.project] = true
		w.EconomicBenefit += r.econ
		w.TreasuryIncome += r.treasury
		w.FiscalAvailable += r.fiscal
		if s := strings.TrimSpace(r.social); s != "" {
			socials[r.unit] = append(socials[r.unit], s)
		}
		if c := strings.TrimSpace(r.typical); c != "" {
			w.TypicalCases = append(w.TypicalCases, c)
		}
		if r.qty > 0 {
			addQuantity(w, r.qunit, r.qty)
		}
	}
	var out []BoardRow
	for code, w := range byUnit {
		w.Projects = int64(len(projects[code]))
		w.SocialBenefit = strings.Join(socials[code], "；")
		slices.SortFunc(w.Quantities, func(a, b Quantity) int { return strings.Compare(a.Unit, b.Unit) })
		out = append(out, *w)
	}
	slices.SortFunc(out, func(a, b BoardRow) int {
		switch {
		case a.EconomicBenefit != b.EconomicBenefit:
			return cmp.Compare(b.EconomicBenefit, a.EconomicBenefit)
		case a.Projects != b.Projects:
			return cmp.Compare(b.Projects, a.Projects)
		}
		return strings.Compare(a.UnitCode, b.UnitCode)
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

func addQuantity(w *BoardRow, unit string, q float64) {
	for i := range w.Quantities {
		if w.Quantities[i].Unit == unit {
			w.Quantities[i].Quantity += q
			return
		}
	}
	w.Quantities = append(w.Quantities, Quantity{Unit: unit, Quantity: q})
}

// TestBoardFiguresFromApprovedReports checks every group's October 榜单 against the sums the test
// makes itself, the ties' order, the title and 制表时间.
func TestBoardFiguresFromApprovedReports(t *testing.T) {
	svc, _ := boardFixture(t)
	svc.now = func() time.Time { return time.Date(2026, 11, 3, 18, 30, 0, 0, time.UTC) }
	boards, err := svc.Boards(context.Background(), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(boards) != 5 {
		t.Fatalf("%d boards, want 5", len(boards))
	}
	for i, b := range boards {
		if b.Group != Groups[i] || b.Month != "2026-10" {
			t.Errorf("board %d is %s %s", i, b.Group, b.Month)
		}
		want := expectedBoard(b.Group, "2026-10")
		if !sameRows(b.Rows, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", b.Group, b.Rows, want)
		}
	}
	county := boards[0]
	if county.Title != "咸宁市2026年10月国有“三资”盘活榜单（县市组）" || county.GroupName != "县市组" {
		t.Errorf("title %q, group name %q", county.Title, county.GroupName)
	}
	if got := county.MadeAt.Format(time.RFC3339); got != "2026-11-04T02:30:00+08:00" {
		t.Errorf("made_at %s", got)
	}
	order := func(b Board) (s []string) {
		for _, r := range b.Rows {
			s = append(s, r.UnitCode)
		}
		return s
	}
	// The ties: 150 in 2 projects before 150 in 1; 30 and 30 in one project each by code.
	if got := order(boards[0]); !slices.Equal(got, []string{"421281", "421221", "421222"}) {
		t.Errorf("county order %v", got)
	}
	if got := order(boards[3]); !slices.Equal(got, []string{"Z1", "Z2"}) {
		t.Errorf("zone order %v", got)
	}
	if r := boards[0].Rows[0]; r.SocialBenefit != "带动就业50人" || len(r.Quantities) != 2 || r.EconomicBenefit != 150 {
		t.Errorf("赤壁市 %+v", r)
	}
	if r := boards[2].Rows[0]; r.UnitCode != "D1" || !slices.Equal(r.TypicalCases, []string{"典型案例甲"}) || r.Projects != 2 {
		t.Errorf("D1 %+v", r)
	}
}

// sameRows compares rows, money to the cent.
func sameRows(got, want []BoardRow) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Rank != w.Rank || g.UnitCode != w.UnitCode || g.UnitName != w.UnitName || g.Projects != w.Projects ||
			!near(g.EconomicBenefit, w.EconomicBenefit) || !near(g.TreasuryIncome, w.TreasuryIncome) ||
			!near(g.FiscalAvailable, w.FiscalAvailable) || g.SocialBenefit != w.SocialBenefit ||
			!slices.Equal(g.TypicalCases, w.TypicalCases) || len(g.Quantities) != len(w.Quantities) {
			return false
		}
		for j := range g.Quantities {
			if g.Quantities[j].Unit != w.Quantities[j].Unit || !near(g.Quantities[j].Quantity, w.Quantities[j].Quantity) {
				return false
			}
		}
	}
	return true
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// TestBoardMonthWithoutReports: every unit appears with zeros, in code order.
func TestBoardMonthWithoutReports(t *testing.T) {
	svc, _ := boardFixture(t)
	b, err := svc.Board(context.Background(), time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), "county")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rows) != 3 || b.Rows[0].UnitCode != "421221" || b.Rows[2].Projects != 0 || b.Rows[0].Quantities == nil || b.Month != "2024-01" {
		t.Errorf("%+v", b)
	}
}

// TestTrendTwelveMonths: E1's 200 in September and 500 in October; the total is E1's plus E2's.
func TestTrendTwelveMonths(t *testing.T) {
	svc, _ := boardFixture(t)
	tr, err := svc.Trend(context.Background(), "enterprise", time.Date(2026, 10, 9, 0, 0, 0, 0, time.UTC), 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Months) != 12 || tr.Months[0] != "2025-11" || tr.Months[11] != "2026-10" {
		t.Fatalf("months %v", tr.Months)
	}
	// E2 (700.25 over the span) before E1 (700).
	if len(tr.Units) != 2 || tr.Units[0].UnitCode != "E2" {
		t.Fatalf("units %+v", tr.Units)
	}
	e1 := tr.Units[1].EconomicBenefit
	if e1[10] != 200 || e1[11] != 500 || e1[0] != 0 {
		t.Errorf("E1 %v", e1)
	}
	if tr.Total[11] != 1200.25 || tr.Total[10] != 200 {
		t.Errorf("total %v", tr.Total)
	}
	county, err := svc.Trend(context.Background(), "county", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), 12)
	if err != nil {
		t.Fatal(err)
	}
	// 嘉鱼县 December 2025: 60; October: 150 (its deleted project's 400 left out).
	if county.Total[1] != 60 || county.Total[11] != 300 || county.Total[10] != 40 {
		t.Errorf("county total %v", county.Total)
	}
}
