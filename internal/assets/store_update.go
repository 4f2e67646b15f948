package assets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// snapshot is SQL for asset row a as JSON without its geometries (eventColumns): the
// before/after of events.
func snapshot() string {
	return `(SELECT to_jsonb(e) FROM (SELECT ` + prefixed("a.", eventColumns) + `) e)`
}

// lockAsset reads an asset's kind, version and snapshot for update, checking the version seen.
func lockAsset(ctx context.Context, tx pgx.Tx, id int64, version int, deleted bool) (Kind, json.RawMessage, error) {
	var k Kind
	var v int
	var before json.RawMessage
	cond := "a.deleted_at IS NULL"
	if deleted {
		cond = "a.deleted_at IS NOT NULL"
	}
	err := tx.QueryRow(ctx, `SELECT a.kind, a.version, `+snapshot()+` FROM assets a WHERE a.id = $1 AND `+cond+` FOR UPDATE`, id).Scan(&k, &v, &before)
	if errors.Is(err, pgx.ErrNoRows) {
		return k, nil, fmt.Errorf("asset %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return k, nil, fmt.Errorf("assets: lock: %w", err)
	}
	if v != version {
		return k, nil, fmt.Errorf("asset %d is at version %d, the edit was made on version %d: %w", id, v, version, problem.ErrStaleVersion)
	}
	return k, before, nil
}

// appendEvent records one change with the asset's state before and after it.
func appendEvent(ctx context.Context, tx pgx.Tx, id int64, action, actor, note string, before json.RawMessage) error {
	q := `INSERT INTO asset_events (asset_id, action, actor, before, after, note)
SELECT a.id, $2, $3, $4, ` + snapshot() + `, $5 FROM assets a WHERE a.id = $1`
	if _, err := tx.Exec(ctx, q, id, action, actor, before, note); err != nil {
		return fmt.Errorf("assets: event: %w", err)
	}
	return nil
}

// Update applies a change to asset id if its version still matches, and appends an event.
func (s *Service) Update(ctx context.Context, id int64, actor string, ch Change) (Asset, error) {
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		k, before, err := lockAsset(ctx, tx, id, ch.Version, false)
		if err != nil {
			return err
		}
		set, err := ch.validate(k)
		if err != nil {
			return err
		}
		var b sqlBuilder
		cols := []string{"version = version + 1", "updated_at = now()"}
		for _, a := range set {
			cols = append(cols, a.col+" = "+b.arg(a.val)) // a.col comes from the editable allowlist
		}
		if len(ch.Facts) > 0 {
			facts, err := json.Marshal(ch.Facts)
			if err != nil {
				return problem.Unprocessable("facts", "cannot be stored: %v", err)
			}
			cols = append(cols, "facts = facts || "+b.arg(string(facts))+"::jsonb")
		}
		q := "UPDATE assets SET " + strings.Join(cols, ", ") + " WHERE id = " + b.arg(id)
		if _, err := tx.Exec(ctx, q, b.args...); err != nil {
			return mapWriteError(err)
		}
		return appendEvent(ctx, tx, id, "update", actor, ch.Note, before)
	})
	if err != nil {
		return Asset{}, err
	}
	a, _, err := s.Get(ctx, id)
	return a, err
}

// Delete soft-deletes asset id at the given version; the row and its history stay.
func (s *Service) Delete(ctx context.Context, id int64, version int, actor, note string) error {
	return s.setDeleted(ctx, id, version, actor, note, true)
}

// Restore brings a soft-deleted asset back, unless a live asset has taken its code meanwhile.
func (s *Service) Restore(ctx context.Context, id int64, version int, actor, note string) error {
	return s.setDeleted(ctx, id, version, actor, note, false)
}

func (s *Service) setDeleted(ctx context.Context, id int64, version int, actor, note string, del bool) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, before, err := lockAsset(ctx, tx, id, version, !del)
		if err != nil {
			return err
		}
		set, action := "deleted_at = now()", "delete"
		if !del {
			set, action = "deleted_at = NULL", "restore"
		}
		if _, err := tx.Exec(ctx, "UPDATE assets SET "+set+", version = version + 1, updated_at = now() WHERE id = $1", id); err != nil {
			return mapWriteError(err)
		}
		return appendEvent(ctx, tx, id, action, actor, note, before)
	})
}
