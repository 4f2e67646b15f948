package tiles

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Advisory lock keys: one watching instance rebuilds; a rebuild and the triggers patching the
// overview (migrations/019_tiles_incremental.sql, which spells the key out) exclude each other.
const (
	leaderLock   int64 = 0x6f6e656d61700002
	overviewLock int64 = 7953766223091941380
)

// rollupSQL builds cell level $1 from level $1 + 1: a cell's parent is (cx>>1, cy>>1), q>>2.
const rollupSQL = `
INSERT INTO tile_land_groups_next (g, q, cx, cy, stage, mode, region_code, zone_code, n, area_mu, area_3857)
SELECT $1::smallint, q >> 2, cx >> 1, cy >> 1, stage, mode, region_code, zone_code,
    sum(n), sum(area_mu), sum(area_3857)
FROM tile_land_groups_next WHERE g = $1 + 1
GROUP BY q >> 2, cx >> 1, cy >> 1, stage, mode, region_code, zone_code
ORDER BY 2`

// swapSQL puts the new overview in place of the old in one stroke; tile statements prepared on
// the old tables are re-planned by the server on their next run.
const swapSQL = `
CREATE INDEX tile_land_groups_next_gq_idx ON tile_land_groups_next (g, q);
CREATE INDEX tile_land_cells_next_gq_idx ON tile_land_cells_next (g, q);
ANALYZE tile_land_groups_next;
ANALYZE tile_land_cells_next;
DROP TABLE tile_land_groups;
DROP TABLE tile_land_cells;
ALTER TABLE tile_land_groups_next RENAME TO tile_land_groups;
ALTER TABLE tile_land_cells_next RENAME TO tile_land_cells;
ALTER INDEX tile_land_groups_next_gq_idx RENAME TO tile_land_groups_gq_idx;
ALTER INDEX tile_land_cells_next_gq_idx RENAME TO tile_land_cells_gq_idx`

// stateSQL records that the overview is current and its bounds: $1 the finest level.
const stateSQL = `
UPDATE tile_state SET built_at = now(), stale = false, land_bounds = (
    SELECT ST_Transform(ST_MakeEnvelope(
        min(cx) * (40075016.685578488 / (1 << $1)) - 20037508.342789244,
        20037508.342789244 - (max(cy) + 1) * (40075016.685578488 / (1 << $1)),
        (max(cx) + 1) * (40075016.685578488 / (1 << $1)) - 20037508.342789244,
        20037508.342789244 - min(cy) * (40075016.685578488 / (1 << $1)), 3857), 4326)
    FROM tile_land_cells WHERE g = $1)`

// Refresh rebuilds the land overview from the parcels, in one transaction that readers never wait
// on but for the final swap. Call it after a bulk load (the demo, an import): smaller writes patch
// the overview as they commit, and a server running Watch calls it by itself after a bulk write.
// While it runs, writes of land parcels wait for it (they would patch the tables it replaces);
// concurrent calls run one after the other.
func (s *Service) Refresh(ctx context.Context) error {
	// Read committed, the lock taken before anything is read: the parcels are then read with
	// every patch before the lock committed, and none after it begun.
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", overviewLock); err != nil {
			return err
		}
		if err := buildOverview(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, stateSQL, OverviewLevel); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "SELECT pg_notify('onemap_tiles', 'overview')")
		return err
	})
	if err != nil {
		return fmt.Errorf("tiles: refresh overview: %w", err)
	}
	s.Invalidate()
	return nil
}

// step is one statement of a build.
type step struct {
	sql  string
	args []any
}

// buildOverview fills fresh tables level by level, finest first, and swaps them in.
func buildOverview(ctx context.Context, tx pgx.Tx) error {
	finest, err := loadSQL("refresh_finest")
	if err != nil {
		return err
	}
	cells, err := loadSQL("refresh_cells")
	if err != nil {
		return err
	}
	steps := []step{
		// Room to group a million parcels in memory rather than on disk.
		{"SET LOCAL work_mem = '256MB'", nil},
		{"CREATE TABLE tile_land_groups_next (LIKE tile_land_groups)", nil},
		{"CREATE TABLE tile_land_cells_next (LIKE tile_land_cells)", nil},
		{finest, []any{OverviewLevel}},
	}
	for g := OverviewLevel - 1; g >= MinCellLevel; g-- {
		steps = append(steps, step{rollupSQL, []any{g}})
	}
	steps = append(steps, step{cells, nil}, step{swapSQL, nil})
	for _, st := range steps {
		if _, err := tx.Exec(ctx, st.sql, st.args...); err != nil {
			return err
		}
	}
	return nil
}

// Current tells whether the land overview holds every parcel as it is: false once a bulk write
// (or a database that held parcels before migration 019) left it to a rebuild.
func (s *Service) Current(ctx context.Context) (bool, error) {
	var stale bool
	if err := s.pool.QueryRow(ctx, "SELECT stale FROM tile_state").Scan(&stale); err != nil {
		return false, fmt.Errorf("tiles: overview state: %w", err)
	}
	return !stale, nil
}
