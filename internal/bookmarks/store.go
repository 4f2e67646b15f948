package bookmarks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/problem"
)

const selectBookmarks = `SELECT id, name, owner_id IS NULL, view, created_by, created_at
FROM bookmarks WHERE owner_id IS NULL OR owner_id = $1
ORDER BY owner_id IS NOT NULL, name, id`

func list(ctx context.Context, pool *pgxpool.Pool, userID int64) ([]Bookmark, error) {
	rows, err := pool.Query(ctx, selectBookmarks, userID)
	if err != nil {
		return nil, fmt.Errorf("bookmarks: list: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanBookmark)
	if err != nil {
		return nil, fmt.Errorf("bookmarks: list: %w", err)
	}
	return out, nil
}

func scanBookmark(row pgx.CollectableRow) (Bookmark, error) {
	var b Bookmark
	var view []byte
	if err := row.Scan(&b.ID, &b.Name, &b.Shared, &view, &b.CreatedBy, &b.CreatedAt); err != nil {
		return b, err
	}
	return b, json.Unmarshal(view, &b.View)
}

// insertBookmark saves a bookmark unless its owner already keeps maxPerUser ($5).
const insertBookmark = `INSERT INTO bookmarks (owner_id, name, view, created_by)
SELECT $1, $2, $3, $4
WHERE (SELECT count(*) FROM bookmarks WHERE owner_id IS NOT DISTINCT FROM $1) < $5
RETURNING id, name, owner_id IS NULL, view, created_by, created_at`

func insert(ctx context.Context, pool *pgxpool.Pool, u User, n New, view []byte) (Bookmark, error) {
	var owner *int64
	if !n.Shared {
		owner = &u.ID
	}
	rows, err := pool.Query(ctx, insertBookmark, owner, n.Name, view, u.Name, maxPerUser)
	if err != nil {
		return Bookmark{}, fmt.Errorf("bookmarks: create: %w", err)
	}
	b, err := pgx.CollectExactlyOneRow(rows, scanBookmark)
	if errors.Is(err, pgx.ErrNoRows) {
		return b, problem.Unprocessable("name", "at most %d bookmarks: delete some first", maxPerUser)
	}
	if err != nil {
		return b, fmt.Errorf("bookmarks: create: %w", err)
	}
	return b, nil
}

// deleteBookmark removes the user's own bookmark ($2), or a shared one when an admin ($3).
const deleteBookmark = `DELETE FROM bookmarks WHERE id = $1 AND (owner_id = $2 OR (owner_id IS NULL AND $3))`

func remove(ctx context.Context, pool *pgxpool.Pool, u User, id int64) error {
	tag, err := pool.Exec(ctx, deleteBookmark, id, u.ID, u.Admin)
	if err != nil {
		return fmt.Errorf("bookmarks: delete %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("bookmark %d: %w", id, problem.ErrNotFound)
	}
	return nil
}
