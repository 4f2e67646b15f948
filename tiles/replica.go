package tiles

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/db"
)

// Tiles from read replicas. A tile may be rendered on a streaming replica (Options.Reads), but
// only on one that has replayed every change this instance knows of: the render floor is the
// primary's write-ahead log position read with the data version (SyncVersion), raised before the
// cache drops what a change made stale. A render reads the floor after its cache key took the
// cache generation, so whatever it caches under that generation holds every change before it;
// a replica that has not replayed the floor within the wait (db.Reads) leaves the tile to the
// primary.

// raiseFloor lifts the render floor to lsn (it never goes down).
func (s *Service) raiseFloor(lsn uint64) {
	for {
		old := s.ver.floor.Load()
		if lsn <= old || s.ver.floor.CompareAndSwap(old, lsn) {
			return
		}
	}
}

// Floor is the primary's write-ahead log position when this instance last read the data version:
// every change it has announced lies before it.
func (s *Service) Floor() db.LSN { return db.LSN(s.ver.floor.Load()) }

// lsnSQL reads the primary's write-ahead log position.
const lsnSQL = `SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint`

// floorBeforeDrop raises the render floor to the primary's position now, before a change notice
// drops the tiles it made stale (the notice comes after its commit, so the position holds it):
// a tile rendered after the drop then comes from a replica that has replayed the change. Without
// replicas there is nothing to wait for and nothing is asked.
func (s *Service) floorBeforeDrop(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) error {
	if s.read == db.Querier(s.pool) {
		return nil
	}
	var lsn int64
	if err := q.QueryRow(ctx, lsnSQL).Scan(&lsn); err != nil {
		return fmt.Errorf("tiles: primary position: %w", err)
	}
	s.raiseFloor(uint64(lsn))
	return nil
}

// readCtx asks the render under ctx for a replica that has replayed the floor.
func (s *Service) readCtx(ctx context.Context) context.Context {
	return db.AtLeast(ctx, s.Floor())
}

// catchUp reads the data version afresh when the caller must see a write newer than the floor
// (the user's own, committed before this instance heard of it), so that neither the cache nor a
// lagging replica answers with the tile from before it.
func (s *Service) catchUp(ctx context.Context) error {
	if need, ok := db.ReplicaNeed(ctx); ok && need > s.Floor() {
		_, err := s.SyncVersion(ctx)
		return err
	}
	return nil
}
