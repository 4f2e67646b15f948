package tiles_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/tiles"
)

// syncVersion reads the data version afresh.
func syncVersion(t *testing.T, svc *tiles.Service) int64 {
	t.Helper()
	v, err := svc.SyncVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The data version grows with every committed write, once per transaction, and not with a
// rolled-back one; the overview rebuild counts as a write.
func TestDataVersionFollowsCommits(t *testing.T) {
	pool, svc := city(t, tiles.Options{})
	ctx := context.Background()
	v0 := syncVersion(t, svc)
	if v0 < 1 {
		t.Fatalf("version %d, want ≥ 1", v0)
	}
	updates, stop := svc.Subscribe()
	defer stop()

	rollback := errors.New("roll back")
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE assets SET stage = 'done' WHERE kind = 'land'"); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if v := syncVersion(t, svc); v != v0 {
		t.Errorf("after a rolled-back write the version is %d, want %d", v, v0)
	}

	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, q := range []string{"UPDATE assets SET stage = 'done' WHERE kind = 'land'", "UPDATE zones SET name = name || '!'"} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	v1 := syncVersion(t, svc)
	if v1 != v0+1 {
		t.Errorf("after one committed transaction of two writes the version is %d, want %d", v1, v0+1)
	}
	select {
	case got := <-updates:
		if got != v1 {
			t.Errorf("subscriber heard %d, want %d", got, v1)
		}
	case <-time.After(time.Second):
		t.Error("subscriber heard nothing of the new version")
	}

	if err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if v := syncVersion(t, svc); v <= v1 {
		t.Errorf("after an overview rebuild the version is %d, want > %d", v, v1)
	}
}

// Versions follow commit order even when transactions overlap: a transaction that began first but
// commits last still raises the version, and a REPEATABLE READ writer is not refused.
func TestDataVersionOverlappingCommits(t *testing.T) {
	pool, svc := city(t, tiles.Options{})
	ctx := context.Background()
	v0 := syncVersion(t, svc)
	first, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx) //nolint:errcheck // a no-op once committed
	if _, err := first.Exec(ctx, "UPDATE assets SET mode = 'sell' WHERE kind = 'mine'"); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "UPDATE assets SET mode = 'lease' WHERE kind = 'water'"); err != nil {
		t.Fatal(err)
	}
	v1 := syncVersion(t, svc)
	if err := first.Commit(ctx); err != nil {
		t.Fatalf("the REPEATABLE READ writer could not commit: %v", err)
	}
	v2 := syncVersion(t, svc)
	if !(v0 < v1 && v1 < v2) {
		t.Errorf("versions %d, %d, %d; want each commit to raise it", v0, v1, v2)
	}
}

// Freshness: only the current version is cacheable for good; an older or malformed one is stale,
// and a newer one than the service knew is learnt from the database.
func TestFreshness(t *testing.T) {
	pool, svc := city(t, tiles.Options{})
	ctx := context.Background()
	v0 := syncVersion(t, svc)
	if _, err := pool.Exec(ctx, "UPDATE assets SET stage = 'done' WHERE kind = 'mine'"); err != nil {
		t.Fatal(err)
	}
	check := func(param string, want tiles.Freshness) {
		t.Helper()
		got, err := svc.Freshness(ctx, param)
		if err != nil || got != want {
			t.Errorf("Freshness(%q) = %v, %v; want %v", param, got, err, want)
		}
	}
	check("", tiles.Unversioned)
	check("x", tiles.Stale)
	check(itoa(v0+1), tiles.Versioned) // committed, not yet heard of: read afresh
	check(itoa(v0), tiles.Stale)
	check(itoa(v0+2), tiles.Stale) // not (yet) a version
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// overviewDump lists the overview's groups and cells, rounded, in key order.
func overviewDump(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var out string
	err := pool.QueryRow(context.Background(), `SELECT
		(SELECT string_agg(concat_ws(' ', g, q, cx, cy, stage, mode, region_code, zone_code, n, round(area_mu::numeric, 3), round(area_3857::numeric)), E'\n'
			ORDER BY g, q, stage, mode, region_code, zone_code) FROM tile_land_groups WHERE n <> 0)
		|| E'\n--\n' ||
		(SELECT string_agg(concat_ws(' ', g, q, cx, cy, n, round(mu_idle::numeric, 3), round(mu_planned::numeric, 3), round(mu_in_progress::numeric, 3),
			round(mu_done::numeric, 3), round(mu_use::numeric, 3), round(mu_sell::numeric, 3), round(mu_lease::numeric, 3),
			round(mu_finance::numeric, 3), round(mu_undecided::numeric, 3)), E'\n' ORDER BY g, q) FROM tile_land_cells)`).Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// An edit of a few parcels' stage or mode patches the overview at once, to what a rebuild makes.
func TestOverviewPatchedByEdits(t *testing.T) {
	pool, svc := city(t, tiles.Options{})
	ctx := context.Background()
	before := overviewDump(t, pool)
	for _, q := range []string{
		"UPDATE assets SET stage = 'done' WHERE id = (SELECT min(id) FROM assets WHERE kind = 'land')",
		"UPDATE assets SET mode = 'lease', stage = 'planned' WHERE id IN (SELECT id FROM assets WHERE kind = 'land' ORDER BY id DESC LIMIT 3)",
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	patched := overviewDump(t, pool)
	if patched == before {
		t.Fatal("the edits left the overview as it was")
	}
	if err := svc.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt := overviewDump(t, pool); patched != rebuilt {
		t.Errorf("patched overview differs from the rebuilt one:\npatched:\n%s\nrebuilt:\n%s", patched, rebuilt)
	}
}
