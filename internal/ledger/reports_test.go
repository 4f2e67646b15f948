package ledger

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/problem"
)

// reportCity is a small fixture: the city 421200 with 咸安区 (421202, a district unit) and 嘉鱼县
// (421221, a county unit), a city department 市财政局 (CZJ), and projects:
// P1 嘉鱼县 2026, P2 咸安区 2026, P3 CZJ 2026, P4 嘉鱼县 closed, P5 嘉鱼县 deleted, P6 嘉鱼县 2025.
type reportCity struct {
	svc  *Service
	pool *pgxpool.Pool
	ids  map[string]int64
}

func newReportCity(t *testing.T) *reportCity {
	t.Helper()
	pool := dbtest.New(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO regions (code, name, level, geom) VALUES ('421200', '咸宁市', 'city', ST_Multi(ST_MakeEnvelope(113.5, 29.0, 115.0, 30.2, 4490)))`,
		`INSERT INTO regions (code, name, geom) VALUES ('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.6, 30.0, 4490)))`,
		`INSERT INTO regions (code, name, geom) VALUES ('421221', '嘉鱼县', ST_Multi(ST_MakeEnvelope(113.6, 29.7, 114.0, 30.1, 4490)))`,
		`INSERT INTO units (code, name, grp, region_code) VALUES ('CZJ', '市财政局', 'city', '421200')`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	c := &reportCity{svc: NewService(pool), pool: pool, ids: map[string]int64{}}
	c.svc.now = func() time.Time { return time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) }
	for _, p := range []struct {
		code, unit string
		year       int
		status     string
		deleted    bool
	}{
		{"P1", "421221", 2026, "active", false}, {"P2", "421202", 2026, "active", false}, {"P3", "CZJ", 2026, "active", false},
		{"P4", "421221", 2026, "closed", false}, {"P5", "421221", 2026, "active", true}, {"P6", "421221", 2025, "active", false},
	} {
		var id int64
		err := pool.QueryRow(ctx, `INSERT INTO projects (code, name, year, unit_code, field, mode, status, deleted_at)
VALUES ($1, $1 || '项目', $2, $3, 'natural_resources', 'sell', $4, CASE WHEN $5 THEN now() END) RETURNING id`,
			p.code, p.year, p.unit, p.status, p.deleted).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		c.ids[p.code] = id
	}
	return c
}

// actor adds a user with role (region and unit optional) and returns them as an Actor.
func (c *reportCity) actor(t *testing.T, name, role, region, unit string) Actor {
	t.Helper()
	a := Actor{Name: name, Role: role, Region: nilIfEmpty(region), Unit: nilIfEmpty(unit)}
	err := c.pool.QueryRow(context.Background(), `INSERT INTO users (username, password_hash, role, region_code, unit_code)
VALUES ($1, 'x', $2, $3, $4) RETURNING id`, name, role, a.Region, a.Unit).Scan(&a.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func ptr[T any](v T) *T { return &v }

// wantErr checks err maps to status (and names param, when given).
func wantErr(t *testing.T, what string, err error, status int, param string) {
	t.Helper()
	if got := problem.Status(err); err == nil || got != status {
		t.Fatalf("%s: err %v (status %d), want %d", what, err, got, status)
	}
	var pe *problem.Error
	if param != "" && (!errors.As(err, &pe) || !slices.ContainsFunc(pe.Params, func(p problem.Param) bool { return p.Name == param })) {
		t.Fatalf("%s: %v does not name %s", what, err, param)
	}
}

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func TestReportWorkflow(t *testing.T) {
	c := newReportCity(t)
	ctx := context.Background()
	rep := c.actor(t, "jiayu", auth.Reporter, "", "421221")
	rev := c.actor(t, "caizheng", auth.Reviewer, "", "")
	p1 := c.ids["P1"]
	in := ReportInput{Stage: ptr("done"), Quantity: ptr(12.5), QuantityUnit: ptr("亩"), EconomicBenefit: ptr(320.0),
		SocialBenefit: ptr("带动就业 30 人"), TreasuryIncome: ptr(300.0), FiscalAvailable: ptr(120.0), TypicalCase: ptr("闲置厂房出租")}
	r := must[Report](t, "first save")(c.svc.SaveReport(ctx, rep, p1, "2026-03", in))
	if r.State != ReportDraft || r.Version != 1 || r.Month != "2026-03" || r.EconomicBenefit != 320 || r.QuantityUnit != "亩" {
		t.Fatalf("first save: %+v", r)
	}
	wantErr(t, "first save again without version", ignore(c.svc.SaveReport(ctx, rep, p1, "2026-03", in)), http.StatusPreconditionFailed, "")
	wantErr(t, "stale version", ignore(c.svc.SaveReport(ctx, rep, p1, "2026-03", ReportInput{Version: 7})), http.StatusPreconditionFailed, "")
	r = must[Report](t, "second save")(c.svc.SaveReport(ctx, rep, p1, "2026-03", ReportInput{Quantity: ptr(13.0), Version: 1}))
	if r.Version != 2 || r.Quantity != 13 || r.EconomicBenefit != 320 {
		t.Fatalf("second save keeps what it does not name: %+v", r)
	}
	wantErr(t, "approve a draft", ignore(c.svc.ApproveReport(ctx, rev, p1, "2026-03", 0)), http.StatusConflict, "")
	r = must[Report](t, "submit")(c.svc.SubmitReport(ctx, rep, p1, "2026-03", 2))
	if r.State != ReportSubmitted || r.SubmittedBy == nil || *r.SubmittedBy != rep.UserID || r.SubmittedByName != "jiayu" {
		t.Fatalf("submit: %+v", r)
	}
	wantErr(t, "edit while submitted", ignore(c.svc.SaveReport(ctx, rep, p1, "2026-03", ReportInput{Version: 3})), http.StatusConflict, "")
	wantErr(t, "submit twice", ignore(c.svc.SubmitReport(ctx, rep, p1, "2026-03", 0)), http.StatusConflict, "")
	wantErr(t, "reporter approves", ignore(c.svc.ApproveReport(ctx, rep, p1, "2026-03", 0)), http.StatusForbidden, "")
	wantErr(t, "return without reason", ignore(c.svc.ReturnReport(ctx, rev, p1, "2026-03", 0, "  ")), http.StatusUnprocessableEntity, "reason")
	r = must[Report](t, "return")(c.svc.ReturnReport(ctx, rev, p1, "2026-03", 3, "入库收益与财政数据不符"))
	if r.State != ReportReturned || r.ReturnReason != "入库收益与财政数据不符" || r.ReviewedByName != "caizheng" {
		t.Fatalf("return: %+v", r)
	}
	r = must[Report](t, "edit returned")(c.svc.SaveReport(ctx, rep, p1, "2026-03", ReportInput{TreasuryIncome: ptr(280.0), Version: r.Version}))
	if r.State != ReportDraft || r.ReturnReason == "" {
		t.Fatalf("a returned report edited is a draft that keeps its reason: %+v", r)
	}
	must[Report](t, "resubmit")(c.svc.SubmitReport(ctx, rep, p1, "2026-03", 0))
	r = must[Report](t, "approve")(c.svc.ApproveReport(ctx, rev, p1, "2026-03", 0))
	if r.State != ReportApproved || r.ReturnReason != "" || r.ReviewedAt == nil {
		t.Fatalf("approve: %+v", r)
	}
	admin := c.actor(t, "root", auth.Admin, "", "")
	for what, err := range map[string]error{
		"edit approved":        ignore(c.svc.SaveReport(ctx, admin, p1, "2026-03", ReportInput{Version: r.Version})),
		"submit approved":      ignore(c.svc.SubmitReport(ctx, admin, p1, "2026-03", 0)),
		"return approved":      ignore(c.svc.ReturnReport(ctx, admin, p1, "2026-03", 0, "再看看")),
		"approve approved":     ignore(c.svc.ApproveReport(ctx, admin, p1, "2026-03", 0)),
		"stale approve locked": ignore(c.svc.ApproveReport(ctx, rev, p1, "2026-03", 1)),
	} {
		wantErr(t, what, err, http.StatusConflict, "")
	}
	wantActions(t, c.pool, p1, "report", "report", "submit", "return", "report", "submit", "approve")
}

func ignore[T any](_ T, err error) error { return err }

// wantActions checks the report events of a project, in order, each with its report and both
// states (before is null for the first save only).
func wantActions(t *testing.T, pool *pgxpool.Pool, project int64, want ...string) {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT action, report_id IS NOT NULL AND after IS NOT NULL AND (before IS NOT NULL OR action = 'report'), actor
FROM project_events WHERE project_id = $1 ORDER BY id`, project)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var ok bool
	var actor string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a, &ok, &actor); err != nil {
			t.Fatal(err)
		}
		if !ok || actor == "" {
			t.Errorf("event %s lacks its report, states or actor", a)
		}
		got = append(got, a)
	}
	if rows.Err() != nil || !slices.Equal(got, want) {
		t.Fatalf("events %v (%v), want %v", got, rows.Err(), want)
	}
}

func TestReportRoles(t *testing.T) {
	c := newReportCity(t)
	ctx := context.Background()
	p1, p2 := c.ids["P1"], c.ids["P2"]
	in := ReportInput{EconomicBenefit: ptr(10.0)}
	other := c.actor(t, "xianan", auth.Reporter, "", "421202")
	wantErr(t, "reporter of another unit saves", ignore(c.svc.SaveReport(ctx, other, p1, "2026-03", in)), http.StatusForbidden, "")
	wantErr(t, "reporter of another unit reads", ignore(c.svc.ProjectReports(ctx, other, p1)), http.StatusForbidden, "")
	must[Report](t, "own unit")(c.svc.SaveReport(ctx, other, p2, "2026-03", in))
	scoped := c.actor(t, "xianan-analyst", auth.Analyst, "421202", "")
	wantErr(t, "analyst outside region", ignore(c.svc.SaveReport(ctx, scoped, p1, "2026-03", in)), http.StatusForbidden, "")
	wantErr(t, "county analyst on a city department", ignore(c.svc.SaveReport(ctx, scoped, c.ids["P3"], "2026-03", in)), http.StatusForbidden, "")
	city := c.actor(t, "city-analyst", auth.Analyst, "421200", "")
	must[Report](t, "city analyst in a county")(c.svc.SaveReport(ctx, city, p1, "2026-03", in))
	must[Report](t, "city analyst on a department")(c.svc.SaveReport(ctx, city, c.ids["P3"], "2026-03", in))
	rev := c.actor(t, "rev", auth.Reviewer, "", "")
	wantErr(t, "reviewer edits figures", ignore(c.svc.SaveReport(ctx, rev, p1, "2026-03", ReportInput{Version: 1})), http.StatusForbidden, "")
	wantErr(t, "reviewer submits", ignore(c.svc.SubmitReport(ctx, rev, p1, "2026-03", 0)), http.StatusForbidden, "")
	leader := c.actor(t, "leader", auth.Leader, "", "")
	wantErr(t, "leader saves", ignore(c.svc.SaveReport(ctx, leader, p1, "2026-03", ReportInput{Version: 1})), http.StatusForbidden, "")
	scopedRev := c.actor(t, "xianan-rev", auth.Reviewer, "421202", "")

	// Nobody reviews their own submission but an admin: an analyst who submitted and became a
	// reviewer may not approve it; an admin may approve their own.
	must[Report](t, "city analyst submits")(c.svc.SubmitReport(ctx, city, p1, "2026-03", 0))
	if _, err := c.pool.Exec(ctx, `UPDATE users SET role = 'reviewer' WHERE id = $1`, city.UserID); err != nil {
		t.Fatal(err)
	}
	turned := city
	turned.Role = auth.Reviewer
	wantErr(t, "own submission", ignore(c.svc.ApproveReport(ctx, turned, p1, "2026-03", 0)), http.StatusForbidden, "")
	wantErr(t, "reviewer outside region", ignore(c.svc.ApproveReport(ctx, scopedRev, p1, "2026-03", 0)), http.StatusForbidden, "")
	admin := c.actor(t, "root", auth.Admin, "", "")
	must[Report](t, "admin saves")(c.svc.SaveReport(ctx, admin, p1, "2026-04", in))
	must[Report](t, "admin submits")(c.svc.SubmitReport(ctx, admin, p1, "2026-04", 0))
	must[Report](t, "admin approves own")(c.svc.ApproveReport(ctx, admin, p1, "2026-04", 0))
}

func TestReportInputRules(t *testing.T) {
	c := newReportCity(t)
	ctx := context.Background()
	a := c.actor(t, "root", auth.Admin, "", "")
	p1 := c.ids["P1"]
	for _, tt := range []struct {
		what, month string
		in          ReportInput
		status      int
		param       string
	}{
		{"fiscal over treasury", "2026-03", ReportInput{TreasuryIncome: ptr(10.0), FiscalAvailable: ptr(10.5)}, 422, "fiscal_available"},
		{"fiscal without treasury", "2026-03", ReportInput{FiscalAvailable: ptr(1.0)}, 422, "fiscal_available"},
		{"unknown stage", "2026-03", ReportInput{Stage: ptr("finished")}, 422, "stage"},
		{"negative benefit", "2026-03", ReportInput{EconomicBenefit: ptr(-1.0)}, 422, "economic_benefit"},
		{"no quantity unit", "2026-03", ReportInput{QuantityUnit: ptr(" ")}, 422, "quantity_unit"},
		{"month malformed", "2026-3", ReportInput{}, 400, "month"},
		{"month not a month", "2026-13", ReportInput{}, 400, "month"},
		{"month words", "march", ReportInput{}, 400, "month"},
		{"two months ahead", "2026-05", ReportInput{}, 422, "month"},
	} {
		wantErr(t, tt.what, ignore(c.svc.SaveReport(ctx, a, p1, tt.month, tt.in)), tt.status, tt.param)
	}
	must[Report](t, "next month")(c.svc.SaveReport(ctx, a, p1, "2026-04", ReportInput{}))
	must[Report](t, "fiscal equal to treasury")(c.svc.SaveReport(ctx, a, p1, "2026-02", ReportInput{TreasuryIncome: ptr(5.0), FiscalAvailable: ptr(5.0)}))
	wantErr(t, "deleted project", ignore(c.svc.SaveReport(ctx, a, c.ids["P5"], "2026-03", ReportInput{})), 404, "")
	wantErr(t, "no project", ignore(c.svc.SaveReport(ctx, a, 999999, "2026-03", ReportInput{})), 404, "")
	wantErr(t, "deleted project's reports", ignore(c.svc.ProjectReports(ctx, a, c.ids["P5"])), 404, "")
	wantErr(t, "submit nothing", ignore(c.svc.SubmitReport(ctx, a, p1, "2026-01", 0)), 404, "")
	wantErr(t, "version for no report", ignore(c.svc.SaveReport(ctx, a, p1, "2026-01", ReportInput{Version: 1})), 412, "")
	list := must[[]Report](t, "project reports")(c.svc.ProjectReports(ctx, a, p1))
	if len(list) != 2 || list[0].Month != "2026-04" || list[1].Month != "2026-02" {
		t.Fatalf("project reports: %+v", list)
	}
}

// fill saves and submits a report of project code for month as a, then approves or returns it
// when state asks.
func (c *reportCity) fill(t *testing.T, a, rev Actor, code, month, state string) {
	t.Helper()
	ctx := context.Background()
	in := ReportInput{EconomicBenefit: ptr(100.0), TreasuryIncome: ptr(50.0), FiscalAvailable: ptr(20.0), Quantity: ptr(3.0), QuantityUnit: ptr("平方米")}
	must[Report](t, "save "+code)(c.svc.SaveReport(ctx, a, c.ids[code], month, in))
	if state == ReportDraft {
		return
	}
	must[Report](t, "submit "+code)(c.svc.SubmitReport(ctx, a, c.ids[code], month, 0))
	switch state {
	case ReportApproved:
		must[Report](t, "approve "+code)(c.svc.ApproveReport(ctx, rev, c.ids[code], month, 0))
	case ReportReturned:
		must[Report](t, "return "+code)(c.svc.ReturnReport(ctx, rev, c.ids[code], month, 0, "补充典型案例"))
	}
}

func TestReportListsAndScope(t *testing.T) {
	c := newReportCity(t)
	ctx := context.Background()
	admin := c.actor(t, "root", auth.Admin, "", "")
	rev := c.actor(t, "rev", auth.Reviewer, "", "")
	c.fill(t, admin, rev, "P1", "2026-03", ReportSubmitted)
	c.fill(t, admin, rev, "P2", "2026-03", ReportApproved)
	c.fill(t, admin, rev, "P3", "2026-03", ReportReturned)
	c.fill(t, admin, rev, "P1", "2026-02", ReportApproved)
	codes := func(a Actor, f ReportFilter) []string {
		t.Helper()
		var out []string
		for _, r := range must[[]ReportRow](t, "list")(c.svc.Reports(ctx, a, f)) {
			out = append(out, r.Month+" "+r.ProjectCode+" "+r.State)
		}
		return out
	}
	for _, tt := range []struct {
		what string
		a    Actor
		f    ReportFilter
		want []string
	}{
		{"all", admin, ReportFilter{}, []string{"2026-03 P1 submitted", "2026-03 P2 approved", "2026-03 P3 returned", "2026-02 P1 approved"}},
		{"month", admin, ReportFilter{Month: "2026-02"}, []string{"2026-02 P1 approved"}},
		{"state", rev, ReportFilter{Month: "2026-03", State: "submitted"}, []string{"2026-03 P1 submitted"}},
		{"group", admin, ReportFilter{Group: "city"}, []string{"2026-03 P3 returned"}},
		{"unit", admin, ReportFilter{Unit: "421202"}, []string{"2026-03 P2 approved"}},
		{"reporter", c.actor(t, "jy", auth.Reporter, "", "421221"), ReportFilter{Month: "2026-03"}, []string{"2026-03 P1 submitted"}},
		{"reporter naming another unit", c.actor(t, "jy2", auth.Reporter, "", "421221"), ReportFilter{Unit: "421202"}, nil},
		{"region", c.actor(t, "xa", auth.Analyst, "421202", ""), ReportFilter{}, []string{"2026-03 P2 approved"}},
		{"city region", c.actor(t, "city", auth.Leader, "421200", ""), ReportFilter{Month: "2026-03"}, []string{"2026-03 P1 submitted", "2026-03 P2 approved", "2026-03 P3 returned"}},
	} {
		if got := codes(tt.a, tt.f); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.what, got, tt.want)
		}
	}
	rows := must[[]ReportRow](t, "list")(c.svc.Reports(ctx, admin, ReportFilter{Month: "2026-03", Unit: "CZJ"}))
	if len(rows) != 1 || rows[0].UnitName != "市财政局" || rows[0].Group != "city" || rows[0].ProjectName != "P3项目" || rows[0].ReturnReason != "补充典型案例" {
		t.Errorf("row: %+v", rows)
	}
	wantErr(t, "bad state", ignore(c.svc.Reports(ctx, admin, ReportFilter{State: "done"})), 400, "state")
	wantErr(t, "bad group", ignore(c.svc.Reports(ctx, admin, ReportFilter{Group: "towns"})), 400, "group")
	wantErr(t, "bad month", ignore(c.svc.Reports(ctx, admin, ReportFilter{Month: "2026-3"})), 400, "month")
}

func TestMissingReports(t *testing.T) {
	c := newReportCity(t)
	ctx := context.Background()
	admin := c.actor(t, "root", auth.Admin, "", "")
	rev := c.actor(t, "rev", auth.Reviewer, "", "")
	c.fill(t, admin, rev, "P1", "2026-03", ReportDraft)     // a draft is still missing
	c.fill(t, admin, rev, "P2", "2026-03", ReportSubmitted) // submitted: not missing
	c.fill(t, admin, rev, "P3", "2026-02", ReportApproved)  // another month's report does not count
	for _, tt := range []struct {
		now     time.Time
		overdue bool
	}{
		{time.Date(2026, 3, 24, 12, 0, 0, 0, time.UTC), false},
		{time.Date(2026, 3, 25, 23, 59, 0, 0, time.UTC), false},
		{time.Date(2026, 3, 26, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC), false},
	} {
		c.svc.now = func() time.Time { return tt.now }
		m := must[Missing](t, "missing")(c.svc.MissingReports(ctx, admin, "2026-03"))
		if m.Overdue != tt.overdue || m.Due != "2026-03-25" || m.Month != "2026-03" {
			t.Errorf("at %s: due %s overdue %v, want overdue %v", tt.now, m.Due, m.Overdue, tt.overdue)
		}
		// P4 is closed, P5 deleted, P6 of 2025: none is due; P1 (嘉鱼县, county) and P3 (市财政局,
		// city) are, in group order.
		if len(m.Units) != 2 || m.Count != 2 || m.Units[0].UnitCode != "421221" || m.Units[0].Group != "county" ||
			len(m.Units[0].Projects) != 1 || m.Units[0].Projects[0].Code != "P1" || m.Units[1].UnitName != "市财政局" || m.Units[1].Projects[0].Code != "P3" {
			t.Errorf("missing: %+v", m)
		}
	}
	rep := c.actor(t, "jy", auth.Reporter, "", "421221")
	if m := must[Missing](t, "reporter")(c.svc.MissingReports(ctx, rep, "2026-03")); len(m.Units) != 1 || m.Units[0].UnitCode != "421221" {
		t.Errorf("reporter's missing list: %+v", m)
	}
	scoped := c.actor(t, "xa", auth.Analyst, "421202", "")
	if m := must[Missing](t, "scoped")(c.svc.MissingReports(ctx, scoped, "2026-03")); len(m.Units) != 0 || m.Count != 0 {
		t.Errorf("咸安区 has reported: %+v", m)
	}
	if m := must[Missing](t, "2025")(c.svc.MissingReports(ctx, admin, "2025-12")); m.Count != 1 || m.Units[0].Projects[0].Code != "P6" {
		t.Errorf("2025's projects: %+v", m)
	}
	wantErr(t, "bad month", ignore(c.svc.MissingReports(ctx, admin, "")), 400, "month")
}

func TestExportReports(t *testing.T) {
	c := newReportCity(t)
	ctx := context.Background()
	admin := c.actor(t, "root", auth.Admin, "", "")
	rev := c.actor(t, "rev", auth.Reviewer, "", "")
	c.fill(t, admin, rev, "P1", "2026-03", ReportApproved)
	c.fill(t, admin, rev, "P3", "2026-03", ReportReturned)
	c.fill(t, admin, rev, "P2", "2026-02", ReportApproved)
	var buf bytes.Buffer
	if n, err := c.svc.ExportReports(ctx, admin, "2026-03", &buf); err != nil || n != 2 {
		t.Fatalf("ExportReports = %d reports, %v; want 2", n, err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("月报")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"项目编号", "项目名称", "组别", "所属单位", "月份", "盘活阶段", "实物量", "单位", "经济效益(万元)", "社会效益", "入库收益(万元)", "其中本级可用财力(万元)", "典型案例", "状态", "退回原因"},
		{"P1", "P1项目", "县市组", "嘉鱼县", "2026-03", "盘活中", "3", "平方米", "100", "", "50", "20", "", "已审核"},
		{"P3", "P3项目", "市级组", "市财政局", "2026-03", "盘活中", "3", "平方米", "100", "", "50", "20", "", "已退回", "补充典型案例"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d: %q, want %q", i+1, rows[i], want[i])
		}
	}
	_, err = c.svc.ExportReports(ctx, admin, "2026", &buf)
	wantErr(t, "bad month", err, 400, "month")
}
