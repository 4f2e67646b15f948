package imports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/problem"
)

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

const insertRun = `
INSERT INTO imports (file_name, format, kind, dry_run, options, actor, created_by, phase, temp_paths)
VALUES ($1, '', nullif($2, ''), $3, $4, $5, nullif($6, 0), 'queued', CASE WHEN $7 = '' THEN '{}' ELSE ARRAY[$7] END)
RETURNING id, started_at`

// createRun records a new run before anything is read, so that even a file that cannot be
// opened leaves its trace. tempPath is the upload handed to the run ("" when it is not the
// run's to delete): a run whose server dies leaves it behind for the next start to remove.
func createRun(ctx context.Context, pool *pgxpool.Pool, o Options, tempPath string) (Report, error) {
	opts, err := json.Marshal(o)
	if err != nil {
		return Report{}, fmt.Errorf("imports: options: %w", err)
	}
	r := Report{FileName: o.FileName, DryRun: o.DryRun, Status: StatusRunning, Phase: PhaseQueued, Options: opts, Actor: o.Actor}
	if o.Kind != "" {
		r.Kind = &o.Kind
	}
	err = pool.QueryRow(ctx, insertRun, o.FileName, o.Kind, o.DryRun, opts, o.Actor, o.UserID, tempPath).Scan(&r.ID, &r.StartedAt)
	if err != nil {
		return r, fmt.Errorf("imports: record run: %w", err)
	}
	return r, nil
}

const saveRun = `
UPDATE imports SET format = $2, source_crs = $3, encoding = $4, status = $5, phase = $6,
    rows_total = $7, rows_read = $8, rows_written = $9, rows_inserted = $10, rows_updated = $11,
    rows_unchanged = $12, rows_skipped = $13, rows_rejected = $14, rows_repaired = $15,
    report = $16, error = $17, finished_at = CASE WHEN $5 = 'running' THEN NULL ELSE now() END
WHERE id = $1`

// saveRun writes the run's state: progress through the pool while it runs, the final state
// inside the import's own transaction so that it commits with the data.
func save(ctx context.Context, db execer, r *Report) error {
	issues := r.Issues
	if issues == nil {
		issues = []Issue{}
	}
	b, err := json.Marshal(issues)
	if err != nil {
		return fmt.Errorf("imports: report: %w", err)
	}
	_, err = db.Exec(ctx, saveRun, r.ID, r.Format, r.SourceCRS, r.Encoding, r.Status, r.Phase,
		r.RowsTotal, r.RowsRead, r.RowsWritten, r.RowsInserted, r.RowsUpdated, r.RowsUnchanged,
		r.RowsSkipped, r.RowsRejected, r.RowsRepaired, b, r.Error)
	if err != nil {
		return fmt.Errorf("imports: save run %d: %w", r.ID, err)
	}
	return nil
}

const selectRuns = `
SELECT id, file_name, format, kind, source_crs, encoding, dry_run, status, phase, rows_total,
    rows_read, rows_written, rows_inserted, rows_updated, rows_unchanged, rows_skipped,
    rows_rejected, rows_repaired, CASE WHEN $1 THEN report ELSE '[]' END, error, options, actor,
    started_at, finished_at
FROM imports`

func scanRun(row pgx.CollectableRow) (Report, error) {
	var r Report
	var issues []byte
	err := row.Scan(&r.ID, &r.FileName, &r.Format, &r.Kind, &r.SourceCRS, &r.Encoding, &r.DryRun,
		&r.Status, &r.Phase, &r.RowsTotal, &r.RowsRead, &r.RowsWritten, &r.RowsInserted, &r.RowsUpdated,
		&r.RowsUnchanged, &r.RowsSkipped, &r.RowsRejected, &r.RowsRepaired, &issues, &r.Error,
		&r.Options, &r.Actor, &r.StartedAt, &r.FinishedAt)
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal(issues, &r.Issues)
}

// getRun reads one run with its per-row report.
func getRun(ctx context.Context, pool *pgxpool.Pool, id int64) (Report, error) {
	rows, err := pool.Query(ctx, selectRuns+" WHERE id = $2", true, id)
	if err != nil {
		return Report{}, fmt.Errorf("imports: get %d: %w", id, err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanRun)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("import %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("imports: get %d: %w", id, err)
	}
	return r, nil
}

// listRuns reads runs newest first, without their per-row reports.
func listRuns(ctx context.Context, pool *pgxpool.Pool, limit, offset int) ([]Report, error) {
	rows, err := pool.Query(ctx, selectRuns+" ORDER BY started_at DESC, id DESC LIMIT $2 OFFSET $3", false, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("imports: list: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanRun)
	if err != nil {
		return nil, fmt.Errorf("imports: list: %w", err)
	}
	return list, nil
}

const knownCodes = `SELECT 'region', code FROM regions UNION ALL SELECT 'zone', code FROM zones`

// loadCodes reads the region and zone codes rows may name.
func loadCodes(ctx context.Context, tx pgx.Tx) (regions, zones map[string]bool, err error) {
	rows, err := tx.Query(ctx, knownCodes)
	if err != nil {
		return nil, nil, fmt.Errorf("imports: codes: %w", err)
	}
	defer rows.Close()
	regions, zones = map[string]bool{}, map[string]bool{}
	for rows.Next() {
		var table, code string
		if err := rows.Scan(&table, &code); err != nil {
			return nil, nil, fmt.Errorf("imports: codes: %w", err)
		}
		if table == "region" {
			regions[code] = true
		} else {
			zones[code] = true
		}
	}
	return regions, zones, rows.Err()
}

const countOutside = `SELECT count(*), min(code)
FROM assets WHERE import_id = $1 AND deleted_at IS NULL AND NOT coalesce(region_within(region_code, $2), false)`

// outsideRegion refuses a run of a region-scoped analyst that wrote (or updated) any asset lying
// outside that region. Rows are checked one by one before the write (store_scope.go); this is
// the backstop after it, for the location trigger has the last word on regions.
func outsideRegion(ctx context.Context, tx pgx.Tx, id int64, region string) error {
	if region == "" {
		return nil
	}
	var n int
	var first *string
	if err := tx.QueryRow(ctx, countOutside, id, region).Scan(&n, &first); err != nil {
		return fmt.Errorf("imports: region scope: %w", err)
	}
	if n > 0 {
		return regionError(n, deref(first), region)
	}
	return nil
}

// regionError is the 403 for n assets (e.g. first) outside the analyst's region.
func regionError(n int, first, region string) error {
	return &problem.Error{
		Status: http.StatusForbidden, Title: "Forbidden",
		Detail: fmt.Sprintf("%d assets (e.g. %s) lie outside your region %s: nothing was imported", n, first, region),
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
