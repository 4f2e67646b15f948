package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// Service records and reads checks.
type Service struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{pool: pool, now: time.Now}
}

// Create validates and records a check within the actor's region (the asset's region, or for a
// find without an asset the region at its position), with its photos, and returns it as stored:
// distance and flag measured by the database.
func (s *Service) Create(ctx context.Context, a Actor, n NewCheck) (Check, error) {
	if err := n.Validate(); err != nil {
		return Check{}, err
	}
	if n.TakenAt != nil && n.TakenAt.After(s.now().Add(24*time.Hour)) {
		return Check{}, problem.Unprocessable("taken_at", "%s lies in the future: is the device's clock right?", n.TakenAt.Format(time.RFC3339))
	}
	return s.create(ctx, a, n)
}

// scope refuses a check in region (nil: outside every region) by an actor confined elsewhere.
func (a Actor) scope(region *string) error {
	if a.Region == nil || (region != nil && assets.RegionWithin(*region, *a.Region)) {
		return nil
	}
	where := "outside every region"
	if region != nil {
		where = "in region " + *region
	}
	return problem.Forbidden("this check lies %s, outside your region %s", where, *a.Region)
}

// ForAsset lists an asset's checks, newest first (within the actor's region).
func (s *Service) ForAsset(ctx context.Context, a Actor, assetID int64) ([]Check, error) {
	if err := s.assetExists(ctx, assetID); err != nil {
		return nil, err
	}
	list, _, err := s.List(ctx, a, Filter{AssetID: assetID, Limit: 1000})
	return list, err
}

// List returns the checks the filter selects within the actor's region, newest first, and how
// many there are in all.
func (s *Service) List(ctx context.Context, a Actor, f Filter) ([]Check, int, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	if !f.To.IsZero() && f.To.Before(f.From) {
		return nil, 0, problem.Invalid("to", "lies before from")
	}
	list, total, err := s.list(ctx, a, f)
	if err != nil {
		return nil, 0, fmt.Errorf("checks: list: %w", err)
	}
	return list, total, nil
}

// Near lists the live assets within radius metres of the position, nearest first (at most limit).
func (s *Service) Near(ctx context.Context, lon, lat, radius float64, limit int) ([]NearAsset, error) {
	if e := problem.Join(coordinate("lon", &lon, 180), coordinate("lat", &lat, 90)); e != nil {
		return nil, e
	}
	if !(radius > 0 && radius <= MaxRadiusM) {
		return nil, problem.Invalid("radius", "must be more than 0 and at most %d metres", MaxRadiusM)
	}
	list, err := s.near(ctx, lon, lat, radius, limit)
	if err != nil {
		return nil, fmt.Errorf("checks: near: %w", err)
	}
	return list, nil
}
