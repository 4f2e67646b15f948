package demo_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/demo"
)

// loadSeed writes the 2,000-parcel city of seed into pool.
func loadSeed(t *testing.T, pool *pgxpool.Pool, seed uint64, replace bool) demo.Summary {
	t.Helper()
	city, err := demo.Generate(demo.Options{Seed: seed, Parcels: 2000})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := demo.Load(context.Background(), pool, assets.NewService(pool), city, demo.LoadOptions{Replace: replace})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// ledgerDigests hashes the live ledger rows of the demo (projects coded XN…), table by table,
// keyed by codes rather than ids.
var ledgerDigests = map[string]string{
	"units": `SELECT md5(string_agg(concat_ws('|', code, name, grp, region_code, zone_code, sort), E'\n' ORDER BY code)) FROM units`,
	"projects": `SELECT md5(string_agg(concat_ws('|', p.code, p.name, p.year, p.unit_code, p.field, p.mode, p.instrument,
		p.holder, p.responsible_unit, p.responsible_person, p.planned_start, p.planned_end, p.expected_benefit, p.description,
		p.status, p.created_at, p.updated_at,
		(SELECT string_agg(a.kind || a.code || pa.active, ',' ORDER BY a.kind, a.code)
		 FROM project_assets pa JOIN assets a ON a.id = pa.asset_id WHERE pa.project_id = p.id)), E'\n' ORDER BY p.code))
		FROM projects p WHERE p.deleted_at IS NULL AND p.code LIKE 'XN%'`,
	"reports": `SELECT md5(string_agg(concat_ws('|', p.code, r.month, r.stage, r.quantity, r.quantity_unit, r.economic_benefit,
		r.social_benefit, r.treasury_income, r.fiscal_available, r.typical_case, r.state, r.return_reason, r.submitted_at,
		r.reviewed_at, r.version, r.created_at), E'\n' ORDER BY p.code, r.month))
		FROM project_reports r JOIN projects p ON p.id = r.project_id WHERE p.deleted_at IS NULL AND p.code LIKE 'XN%'`,
	"events": `SELECT md5(string_agg(concat_ws('|', p.code, r.month, e.action, e.actor, e.at, e.before, e.after, e.note), E'\n'
		ORDER BY p.code, e.at, e.action)) FROM project_events e JOIN projects p ON p.id = e.project_id
		LEFT JOIN project_reports r ON r.id = e.report_id WHERE p.deleted_at IS NULL AND p.code LIKE 'XN%'`,
	"leases": `SELECT md5(string_agg(concat_ws('|', a.kind, a.code, l.kind, l.tenant, l.start_date, l.end_date, l.annual_rent,
		l.rent_received, l.note), E'\n' ORDER BY a.kind, a.code, l.start_date)) FROM asset_leases l
		JOIN assets a ON a.id = l.asset_id WHERE l.deleted_at IS NULL AND a.deleted_at IS NULL`,
	"targets": `SELECT md5((SELECT string_agg(concat_ws('|', region_code, year, metric, target), E'\n' ORDER BY region_code, year, metric) FROM targets)
		|| (SELECT string_agg(concat_ws('|', year, field, lead_unit, partners, tasks, target), E'\n' ORDER BY year, field) FROM field_targets))`,
}

func digests(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	out := map[string]string{}
	for table, q := range ledgerDigests {
		var d *string
		if err := pool.QueryRow(context.Background(), q).Scan(&d); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if d == nil {
			t.Fatalf("%s: no rows", table)
		}
		out[table] = *d
	}
	return out
}

func sameDigests(t *testing.T, what string, a, b map[string]string) {
	t.Helper()
	for table, d := range a {
		if b[table] != d {
			t.Errorf("%s: %s differ", what, table)
		}
	}
}

func TestHistoryLoadIsDeterministic(t *testing.T) {
	p1, p2 := dbtest.New(t), dbtest.New(t)
	sum := loadSeed(t, p1, 1, false)
	loadSeed(t, p2, 1, false)
	sameDigests(t, "two loads of seed 1", digests(t, p1), digests(t, p2))
	h := sum.History
	if h.Units != 16 || h.Projects < 300 || h.Reports < 10*h.Projects/2 || h.Events < 2*h.Reports || h.Leases < 50 {
		t.Errorf("history written: %+v", h)
	}
	for what, q := range map[string]string{
		"projects": "SELECT count(*) FROM projects", "reports": "SELECT count(*) FROM project_reports",
		"leases": "SELECT count(*) FROM asset_leases", "field targets": "SELECT count(*) FROM field_targets",
	} {
		if n := count(t, p1, q); n == 0 {
			t.Errorf("no %s", what)
		}
	}
	if n := count(t, p1, "SELECT count(*) FROM projects p WHERE NOT EXISTS (SELECT 1 FROM project_assets pa WHERE pa.project_id = p.id)"); n != 0 {
		t.Errorf("%d projects without assets", n)
	}
}

// emptyBoards lists the group and month pairs without an approved report (the 榜单's source).
const emptyBoards = `
SELECT count(*) FROM unnest(ARRAY['county', 'district', 'city', 'zone', 'enterprise']) AS g(grp)
CROSS JOIN generate_series(date '2024-11-01', date '2026-10-01', interval '1 month') AS m(month)
WHERE NOT EXISTS (
    SELECT 1 FROM project_reports r JOIN projects p ON p.id = r.project_id JOIN units u ON u.code = p.unit_code
    WHERE r.state = 'approved' AND r.month = m.month AND u.grp = g.grp AND p.deleted_at IS NULL)`

func TestHistoryFillsEveryMonthOfEveryGroupInTheDatabase(t *testing.T) {
	pool := dbtest.New(t)
	loadSeed(t, pool, 1, false)
	if n := count(t, pool, emptyBoards); n != 0 {
		t.Errorf("%d group-months without an approved report", n)
	}
	if n := count(t, pool, "SELECT count(DISTINCT grp) FROM units"); n != 5 {
		t.Errorf("units in %d groups, want 5", n)
	}
	if n := count(t, pool, "SELECT count(*) FROM units u WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.unit_code = u.code)"); n != 0 {
		t.Errorf("%d units without a project", n)
	}
}

// warningChecks count the members of each warning kind for a reference day $1 (asOf + 30 or
// 2026-12-02), within the 90 days after it.
var warningChecks = map[string]string{
	"land_fee_due": `SELECT count(*) FROM assets WHERE kind = 'land' AND actual_start IS NULL
		AND agreed_start + interval '1 year' BETWEEN $1::date AND $1::date + 90`,
	"land_recovery": `SELECT count(*) FROM assets WHERE kind = 'land' AND actual_start IS NULL
		AND agreed_start + interval '2 years' BETWEEN $1::date AND $1::date + 90`,
	"licence_expiring":               `SELECT count(*) FROM assets WHERE kind = 'mine' AND (facts->>'valid_to')::date BETWEEN $1::date AND $1::date + 90`,
	"lease_expiring":                 `SELECT count(*) FROM asset_leases WHERE kind = 'lease' AND end_date BETWEEN $1::date AND $1::date + 90`,
	"concession_expiring":            `SELECT count(*) FROM asset_leases WHERE kind = 'concession' AND end_date BETWEEN $1::date AND $1::date + 90`,
	"concession_expiring (projects)": `SELECT count(*) FROM projects WHERE instrument = 'concession' AND planned_end BETWEEN $1::date AND $1::date + 90`,
	"idle_unassigned": `SELECT count(*) FROM assets a WHERE a.stage = 'idle' AND $1::date IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM project_assets pa WHERE pa.asset_id = a.id AND pa.active)`,
	"report_missing": `SELECT count(*) FROM projects p WHERE p.status = 'active' AND p.year = 2026
		AND NOT EXISTS (SELECT 1 FROM project_reports r WHERE r.project_id = p.id AND r.state IN ('submitted', 'approved')
		                AND r.month = date_trunc('month', $1::date - 30)::date)`,
	"building_vacant": `SELECT count(*) FROM assets WHERE kind = 'building' AND (facts->>'idle_since')::date < $1::date - interval '1 year'`,
}

func TestHistoryGivesEveryWarningKindMembers(t *testing.T) {
	pool := dbtest.New(t)
	loadSeed(t, pool, 1, false)
	for _, day := range []string{"2026-11-30", "2026-12-02"} {
		for kind, q := range warningChecks {
			if n := count(t, pool, q, day); n == 0 {
				t.Errorf("%s: no member as of %s", kind, day)
			}
		}
	}
}

// userProject adds a project of someone else's, with a report, to the ledger.
const userProject = `
WITH p AS (
    INSERT INTO projects (code, name, year, unit_code, field, mode) VALUES ('U-1', '用户项目', 2026, '421221', 'water', 'use')
    RETURNING id
), r AS (
    INSERT INTO project_reports (project_id, month, state) SELECT id, date '2026-10-01', 'draft' FROM p
)
INSERT INTO project_events (project_id, action, actor) SELECT id, 'create', 'analyst' FROM p`

func TestHistoryReplaceTwiceKeepsOthersProjects(t *testing.T) {
	pool := dbtest.New(t)
	first := loadSeed(t, pool, 1, false)
	want := digests(t, pool)
	ids := count(t, pool, "SELECT sum(id) FROM projects")
	// All projects are the demo's: the ledger tables are reset and ids restart.
	sum := loadSeed(t, pool, 1, true)
	if sum.History.RemovedProjects != int64(first.History.Projects) || count(t, pool, "SELECT sum(id) FROM projects") != ids {
		t.Errorf("first replace removed %d of %d projects; ids sum to %d, were %d", sum.History.RemovedProjects,
			first.History.Projects, count(t, pool, "SELECT sum(id) FROM projects"), ids)
	}
	sameDigests(t, "after a replace", want, digests(t, pool))
	if _, err := pool.Exec(context.Background(), userProject); err != nil {
		t.Fatal(err)
	}
	// Someone else's project stays, through two replaces; the demo's are soft-deleted.
	for round := 1; round <= 2; round++ {
		sum = loadSeed(t, pool, 1, true)
		if sum.History.RemovedProjects != int64(first.History.Projects) {
			t.Errorf("replace %d removed %d projects, want %d", round, sum.History.RemovedProjects, first.History.Projects)
		}
		if n := count(t, pool, "SELECT count(*) FROM projects WHERE code = 'U-1' AND deleted_at IS NULL"); n != 1 {
			t.Fatalf("replace %d took the user's project", round)
		}
		if n := count(t, pool, "SELECT count(*) FROM projects WHERE deleted_at IS NULL"); n != first.History.Projects+1 {
			t.Errorf("replace %d: %d live projects, want %d", round, n, first.History.Projects+1)
		}
		if n := count(t, pool, "SELECT count(*) FROM asset_leases"); n != first.History.Leases {
			t.Errorf("replace %d: %d leases, want %d", round, n, first.History.Leases)
		}
	}
	sameDigests(t, "after replacing with a user's project", want, digests(t, pool))
	if n := count(t, pool, "SELECT count(*) FROM project_events WHERE action = 'delete' AND actor = 'onemap demo'"); n != 2*first.History.Projects {
		t.Errorf("%d delete events, want %d", n, 2*first.History.Projects)
	}
}
