package ogc

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// versionSQL reads a live asset's version within its kind's collection.
const versionSQL = `SELECT version FROM assets WHERE id = $1 AND kind = $2 AND deleted_at IS NULL`

// version is the current version of live asset id in collection c (its ETag); problem.ErrNotFound
// when the collection has no such feature.
func (s *store) version(ctx context.Context, c *collection, id int64) (int, error) {
	var v int
	err := s.db.QueryRow(ctx, versionSQL, id, c.Kind).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("feature %d of %s: %w", id, c.ID, problem.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("ogc: version: %w", err)
	}
	return v, nil
}
