package assets_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/problem"
)

// TestUpdateAnswersFromItsTransaction: a DELETE waiting on the row lock of a PATCH commits right
// after it; the PATCH's answer is the row as it wrote it, never a 404 (it used to re-read the
// asset after its commit, racing the delete).
func TestUpdateAnswersFromItsTransaction(t *testing.T) {
	pool := dbtest.New(t)
	svc := assets.NewService(pool)
	ctx := context.Background()
	const n = 25
	list := make([]assets.NewAsset, n)
	for i := range list {
		list[i] = assets.NewAsset{Code: fmt.Sprintf("R-%d", i), Kind: assets.Land, Geometry: square(114.3+float64(i)*0.002, 29.8, 0.001)}
	}
	if _, err := svc.Insert(ctx, "test", "fixture", list); err != nil {
		t.Fatal(err)
	}
	actor := assets.Actor{Name: "racer"}
	for i := range n {
		var id int64
		if err := pool.QueryRow(ctx, "SELECT id FROM assets WHERE code = $1", list[i].Code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		deleted := make(chan error, 1)
		go func() { deleted <- deleteWhenAt(ctx, svc, id, 2, actor) }()
		a, err := svc.Update(ctx, id, actor, assets.Change{Version: 1, Fields: map[string]json.RawMessage{"stage": json.RawMessage(`"done"`)}})
		if err != nil || a.Version != 2 || a.Stage != "done" || a.ID != id {
			t.Fatalf("round %d: Update = %+v, %v", i, a, err)
		}
		if err := <-deleted; err != nil {
			t.Fatalf("round %d: delete: %v", i, err)
		}
	}
}

// deleteWhenAt deletes asset id as soon as it reaches version: it retries while stale.
func deleteWhenAt(ctx context.Context, svc *assets.Service, id int64, version int, actor assets.Actor) error {
	for range 10000 {
		err := svc.Delete(ctx, id, version, actor, "race")
		if !errors.Is(err, problem.ErrStaleVersion) {
			return err
		}
	}
	return errors.New("the asset never reached its version")
}
