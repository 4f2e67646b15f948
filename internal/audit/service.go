package audit

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Service appends to and reads the audit trail.
type Service struct{ pool *pgxpool.Pool }

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service { return &Service{pool: pool} }

// Record appends e to the trail. Callers treat a failure as the failure of what they audit.
func (s *Service) Record(ctx context.Context, e Entry) error { return s.record(ctx, e) }

// RecordOnce appends e unless an entry of the same action and target was recorded within the
// last period: a flood of identical refusals (an address being throttled) leaves one row per
// period, not one per request.
func (s *Service) RecordOnce(ctx context.Context, e Entry, period time.Duration) error {
	seen, err := s.recent(ctx, e.Action, e.Target, period)
	if err != nil || seen {
		return err
	}
	return s.record(ctx, e)
}
