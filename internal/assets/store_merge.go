package assets

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// MergeAssets joins adjacent assets of one kind into one (ST_Union): the first id's fields and
// facts, money summed, the parents retired with a 'merge' event naming it, and lineage kept.
func (s *Service) MergeAssets(ctx context.Context, actor Actor, m Merge) (Asset, error) {
	var out Asset
	if err := m.check(); err != nil {
		return out, err
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		ls, err := lockParents(ctx, tx, actor, m)
		if err != nil {
			return err
		}
		if err := mergeable(ctx, tx, m.IDs, ls); err != nil {
			return err
		}
		if err := retireAll(ctx, tx, m.IDs); err != nil {
			return err
		}
		id, err := insertMerged(ctx, tx, m, actor.Name)
		if err != nil {
			return err
		}
		if err := recordRetired(ctx, tx, m.IDs, ls, "merge", actor.Name, m.Note, []int64{id}); err != nil {
			return err
		}
		out, err = s.getTx(ctx, tx, "a.id = $1", id)
		return err
	})
	return out, err
}

// lockParents locks every parent in id order, checking scope and (where given) the version;
// it answers them in the caller's order.
func lockParents(ctx context.Context, tx pgx.Tx, actor Actor, m Merge) ([]locked, error) {
	byID := map[int64]locked{}
	for _, id := range lockOrder(m.IDs) {
		v, ok := m.Versions[id]
		if !ok {
			err := tx.QueryRow(ctx, `SELECT version FROM assets WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, id).Scan(&v)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return nil, fmt.Errorf("assets: merge: %w", err)
			}
		}
		l, err := lockAsset(ctx, tx, id, v, false, actor)
		if err != nil {
			return nil, err
		}
		byID[id] = l
	}
	out := make([]locked, len(m.IDs))
	for i, id := range m.IDs {
		out[i] = byID[id]
	}
	return out, nil
}

const pointAmong = `SELECT id FROM assets WHERE id = ANY($1) AND GeometryType(geom) <> 'MULTIPOLYGON' LIMIT 1`

// touchingPairs are the pairs of the given assets that overlap or lie within $2 metres.
const touchingPairs = `
SELECT a.id, b.id FROM assets a JOIN assets b ON a.id < b.id
WHERE a.id = ANY($1) AND b.id = ANY($1) AND ST_DWithin(a.geom::geography, b.geom::geography, $2)`

// mergeable refuses parents of different kinds, points, and parents that do not all touch.
func mergeable(ctx context.Context, tx pgx.Tx, ids []int64, ls []locked) error {
	if err := sameKind(ids, ls); err != nil {
		return err
	}
	var point int64
	err := tx.QueryRow(ctx, pointAmong, ids).Scan(&point)
	if err == nil {
		return problem.Unprocessable("ids", "asset %d is a point: only surfaces merge", point)
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("assets: merge: %w", err)
	}
	rows, err := tx.Query(ctx, touchingPairs, ids, adjacentM)
	if err != nil {
		return fmt.Errorf("assets: merge: %w", err)
	}
	pairs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]int64, error) {
		var p [2]int64
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return fmt.Errorf("assets: merge: %w", err)
	}
	if ok, stray := connected(ids, pairs); !ok {
		return notAdjacent(stray)
	}
	return nil
}

// insertMergedQuery writes the union of assets $2 as one asset copying $1 (the first), code $3
// and name $4 unless empty, money summed; with a 'create' event ($5 actor, $6 note).
const insertMergedQuery = `
WITH u AS (
    SELECT ST_Multi(ST_CollectionExtract(ST_Union(geom), 3)) AS g, sum(book_value) AS book,
        sum(appraised_value) AS appraised, sum(revenue) AS total
    FROM assets WHERE id = ANY($2)
), ins AS (
    INSERT INTO assets (code, name, book_value, appraised_value, revenue, geom, ` + inherited + `)
    SELECT coalesce(nullif($3, ''), a.code), coalesce(nullif($4, ''), a.name), u.book, u.appraised, u.total, u.g,
        ` + inherited + `
    FROM assets a, u WHERE a.id = $1
    RETURNING ` + eventColumns + `
), ev AS (
    INSERT INTO asset_events (asset_id, action, actor, after, note)
    SELECT id, 'create', $5, to_jsonb(ins), $6 FROM ins
)
SELECT id FROM ins`

// parentCodes lists the codes of assets $1 in their order, as the merged asset's note names them.
const parentCodes = `SELECT string_agg(a.code, '、' ORDER BY i.n)
FROM unnest($1::bigint[]) WITH ORDINALITY i(id, n) JOIN assets a ON a.id = i.id`

// insertMerged writes the merged asset and answers its id.
func insertMerged(ctx context.Context, tx pgx.Tx, m Merge, actor string) (int64, error) {
	var codes string
	if err := tx.QueryRow(ctx, parentCodes, m.IDs).Scan(&codes); err != nil {
		return 0, fmt.Errorf("assets: merge: %w", err)
	}
	var id int64
	note := joinNote("合并自 "+codes, m.Note)
	if err := tx.QueryRow(ctx, insertMergedQuery, m.IDs[0], m.IDs, m.Code, m.Name, actor, note).Scan(&id); err != nil {
		return 0, mapWriteError(err)
	}
	return id, nil
}
