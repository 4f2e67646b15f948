package audit

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Service appends to and reads the audit trail.
type Service struct{ pool *pgxpool.Pool }

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service { return &Service{pool: pool} }

// Record appends e to the trail. Callers treat a failure as the failure of what they audit.
func (s *Service) Record(ctx context.Context, e Entry) error { return s.record(ctx, e) }
