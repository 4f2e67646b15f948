package ledger

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/problem"
)

// sheetOf builds a one-sheet workbook of rows (the test's own tables, laid out like the plans').
func sheetOf(t *testing.T, rows [][]any) *bytes.Buffer {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// regionTable is shape (a) under a title row and a blank row, with a 合计 row.
func regionTable(extra ...[]any) [][]any {
	rows := [][]any{
		{"2026年各县市区预期盘活效益"},
		{},
		{"地区", "预期盘活效益（万元）"},
		{"咸安区", 120},
		{"421281", "800.5"},
	}
	return append(append(rows, extra...), []any{"合计", 920.5})
}

// fieldTable is shape (b) under a title row; 水利 continues on a row with merged cells.
func fieldTable(extra ...[]any) [][]any {
	rows := [][]any{
		{"咸宁市2026年国有“三资”盘活工作领域目标"},
		{"序号", "工作领域", "牵头及配合单位", "主要任务", "预期盘活效益(万元)"},
		{1, "（一）自然资源领域", "市自然资源和规划局牵头，市发改委、市财政局配合", "盘活批而未供和闲置土地", 3000},
		{2, "水利", "市水利和湖泊局、市财政局", "水库经营权", 500},
		{"", "", "", "水权交易", 20},
	}
	return append(append(rows, extra...), []any{"", "合计", "", "", 3520})
}

func TestImportRegionTargets(t *testing.T) {
	svc, _ := boardFixture(t)
	ctx := context.Background()
	rep, err := svc.ImportTargets(ctx, sheetOf(t, regionTable()), 2026, true)
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("dry run: %v %+v", err, rep.Errors)
	}
	if rep.Shape != ShapeRegions || rep.Created != 2 || len(rep.Regions) != 2 || rep.Regions[1].RegionCode != "421281" || rep.Regions[1].Benefit != 800.5 {
		t.Errorf("dry run report %+v", rep)
	}
	if got, _ := svc.Targets(ctx, 2026); len(got.Regions) != 0 {
		t.Fatalf("a dry run wrote %+v", got.Regions)
	}
	if rep, err = svc.ImportTargets(ctx, sheetOf(t, regionTable()), 2026, false); err != nil || len(rep.Errors) > 0 {
		t.Fatalf("import: %v %+v", err, rep)
	}
	got, _ := svc.Targets(ctx, 2026)
	if len(got.Regions) != 2 || got.Regions[0].RegionCode != "421202" || got.Regions[0].Benefit != 120 || got.Regions[0].RegionName != "咸安区" {
		t.Errorf("targets %+v", got.Regions)
	}
	rep, err = svc.ImportTargets(ctx, sheetOf(t, regionTable([]any{"嘉鱼县", 50}, []any{"武昌区", 10}, []any{"通城县", "很多"}, []any{"咸安区", 1})), 2026, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{7: "武昌区", 8: "很多", 9: "row 4"}
	if len(rep.Errors) != 3 {
		t.Fatalf("errors %+v", rep.Errors)
	}
	for _, e := range rep.Errors {
		if !strings.Contains(e.Reason, want[e.Row]) {
			t.Errorf("row %d: %+v", e.Row, e)
		}
	}
	if got, _ := svc.Targets(ctx, 2026); len(got.Regions) != 2 {
		t.Errorf("a bad import wrote: %+v", got.Regions)
	}
}

func TestImportFieldTargets(t *testing.T) {
	svc, _ := boardFixture(t)
	ctx := context.Background()
	rep, err := svc.ImportTargets(ctx, sheetOf(t, fieldTable()), 2026, false)
	if err != nil || len(rep.Errors) > 0 || rep.Shape != ShapeFields {
		t.Fatalf("import: %v %+v", err, rep)
	}
	got, _ := svc.Targets(ctx, 2026)
	if len(got.Fields) != 2 {
		t.Fatalf("fields %+v", got.Fields)
	}
	nr, water := got.Fields[0], got.Fields[1]
	if nr.Field != "natural_resources" || nr.LeadUnit != "市自然资源和规划局" || nr.Partners != "市发改委、市财政局" || nr.Target != 3000 {
		t.Errorf("自然资源 %+v", nr)
	}
	if water.Field != "water" || water.LeadUnit != "市水利和湖泊局" || water.Partners != "市财政局" || water.Target != 520 || water.Tasks != "水库经营权\n水权交易" {
		t.Errorf("水利 %+v", water)
	}
	again, _ := svc.ImportTargets(ctx, sheetOf(t, fieldTable()), 2026, true)
	if again.Unchanged != 2 || again.Created+again.Updated != 0 {
		t.Errorf("re-import %+v", again)
	}
	bad, err := svc.ImportTargets(ctx, sheetOf(t, fieldTable([]any{3, "太空", "某局", "探月", "abc"})), 2026, false)
	if err != nil || len(bad.Errors) != 2 || bad.Errors[0].Row != 6 || bad.Errors[0].Field != "预期盘活效益" || bad.Errors[1].Field != "工作领域" {
		t.Errorf("bad rows: %v %+v", err, bad.Errors)
	}
	_, err = svc.ImportTargets(ctx, sheetOf(t, [][]any{{"名称", "数量"}, {"甲", 1}}), 2026, false)
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Status != 422 || pe.Params[0].Name != "file" {
		t.Errorf("no header: %v", err)
	}
}

func TestSplitUnits(t *testing.T) {
	for in, want := range map[string][2]string{
		"市自然资源和规划局牵头，市发改委、市财政局配合": {"市自然资源和规划局", "市发改委、市财政局"},
		"市文旅局、市发改委":               {"市文旅局", "市发改委"},
		"市国资委":                    {"市国资委", ""},
		"市林业局（牵头）、市财政局等":          {"市林业局", "市财政局"},
	} {
		if l, p := splitUnits(in); l != want[0] || p != want[1] {
			t.Errorf("%s: %q %q", in, l, p)
		}
	}
}

// TestSetTargetsAndProgress: a county's target counts its own units and its zones; the city's
// counts everything; a 工作领域 counts its projects; only approved 2026 reports of live projects.
func TestSetTargetsAndProgress(t *testing.T) {
	svc, _ := boardFixture(t)
	ctx := context.Background()
	_, err := svc.SetTargets(ctx, Targets{Year: 2026, Regions: []RegionTarget{{RegionCode: "421281", Benefit: 1000}, {RegionCode: "421200", Benefit: 5000}, {RegionCode: "421202", Benefit: 100}},
		Fields: []FieldTarget{{Field: "natural_resources", LeadUnit: "市自然资源和规划局", Target: 300}}})
	if err != nil {
		t.Fatal(err)
	}
	regions, fields, err := svc.Progress(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	var city, fieldNR float64
	for _, r := range fixtureReports {
		if r.state == "approved" && !r.deleted && strings.HasPrefix(r.month, "2026") {
			city += r.econ
			if r.field == "natural_resources" {
				fieldNR += r.econ
			}
		}
	}
	want := map[string]float64{"421200": city, "421202": 25 + 30, "421281": 100 + 50 + 40 + 30}
	if len(regions) != 3 {
		t.Fatalf("regions %+v", regions)
	}
	for _, p := range regions {
		if !near(p.Actual, want[p.RegionCode]) || p.Metric != "benefit" || !near(p.Ratio, p.Actual/p.Target) {
			t.Errorf("%s: %+v, want actual %v", p.RegionCode, p, want[p.RegionCode])
		}
	}
	if len(fields) != 1 || !near(fields[0].Actual, fieldNR) || fields[0].Label != "自然资源" || fields[0].LeadUnit != "市自然资源和规划局" {
		t.Errorf("fields %+v (want %v)", fields, fieldNR)
	}
	_, err = svc.SetTargets(ctx, Targets{Year: 2026, Regions: []RegionTarget{{RegionCode: "999999", Benefit: 1}}, Fields: []FieldTarget{{Field: "space", Target: -1}}})
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Status != 422 || len(pe.Params) != 3 || pe.Params[0].Name != "regions[0].region_code" {
		t.Errorf("bad targets: %v", err)
	}
	if got, _ := svc.Targets(ctx, 2026); len(got.Regions) != 3 {
		t.Errorf("a bad PUT changed targets: %+v", got)
	}
}
