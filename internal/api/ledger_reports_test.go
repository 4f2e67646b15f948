package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/ledger"
)

// reportsApp is a server with the ledger over two county units (咸安区 421202, 嘉鱼县 421221),
// each with one project of this year; it returns the projects' paths by unit.
func reportsApp(t *testing.T) (*fiber.App, *pgxpool.Pool, map[string]string) {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	paths := map[string]string{}
	for _, q := range []string{
		`INSERT INTO regions (code, name, geom) VALUES ('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.6, 30.0, 4490)))`,
		`INSERT INTO regions (code, name, geom) VALUES ('421221', '嘉鱼县', ST_Multi(ST_MakeEnvelope(113.6, 29.7, 114.0, 30.1, 4490)))`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, unit := range []string{"421202", "421221"} {
		var id int64
		err := pool.QueryRow(ctx, `INSERT INTO projects (code, name, year, unit_code, field, mode)
VALUES ('XM-' || $1, '盘活项目' || $1, $2, $1, 'natural_resources', 'lease') RETURNING id`, unit, time.Now().Year()).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		paths[unit] = "/api/v1/projects/" + strconv.FormatInt(id, 10) + "/reports"
	}
	app := api.New(api.Deps{
		Config: config.Config{RequestTimeout: 10 * time.Second, MaxUploadMB: 1},
		Pool:   pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: api.NewMetrics(),
		Assets: assets.NewService(pool), Auth: auth.NewService(pool), Ledger: ledger.NewService(pool), Base: context.Background(),
	})
	return app, pool, paths
}

// problemParam is the first parameter a problem names.
type problemParam struct {
	Params []struct{ Name string } `json:"invalid_params"`
}

func (p problemParam) name() string {
	if len(p.Params) == 0 {
		return ""
	}
	return p.Params[0].Name
}

func TestReporterAccounts(t *testing.T) {
	app, pool, _ := reportsApp(t)
	admin := login(t, app, pool, "boss", auth.Admin, nil)
	for _, tt := range []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/api/v1/users", `{"username":"r1","role":"reporter","password":"Good-Pass-1"}`, 422},
		{"POST", "/api/v1/users", `{"username":"r1","role":"reporter","unit_code":"","password":"Good-Pass-1"}`, 422},
		{"POST", "/api/v1/users", `{"username":"r1","role":"reporter","unit_code":"NOPE","password":"Good-Pass-1"}`, 422},
	} {
		var p problemParam
		if st := send(t, app, tt.method, tt.path, admin, tt.body, &p); st != tt.status || p.name() != "unit_code" {
			t.Errorf("%s: %d naming %q, want %d naming unit_code", tt.body, st, p.name(), tt.status)
		}
	}
	var created struct{ User auth.User }
	if st := send(t, app, "POST", "/api/v1/users", admin, `{"username":"r1","role":"reporter","unit_code":"421221","password":"Good-Pass-1"}`, &created); st != 201 || created.User.UnitCode == nil || *created.User.UnitCode != "421221" {
		t.Fatalf("create reporter: %d %+v", st, created)
	}
	self := "/api/v1/users/" + strconv.FormatInt(created.User.ID, 10)
	var p problemParam
	if st := send(t, app, "PATCH", self, admin, `{"unit_code":""}`, &p); st != 422 || p.name() != "unit_code" {
		t.Errorf("a reporter without unit: %d %q", st, p.name())
	}
	var acc auth.Account
	if st := send(t, app, "PATCH", self, admin, `{"unit_code":"421202"}`, &acc); st != 200 || acc.UnitCode == nil || *acc.UnitCode != "421202" {
		t.Errorf("move a reporter: %d %+v", st, acc)
	}
	tok := login(t, app, pool, "lead", auth.Leader, nil)
	var list struct{ Items []auth.Account }
	send(t, app, "GET", "/api/v1/users", admin, "", &list)
	lead := ""
	for _, a := range list.Items {
		if a.Username == "lead" {
			lead = "/api/v1/users/" + strconv.FormatInt(a.ID, 10)
		}
	}
	if st := send(t, app, "PATCH", lead, admin, `{"role":"reporter"}`, &p); st != 422 || p.name() != "unit_code" {
		t.Errorf("leader made reporter without unit: %d %q", st, p.name())
	}
	if st := send(t, app, "PATCH", lead, admin, `{"role":"reporter","unit_code":"421221"}`, nil); st != 200 {
		t.Errorf("leader made reporter: %d", st)
	}
	var me auth.User
	if send(t, app, "GET", "/api/v1/me", tok, "", &me); me.Role != auth.Reporter || me.UnitCode == nil || *me.UnitCode != "421221" {
		t.Errorf("/me: %+v", me)
	}
	var units struct{ Units []ledger.Unit }
	if st := send(t, app, "GET", "/api/v1/units", tok, "", &units); st != 200 || len(units.Units) != 2 || units.Units[0].Group != "county" {
		t.Errorf("units: %d %+v", st, units)
	}
}

func TestReportAPI(t *testing.T) {
	app, pool, paths := reportsApp(t)
	admin := login(t, app, pool, "boss", auth.Admin, nil)
	rep := login(t, app, pool, "jiayu", auth.Leader, nil)
	rev := login(t, app, pool, "caizheng", auth.Reviewer, nil)
	leader := login(t, app, pool, "lead", auth.Leader, nil)
	var list struct{ Items []auth.Account }
	send(t, app, "GET", "/api/v1/users", admin, "", &list)
	for _, a := range list.Items {
		if a.Username == "jiayu" {
			send(t, app, "PATCH", "/api/v1/users/"+strconv.FormatInt(a.ID, 10), admin, `{"role":"reporter","unit_code":"421221"}`, nil)
		}
	}
	month := time.Now().Format("2006-01")
	mine, other := paths["421221"]+"/"+month, paths["421202"]+"/"+month
	body := `{"stage":"done","quantity":12,"quantity_unit":"亩","economic_benefit":88.5,"social_benefit":"","treasury_income":50,"fiscal_available":20,"typical_case":""}`
	steps := []struct {
		what, method, path, token, body, ifMatch string
		status                                   int
		param                                    string
	}{
		{"month malformed", "PUT", paths["421221"] + "/2026-1", rep, body, "", 400, "month"},
		{"month far ahead", "PUT", paths["421221"] + "/2100-01", rep, body, "", 422, "month"},
		{"unknown field", "PUT", mine, rep, `{"benefit":1}`, "", 400, "benefit"},
		{"fiscal over treasury", "PUT", mine, rep, `{"treasury_income":1,"fiscal_available":2}`, "", 422, "fiscal_available"},
		{"another unit", "PUT", other, rep, body, "", 403, ""},
		{"leader", "PUT", mine, leader, body, "", 403, ""},
		{"reviewer fills", "PUT", mine, rev, body, "", 403, ""},
		{"save", "PUT", mine, rep, body, "", 200, ""},
		{"stale If-Match", "PUT", mine, rep, body, `"5"`, 412, ""},
		{"save again", "PUT", mine, rep, `{"quantity":13}`, `"1"`, 200, ""},
		{"reporter approves", "POST", mine + "/approve", rep, "", "", 403, ""},
		{"stale submit", "POST", mine + "/submit", rep, `{"version":1}`, "", 412, ""},
		{"submit", "POST", mine + "/submit", rep, `{"version":2}`, "", 200, ""},
		{"return without reason", "POST", mine + "/return", rev, `{}`, "", 422, "reason"},
		{"return", "POST", mine + "/return", rev, `{"reason":"请补充典型案例"}`, "", 200, ""},
		{"edit returned", "PUT", mine, rep, `{"typical_case":"闲置厂房出租给物流企业","version":4}`, "", 200, ""},
		{"resubmit", "POST", mine + "/submit", rep, "", "", 200, ""},
		{"approve", "POST", mine + "/approve", rev, "", `W/"6"`, 200, ""},
		{"locked", "PUT", mine, admin, `{"quantity":1,"version":7}`, "", 409, ""},
		{"no such project", "PUT", "/api/v1/projects/999999/reports/" + month, admin, body, "", 404, ""},
		{"list bad state", "GET", "/api/v1/reports?state=done", rev, "", "", 400, "state"},
		{"missing bad month", "GET", "/api/v1/reports/missing?month=13-2026", rev, "", "", 400, "month"},
		{"export no month", "GET", "/api/v1/reports/export.xlsx", rev, "", "", 400, "month"},
	}
	for _, s := range steps {
		req := httptest.NewRequest(s.method, s.path, strings.NewReader(s.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+s.token)
		if s.ifMatch != "" {
			req.Header.Set("If-Match", s.ifMatch)
		}
		resp, err := app.Test(req, 20_000)
		if err != nil {
			t.Fatal(err)
		}
		var p problemParam
		_ = json.NewDecoder(resp.Body).Decode(&p) // a 200's body is a report: no params
		resp.Body.Close()
		if resp.StatusCode != s.status || (s.param != "" && p.name() != s.param) {
			t.Errorf("%s: %d naming %q, want %d naming %q", s.what, resp.StatusCode, p.name(), s.status, s.param)
		}
	}
	var got struct{ Reports []ledger.ReportRow }
	if st := send(t, app, "GET", "/api/v1/reports?month="+month, rep, "", &got); st != 200 || len(got.Reports) != 1 {
		t.Fatalf("reporter's list: %d %+v", st, got)
	}
	if r := got.Reports[0]; r.State != ledger.ReportApproved || r.Version != 7 || r.ProjectCode != "XM-421221" || r.TypicalCase == "" || r.Quantity != 13 {
		t.Errorf("approved report: %+v", r)
	}
	var missing ledger.Missing
	if st := send(t, app, "GET", "/api/v1/reports/missing?month="+month, rev, "", &missing); st != 200 || missing.Count != 1 || missing.Units[0].UnitCode != "421202" {
		t.Errorf("missing: %d %+v", st, missing)
	}
	resp := do(t, app, "GET", "/api/v1/reports/export.xlsx?month="+month, rev, "", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
