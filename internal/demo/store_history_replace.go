package demo

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// demoProjects is the condition on projects p that the demo made: their 'create' event names it.
const demoProjects = `EXISTS (SELECT 1 FROM project_events e WHERE e.project_id = p.id AND e.action = 'create' AND e.actor = $1)`

const (
	countDemoProjects  = "SELECT count(*) FILTER (WHERE " + demoProjects + "), count(*) FILTER (WHERE NOT " + demoProjects + ") FROM projects p"
	truncateLedger     = "TRUNCATE attachment_chunks, attachments, project_events, project_reports, project_assets, webhook_deliveries, warnings, projects RESTART IDENTITY"
	softDeleteProjects = `
WITH gone AS (
    UPDATE projects p SET deleted_at = now(), updated_at = now(), version = version + 1
    WHERE p.deleted_at IS NULL AND ` + demoProjects + `
    RETURNING p.id
), freed AS (
    UPDATE project_assets pa SET active = false FROM gone WHERE pa.project_id = gone.id AND pa.active
), cleared AS (
    UPDATE warnings w SET cleared_at = now() FROM gone WHERE w.project_id = gone.id AND w.cleared_at IS NULL
)
INSERT INTO project_events (project_id, action, actor, note) SELECT id, 'delete', $1, $2 FROM gone`
	deleteDemoLeases = "DELETE FROM asset_leases WHERE note = $1"
	deleteDemoUnits  = `
DELETE FROM units u WHERE u.code = ANY($1)
    AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.unit_code = u.code)
    AND NOT EXISTS (SELECT 1 FROM users s WHERE s.unit_code = u.code)`
)

// removeHistory removes, inside tx, what an earlier demo load wrote into the ledger, before
// the demo's assets go. When every project is the demo's, the project tables (and the warnings,
// which the evaluation rebuilds) are truncated and their ids restart; otherwise the demo's
// projects are soft-deleted with a delete event each (project_events is append-only), their
// members freed and their warnings cleared, and everyone else's projects stay. The demo's lease
// terms go, and its units unless something still names them. It returns the projects removed.
func removeHistory(ctx context.Context, tx pgx.Tx, note string) (int64, error) {
	var demo, others int64
	if err := tx.QueryRow(ctx, countDemoProjects, HistoryActor).Scan(&demo, &others); err != nil {
		return 0, fmt.Errorf("demo: count projects: %w", err)
	}
	if others == 0 {
		if _, err := tx.Exec(ctx, truncateLedger); err != nil {
			return 0, fmt.Errorf("demo: truncate the ledger: %w", err)
		}
	} else {
		tag, err := tx.Exec(ctx, softDeleteProjects, HistoryActor, note)
		if err != nil {
			return 0, fmt.Errorf("demo: remove projects: %w", err)
		}
		demo = tag.RowsAffected()
	}
	if _, err := tx.Exec(ctx, deleteDemoLeases, leaseNote); err != nil {
		return 0, fmt.Errorf("demo: remove leases: %w", err)
	}
	codes := make([]string, 0, len(departments)+len(enterprises))
	for _, u := range cityUnits() {
		codes = append(codes, u.Code)
	}
	if _, err := tx.Exec(ctx, deleteDemoUnits, codes); err != nil {
		return 0, fmt.Errorf("demo: remove units: %w", err)
	}
	return demo, nil
}
