package assets

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// A dry run must leave no trace in assets: an insert rolled back still leaves its rows behind as
// dead tuples for VACUUM (a dry run of 290,000 rows left 290,000). DryWriteTx therefore writes
// only into temporary tables, dropped with the transaction: the staged rows, and those that
// would be new inserted into a copy of assets' columns, checks and generated columns, so that
// PostgreSQL still judges every value as the real write would.

const createDry = `
CREATE TEMP TABLE IF NOT EXISTS asset_dry (LIKE assets INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)
ON COMMIT DROP;
TRUNCATE asset_dry`

const existingStaged = `
SELECT s.code FROM asset_staging s JOIN assets a ON a.kind = s.kind AND a.code = s.code
WHERE a.deleted_at IS NULL`

// dryInsert is insertFromStaging's insert into asset_dry, for the rows that would be new; their
// id is 0 rather than drawn from assets' sequence.
var dryInsert = func() string {
	cols := strings.Join(stagingColumns[:len(stagingColumns)-1], ", ")
	return `INSERT INTO asset_dry (id, ` + cols + `, geom)
SELECT 0, ` + cols + `, ST_SetSRID(ST_GeomFromWKB(geom_wkb), 4490) FROM asset_staging s
WHERE NOT EXISTS (SELECT 1 FROM assets a WHERE a.kind = s.kind AND a.code = s.code AND a.deleted_at IS NULL)`
}()

// DryWriteTx tells what WriteTx would do with list, writing nothing but temporary tables: the
// same counts and codes, and the same 422 for a value the table refuses.
func (s *Service) DryWriteTx(ctx context.Context, tx pgx.Tx, importID int64, list []NewAsset, on Conflict, columns []string) (WriteResult, error) {
	var res WriteResult
	if err := stage(ctx, tx, importID, list); err != nil {
		return res, err
	}
	existing, err := collectCodes(ctx, tx, existingStaged)
	if err != nil {
		return res, fmt.Errorf("assets: dry run: %w", err)
	}
	switch on {
	case ConflictFail:
		if len(existing) > 0 {
			return res, fmt.Errorf("%w: an asset of this kind already has this code: %s", problem.ErrConflict, existing[0])
		}
	case ConflictSkip:
		res.Skipped = existing
	case ConflictUpdate:
		q, err := changedStaged(columns)
		if err != nil {
			return res, err
		}
		if res.Updated, err = collectCodes(ctx, tx, q); err != nil {
			return res, mapWriteError(err)
		}
		res.Unchanged = without(existing, res.Updated)
	}
	if _, err := tx.Exec(ctx, createDry); err != nil {
		return res, fmt.Errorf("assets: dry run: %w", err)
	}
	tag, err := tx.Exec(ctx, dryInsert)
	if err != nil {
		return res, mapWriteError(err)
	}
	res.Inserted = tag.RowsAffected()
	return res, nil
}

// changedStaged selects the staged codes whose asset an update would change: updateFromStaging's
// test, without the update.
func changedStaged(columns []string) (string, error) {
	oldCols, newCols, err := updateRows(columns)
	if err != nil {
		return "", err
	}
	return `
SELECT s.code FROM asset_staging s JOIN assets a ON a.kind = s.kind AND a.code = s.code
WHERE a.deleted_at IS NULL
  AND (ROW(` + oldCols + `) IS DISTINCT FROM ROW(` + newCols + `)
      OR NOT ST_Equals(a.geom, ST_SetSRID(ST_GeomFromWKB(s.geom_wkb), 4490)))`, nil
}

const stagedOutside = `
SELECT count(*), min(s.code) FROM asset_staging s
LEFT JOIN assets a ON a.kind = s.kind AND a.code = s.code AND a.deleted_at IS NULL
WHERE ($2 OR a.id IS NULL)
  AND NOT coalesce(region_within(coalesce(s.region_code, a.region_code,
      region_at(ST_PointOnSurface(ST_SetSRID(ST_GeomFromWKB(s.geom_wkb), 4490)))), $1), false)`

// StagedOutside counts the staged assets (of the last DryWriteTx) a write would place outside
// region: new ones by their given region or location, and with ConflictUpdate the existing ones
// too. It names the first code.
func (s *Service) StagedOutside(ctx context.Context, tx pgx.Tx, region string, on Conflict) (int, string, error) {
	var n int
	var first *string
	if err := tx.QueryRow(ctx, stagedOutside, region, on == ConflictUpdate).Scan(&n, &first); err != nil {
		return 0, "", fmt.Errorf("assets: region scope: %w", err)
	}
	if first == nil {
		return n, "", nil
	}
	return n, *first, nil
}
