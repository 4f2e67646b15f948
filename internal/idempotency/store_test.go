package idempotency_test

import (
	"context"
	"testing"

	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/idempotency"
	"github.com/onemap/onemap/internal/problem"
)

// TestBeginFinish: first, in flight (409), replay, another request (422), and a key abandoned
// in flight or expired claimed anew.
func TestBeginFinish(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	var user int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (username, password_hash, role) VALUES ('u', 'x', 'analyst') RETURNING id`).Scan(&user); err != nil {
		t.Fatal(err)
	}
	svc := idempotency.NewService(pool)
	h := idempotency.Hash("POST", "/api/v1/assets", []byte(`{}`))
	if _, replay, err := svc.Begin(ctx, user, "k", h); err != nil || replay {
		t.Fatalf("first: %v %v", replay, err)
	}
	if _, _, err := svc.Begin(ctx, user, "k", h); problem.Status(err) != 409 {
		t.Errorf("in flight: %v, want 409", err)
	}
	if err := svc.Finish(ctx, user, "k", idempotency.Response{Status: 201, ContentType: "application/json", Location: "/x/1", Body: []byte(`{"id":1}`)}); err != nil {
		t.Fatal(err)
	}
	prev, replay, err := svc.Begin(ctx, user, "k", h)
	if err != nil || !replay || prev.Status != 201 || prev.Location != "/x/1" || string(prev.Body) != `{"id":1}` {
		t.Errorf("replay: %+v %v %v", prev, replay, err)
	}
	if _, _, err := svc.Begin(ctx, user, "k", idempotency.Hash("POST", "/api/v1/assets", []byte(`{"a":1}`))); problem.Status(err) != 422 {
		t.Errorf("another request: %v, want 422", err)
	}
	// Abandoned in flight (its server died): claimed anew after a while.
	if _, _, err := svc.Begin(ctx, user, "k2", h); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "UPDATE idempotency_keys SET created_at = now() - interval '11 minutes' WHERE key = 'k2'"); err != nil {
		t.Fatal(err)
	}
	if _, replay, err := svc.Begin(ctx, user, "k2", h); err != nil || replay {
		t.Errorf("abandoned key: %v %v, want claimed", replay, err)
	}
	// Expired: claimed anew, even for another request.
	if _, err := pool.Exec(ctx, "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k'"); err != nil {
		t.Fatal(err)
	}
	if _, replay, err := svc.Begin(ctx, user, "k", idempotency.Hash("PATCH", "/x", nil)); err != nil || replay {
		t.Errorf("expired key: %v %v, want claimed", replay, err)
	}
}
