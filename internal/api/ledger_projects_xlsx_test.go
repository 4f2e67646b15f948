package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"
)

// importReport is the answer of POST /projects/import.
type importReport struct {
	DryRun                      bool `json:"dry_run"`
	Created, Updated, Unchanged int
	Errors                      []struct {
		Row           int
		Field, Reason string
	}
}

// ledgerImport posts a 台账 workbook (dry_run when dry) and decodes the report.
func ledgerImport(t *testing.T, app *fiber.App, token string, book []byte, dry bool) (int, importReport) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if dry {
		_ = mw.WriteField("dry_run", "true")
	}
	fw, err := mw.CreateFormFile("file", "台账.xlsx")
	if err == nil {
		_, err = fw.Write(book)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/api/v1/projects/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := app.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep importReport
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, rep
}

// ledgerExport gets the 台账 for query as the planner.
func ledgerExport(t *testing.T, app *fiber.App, token, query string) []byte {
	t.Helper()
	req := httptest.NewRequest("GET", "/api/v1/projects/export.xlsx?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := app.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("export: %d %v %s", resp.StatusCode, err, b)
	}
	return b
}

// editBook opens a workbook, lets edit change its first sheet and returns the bytes.
func editBook(t *testing.T, b []byte, edit func(x *excelize.File, sheet string)) []byte {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	edit(x, x.GetSheetName(0))
	var out bytes.Buffer
	if err := x.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestProjectLedgerXLSX: the export's title, headers and rows; export → import changes nothing;
// a changed cell updates, a new row creates, an unknown asset code is an error row and nothing is
// written; a dry run reports without writing.
func TestProjectLedgerXLSX(t *testing.T) {
	app, pool, tok := projectsFixture(t)
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "XA-1", "421202", "A", "B"), nil)
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], strings.Replace(projectJSON(t, pool, "CZ-1", "CZJ", "C"), `"planned_end":"2026-12-31"`, `"planned_end":null,"description":"说明"`, 1), nil)
	book := ledgerExport(t, app, tok["planner"], "year=2026")
	x, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != `咸宁市国有"三资"盘活项目台账（2026年）` {
		t.Errorf("title %q", rows[0][0])
	}
	wantHeader := "项目编号,项目名称,年度,组别,所属单位,工作领域,盘活方式,盘活路径,资产持有人,责任单位,责任人,计划开始,计划完成,预期盘活效益(万元),资产数,面积(亩),资产编号,累计经济效益(万元),状态"
	if got := strings.Join(rows[1], ","); got != wantHeader {
		t.Errorf("header %s", got)
	}
	if len(rows) != 4 || rows[3][0] != "XA-1" || rows[3][16] != "A、B" || rows[3][3] != "城区组" || rows[3][4] != "咸安区" || rows[3][5] != "自然资源" || rows[3][6] != "售" || rows[3][7] != "出让" || rows[3][18] != "进行中" {
		t.Errorf("rows %q", rows)
	}
	st, rep := ledgerImport(t, app, tok["analyst"], book, false)
	if st != 200 || rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 2 || len(rep.Errors) != 0 {
		t.Errorf("round trip: %d %+v", st, rep)
	}
	changed := editBook(t, book, func(x *excelize.File, s string) {
		_ = x.SetCellValue(s, "B4", "改名")
		_ = x.SetSheetRow(s, "A5", &[]any{"NEW-1", "新项目", 2026, "", "Z1", "水利", "租", "出租", "", "", "", "2026-02-01", "", 8, "", "", "D"})
	})
	st, rep = ledgerImport(t, app, tok["analyst"], changed, true)
	if st != 200 || !rep.DryRun || rep.Created != 1 || rep.Updated != 1 || rep.Unchanged != 1 {
		t.Errorf("dry run: %d %+v", st, rep)
	}
	if n := countRows(t, pool, `SELECT count(*) FROM projects WHERE code = 'NEW-1' OR name = '改名'`); n != 0 {
		t.Errorf("the dry run wrote %d rows", n)
	}
	bad := editBook(t, changed, func(x *excelize.File, s string) {
		_ = x.SetCellValue(s, "Q3", "C、NOPE")
		_ = x.SetCellValue(s, "F5", "农业")
	})
	st, rep = ledgerImport(t, app, tok["analyst"], bad, false)
	if st != 422 || len(rep.Errors) != 2 || rep.Errors[0].Row != 3 || rep.Errors[0].Field != "资产编号" || !strings.Contains(rep.Errors[0].Reason, "NOPE") ||
		rep.Errors[1].Row != 5 || rep.Errors[1].Field != "工作领域" {
		t.Errorf("bad rows: %d %+v", st, rep)
	}
	if n := countRows(t, pool, `SELECT count(*) FROM projects WHERE code = 'NEW-1' OR name = '改名'`); n != 0 {
		t.Errorf("a failed import wrote %d rows", n)
	}
	st, rep = ledgerImport(t, app, tok["analyst"], changed, false)
	if st != 200 || rep.Created != 1 || rep.Updated != 1 {
		t.Errorf("import: %d %+v", st, rep)
	}
	var desc, action string
	if err := pool.QueryRow(context.Background(), `SELECT p.description, e.action FROM projects p JOIN project_events e ON e.project_id = p.id
WHERE p.code = 'CZ-1' ORDER BY e.id DESC LIMIT 1`).Scan(&desc, &action); err != nil || desc != "说明" || action != "create" {
		t.Errorf("CZ-1 untouched by the import: %q %q %v", desc, action, err)
	}
	st, rep = ledgerImport(t, app, tok["analyst"], ledgerExport(t, app, tok["planner"], ""), false)
	if st != 200 || rep.Unchanged != 3 || rep.Created+rep.Updated != 0 {
		t.Errorf("second round trip: %d %+v", st, rep)
	}
	if st, _ := ledgerImport(t, app, tok["scoped"], changed, false); st != 422 {
		t.Errorf("scoped analyst importing other regions' rows: %d, want 422 (rows refused)", st)
	}
}
