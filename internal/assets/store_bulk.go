package assets

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// CountLive returns how many assets are not deleted.
func (s *Service) CountLive(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM assets WHERE deleted_at IS NULL").Scan(&n); err != nil {
		return 0, fmt.Errorf("assets: count: %w", err)
	}
	return n, nil
}

const countOthers = `
SELECT count(*) FROM assets a
WHERE NOT EXISTS (SELECT 1 FROM asset_events e WHERE e.asset_id = a.id AND e.action = 'create' AND e.actor = $1)`

const softDeleteBy = `
WITH gone AS (
    UPDATE assets a SET deleted_at = now(), updated_at = now(), version = version + 1
    WHERE a.deleted_at IS NULL AND EXISTS (
        SELECT 1 FROM asset_events e WHERE e.asset_id = a.id AND e.action = 'create' AND e.actor = $1)
    RETURNING a.id
)
INSERT INTO asset_events (asset_id, action, actor, note) SELECT id, 'delete', $1, $2 FROM gone`

// RemoveCreatedBy removes, inside tx, every asset whose creation event names actor (a generator
// such as the demo). When no other asset exists, assets and their history are truncated and ids
// restart, so a reload gets the same ids; otherwise the actor's assets are soft-deleted with a
// delete event each, keeping everyone else's rows and history. It returns the rows removed.
func (s *Service) RemoveCreatedBy(ctx context.Context, tx pgx.Tx, actor, note string) (int64, error) {
	var others int64
	if err := tx.QueryRow(ctx, countOthers, actor).Scan(&others); err != nil {
		return 0, fmt.Errorf("assets: count others: %w", err)
	}
	if others > 0 {
		tag, err := tx.Exec(ctx, softDeleteBy, actor, note)
		if err != nil {
			return 0, fmt.Errorf("assets: soft delete: %w", err)
		}
		return tag.RowsAffected(), nil
	}
	var n int64
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM assets").Scan(&n); err != nil {
		return 0, fmt.Errorf("assets: count: %w", err)
	}
	// TRUNCATE fires no row triggers, so the append-only guard on asset_events stays in force
	// for everything else while this whole-table reset of generated data goes through. What
	// points at assets goes with them: attachments, lineage, memberships, lease terms, warnings
	// (re-evaluated) and field checks with their photos.
	const reset = "TRUNCATE attachment_chunks, attachments, asset_zones, asset_events, asset_lineage, project_assets, asset_leases, webhook_deliveries, warnings, check_photos, asset_checks, assets RESTART IDENTITY"
	if _, err := tx.Exec(ctx, reset); err != nil {
		return 0, fmt.Errorf("assets: truncate: %w", err)
	}
	return n, nil
}

// Analyze refreshes the planner statistics of the asset, zone and region tables after a bulk
// load, so the first queries after it plan with the real row counts.
func (s *Service) Analyze(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, "ANALYZE assets, zones, regions"); err != nil {
		return fmt.Errorf("assets: analyze: %w", err)
	}
	return nil
}

const assetIndexes = `
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
WHERE x.indrelid = 'assets'::regclass AND NOT x.indisprimary
ORDER BY i.relname`

// WithoutIndexes runs fn inside tx with the secondary indexes of assets dropped and then builds
// them again from their own definitions (pg_get_indexdef), so nothing here repeats the schema.
// Building an index once over a million rows is several times cheaper than growing it row by
// row (the GiST indexes have a sorted build); uniqueness is checked when the index is rebuilt,
// still inside tx. The drop locks assets against readers until tx ends: for bulk loads into an
// empty table, such as the demo city's.
func (s *Service) WithoutIndexes(ctx context.Context, tx pgx.Tx, fn func() error) error {
	rows, err := tx.Query(ctx, assetIndexes)
	if err != nil {
		return fmt.Errorf("assets: list indexes: %w", err)
	}
	type index struct{ name, def string }
	idx, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (index, error) {
		var i index
		return i, r.Scan(&i.name, &i.def)
	})
	if err != nil {
		return fmt.Errorf("assets: list indexes: %w", err)
	}
	for _, i := range idx {
		if _, err := tx.Exec(ctx, "DROP INDEX "+pgx.Identifier{i.name}.Sanitize()); err != nil {
			return fmt.Errorf("assets: drop index %s: %w", i.name, err)
		}
	}
	if err := fn(); err != nil {
		return err
	}
	for _, i := range idx {
		if _, err := tx.Exec(ctx, i.def); err != nil {
			return fmt.Errorf("assets: rebuild index %s: %w", i.name, mapWriteError(err))
		}
	}
	return nil
}

// EmptyTx reports whether assets holds no rows at all, deleted ones included, as tx sees it.
func (s *Service) EmptyTx(ctx context.Context, tx pgx.Tx) (bool, error) {
	var empty bool
	if err := tx.QueryRow(ctx, "SELECT NOT EXISTS (SELECT 1 FROM assets)").Scan(&empty); err != nil {
		return false, fmt.Errorf("assets: empty: %w", err)
	}
	return empty, nil
}
