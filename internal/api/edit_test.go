package api_test

import (
	"context"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/auth"
)

// login creates a user with role (and optional region), signs in, makes the first-sign-in
// password change to userPassword and returns the session's bearer token.
func login(t *testing.T, app *fiber.App, pool *pgxpool.Pool, name, role string, region *string) string {
	t.Helper()
	if _, err := auth.NewService(pool).CreateUser(context.Background(), auth.Actor{Name: "test"}, auth.User{Username: name, Role: role, RegionCode: region}, "First-Pass-1", false); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Token string
		Must  bool `json:"must_change_password"`
	}
	if st := send(t, app, "POST", "/api/v1/login", "", `{"username":"`+name+`","password":"First-Pass-1"}`, &out); st != 200 || out.Token == "" || !out.Must {
		t.Fatalf("login: %d %+v", st, out)
	}
	if st := send(t, app, "POST", "/api/v1/me/password", out.Token, `{"current":"First-Pass-1","new":"`+userPassword+`"}`, nil); st != 204 {
		t.Fatalf("first password change: %d", st)
	}
	return out.Token
}

// userPassword is the password login leaves its users with.
const userPassword = "Secret-Pass-2"

func send(t *testing.T, app *fiber.App, method, path, token, body string, out any) int {
	t.Helper()
	return do(t, app, method, path, token, body, out).StatusCode
}

func assetID(t *testing.T, pool *pgxpool.Pool, code string) string {
	t.Helper()
	var id int64
	if err := pool.QueryRow(context.Background(), "SELECT id FROM assets WHERE code = $1", code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return jsonNum(id)
}

func TestEditKeepsHistoryAndLocks(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	path := "/api/v1/assets/" + assetID(t, pool, "A")
	var a struct {
		Version int
		Stage   string
		Revenue float64
	}
	st := send(t, app, "PATCH", path, tok, `{"version":1,"stage":"done","mode":"sell","revenue":320.5,"note":"挂牌出让成交"}`, &a)
	if st != 200 || a.Version != 2 || a.Stage != "done" || a.Revenue != 320.5 {
		t.Fatalf("PATCH: %d %+v", st, a)
	}
	if st := send(t, app, "PATCH", path, tok, `{"version":1,"stage":"planned"}`, nil); st != 412 {
		t.Errorf("stale version: status %d, want 412", st)
	}
	var d struct {
		Stage  string
		Events []struct {
			Action, Actor, Note string
			Before, After       map[string]any
		}
	}
	send(t, app, "GET", path, "", "", &d)
	if d.Stage != "done" || len(d.Events) != 2 {
		t.Fatalf("after edit: %+v", d)
	}
	e := d.Events[1]
	if e.Action != "update" || e.Actor != "analyst1" || e.Note != "挂牌出让成交" || e.Before["stage"] != "idle" || e.After["stage"] != "done" {
		t.Errorf("event = %+v", e)
	}
	if st := send(t, app, "DELETE", path, tok, `{"version":2,"note":"重复录入"}`, nil); st != 204 {
		t.Fatalf("DELETE: %d", st)
	}
	if st := send(t, app, "GET", path, "", "", nil); st != 404 {
		t.Errorf("GET deleted: %d, want 404", st)
	}
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM assets WHERE code = 'A' AND deleted_at IS NOT NULL").Scan(&n); err != nil || n != 1 {
		t.Errorf("soft delete kept %d rows (%v), want 1", n, err)
	}
	if st := send(t, app, "POST", path+"/restore", tok, `{"version":3}`, nil); st != 204 {
		t.Errorf("restore: %d", st)
	}
	if st := send(t, app, "GET", path, "", "", &d); st != 200 || len(d.Events) != 4 {
		t.Errorf("after restore: %d, %d events", st, len(d.Events))
	}
}

func TestEditRefusals(t *testing.T) {
	app, pool := fixture(t)
	other := "421281"
	if _, err := pool.Exec(context.Background(), `INSERT INTO regions (code, name, geom) VALUES ('421281', '赤壁市', ST_Multi(ST_MakeEnvelope(113.5, 29.5, 113.9, 30.0, 4490)))`); err != nil {
		t.Fatal(err)
	}
	analyst := login(t, app, pool, "analyst1", auth.Analyst, nil)
	planner := login(t, app, pool, "planner1", auth.Planner, nil)
	scoped := login(t, app, pool, "chibi", auth.Analyst, &other)
	path := "/api/v1/assets/" + assetID(t, pool, "A")
	mine := "/api/v1/assets/" + assetID(t, pool, "M1")
	tests := []struct {
		name, method, path, token, body string
		status                          int
		param                           string
	}{
		{"no token", "PATCH", path, "", `{"version":1,"stage":"done"}`, 401, ""},
		{"bad token", "PATCH", path, "om_nope", `{"version":1,"stage":"done"}`, 401, ""},
		{"planner may not edit", "PATCH", path, planner, `{"version":1,"stage":"done"}`, 403, ""},
		{"other region", "PATCH", path, scoped, `{"version":1,"stage":"done"}`, 403, ""},
		{"no version", "PATCH", path, analyst, `{"stage":"done"}`, 400, "version"},
		{"bad stage", "PATCH", path, analyst, `{"version":1,"stage":"finished"}`, 422, "stage"},
		{"not editable", "PATCH", path, analyst, `{"version":1,"area_mu":5}`, 422, "area_mu"},
		{"negative money", "PATCH", path, analyst, `{"version":1,"book_value":-3}`, 422, "book_value"},
		{"land field on a mine", "PATCH", mine, analyst, `{"version":1,"land_status":"idle"}`, 422, "land_status"},
		{"override without reason", "PATCH", path, analyst, `{"version":1,"idle_override":"in_use"}`, 422, "idle_override_reason"},
		{"bad date", "PATCH", path, analyst, `{"version":1,"agreed_start":"2025-13-01"}`, 422, "agreed_start"},
		{"unknown fact", "PATCH", mine, analyst, `{"version":1,"facts":{"colour":"red"}}`, 422, "facts.colour"},
		{"not json", "PATCH", path, analyst, `{`, 400, "body"},
		{"missing asset", "PATCH", "/api/v1/assets/424242", analyst, `{"version":1,"stage":"done"}`, 404, ""},
		{"wrong password", "POST", "/api/v1/login", "", `{"username":"analyst1","password":"nope-nope"}`, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p struct {
				Params []struct{ Name string } `json:"invalid_params"`
			}
			if st := send(t, app, tt.method, tt.path, tt.token, tt.body, &p); st != tt.status {
				t.Fatalf("status %d, want %d", st, tt.status)
			}
			if tt.param != "" && (len(p.Params) == 0 || p.Params[0].Name != tt.param) {
				t.Errorf("invalid_params = %+v, want %s", p.Params, tt.param)
			}
		})
	}
	var v int
	if err := pool.QueryRow(context.Background(), "SELECT version FROM assets WHERE code = 'A'").Scan(&v); err != nil || v != 1 {
		t.Errorf("refused edits changed the asset: version %d (%v)", v, err)
	}
}

func TestLeaderboardAndProgressFollowEdits(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	if _, err := pool.Exec(context.Background(), `INSERT INTO targets (region_code, year, metric, target) VALUES ('421202', 2026, 'idle_share', 0.15)`); err != nil {
		t.Fatal(err)
	}
	if st := send(t, app, "PATCH", "/api/v1/assets/"+assetID(t, pool, "A"), tok, `{"version":1,"stage":"done","revenue":320.5}`, nil); st != 200 {
		t.Fatalf("PATCH: %d", st)
	}
	var lb struct {
		Ranks []struct {
			RegionCode     string  `json:"region_code"`
			Done           int     `json:"done"`
			DoneInMonth    int     `json:"done_in_month"`
			RevenueInMonth float64 `json:"revenue_in_month"`
		}
	}
	if st := send(t, app, "GET", "/api/v1/leaderboard", "", "", &lb); st != 200 || len(lb.Ranks) != 1 {
		t.Fatalf("leaderboard: %d %+v", st, lb)
	}
	if r := lb.Ranks[0]; r.Done != 1 || r.DoneInMonth != 1 || r.RevenueInMonth != 320.5 {
		t.Errorf("rank = %+v", r)
	}
	send(t, app, "GET", "/api/v1/leaderboard?month=2020-01", "", "", &lb)
	if r := lb.Ranks[0]; r.DoneInMonth != 0 || r.Done != 1 {
		t.Errorf("a month without events: %+v", r)
	}
	var pr struct {
		Targets []struct {
			Metric         string
			Target, Actual float64
		}
	}
	send(t, app, "GET", "/api/v1/progress?year=2026", "", "", &pr)
	// Idle land: A (64.2 亩, now done), B (64.2 亩), C (64.4 亩): about a third is revitalised.
	if len(pr.Targets) != 1 || pr.Targets[0].Actual < 0.32 || pr.Targets[0].Actual > 0.345 {
		t.Errorf("progress = %+v", pr)
	}
	if st := send(t, app, "GET", "/api/v1/leaderboard?month=11-2026", "", "", nil); st != 400 {
		t.Errorf("bad month: %d", st)
	}
}

func TestCreateAsset(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	body := `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[114.301,29.801],[114.302,29.801],[114.302,29.802],[114.301,29.802],[114.301,29.801]]]},
	  "properties":{"code":"NEW-1","kind":"land","name":"新增地块","holder":"咸安区自然资源局","land_status":"reserve","agreed_start":"2024-03-01","book_value":12.5,"note":"现场核实新增"}}`
	var a struct {
		ID         int64
		Code       string
		RegionCode string  `json:"region_code"`
		ZoneCode   string  `json:"zone_code"`
		AreaMu     float64 `json:"area_mu"`
		Land       struct {
			Status      string `json:"land_status"`
			AgreedStart string `json:"agreed_start"`
		}
	}
	if st := send(t, app, "POST", "/api/v1/assets", tok, body, &a); st != 201 {
		t.Fatalf("create: %d", st)
	}
	if a.Code != "NEW-1" || a.RegionCode != "421202" || a.ZoneCode != "Z1" || a.AreaMu < 15 || a.AreaMu > 17 ||
		a.Land.Status != "reserve" || a.Land.AgreedStart != "2024-03-01" {
		t.Errorf("created = %+v", a)
	}
	if st := send(t, app, "POST", "/api/v1/assets", tok, body, nil); st != 409 {
		t.Errorf("same code again: %d, want 409", st)
	}
	bad := []struct{ body, param string }{
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[114.3,29.8]},"properties":{"code":"X","kind":"land","colour":"red"}}`, "colour"},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[114.3,29.8]},"properties":{"code":"X","kind":"land","book_value":"lots"}}`, "book_value"},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[114.3,29.8]},"properties":{"code":"X","kind":"castle"}}`, "kind"},
		{`{"type":"Feature","geometry":{"type":"LineString","coordinates":[[114.3,29.8],[114.4,29.9]]},"properties":{"code":"X","kind":"land"}}`, "geometry"},
		{`{"type":"Feature","geometry":null,"properties":{"code":"X","kind":"land"}}`, "geometry"},
	}
	for _, b := range bad {
		var p struct {
			Params []struct{ Name string } `json:"invalid_params"`
		}
		if st := send(t, app, "POST", "/api/v1/assets", tok, b.body, &p); st != 422 || len(p.Params) == 0 || p.Params[0].Name != b.param {
			t.Errorf("%s: %d %+v, want 422 naming %s", b.body, st, p.Params, b.param)
		}
	}
}
