package exports_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/imports"
)

// export writes f as o says into a file named name in a temporary folder.
func export(t *testing.T, svc *exports.Service, f assets.Filter, o exports.Options, name string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := svc.Export(context.Background(), f, o, &buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, buf.Bytes()
}

// byCode keys a table's rows (after its header) by their first cell, each as header → cell.
func byCode(t *testing.T, rows [][]string) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		out[r[0]] = m
	}
	return out
}

var twoDecimals = regexp.MustCompile(`^\d+(\.\d{1,2})?$`)

// checkLedgerRows checks the table's figures and labels on the test city's rows.
func checkLedgerRows(t *testing.T, format string, rows map[string]map[string]string) {
	t.Helper()
	a := rows["XA-002"]
	want := map[string]string{
		"资产编号": "XA-002", "资产名称": "咸安区第2号地块", "资产类型": "土地", "盘活状态": assets.StageLabels[assets.Stages[1]],
		"盘活方式": assets.ModeLabels[assets.Modes[1]], "土地状态": assets.LandStatusLabels[assets.LandStatuses[1]],
		"地类分类体系": "GB/T 21010-2017", "闲置原因": "企业原因", "账面价值(万元)": "1001.5", "盘活收益(万元)": "12.25",
		"批准文号": "鄂政土批〔2021〕2号",
	}
	for k, v := range want {
		if a[k] != v {
			t.Errorf("%s: XA-002 %s = %q, want %q", format, k, a[k], v)
		}
	}
	for _, code := range []string{"XA-001", "XA-H", "KC-1", "FC-1"} {
		r := rows[code]
		for _, k := range []string{"面积(亩)", "面积(平方米)"} {
			if !twoDecimals.MatchString(r[k]) {
				t.Errorf("%s: %s %s = %q, want at most 2 decimals", format, code, k, r[k])
			}
		}
	}
	if r := rows["FC-1"]; r["中心经度"] != "114.32" || r["中心纬度"] != "29.84" || r["资产类型"] != "闲置房产" || r["盘活方式"] != "租" {
		t.Errorf("%s: FC-1 = %v", format, r)
	}
	// XA-001 covers 114.100–114.104, 29.700–29.704: its centre lies inside, to 6 decimals.
	lon, lat := rows["XA-001"]["中心经度"], rows["XA-001"]["中心纬度"]
	if !regexp.MustCompile(`^114\.10[0-4]\d{0,3}$`).MatchString(lon) || !regexp.MustCompile(`^29\.70[0-4]\d{0,3}$`).MatchString(lat) {
		t.Errorf("%s: XA-001 centre = %s, %s", format, lon, lat)
	}
}

// The CSV, XLSX and GeoJSON exports are one table: Chinese headers and values, areas to 2
// decimals, the centre in CGCS2000, no WKT unless asked for, only sheets with rows.
func TestExportTable(t *testing.T) {
	_, svc := seeded(t)
	head := []string{"资产编号", "资产名称", "资产类型", "行政区划代码", "所属区县", "园区代码", "所属园区", "资产持有人"}
	t.Run("csv", func(t *testing.T) {
		_, b := export(t, svc, assets.Filter{}, exports.Options{Format: "csv"}, "city.csv")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0][:len(head)], head) || rows[0][len(rows[0])-1] != "中心纬度" || slices.Contains(rows[0], "WKT") {
			t.Errorf("CSV header = %v", rows[0])
		}
		if len(rows) != 19 || rows[1][2] != "土地" || rows[18][2] != "闲置房产" {
			t.Errorf("CSV has %d rows, in kind order: first %v, last %v", len(rows), rows[1][:3], rows[len(rows)-1][:3])
		}
		checkLedgerRows(t, "csv", byCode(t, rows))
		_, b = export(t, svc, assets.Filter{Kinds: []assets.Kind{assets.Building}}, exports.Options{Format: "csv", WKT: true}, "wkt.csv")
		if !strings.Contains(string(b), ",中心经度,中心纬度,WKT\r\n") || !strings.Contains(string(b), "POINT(114.32 29.84)") {
			t.Errorf("CSV with WKT = %q", b)
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		path, _ := export(t, svc, assets.Filter{Kinds: []assets.Kind{assets.Land, assets.Mine, assets.Building}, Stages: []string{"idle"}}, exports.Options{Format: "xlsx"}, "city.xlsx")
		x, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		// Idle: the idle land parcels and the mine and building (idle by default); no empty
		// forest or water sheet.
		if got := x.GetSheetList(); !slices.Equal(got, []string{"土地", "矿产", "闲置房产"}) {
			t.Errorf("sheets = %v", got)
		}
		rows, err := x.GetRows("土地")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0][:len(head)], head) || slices.Contains(rows[0], "WKT") {
			t.Errorf("XLSX header = %v", rows[0])
		}
		if typ, err := x.GetCellType("土地", "A2"); err != nil || typ == excelize.CellTypeNumber {
			t.Errorf("code cell type = %v, %v", typ, err)
		}
		path, _ = export(t, svc, assets.Filter{}, exports.Options{Format: "xlsx"}, "all.xlsx")
		full, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer full.Close()
		merged := [][]string{}
		for _, sh := range full.GetSheetList() {
			r, err := full.GetRows(sh)
			if err != nil {
				t.Fatal(err)
			}
			if len(merged) == 0 {
				merged = append(merged, r[0])
			}
			merged = append(merged, r[1:]...)
		}
		checkLedgerRows(t, "xlsx", byCode(t, merged))
	})
	t.Run("geojson", func(t *testing.T) {
		_, b := export(t, svc, assets.Filter{Kinds: []assets.Kind{assets.Building}}, exports.Options{Format: "geojson"}, "b.geojson")
		var fc struct {
			Features []struct {
				Geometry   map[string]any `json:"geometry"`
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatal(err)
		}
		// Properties come in the table's order, not sorted.
		if !bytes.Contains(b, []byte(`"properties":{"资产编号":"FC-1","资产名称":"原粮站仓库","资产类型":"闲置房产",`)) {
			t.Errorf("GeoJSON properties out of order: %s", b)
		}
		p := fc.Features[0].Properties
		if len(fc.Features) != 1 || fc.Features[0].Geometry["type"] != "Point" || p["资产类型"] != "闲置房产" ||
			p["中心经度"] != 114.32 || p["盘活方式"] != "租" || p["kind"] != nil {
			t.Errorf("GeoJSON = %s", b)
		}
	})
}

// The server's CSV and XLSX (no WKT: their centre columns locate the rows) import back into
// the database they came from with on_conflict=update as no change at all; a row with a new
// code becomes a point at its centre.
func TestExportImportsBackUnchanged(t *testing.T) {
	pool, svc := seeded(t)
	ctx := context.Background()
	want := snapshot(t, pool)
	imp := imports.NewService(pool, assets.NewService(pool), imports.Limits{}, nil)
	for _, o := range []exports.Options{{Format: "csv"}, {Format: "xlsx"}, {Format: "xlsx", Sheets: "one"}} {
		t.Run(o.Format+o.Sheets, func(t *testing.T) {
			path, _ := export(t, svc, assets.Filter{}, o, "city."+o.Format)
			rep, err := imp.Import(ctx, path, imports.Options{FileName: filepath.Base(path), OnConflict: "update"})
			if err != nil {
				t.Fatal(err)
			}
			if rep.RowsUnchanged != len(want) || rep.RowsUpdated != 0 || rep.RowsInserted != 0 || rep.RowsRejected != 0 {
				t.Errorf("re-import = %s %+v", rep.Summary(), rep.Issues)
			}
			same(t, o.Format, want, snapshot(t, pool), func(string) bool { return true })
		})
	}
	path, b := export(t, svc, assets.Filter{Kinds: []assets.Kind{assets.Building}}, exports.Options{Format: "csv"}, "b.csv")
	if err := os.WriteFile(path, bytes.ReplaceAll(b, []byte("FC-1"), []byte("FC-2")), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := imp.Import(ctx, path, imports.Options{FileName: "b.csv", OnConflict: "update"})
	if err != nil || rep.RowsInserted != 1 {
		t.Fatalf("new row: %v %+v", err, rep)
	}
	var wkt string
	if err := pool.QueryRow(ctx, `SELECT ST_AsText(geom) FROM assets WHERE code = 'FC-2'`).Scan(&wkt); err != nil || wkt != "POINT(114.32 29.84)" {
		t.Errorf("FC-2 = %q, %v", wkt, err)
	}
}
