package api_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/auth"
)

// auditRow is an audit_log row as these tests read it.
type auditRow struct {
	Actor  string
	Detail map[string]any
}

// audited lists the audit rows of action on target, oldest first.
func audited(t *testing.T, pool *pgxpool.Pool, action, target string) []auditRow {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT actor, detail FROM audit_log WHERE action = $1 AND target = $2 ORDER BY id`, action, target)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[auditRow])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFileExportsAudited: every file a GET answers besides /api/v1/export — the ledger's
// workbooks (the 台账 of projects, the month's reports, the 榜单), the 核查 records and the
// changes of a period — is an export in the audit trail as /api/v1/export's files are: who, the
// format, what it holds, the filter, rows and bytes.
func TestFileExportsAudited(t *testing.T) {
	app, pool, _ := reportsApp(t)
	admin := login(t, app, pool, "ledger-admin", auth.Admin, nil)
	for _, c := range []struct {
		path, format, data, filter string
		rows                       float64
	}{
		{"/api/v1/projects/export.xlsx?field=natural_resources", "xlsx", "projects", "field=natural_resources", 2},
		{"/api/v1/reports/export.xlsx?month=2026-03", "xlsx", "reports", "month=2026-03", 0},
		{"/api/v1/leaderboard?month=2026-03&group=county&format=xlsx", "xlsx", "leaderboard", "month=2026-03&group=county&format=xlsx", -1},
		{"/api/v1/checks/export.xlsx", "xlsx", "checks", "", 0},
		{"/api/v1/changes?from=2026-01-01&to=2026-12-31&format=csv", "csv", "changes", "from=2026-01-01&to=2026-12-31&format=csv", 0},
		{"/api/v1/changes?from=2026-01-01&to=2026-12-31&format=xlsx", "xlsx", "changes", "from=2026-01-01&to=2026-12-31&format=xlsx", 0},
	} {
		before := len(audited(t, pool, "export", c.format))
		if res := do(t, app, "GET", c.path, admin, "", nil); res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", c.path, res.StatusCode)
		}
		rows := audited(t, pool, "export", c.format)
		if len(rows) != before+1 {
			t.Errorf("GET %s: %d export rows in the audit trail, want %d", c.path, len(rows), before+1)
			continue
		}
		r := rows[len(rows)-1]
		if r.Actor != "ledger-admin" || r.Detail["data"] != c.data || r.Detail["filter"] != c.filter ||
			r.Detail["format"] != c.format || r.Detail["bytes"].(float64) <= 0 || (c.rows >= 0 && r.Detail["rows"] != c.rows) {
			t.Errorf("GET %s audited as %+v", c.path, r)
		}
	}
}
