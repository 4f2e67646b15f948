package imports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/db"
)

// runLockClass is the first key of the advisory lock a running import holds in its transaction:
// the database releases it when the run ends or its server dies, which tells a dead run from a
// live one (of this server or another).
const runLockClass = 0x4f4d4950 // "OMIP"

// claimRun takes the run's lock for the life of its transaction.
func claimRun(ctx context.Context, tx pgx.Tx, id int64) error {
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::integer)", runLockClass, id); err != nil {
		return fmt.Errorf("imports: claim run %d: %w", id, err)
	}
	return nil
}

const addTemp = `UPDATE imports SET temp_paths = temp_paths || $2::text WHERE id = $1`

// addTempPath records a temporary file or folder of a run, for recovery to remove.
func addTempPath(ctx context.Context, pool *pgxpool.Pool, id int64, path string) error {
	if _, err := pool.Exec(ctx, addTemp, id, path); err != nil {
		return fmt.Errorf("imports: record temp path: %w", err)
	}
	return nil
}

// markStale fails the runs nobody holds the lock of: a claimed run (past the queued phase) is
// dead as soon as its lock is free; an unclaimed one (its file still being opened) after ten
// minutes.
const markStale = `
UPDATE imports SET status = 'failed', phase = 'finished', finished_at = now(),
    rows_written = 0, rows_inserted = 0, rows_updated = 0,
    error = 'the server stopped while this import ran: nothing of it was imported; run it again'
WHERE status = 'running'
  AND (phase <> 'queued' OR started_at < now() - interval '10 minutes')
  AND pg_try_advisory_xact_lock($1, (id % 2147483647)::integer)
RETURNING id, temp_paths`

// RecoverStale marks failed the runs whose server died while they ran (they would otherwise
// stay "running" for ever) and removes their temporary files; serve calls it at start. Runs
// alive elsewhere hold their lock and are left alone. It returns the ids it marked.
func (s *Service) RecoverStale(ctx context.Context) ([]int64, error) {
	var ids []int64
	var paths []string
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, markStale, runLockClass)
		if err != nil {
			return fmt.Errorf("imports: recover: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var p []string
			if err := rows.Scan(&id, &p); err != nil {
				return fmt.Errorf("imports: recover: %w", err)
			}
			ids, paths = append(ids, id), append(paths, p...)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		s.removeTemp(p)
	}
	return ids, nil
}

// removeTemp deletes a recorded temporary path, only ever one under the temporary directory.
func (s *Service) removeTemp(p string) {
	tmp := filepath.Clean(os.TempDir()) + string(filepath.Separator)
	if !strings.HasPrefix(filepath.Clean(p), tmp) || !strings.HasPrefix(filepath.Base(p), "onemap-") {
		s.log("imports: recover: not a temporary path of ours, left alone", "path", p)
		return
	}
	if err := os.RemoveAll(p); err != nil {
		s.log("imports: recover: remove", "path", p, "err", err)
	}
}
