package bookmarks

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/problem"
)

// Service reads and writes bookmarks.
type Service struct{ pool *pgxpool.Pool }

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service { return &Service{pool: pool} }

// List returns the shared bookmarks, then the user's own, each by name.
func (s *Service) List(ctx context.Context, u User) ([]Bookmark, error) {
	return list(ctx, s.pool, u.ID)
}

// Create saves n for u (for everyone when shared, which only an admin may).
func (s *Service) Create(ctx context.Context, u User, n New) (Bookmark, error) {
	if err := n.Validate(); err != nil {
		return Bookmark{}, err
	}
	if n.Shared && !u.Admin {
		return Bookmark{}, fmt.Errorf("a shared bookmark is set by an admin: %w", problem.ErrForbidden)
	}
	view, err := json.Marshal(n.View)
	if err != nil || len(view) > maxView {
		return Bookmark{}, problem.Invalid("view", "at most %d bytes of JSON", maxView)
	}
	return insert(ctx, s.pool, u, n, view)
}

// Delete removes bookmark id: the user's own, or a shared one when an admin. Another user's
// bookmark is not found.
func (s *Service) Delete(ctx context.Context, u User, id int64) error {
	return remove(ctx, s.pool, u, id)
}
