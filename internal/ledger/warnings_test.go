package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/db/dbtest"
)

// today is the fixture's clock: a day before the 25th, so the report due is last month's.
var today = time.Date(2026, time.October, 20, 9, 0, 0, 0, time.Local)

// fixture is a small city: two counties (units by trigger) and helpers adding assets and projects.
type fixture struct {
	t    *testing.T
	ctx  context.Context
	pool *pgxpool.Pool
	svc  *Service
	n    int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pool := dbtest.New(t)
	f := &fixture{t: t, ctx: context.Background(), pool: pool, svc: NewService(pool)}
	f.svc.now = func() time.Time { return today }
	f.exec(`INSERT INTO regions (code, name, level, geom) VALUES
		('421202', '咸安区', 'county', ST_Multi(ST_MakeEnvelope(114.2, 29.7, 114.4, 29.9, 4490))),
		('421281', '赤壁市', 'county', ST_Multi(ST_MakeEnvelope(113.8, 29.6, 114.0, 29.8, 4490)))`)
	return f
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.pool.Exec(f.ctx, sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

func (f *fixture) id(sql string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.pool.QueryRow(f.ctx, sql, args...).Scan(&id); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return id
}

// day is today moved by years and days, as a date.
func day(years, days int) string {
	return today.AddDate(years, 0, days).Format(time.DateOnly)
}

// asset adds an asset of kind in region 421202 (stage planned unless set) with the given columns.
func (f *fixture) asset(code, kind string, cols map[string]any) int64 {
	f.t.Helper()
	f.n++
	names, vals, args := []string{"code", "kind", "name", "region_code", "stage", "geom"}, []string{"$1", "$2", "$3", "$4", "$5"},
		[]any{code, kind, code + "名", "421202", "planned"}
	for k, v := range cols {
		switch k {
		case "region_code":
			args[3] = v
		case "stage":
			args[4] = v
		default:
			names = append(names, k)
			args = append(args, v)
			vals = append(vals, fmt.Sprintf("$%d", len(args)))
		}
	}
	x := 114.21 + float64(f.n)*0.001
	geom := fmt.Sprintf("ST_Multi(ST_MakeEnvelope(%f, 29.71, %f, 29.712, 4490))", x, x+0.0005)
	vals = slices.Insert(vals, 5, geom)
	return f.id(`INSERT INTO assets (`+strings.Join(names, ", ")+`) VALUES (`+strings.Join(vals, ", ")+`) RETURNING id`, args...)
}

// project adds an active project of the unit (a county code) with instrument and planned end.
func (f *fixture) project(code, unit, instrument string, end *string) int64 {
	f.t.Helper()
	return f.id(`INSERT INTO projects (code, name, year, unit_code, field, mode, instrument, planned_end)
		VALUES ($1, $1 || '项目', 2026, $2, 'natural_resources', 'lease', $3, $4) RETURNING id`, code, unit, instrument, end)
}

// open lists the open warnings as "kind code fires_on" lines, sorted.
func (f *fixture) open() []string {
	f.t.Helper()
	rows, err := f.pool.Query(f.ctx, `SELECT kind || ' ' || (detail->>'code') || ' ' || fires_on FROM warnings WHERE cleared_at IS NULL ORDER BY 1`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) evaluate() Evaluation {
	f.t.Helper()
	e, err := f.svc.EvaluateWarnings(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// expect checks the open warnings of kind are exactly want ("code fires_on").
func (f *fixture) expect(kind string, want ...string) {
	f.t.Helper()
	var got []string
	for _, s := range f.open() {
		if rest, ok := strings.CutPrefix(s, kind+" "); ok {
			got = append(got, rest)
		}
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		f.t.Errorf("%s: open %q, want %q", kind, got, want)
	}
}

func TestLandWarningsAroundTheirThresholds(t *testing.T) {
	f := newFixture(t)
	// One year after the agreed start: 90 days ahead is inside, 91 outside, passed ones stay.
	f.asset("L-FEE-90", "land", map[string]any{"agreed_start": day(-1, 90)})
	f.asset("L-FEE-91", "land", map[string]any{"agreed_start": day(-1, 91)})
	f.asset("L-FEE-PAST", "land", map[string]any{"agreed_start": day(-1, -10)})
	// Two years: recovery (and the fee, long passed).
	f.asset("L-REC-90", "land", map[string]any{"agreed_start": day(-2, 90)})
	f.asset("L-REC-91", "land", map[string]any{"agreed_start": day(-2, 91)})
	// Not idle under the rules: the government's fault, an analyst's override, built enough.
	f.asset("L-GOV", "land", map[string]any{"agreed_start": day(-3, 0), "idle_cause": "government"})
	f.asset("L-OVR", "land", map[string]any{"agreed_start": day(-3, 0), "idle_override": "in_use", "idle_override_reason": "已核实"})
	f.asset("L-BUILT", "land", map[string]any{"agreed_start": day(-3, 0), "actual_start": day(-2, 0), "developed_share": 0.5})
	// Started on too little of the land: the clock runs from the actual start.
	f.asset("L-UNDER", "land", map[string]any{"agreed_start": day(-3, 0), "actual_start": day(-1, 30), "developed_share": 0.1})
	f.evaluate()
	f.expect("land_fee_due", "L-FEE-90 "+day(0, 90), "L-FEE-PAST "+day(0, -10), "L-REC-90 "+day(-1, 90),
		"L-REC-91 "+day(-1, 91), "L-UNDER "+day(0, 30))
	f.expect("land_recovery", "L-REC-90 "+day(0, 90))
}

func TestDatedWarningsAroundTheirThresholds(t *testing.T) {
	f := newFixture(t)
	f.asset("M-90", "mine", map[string]any{"facts": `{"valid_to": "` + day(0, 90) + `", "licence_no": "C42"}`})
	f.asset("M-91", "mine", map[string]any{"facts": `{"valid_to": "` + day(0, 91) + `"}`})
	f.asset("M-BAD", "mine", map[string]any{"facts": `{"valid_to": "soon"}`})
	f.asset("B-IN", "building", map[string]any{"facts": `{"idle_since": "` + day(-1, -1) + `"}`})
	f.asset("B-OUT", "building", map[string]any{"facts": `{"idle_since": "` + day(-1, 0) + `"}`})
	lease := func(asset int64, kind, end string) {
		f.exec(`INSERT INTO asset_leases (asset_id, kind, tenant, start_date, end_date) VALUES ($1, $2, '某公司', '2020-01-01', $3)`, asset, kind, end)
	}
	lease(f.asset("R-90", "building", nil), "lease", day(0, 90))
	lease(f.asset("R-91", "building", nil), "lease", day(0, 91))
	renewed := f.asset("R-RENEWED", "building", nil)
	lease(renewed, "lease", day(0, 10))
	lease(renewed, "lease", day(3, 0))
	lease(f.asset("C-90", "water", nil), "concession", day(0, 90))
	end90, end91 := day(0, 90), day(0, 91)
	f.project("P-C90", "421202", "concession", &end90)
	f.project("P-C91", "421202", "concession", &end91)
	f.project("P-L90", "421202", "lease", &end90)
	f.evaluate()
	f.expect("licence_expiring", "M-90 "+day(0, 90))
	f.expect("building_vacant", "B-IN "+day(0, -1))
	f.expect("lease_expiring", "R-90 "+day(0, 90))
	f.expect("concession_expiring", "C-90 "+day(0, 90), "P-C90 "+day(0, 90))
}

func TestIdleUnassignedKeepsItsDay(t *testing.T) {
	f := newFixture(t)
	f.asset("I-FREE", "building", map[string]any{"stage": "idle"})
	inProject := f.asset("I-PROJ", "building", map[string]any{"stage": "idle"})
	p := f.project("P-1", "421202", "other", nil)
	f.exec(`INSERT INTO project_assets (project_id, asset_id) VALUES ($1, $2)`, p, inProject)
	f.evaluate()
	f.expect("idle_unassigned", "I-FREE "+day(0, 0))
	f.svc.now = func() time.Time { return today.AddDate(0, 0, 1) }
	if e := f.evaluate(); e.Added != 0 || e.Cleared != 0 {
		t.Errorf("next day: %+v, want nothing new (one warning per asset)", e)
	}
	f.expect("idle_unassigned", "I-FREE "+day(0, 0))
	f.exec(`UPDATE project_assets SET active = false`)
	if e := f.evaluate(); e.Added != 1 {
		t.Errorf("project closed: added %d, want 1", e.Added)
	}
}

func TestReportMissingAfterThe25th(t *testing.T) {
	f := newFixture(t)
	none := f.project("P-NONE", "421202", "other", nil)
	draft := f.project("P-DRAFT", "421202", "other", nil)
	sent := f.project("P-SENT", "421281", "other", nil)
	f.exec(`UPDATE projects SET year = 2025 WHERE id = $1`, f.project("P-2025", "421202", "other", nil))
	report := func(p int64, month, state string) {
		f.exec(`INSERT INTO project_reports (project_id, month, state) VALUES ($1, $2, $3)`, p, month, state)
	}
	report(draft, "2026-09-01", "draft")
	report(sent, "2026-09-01", "submitted")
	report(none, "2026-10-01", "approved")
	for _, c := range []struct {
		now  time.Time
		want []string
	}{
		{today, []string{"P-DRAFT 2026-09-25", "P-NONE 2026-09-25"}}, // October's 25th not passed: September's
		{time.Date(2026, 10, 25, 23, 0, 0, 0, time.Local), []string{"P-DRAFT 2026-09-25", "P-NONE 2026-09-25"}},
		{time.Date(2026, 10, 26, 1, 0, 0, 0, time.Local), []string{"P-DRAFT 2026-10-25", "P-SENT 2026-10-25"}},
	} {
		f.svc.now = func() time.Time { return c.now }
		f.evaluate()
		f.expect("report_missing", c.want...)
	}
	list, err := f.svc.ListWarnings(f.ctx, WarningFilter{Kind: "report_missing", Within: 90, Limit: 1})
	if err != nil || len(list.Warnings) != 1 || list.Warnings[0].Title != "未按期报送：P-DRAFT P-DRAFT项目（2026年10月月报未报送，已逾期1天）" {
		t.Errorf("title: %+v, %v", list.Warnings, err)
	}
}

func TestEvaluationClearsAndScopes(t *testing.T) {
	f := newFixture(t)
	a := f.asset("R-1", "building", nil)
	f.asset("R-2", "building", map[string]any{"region_code": "421281", "stage": "idle"})
	f.exec(`INSERT INTO asset_leases (asset_id, tenant, start_date, end_date) VALUES ($1, '甲', '2020-01-01', $2)`, a, day(0, 5))
	if e := f.evaluate(); e.Added != 2 || e.Open != 2 {
		t.Fatalf("first evaluation %+v, want 2 added, 2 open", e)
	}
	if e := f.evaluate(); e.Changed() {
		t.Errorf("second evaluation changed %+v", e)
	}
	scope := "421202"
	list, err := f.svc.ListWarnings(f.ctx, WarningFilter{Scope: &scope, Within: 90, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if list.Total != 1 || len(list.Warnings) != 1 || list.Warnings[0].Kind != "lease_expiring" || list.Counts["idle_unassigned"] != 0 {
		t.Fatalf("scoped list %+v", list)
	}
	w := list.Warnings[0]
	if w.Days != 5 || w.Title != "租约到期：R-1 R-1名（甲），还有5天" || w.BBox == nil {
		t.Errorf("warning %+v: want 5 days, a title and a bbox", w)
	}
	list, err = f.svc.ListWarnings(f.ctx, WarningFilter{Within: 4, Limit: 10})
	if err != nil || list.Total != 1 || list.Counts["lease_expiring"] != 0 {
		t.Errorf("within 4 days: %+v, %v; want only the idle one", list, err)
	}
	f.exec(`UPDATE asset_leases SET deleted_at = now()`)
	if e := f.evaluate(); e.Cleared != 1 || e.Open != 1 {
		t.Errorf("after the lease went: %+v, want 1 cleared", e)
	}
	var deliveries int
	if err := f.pool.QueryRow(f.ctx, `SELECT count(*) FROM webhook_deliveries`).Scan(&deliveries); err != nil || deliveries != 2 {
		t.Errorf("deliveries %d, %v; want one per new warning", deliveries, err)
	}
}

func TestEvaluationPublishesCounts(t *testing.T) {
	f := newFixture(t)
	ch, stop := f.svc.SubscribeWarnings()
	defer stop()
	f.asset("I-1", "building", map[string]any{"stage": "idle"})
	f.evaluate()
	select {
	case b := <-ch:
		if !strings.Contains(string(b), `"idle_unassigned":1`) {
			t.Errorf("published %s", b)
		}
	default:
		t.Fatal("no counts published after a change")
	}
	f.evaluate()
	select {
	case b := <-ch:
		t.Errorf("published %s without a change", b)
	default:
	}
}
