package imports_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/imports"
	"github.com/onemap/onemap/internal/problem"
)

func TestImportLedgerXLSX(t *testing.T) {
	svc, pool := newService(t)
	f := excelize.NewFile()
	defer func() { _ = f.Close() }() // its temporary files only
	rows := [][]any{
		{"资产编号", "资产名称", "资产类型", "经度", "纬度", "盘活方式", "盘活状态", "账面价值(万元)", "建筑面积", "WKT"},
		{"B-001", "原粮站仓库", "闲置房产", 114.32, 29.84, "租", "拟盘活", "1,250.5", 3200, ""},
		{
			"B-002", "老供销社门面", "building", "", "", "售", "未盘活", "80", 450,
			"POLYGON((114.30 29.80,114.301 29.80,114.301 29.801,114.30 29.801,114.30 29.80))",
		},
		{"B-003", "无坐标", "闲置房产", "", "", "用", "", "", "", ""},
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "台账.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rep := mustImport(t, svc, path, imports.Options{})
	if rep.RowsInserted != 2 || rep.RowsRejected != 1 || rep.Issues[0].Row != 3 {
		t.Fatalf("report = %s %+v", rep.Summary(), rep.Issues)
	}
	var name, mode, stage, typ string
	var book, floor float64
	err := pool.QueryRow(context.Background(), `SELECT name, mode, stage, book_value, (facts->>'floor_area_m2')::float8, GeometryType(geom)
		FROM assets WHERE kind = 'building' AND code = 'B-001'`).Scan(&name, &mode, &stage, &book, &floor, &typ)
	if err != nil {
		t.Fatal(err)
	}
	if name != "原粮站仓库" || mode != "lease" || stage != "planned" || book != 1250.5 || floor != 3200 || typ != "POINT" {
		t.Errorf("B-001 = %s %s %s %g %g %s", name, mode, stage, book, floor, typ)
	}
	if n := count(t, pool, "SELECT count(*) FROM assets WHERE code = 'B-002' AND GeometryType(geom) = 'MULTIPOLYGON' AND mode = 'sell'"); n != 1 {
		t.Error("B-002 did not come from its WKT column")
	}
}

func TestImportLedgerCSVInGBK(t *testing.T) {
	svc, pool := newService(t)
	csv := "资产编号,资产名称,资产类型,lon,lat,矿种\r\nM-9,通山萤石矿,矿产,114.5,29.6,萤石\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mines.csv")
	if err := os.WriteFile(path, []byte(gbk), 0o600); err != nil {
		t.Fatal(err)
	}
	rep := mustImport(t, svc, path, imports.Options{})
	if rep.RowsInserted != 1 || *rep.Encoding != "GBK" {
		t.Fatalf("report = %s", rep.Summary())
	}
	if n := count(t, pool, "SELECT count(*) FROM assets WHERE kind = 'mine' AND name = '通山萤石矿' AND facts->>'mineral' = '萤石'"); n != 1 {
		t.Error("the GBK CSV row did not come back as Chinese text")
	}
}

func TestImportKML(t *testing.T) {
	svc, pool := newService(t)
	dir := t.TempDir()
	src := writeGeoJSON(t, filepath.Join(dir, "src.geojson"), 4326, []feature{
		{map[string]any{"Name": "斧头湖", "code": "W-1"}, gkSquareLonLat(114.2, 30.0)},
	})
	kml := filepath.Join(dir, "lakes.kml")
	translate(t, src, kml, "-f", "KML")
	rep := mustImport(t, svc, kml, imports.Options{Kind: "water", Mapping: imports.Mapping{"Name": "name"}})
	if rep.RowsInserted != 1 || rep.Format != "kml" {
		t.Fatalf("report = %s %+v", rep.Summary(), rep.Issues)
	}
	if n := count(t, pool, "SELECT count(*) FROM assets WHERE kind = 'water' AND name = '斧头湖' AND code = 'W-1'"); n != 1 {
		t.Error("the KML placemark did not come back")
	}
}

// A ledger larger than the rows sampled when it opens is counted while it is read: the report's
// total is right at the end, and the row limit still holds.
func TestImportLargeLedgerCountedWhileRead(t *testing.T) {
	pool := dbtest.New(t)
	as := assets.NewService(pool)
	var b strings.Builder
	b.WriteString("编号;名称;lon;lat\n")
	const n = 12000
	for i := range n {
		fmt.Fprintf(&b, "L-%d;地块%d;%.5f;29.8\n", i, i, 114.0+float64(i)*0.00005)
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	svc := imports.NewService(pool, as, imports.Limits{MaxRows: n}, nil)
	rep := mustImport(t, svc, path, imports.Options{Kind: "building", DryRun: true})
	if rep.RowsTotal == nil || *rep.RowsTotal != n || rep.RowsWritten != n {
		t.Fatalf("report = %s, total %v", rep.Summary(), rep.RowsTotal)
	}
	small := imports.NewService(pool, as, imports.Limits{MaxRows: n - 1}, nil)
	_, err := small.Import(context.Background(), path, imports.Options{FileName: "big.csv", Kind: "building", DryRun: true})
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Status != 422 || pe.Params[0].Name != "file" {
		t.Errorf("over the row limit: %v, want 422 naming file", err)
	}
}
