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

// locked is an asset as a change found it, row-locked: its kind, the region it lies in and its
// snapshot, the event's "before".
type locked struct {
	kind   Kind
	region *string
	before json.RawMessage
}

// lockAsset reads an asset for update, checking that actor may change it (by the region the
// stored asset lies in) and the version the change was made on, in that order: an analyst
// learns nothing of other regions' versions.
func lockAsset(ctx context.Context, tx pgx.Tx, id int64, version int, deleted bool, actor Actor) (locked, error) {
	var l locked
	var v int
	cond := "a.deleted_at IS NULL"
	if deleted {
		cond = "a.deleted_at IS NOT NULL"
	}
	err := tx.QueryRow(ctx, `SELECT a.kind, a.region_code, a.version, `+snapshot()+` FROM assets a WHERE a.id = $1 AND `+cond+` FOR UPDATE`, id).
		Scan(&l.kind, &l.region, &v, &l.before)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, fmt.Errorf("asset %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return l, fmt.Errorf("assets: lock: %w", err)
	}
	if err := actor.scope(l.region); err != nil {
		return l, err
	}
	if v != version {
		return l, fmt.Errorf("asset %d is at version %d, the edit was made on version %d: %w", id, v, version, problem.ErrStaleVersion)
	}
	return l, nil
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

// Update applies a change to asset id if its version still matches and actor may change it,
// appends an event, and returns the asset as the change left it, read in the same transaction
// (a delete committed right after cannot turn a done edit into a 404).
func (s *Service) Update(ctx context.Context, id int64, actor Actor, ch Change) (Asset, error) {
	var out Asset
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		l, err := lockAsset(ctx, tx, id, ch.Version, false, actor)
		if err != nil {
			return err
		}
		set, err := ch.validate(l.kind)
		if err != nil {
			return err
		}
		var ge *geomEdit
		if ch.Geometry != nil {
			if ge, err = s.prepareGeom(ctx, tx, id, l.kind, actor, ch); err != nil {
				return err
			}
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
		if ge != nil {
			cols = append(cols, "geom = ST_SetSRID(ST_GeomFromEWKB("+b.arg(ge.ewkb)+"), 4490)")
		}
		q := "UPDATE assets SET " + strings.Join(cols, ", ") + " WHERE id = " + b.arg(id)
		if _, err := tx.Exec(ctx, q, b.args...); err != nil {
			return mapWriteError(err)
		}
		if err := s.updateEvent(ctx, tx, id, actor.Name, ch.Note, l.before, ge); err != nil {
			return err
		}
		out, err = s.getTx(ctx, tx, "a.id = $1", id)
		if ge != nil {
			out.Topology = ge.topology
		}
		return err
	})
	return out, err
}

// updateEvent appends an edit's event: with both outlines when the shape changed (ge set).
func (s *Service) updateEvent(ctx context.Context, tx pgx.Tx, id int64, actor, note string, before json.RawMessage, ge *geomEdit) error {
	if ge != nil {
		return appendGeomEvent(ctx, tx, id, actor, note, before, ge)
	}
	return appendEvent(ctx, tx, id, "update", actor, note, before)
}

// Delete soft-deletes asset id at the given version; the row and its history stay.
func (s *Service) Delete(ctx context.Context, id int64, version int, actor Actor, note string) error {
	return s.setDeleted(ctx, id, version, actor, note, true)
}

// Restore brings a soft-deleted asset back, unless a live asset has taken its code meanwhile.
func (s *Service) Restore(ctx context.Context, id int64, version int, actor Actor, note string) error {
	return s.setDeleted(ctx, id, version, actor, note, false)
}

func (s *Service) setDeleted(ctx context.Context, id int64, version int, actor Actor, note string, del bool) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		l, err := lockAsset(ctx, tx, id, version, !del, actor)
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
		return appendEvent(ctx, tx, id, action, actor.Name, note, l.before)
	})
}
