package idempotency

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/problem"
)

// TTL is how long a key is kept.
const TTL = 24 * time.Hour

// abandonedAfter is how long a key may stay in flight: a first request whose server died never
// finishes, and its key would answer 409 for a day.
const abandonedAfter = 10 * time.Minute

// sweepEvery is how often expired keys are deleted.
const sweepEvery = time.Hour

// Response is a stored answer.
type Response struct {
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// Service stores keys and answers in the idempotency_keys table.
type Service struct {
	pool  *pgxpool.Pool
	mu    sync.Mutex
	swept time.Time
}

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service { return &Service{pool: pool} }

// Hash is the fingerprint of a request: its method, path and body.
func Hash(method, path string, body []byte) []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", method, path)
	h.Write(body)
	return h.Sum(nil)
}

// inFlight is the answer to a retry that arrives while the first request is still served.
func inFlight() error {
	return &problem.Error{
		Status: http.StatusConflict, Title: "Conflict",
		Detail: "a request with this Idempotency-Key is still being served; retry shortly",
		Params: []problem.Param{{Name: "Idempotency-Key", Reason: "is in use by a request still being served"}},
	}
}

const claim = `
INSERT INTO idempotency_keys AS k (user_id, key, request_hash) VALUES ($1, $2, $3)
ON CONFLICT (user_id, key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, status = NULL, content_type = NULL, location = NULL,
        body = NULL, created_at = now()
    WHERE k.created_at < now() - $4::interval
       OR (k.status IS NULL AND k.created_at < now() - $5::interval)
RETURNING true`

const stored = `SELECT request_hash, status, coalesce(content_type, ''), coalesce(location, ''), body
FROM idempotency_keys WHERE user_id = $1 AND key = $2`

// Begin claims key for user's request of fingerprint hash. replay is false when the request is
// the key's first (the caller serves it, then calls Finish or Forget), true with the stored
// answer when it is a retry. A retry while the first is still served is a 409; a key used for
// another request a 422.
func (s *Service) Begin(ctx context.Context, user int64, key string, hash []byte) (prev Response, replay bool, err error) {
	s.sweep(ctx)
	var fresh bool
	err = s.pool.QueryRow(ctx, claim, user, key, hash, TTL, abandonedAfter).Scan(&fresh)
	if err == nil {
		return prev, false, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return prev, false, fmt.Errorf("idempotency: claim: %w", err)
	}
	var first []byte
	var status *int
	if err := s.pool.QueryRow(ctx, stored, user, key).Scan(&first, &status, &prev.ContentType, &prev.Location, &prev.Body); err != nil {
		return prev, false, fmt.Errorf("idempotency: read: %w", err)
	}
	switch {
	case string(first) != string(hash):
		return prev, false, problem.Unprocessable("Idempotency-Key", "was used for a different request (method, path or body); use a new key")
	case status == nil:
		return prev, false, inFlight()
	}
	prev.Status = *status
	return prev, true, nil
}

const finish = `UPDATE idempotency_keys SET status = $3, content_type = $4, location = $5, body = $6
WHERE user_id = $1 AND key = $2`

// Finish stores the answer to a key's first request.
func (s *Service) Finish(ctx context.Context, user int64, key string, r Response) error {
	if _, err := s.pool.Exec(ctx, finish, user, key, r.Status, r.ContentType, r.Location, r.Body); err != nil {
		return fmt.Errorf("idempotency: finish: %w", err)
	}
	return nil
}

// Forget drops a key whose first request failed on the server's side, so a retry does the work.
func (s *Service) Forget(ctx context.Context, user int64, key string) error {
	if _, err := s.pool.Exec(ctx, "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2", user, key); err != nil {
		return fmt.Errorf("idempotency: forget: %w", err)
	}
	return nil
}

// sweep deletes expired keys, at most once per sweepEvery; a failure waits for the next sweep.
func (s *Service) sweep(ctx context.Context) {
	s.mu.Lock()
	due := time.Since(s.swept) > sweepEvery
	if due {
		s.swept = time.Now()
	}
	s.mu.Unlock()
	if due {
		_, _ = s.pool.Exec(ctx, "DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval", TTL)
	}
}
