package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/auth"
)

// projectsFixture is fixture with a second county (嘉鱼县, 421221), a city bureau unit and the
// deployment's city, and tokens for an admin, an analyst, an analyst scoped to 421202, a
// planner and a leader scoped to 421221.
func projectsFixture(t *testing.T) (*fiber.App, *pgxpool.Pool, map[string]string) {
	t.Helper()
	app, pool := fixture(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO regions (code, name, geom) VALUES ('421221', '嘉鱼县', ST_Multi(ST_MakeEnvelope(113.6, 29.7, 114.0, 30.1, 4490)))`,
		`INSERT INTO deployment (name, code) VALUES ('咸宁市', '421200')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	tokens := map[string]string{}
	users := auth.NewService(pool)
	for name, u := range map[string]auth.User{
		"admin": {Role: auth.Admin}, "analyst": {Role: auth.Analyst}, "scoped": {Role: auth.Analyst, RegionCode: ptr("421202")},
		"planner": {Role: auth.Planner}, "leader": {Role: auth.Leader, RegionCode: ptr("421221")}, "reviewer": {Role: auth.Reviewer},
	} {
		u.Username = "p-" + name
		u, err := users.CreateUser(ctx, auth.Actor{Name: "test"}, u, "Projects-Test-2026", false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `UPDATE users SET must_change_password = false WHERE id = $1`, u.ID); err != nil {
			t.Fatal(err)
		}
		if tokens[name], err = users.IssueToken(ctx, u.ID, "test", time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if st := send(t, app, "POST", "/api/v1/units", tokens["admin"], `{"code":"CZJ","name":"市财政局","group":"city"}`, nil); st != 201 {
		t.Fatalf("create unit: %d", st)
	}
	return app, pool, tokens
}

func ptr(s string) *string { return &s }

// project is the part of a project answer the tests read.
type project struct {
	ID            int64   `json:"id"`
	Code          string  `json:"code"`
	Group         string  `json:"group"`
	UnitName      string  `json:"unit_name"`
	Version       int     `json:"version"`
	Status        string  `json:"status"`
	AssetCount    int     `json:"asset_count"`
	AreaMu        float64 `json:"area_mu"`
	BenefitToDate float64 `json:"benefit_to_date"`
	Assets        []struct {
		Code string `json:"code"`
	} `json:"assets"`
	History []struct {
		Action string          `json:"action"`
		Actor  string          `json:"actor"`
		Before json.RawMessage `json:"before"`
		After  json.RawMessage `json:"after"`
	} `json:"history"`
}

// paramNames are the parameters a problem names, joined with commas.
func paramNames(p problemBody) string {
	var out []string
	for _, x := range p.Params {
		out = append(out, x.Name)
	}
	return strings.Join(out, ",")
}

// projectJSON is a project body for unit with asset ids (by code).
func projectJSON(t *testing.T, pool *pgxpool.Pool, code, unit string, assetCodes ...string) string {
	t.Helper()
	ids := make([]string, len(assetCodes))
	for i, c := range assetCodes {
		ids[i] = assetID(t, pool, c)
	}
	return fmt.Sprintf(`{"code":%q,"name":"项目%s","year":2026,"unit_code":%q,"field":"natural_resources","mode":"sell",
"instrument":"transfer_grant","planned_start":"2026-01-01","planned_end":"2026-12-31","expected_benefit":120.5,"asset_ids":[%s]}`,
		code, code, unit, strings.Join(ids, ","))
}

func sendIfMatch(t *testing.T, app *fiber.App, method, path, token, etag, body string, out any) int {
	t.Helper()
	return do(t, app, method, path, token, body, out, "If-Match", etag).StatusCode
}

// TestProjectLifecycle: create with assets, the asset's panel names its project, a second
// project cannot take a member (409 naming the asset and the project), versions (412 when
// stale), history, delete frees the assets and a restore that would clash is a 409.
func TestProjectLifecycle(t *testing.T) {
	app, pool, tok := projectsFixture(t)
	var p1 project
	if st := send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "P1", "421202", "A", "B"), &p1); st != 201 {
		t.Fatalf("create P1: %d", st)
	}
	if p1.AssetCount != 2 || p1.AreaMu <= 0 || p1.Group != "district" || p1.UnitName != "咸安区" || p1.Version != 1 {
		t.Errorf("P1 = %+v", p1)
	}
	var a struct {
		Project *struct {
			ID         int64
			Code, Name string
		} `json:"project"`
	}
	get(t, app, "/api/v1/assets/"+assetID(t, pool, "A"), &a)
	if a.Project == nil || a.Project.Code != "P1" || a.Project.ID != p1.ID {
		t.Errorf("asset A's project = %+v, want P1", a.Project)
	}
	get(t, app, "/api/v1/assets/"+assetID(t, pool, "C"), &a)
	if a.Project != nil {
		t.Errorf("asset C's project = %+v, want null", a.Project)
	}
	var pb problemBody
	if st := send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "P2", "421202", "B", "C"), &pb); st != 409 ||
		paramNames(pb) != "asset_ids" || !strings.Contains(pb.Params[0].Reason, "B") || !strings.Contains(pb.Params[0].Reason, "P1") {
		t.Errorf("P2 taking B: %d %+v", st, pb)
	}
	path := fmt.Sprintf("/api/v1/projects/%d", p1.ID)
	if st := sendIfMatch(t, app, "PATCH", path, tok["analyst"], `"7"`, `{"name":"新名"}`, nil); st != 412 {
		t.Errorf("stale If-Match: %d, want 412", st)
	}
	if st := send(t, app, "PATCH", path, tok["analyst"], `{"version":0,"name":"新名"}`, nil); st != 412 {
		t.Errorf("stale body version: %d, want 412", st)
	}
	if st := sendIfMatch(t, app, "PATCH", path, tok["analyst"], `"1"`, `{"name":"新名","planned_end":null}`, &p1); st != 200 || p1.Version != 2 {
		t.Errorf("PATCH: %d %+v", st, p1)
	}
	if st := send(t, app, "PUT", path+"/assets", tok["analyst"], `{"version":2,"asset_ids":[`+assetID(t, pool, "A")+`]}`, &p1); st != 200 || p1.AssetCount != 1 || p1.Version != 3 {
		t.Errorf("PUT assets: %d %+v", st, p1)
	}
	if st := send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "P2", "421202", "B"), nil); st != 201 {
		t.Errorf("P2 with the freed B: %d", st)
	}
	if st := send(t, app, "DELETE", path, tok["analyst"], `{"version":3,"note":"撤销"}`, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	get(t, app, "/api/v1/assets/"+assetID(t, pool, "A"), &a)
	if a.Project != nil {
		t.Errorf("after the delete asset A's project = %+v, want null", a.Project)
	}
	if st := send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "P3", "421202", "A"), nil); st != 201 {
		t.Errorf("P3 with A freed by the delete: %d", st)
	}
	if st := send(t, app, "POST", path+"/restore", tok["analyst"], ``, &pb); st != 409 || paramNames(pb) != "asset_ids" || !strings.Contains(pb.Params[0].Reason, "P3") {
		t.Errorf("restore clashing with P3: %d %+v", st, pb)
	}
	var d project
	get(t, app, path, &d)
	var actions []string
	for _, h := range d.History {
		actions = append(actions, h.Action)
		if h.Actor != "p-analyst" || len(h.After) == 0 {
			t.Errorf("event %+v", h)
		}
	}
	if got := strings.Join(actions, ","); got != "create,update,assets,delete" {
		t.Errorf("history = %s", got)
	}
	if !strings.Contains(string(d.History[1].Before), `"name":"项目P1"`) || !strings.Contains(string(d.History[1].After), `"name":"新名"`) {
		t.Errorf("update event before/after: %s / %s", d.History[1].Before, d.History[1].After)
	}
}

// TestProjectCloseAndReopen: closing frees the assets; reopening takes them back unless another
// active project holds one (409).
func TestProjectCloseAndReopen(t *testing.T) {
	app, pool, tok := projectsFixture(t)
	var p1 project
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "P1", "421202", "A"), &p1)
	path := fmt.Sprintf("/api/v1/projects/%d", p1.ID)
	if st := send(t, app, "PATCH", path, tok["analyst"], `{"version":1,"status":"closed"}`, &p1); st != 200 || p1.Status != "closed" {
		t.Fatalf("close: %d %+v", st, p1)
	}
	var active bool
	if err := pool.QueryRow(context.Background(), `SELECT active FROM project_assets WHERE project_id = $1`, p1.ID).Scan(&active); err != nil || active {
		t.Errorf("membership of a closed project: active %v %v", active, err)
	}
	if st := send(t, app, "PATCH", path, tok["analyst"], `{"version":2,"status":"active"}`, &p1); st != 200 {
		t.Errorf("reopen: %d", st)
	}
	send(t, app, "PATCH", path, tok["analyst"], `{"version":3,"status":"closed"}`, nil)
	if st := send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "P2", "421202", "A"), nil); st != 201 {
		t.Fatalf("P2 with A: %d", st)
	}
	var pb problemBody
	if st := send(t, app, "PATCH", path, tok["analyst"], `{"version":4,"status":"active"}`, &pb); st != 409 || paramNames(pb) != "asset_ids" {
		t.Errorf("reopen clashing: %d %+v", st, pb)
	}
}

// TestProjectValidation: each bad field is a 422 naming it.
func TestProjectValidation(t *testing.T) {
	app, pool, tok := projectsFixture(t)
	good := projectJSON(t, pool, "V1", "421202")
	for _, c := range []struct{ from, to, want string }{
		{`"code":"V1"`, `"code":""`, "code"},
		{`"name":"项目V1"`, `"name":" "`, "name"},
		{`"year":2026`, `"year":1999`, "year"},
		{`"unit_code":"421202"`, `"unit_code":"NOPE"`, "unit_code"},
		{`"field":"natural_resources"`, `"field":"farming"`, "field"},
		{`"mode":"sell"`, `"mode":"give"`, "mode"},
		{`"instrument":"transfer_grant"`, `"instrument":"gift"`, "instrument"},
		{`"planned_start":"2026-01-01"`, `"planned_start":"2026-13-01"`, "planned_start"},
		{`"planned_end":"2026-12-31"`, `"planned_end":"2025-12-31"`, "planned_end"},
		{`"expected_benefit":120.5`, `"expected_benefit":-1`, "expected_benefit"},
		{`"asset_ids":[]`, `"asset_ids":[999999]`, "asset_ids"},
		{`"year":2026`, `"year":2026,"group":"zone"`, "group"},
		{`"year":2026`, `"year":2026,"colour":"red"`, "colour"},
		{`"year":2026`, `"year":"2026"`, "year"},
	} {
		var pb problemBody
		body := strings.Replace(good, c.from, c.to, 1)
		if st := send(t, app, "POST", "/api/v1/projects", tok["analyst"], body, &pb); (st != 422 && st != 400) || paramNames(pb) != c.want {
			t.Errorf("%s: %d %q, want 4xx naming %s", c.to, st, paramNames(pb), c.want)
		}
	}
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], good, nil)
	var pb problemBody
	if st := send(t, app, "POST", "/api/v1/projects", tok["analyst"], good, &pb); st != 409 || paramNames(pb) != "code" {
		t.Errorf("a taken code: %d %+v", st, pb)
	}
	for _, q := range []string{"year=abc", "group=town", "status=open", "limit=0", "asset=x", "field=farming"} {
		if st := get(t, app, "/api/v1/projects?"+q, nil); st != 400 {
			t.Errorf("GET /projects?%s = %d, want 400", q, st)
		}
	}
}

// TestProjectRolesAndScope: readers read, only analysts (within their region) and admins write;
// a scoped reader sees only the projects of their region.
func TestProjectRolesAndScope(t *testing.T) {
	app, pool, tok := projectsFixture(t)
	for _, who := range []string{"planner", "leader", "reviewer"} {
		if st := send(t, app, "POST", "/api/v1/projects", tok[who], projectJSON(t, pool, "R1", "421202"), nil); st != 403 {
			t.Errorf("%s creates: %d, want 403", who, st)
		}
	}
	if st := send(t, app, "POST", "/api/v1/projects", tok["scoped"], projectJSON(t, pool, "S1", "421202", "A"), nil); st != 201 {
		t.Errorf("scoped analyst in their region: %d", st)
	}
	for _, unit := range []string{"421221", "CZJ"} {
		if st := send(t, app, "POST", "/api/v1/projects", tok["scoped"], projectJSON(t, pool, "S2", unit), nil); st != 403 {
			t.Errorf("scoped analyst on unit %s: %d, want 403", unit, st)
		}
	}
	var other project
	if st := send(t, app, "POST", "/api/v1/projects", tok["admin"], projectJSON(t, pool, "J1", "421221"), &other); st != 201 {
		t.Fatalf("admin on 421221: %d", st)
	}
	path := fmt.Sprintf("/api/v1/projects/%d", other.ID)
	if st := send(t, app, "PATCH", path, tok["scoped"], `{"version":1,"name":"x"}`, nil); st != 403 {
		t.Errorf("scoped analyst changes another region's project: %d, want 403", st)
	}
	if st := send(t, app, "PATCH", path, tok["scoped"], `{"version":9,"unit_code":"421202"}`, nil); st != 403 {
		t.Errorf("scoped analyst moves another region's project (stale version too): %d, want 403", st)
	}
	var list struct {
		Projects []project `json:"projects"`
		Total    int       `json:"total"`
	}
	send(t, app, "GET", "/api/v1/projects", tok["leader"], "", &list)
	if list.Total != 1 || list.Projects[0].Code != "J1" {
		t.Errorf("leader scoped to 421221 sees %+v", list)
	}
	if st := send(t, app, "GET", fmt.Sprintf("/api/v1/projects/%d/geojson", other.ID), tok["scoped"], "", nil); st != 404 {
		t.Errorf("scoped analyst reads another region's project: %d, want 404", st)
	}
	if st := send(t, app, "POST", "/api/v1/units", tok["analyst"], `{"code":"X","name":"x","group":"city"}`, nil); st != 403 {
		t.Errorf("analyst creates a unit: %d", st)
	}
}

// TestProjectListAndTotals: filters, and totals from member assets and approved reports.
func TestProjectListAndTotals(t *testing.T) {
	app, pool, tok := projectsFixture(t)
	var p1 project
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "XA-1", "421202", "A", "B"), &p1)
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], strings.Replace(projectJSON(t, pool, "CZ-1", "CZJ", "C"), `"year":2026`, `"year":2025`, 1), nil)
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], strings.Replace(projectJSON(t, pool, "ZN-1", "Z1"), `"mode":"sell"`, `"mode":"lease"`, 1), nil)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO project_reports (project_id, month, economic_benefit, state, return_reason)
VALUES ($1, '2026-01-01', 10.25, 'approved', ''), ($1, '2026-02-01', 5, 'approved', ''), ($1, '2026-03-01', 99, 'returned', 'x')`, p1.ID); err != nil {
		t.Fatal(err)
	}
	var mu float64
	if err := pool.QueryRow(ctx, `SELECT round(sum(area_mu)::numeric, 2) FROM assets WHERE code IN ('A', 'B')`).Scan(&mu); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"": "XA-1,ZN-1,CZ-1", "year=2026": "XA-1,ZN-1", "group=city": "CZ-1", "unit=Z1": "ZN-1", "mode=lease": "ZN-1",
		"region=421202": "XA-1,ZN-1", "q=xa": "XA-1", "q=项目CZ": "CZ-1", "asset=" + assetID(t, pool, "C"): "CZ-1",
		"status=closed": "", "field=water": "", "limit=1&offset=1": "ZN-1",
	} {
		var list struct {
			Projects []project `json:"projects"`
			Total    int       `json:"total"`
		}
		send(t, app, "GET", "/api/v1/projects?"+q, tok["planner"], "", &list)
		var codes []string
		for _, p := range list.Projects {
			codes = append(codes, p.Code)
			if p.Code == "XA-1" && (p.BenefitToDate != 15.25 || p.AssetCount != 2 || p.AreaMu != mu) {
				t.Errorf("XA-1 totals = %+v, want benefit 15.25, 2 assets, %v 亩", p, mu)
			}
		}
		if got := strings.Join(codes, ","); got != want {
			t.Errorf("?%s = %s, want %s", q, got, want)
		}
		if q == "limit=1&offset=1" && list.Total != 3 {
			t.Errorf("?%s total = %d, want 3", q, list.Total)
		}
	}
}

// TestProjectGeoJSON: the members as features in lon/lat with 6 decimals and their bbox.
func TestProjectGeoJSON(t *testing.T) {
	app, pool, tok := projectsFixture(t)
	var p1 project
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "G1", "421202", "A", "C"), &p1)
	var fc struct {
		Type     string    `json:"type"`
		BBox     []float64 `json:"bbox"`
		Features []struct {
			ID       int64 `json:"id"`
			Geometry struct {
				Type        string
				Coordinates json.RawMessage
			}
			Properties struct{ Code string }
		} `json:"features"`
	}
	if st := get(t, app, fmt.Sprintf("/api/v1/projects/%d/geojson", p1.ID), &fc); st != 200 {
		t.Fatalf("geojson: %d", st)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 2 || fc.Features[0].Properties.Code != "A" || fc.Features[1].Properties.Code != "C" {
		t.Fatalf("features: %+v", fc)
	}
	want := []float64{114.302, 29.7, 114.402, 29.804}
	for i := range want {
		if d := fc.BBox[i] - want[i]; d > 1e-6 || d < -1e-6 {
			t.Errorf("bbox = %v, want %v", fc.BBox, want)
		}
	}
	if c := string(fc.Features[0].Geometry.Coordinates); !strings.Contains(c, "114.302") || strings.Contains(c, "114.3020000") {
		t.Errorf("coordinates %s", c)
	}
	var empty struct {
		BBox     *[]float64
		Features []any
	}
	send(t, app, "PUT", fmt.Sprintf("/api/v1/projects/%d/assets", p1.ID), tok["analyst"], `{"version":1,"asset_ids":[]}`, nil)
	get(t, app, fmt.Sprintf("/api/v1/projects/%d/geojson", p1.ID), &empty)
	if empty.BBox != nil || len(empty.Features) != 0 {
		t.Errorf("no members: %+v", empty)
	}
}

// TestUnits: the list by group, an admin's new unit and its change.
func TestUnits(t *testing.T) {
	app, _, tok := projectsFixture(t)
	var list struct {
		Units []struct{ Code, Name, Group string } `json:"units"`
	}
	get(t, app, "/api/v1/units", &list)
	var codes []string
	for _, u := range list.Units {
		codes = append(codes, u.Code+":"+u.Group)
	}
	if got := strings.Join(codes, ","); got != "421221:county,421202:district,CZJ:city,Z1:zone" {
		t.Errorf("units = %s", got)
	}
	get(t, app, "/api/v1/units?group=zone", &list)
	if len(list.Units) != 1 || list.Units[0].Code != "Z1" {
		t.Errorf("zone units = %+v", list)
	}
	if st := get(t, app, "/api/v1/units?group=x", nil); st != 400 {
		t.Errorf("bad group: %d", st)
	}
	var u struct{ Name, Group string }
	if st := send(t, app, "PATCH", "/api/v1/units/CZJ", tok["admin"], `{"group":"enterprise","name":"市城发集团"}`, &u); st != 200 || u.Group != "enterprise" || u.Name != "市城发集团" {
		t.Errorf("PATCH unit: %d %+v", st, u)
	}
	var pb problemBody
	for body, want := range map[string]string{`{"code":"CZJ","name":"x","group":"city"}`: "code", `{"code":"N","name":"x","group":"x"}`: "group",
		`{"code":"N","name":"x","group":"city","region_code":"999999"}`: "region_code"} {
		if st := send(t, app, "POST", "/api/v1/units", tok["admin"], body, &pb); st < 400 || st >= 500 || paramNames(pb) != want {
			t.Errorf("POST unit %s: %d %+v, want naming %s", body, st, pb, want)
		}
	}
	if st := send(t, app, "PATCH", "/api/v1/units/NOPE", tok["admin"], `{"name":"x"}`, nil); st != 404 {
		t.Errorf("PATCH unknown unit: %d", st)
	}
}

// TestProjectDeleteAndRestoreRefusals: a stale delete is a 412, a restore whose code a live
// project took meanwhile is a 409 naming code, and deleting twice is a 404.
func TestProjectDeleteAndRestoreRefusals(t *testing.T) {
	app, pool, tok := projectsFixture(t)
	var p1 project
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "D1", "421202"), &p1)
	path := fmt.Sprintf("/api/v1/projects/%d", p1.ID)
	if st := sendIfMatch(t, app, "DELETE", path, tok["analyst"], `"5"`, ``, nil); st != 412 {
		t.Errorf("stale delete: %d, want 412", st)
	}
	if st := send(t, app, "DELETE", path, tok["analyst"], ``, nil); st != 204 {
		t.Fatalf("delete without a version: %d", st)
	}
	if st := send(t, app, "DELETE", path, tok["analyst"], ``, nil); st != 404 {
		t.Errorf("second delete: %d, want 404", st)
	}
	if st := send(t, app, "PATCH", path, tok["analyst"], `{"version":2,"name":"x"}`, nil); st != 404 {
		t.Errorf("PATCH of a deleted project: %d, want 404", st)
	}
	send(t, app, "POST", "/api/v1/projects", tok["analyst"], projectJSON(t, pool, "D1", "421202"), nil)
	var pb problemBody
	if st := send(t, app, "POST", path+"/restore", tok["analyst"], `{"version":2}`, &pb); st != 409 || paramNames(pb) != "code" {
		t.Errorf("restore onto a taken code: %d %+v", st, pb)
	}
	var list struct{ Total int }
	send(t, app, "GET", "/api/v1/projects?q=D1", tok["planner"], "", &list)
	if list.Total != 1 {
		t.Errorf("live projects coded D1: %d, want 1", list.Total)
	}
}
