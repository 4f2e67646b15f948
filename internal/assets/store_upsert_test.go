package assets_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/db/dbtest"
)

func TestWriteTxConflicts(t *testing.T) {
	pool := dbtest.New(t)
	svc := assets.NewService(pool)
	ctx := context.Background()
	if _, err := svc.Insert(ctx, "test", "", []assets.NewAsset{{
		Code: "L-1", Kind: assets.Land, Name: "旧名", Stage: "in_progress", Geometry: square(114.3, 29.8, 0.001),
	}}); err != nil {
		t.Fatal(err)
	}
	write := func(on assets.Conflict, name string) assets.WriteResult {
		t.Helper()
		var res assets.WriteResult
		err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
			var err error
			res, err = svc.WriteTx(ctx, tx, "test", "", 0, []assets.NewAsset{
				{Code: "L-1", Kind: assets.Land, Name: name, Geometry: square(114.3, 29.8, 0.001)},
				{Code: "L-2", Kind: assets.Land, Name: "新地块", Geometry: square(114.4, 29.8, 0.001)},
			}, on, []string{"name"})
			return err
		})
		if err != nil {
			t.Fatalf("WriteTx(%s): %v", on, err)
		}
		return res
	}
	if res := write(assets.ConflictSkip, "新名"); res.Inserted != 1 || !slices.Equal(res.Skipped, []string{"L-1"}) {
		t.Fatalf("skip: %+v, want L-2 inserted, L-1 skipped", res)
	}
	res := write(assets.ConflictUpdate, "新名")
	if res.Inserted != 0 || !slices.Equal(res.Updated, []string{"L-1"}) || !slices.Equal(res.Unchanged, []string{"L-2"}) {
		t.Fatalf("update: %+v, want L-1 updated, L-2 unchanged", res)
	}
	var name, stage string
	var version int
	var before, after json.RawMessage
	if err := pool.QueryRow(ctx, `SELECT a.name, a.stage, a.version, e.before, e.after FROM assets a
		JOIN asset_events e ON e.asset_id = a.id AND e.action = 'update' WHERE a.code = 'L-1'`).
		Scan(&name, &stage, &version, &before, &after); err != nil {
		t.Fatal(err)
	}
	if name != "新名" || stage != "in_progress" || version != 2 {
		t.Errorf("after update: name %s, stage %s, version %d; want 新名, in_progress (not a mapped column), 2", name, stage, version)
	}
	var b, a struct{ Name string }
	if json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &a) != nil || b.Name != "旧名" || a.Name != "新名" {
		t.Errorf("event before/after = %s / %s", before, after)
	}
	if res := write(assets.ConflictUpdate, "新名"); len(res.Updated) != 0 || len(res.Unchanged) != 2 {
		t.Errorf("repeat update: %+v, want both unchanged", res)
	}
}
