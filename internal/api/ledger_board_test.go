package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/ledger"
)

// boardApp: 咸宁市 with 赤壁市 and 嘉鱼县 (县市组) and the enterprise E1, each with one project
// approved for October 2026 (赤壁市 two, in two units of measure), one submitted report left out.
func boardApp(t *testing.T) (*fiber.App, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	box := `ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.1, 29.6, 4490))`
	for _, q := range []string{
		`INSERT INTO deployment (name, code) VALUES ('咸宁市', '421200')`,
		`INSERT INTO regions (code, name, level, geom) VALUES ('421200', '咸宁市', 'city', ` + box + `)`,
		`INSERT INTO regions (code, name, geom) VALUES ('421281', '赤壁市', ` + box + `), ('421221', '嘉鱼县', ` + box + `)`,
		`INSERT INTO units (code, name, grp, region_code) VALUES ('E1', '咸宁城发集团', 'enterprise', '421200')`,
		`INSERT INTO projects (code, name, year, unit_code, field, mode) VALUES ('P1', '赤壁老厂房', 2026, '421281', 'natural_resources', 'lease'),
			('P2', '嘉鱼码头', 2026, '421221', 'water', 'lease'), ('P3', '城发REITs', 2026, 'E1', 'enterprise_assets', 'finance'),
			('P4', '赤壁林场', 2026, '421281', 'forestry', 'use'), ('P5', '赤壁仓库', 2026, '421281', 'institution_assets', 'lease')`,
		`INSERT INTO project_reports (project_id, month, state, quantity, quantity_unit, economic_benefit, social_benefit, treasury_income, fiscal_available, typical_case)
		 SELECT id, '2026-10-01', s, q, u, e, so, ti, fa, tc FROM projects JOIN (VALUES
			('P1', 'approved', 10.5, '亩', 100.25, '就业30人', 80.0, 50.0, '老厂房变文创园'),
			('P2', 'approved', 300, '平方米', 260, '', 0, 0, ''),
			('P3', 'approved', 2, '公里', 900, '国企改革', 500, 100, 'REITs发行'),
			('P4', 'submitted', 99, '亩', 999, '', 0, 0, ''),
			('P5', 'approved', 4, '平方米', 20, '', 0, 0, '')) v (c, s, q, u, e, so, ti, fa, tc) ON v.c = projects.code`,
	} {
		if _, err := pool.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	cfg := config.Config{MaxUploadMB: 1, AnonymousRead: true, RequestTimeout: 10 * time.Second}
	app := api.New(api.Deps{
		Config: cfg, Pool: pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: api.NewMetrics(),
		Assets: assets.NewService(pool), Auth: auth.NewService(pool), Ledger: ledger.NewService(pool), Base: context.Background(),
	})
	return app, pool
}

// boardJSON is the 榜单 as a client reads it.
type boardJSON struct {
	Month, Group, Title string
	GroupName           string    `json:"group_name"`
	MadeAt              time.Time `json:"made_at"`
	Rows                []struct {
		Rank       int
		UnitCode   string `json:"unit_code"`
		UnitName   string `json:"unit_name"`
		Projects   int
		Quantities []struct {
			Unit     string
			Quantity float64
		}
		EconomicBenefit float64  `json:"economic_benefit"`
		SocialBenefit   string   `json:"social_benefit"`
		TreasuryIncome  float64  `json:"treasury_income"`
		FiscalAvailable float64  `json:"fiscal_available"`
		TypicalCases    []string `json:"typical_cases"`
	}
}

func TestLeaderboardGroups(t *testing.T) {
	app, pool := boardApp(t)
	var b boardJSON
	if st := get(t, app, "/api/v1/leaderboard?month=2026-10&group=county", &b); st != 200 {
		t.Fatalf("status %d", st)
	}
	// 嘉鱼县 260 before 赤壁市 100.25 + 20 (the submitted 999 left out).
	if len(b.Rows) != 2 || b.Rows[0].UnitCode != "421221" || b.Rows[1].EconomicBenefit != 120.25 || b.Rows[1].Projects != 2 ||
		len(b.Rows[1].Quantities) != 2 || b.Rows[1].TypicalCases[0] != "老厂房变文创园" || b.GroupName != "县市组" {
		t.Errorf("county board %+v", b)
	}
	if b.Title != "咸宁市2026年10月国有“三资”盘活榜单（县市组）" {
		t.Errorf("title %q", b.Title)
	}
	var all struct {
		Month  string
		Groups []boardJSON
	}
	if st := get(t, app, "/api/v1/leaderboard?month=2026-10&group=all", &all); st != 200 || len(all.Groups) != 5 || all.Groups[4].Rows[0].EconomicBenefit != 900 {
		t.Errorf("all: %d %+v", st, all)
	}
	var legacy struct{ Ranks []map[string]any }
	if st := get(t, app, "/api/v1/leaderboard?month=2026-10", &legacy); st != 200 || len(legacy.Ranks) != 2 || legacy.Ranks[0]["region_code"] == nil {
		t.Errorf("county ranking without group: %d %+v", st, legacy)
	}
	for path, param := range map[string]string{
		"/api/v1/leaderboard?month=2026-13&group=county": "month", "/api/v1/leaderboard?group=towns": "group",
		"/api/v1/leaderboard?group=county&format=pdf": "format", "/api/v1/leaderboard/trend?group=x": "group",
		"/api/v1/leaderboard/trend?to=10-2026": "to", "/api/v1/leaderboard/trend?months=0": "months",
	} {
		var p struct {
			Params []struct{ Name string } `json:"invalid_params"`
		}
		if st := get(t, app, path, &p); st != 400 || len(p.Params) != 1 || p.Params[0].Name != param {
			t.Errorf("%s: %d %+v, want 400 naming %s", path, st, p, param)
		}
	}
	// A region-scoped reader sees the whole board: it is a city-wide publication.
	scope := "421221"
	tok := login(t, app, pool, "leader-jy", auth.Leader, &scope)
	var scoped boardJSON
	if st := send(t, app, "GET", "/api/v1/leaderboard?month=2026-10&group=county", tok, "", &scoped); st != 200 || len(scoped.Rows) != 2 {
		t.Errorf("scoped reader: %d %+v", st, scoped.Rows)
	}
	var tr struct {
		Months []string
		Units  []struct {
			UnitCode        string    `json:"unit_code"`
			EconomicBenefit []float64 `json:"economic_benefit"`
		}
		Total []float64
	}
	if st := get(t, app, "/api/v1/leaderboard/trend?group=county&to=2026-10", &tr); st != 200 || len(tr.Months) != 12 || tr.Total[11] != 380.25 || tr.Units[0].UnitCode != "421221" {
		t.Errorf("trend: %d %+v", st, tr)
	}
}

// TestLeaderboardXLSX reads the workbook back: a sheet per group, the title, 制表时间, the merged
// two-row header, and each row's figures equal to the JSON's.
func TestLeaderboardXLSX(t *testing.T) {
	app, _ := boardApp(t)
	var all struct{ Groups []boardJSON }
	get(t, app, "/api/v1/leaderboard?month=2026-10&group=all", &all)
	resp, err := app.Test(httptest.NewRequest("GET", "/api/v1/leaderboard?month=2026-10&format=xlsx", nil), 20_000)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("xlsx: %v %v", err, resp.Status)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "leaderboard-2026-10-all.xlsx") {
		t.Errorf("Content-Disposition %q", cd)
	}
	x, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"县市组", "城区组", "市级组", "园区组", "国有企业组"}) {
		t.Fatalf("sheets %v", got)
	}
	for i, sheet := range x.GetSheetList() {
		b := all.Groups[i]
		rows, _ := x.GetRows(sheet)
		if rows[0][0] != b.Title || !strings.HasPrefix(rows[1][0], "制表时间："+b.MadeAt.Format("2006年01月02日")) || rows[1][8] != "单位：万元" {
			t.Errorf("%s head: %q", sheet, rows[:2])
		}
		wantHeader(t, x, sheet)
		if len(rows) != 4+len(b.Rows) {
			t.Errorf("%s: %d rows for %d units", sheet, len(rows), len(b.Rows))
		}
		for j, r := range b.Rows {
			got := rows[4+j]
			fig := func(k int) float64 { v, _ := strconv.ParseFloat(strings.ReplaceAll(got[k], ",", ""), 64); return v }
			if got[0] != strconv.Itoa(r.Rank) || got[1] != r.UnitName || got[2] != strconv.Itoa(r.Projects) ||
				fig(5) != r.EconomicBenefit || got[6] != r.SocialBenefit || fig(7) != r.TreasuryIncome || fig(8) != r.FiscalAvailable ||
				(len(got) > 9 && got[9] != strings.Join(r.TypicalCases, "\n")) {
				t.Errorf("%s row %d: %q vs %+v", sheet, j, got, r)
			}
			if len(r.Quantities) == 1 && (fig(3) != r.Quantities[0].Quantity || got[4] != r.Quantities[0].Unit) {
				t.Errorf("%s row %d quantity: %q vs %+v", sheet, j, got[3:5], r.Quantities)
			}
		}
	}
	rows, _ := x.GetRows("县市组")
	if rows[5][3] != "10.50；4.00" || rows[5][4] != "亩；平方米" {
		t.Errorf("two units of measure: %q", rows[5][3:5])
	}
}

// wantHeader checks the merged cells of a 榜单 sheet's title and two-row header.
func wantHeader(t *testing.T, x *excelize.File, sheet string) {
	t.Helper()
	merged, err := x.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range merged {
		got[m.GetStartAxis()+":"+m.GetEndAxis()] = m.GetCellValue()
	}
	for span, text := range map[string]string{
		"A1:J1": "", "A3:A4": "排名", "B3:B4": "单位", "C3:C4": "本月盘活的项目总数", "D3:E3": "本月盘活项目实物总量",
		"F3:G3": "本月形成盘活收益", "H3:H4": "入库收益（万元）", "I3:I4": "其中：形成本级可用财力（万元）", "J3:J4": "典型案例说明",
	} {
		if v, ok := got[span]; !ok || (text != "" && v != text) {
			t.Errorf("%s: merged %s = %q (present %v), want %q", sheet, span, v, ok, text)
		}
	}
	for cell, text := range map[string]string{"D4": "数量", "E4": "单位", "F4": "经济效益（万元）", "G4": "社会效益"} {
		if v, _ := x.GetCellValue(sheet, cell); v != text {
			t.Errorf("%s %s = %q, want %q", sheet, cell, v, text)
		}
	}
}

// upload posts an XLSX of rows to the targets import as token.
func uploadTargets(t *testing.T, app *fiber.App, token string, fields map[string]string, rows [][]any, out any) int {
	t.Helper()
	x := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "目标.xlsx")
	if err := x.Write(fw); err != nil {
		t.Fatal(err)
	}
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/targets/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := app.Test(req, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

type targetsJSON struct {
	Year    int
	Regions []struct {
		RegionCode string `json:"region_code"`
		Benefit    float64
	}
	Fields []struct {
		Field    string
		LeadUnit string `json:"lead_unit"`
		Target   float64
	}
}

func TestTargetsAPI(t *testing.T) {
	app, pool := boardApp(t)
	admin := login(t, app, pool, "admin1", auth.Admin, nil)
	analyst := login(t, app, pool, "analyst1", auth.Analyst, nil)
	body := `{"year":2026,"regions":[{"region_code":"421281","benefit":1000},{"region_code":"421200","benefit":4000}],
	  "fields":[{"field":"water","lead_unit":"市水利和湖泊局","partners":"市财政局","tasks":"水库","target":520}]}`
	if st := send(t, app, "PUT", "/api/v1/targets", analyst, body, nil); st != 403 {
		t.Errorf("analyst PUT: %d", st)
	}
	var got targetsJSON
	if st := send(t, app, "PUT", "/api/v1/targets", admin, body, &got); st != 200 || len(got.Regions) != 2 || got.Fields[0].Target != 520 {
		t.Fatalf("PUT: %d %+v", st, got)
	}
	if st := send(t, app, "PUT", "/api/v1/targets", admin, `{"year":2026,"regions":[{"region_code":"1","benefit":1}]}`, nil); st != 422 {
		t.Errorf("unknown region: %d", st)
	}
	var pr struct {
		Targets []struct {
			RegionCode     string `json:"region_code"`
			Metric         string
			Target, Actual float64
		}
		Fields []struct {
			Field                 string
			Label                 string
			Target, Actual, Ratio float64
		}
	}
	get(t, app, "/api/v1/progress?year=2026", &pr)
	// The city counts all three units (260 + 120.25 + 900); 赤壁市 its own 120.25.
	want := map[string]float64{"421200": 1280.25, "421281": 120.25}
	if len(pr.Targets) != 2 {
		t.Fatalf("progress %+v", pr)
	}
	for _, p := range pr.Targets {
		if p.Metric != "benefit" || p.Actual != want[p.RegionCode] {
			t.Errorf("progress %+v", p)
		}
	}
	if len(pr.Fields) != 1 || pr.Fields[0].Actual != 260 || pr.Fields[0].Label != "水利" || pr.Fields[0].Ratio != 0.5 {
		t.Errorf("fields %+v", pr.Fields)
	}
	table := [][]any{{"2026年预期盘活效益"}, {"地区", "预期盘活效益(万元)"}, {"嘉鱼县", 300}, {"合计", 300}}
	var rep struct {
		Created int
		DryRun  bool `json:"dry_run"`
		Errors  []struct {
			Row    int
			Field  string
			Reason string
		}
	}
	if st := uploadTargets(t, app, analyst, map[string]string{"year": "2026"}, table, nil); st != 403 {
		t.Errorf("analyst import: %d", st)
	}
	if st := uploadTargets(t, app, admin, map[string]string{"year": "2026", "dry_run": "true"}, table, &rep); st != 200 || rep.Created != 1 || !rep.DryRun {
		t.Errorf("dry run: %d %+v", st, rep)
	}
	bad := append(table[:3:3], []any{"江夏区", 5})
	if st := uploadTargets(t, app, admin, map[string]string{"year": "2026"}, bad, &rep); st != 422 || len(rep.Errors) != 1 || rep.Errors[0].Row != 4 || !strings.Contains(rep.Errors[0].Reason, "江夏区") {
		t.Errorf("bad row: %d %+v", st, rep)
	}
	if st := uploadTargets(t, app, admin, map[string]string{"year": "2026"}, table, &rep); st != 200 {
		t.Errorf("import: %d %+v", st, rep)
	}
	if st := uploadTargets(t, app, admin, map[string]string{"year": "twenty"}, table, nil); st != 400 {
		t.Errorf("bad year: %d", st)
	}
	send(t, app, "GET", "/api/v1/targets?year=2026", "", "", &got)
	if len(got.Regions) != 3 {
		t.Errorf("after import %+v", got.Regions)
	}
}
