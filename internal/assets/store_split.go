package assets

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// cutPieces cuts asset $1 by $2 (WKB, EPSG:4490): a line splits it (ST_Split), a polygon takes
// the part inside and leaves the rest. Pieces come north to south, then west to east.
const cutPieces = `
WITH a AS (SELECT geom FROM assets WHERE id = $1),
c AS (SELECT ST_SetSRID(ST_GeomFromWKB($2), 4490) AS cut),
p AS (
    SELECT (ST_Dump(ST_Split(a.geom, c.cut))).geom AS g FROM a, c WHERE GeometryType(c.cut) = 'LINESTRING'
    UNION ALL
    SELECT ST_CollectionExtract(ST_Intersection(a.geom, c.cut), 3) FROM a, c WHERE GeometryType(c.cut) = 'POLYGON'
    UNION ALL
    SELECT ST_CollectionExtract(ST_Difference(a.geom, c.cut), 3) FROM a, c WHERE GeometryType(c.cut) = 'POLYGON'
)
SELECT ST_AsBinary(ST_Multi(g)), ST_Area(g::geography) FROM p
WHERE NOT ST_IsEmpty(g) AND GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON')
ORDER BY ST_Y(ST_PointOnSurface(g)) DESC, ST_X(ST_PointOnSurface(g))`

// pieces cuts asset id by cut and checks what it leaves.
func pieces(ctx context.Context, q pgx.Tx, id int64, s *Split) ([]Piece, error) {
	cut, param, err := s.cut()
	if err != nil {
		return nil, err
	}
	b, err := wkb.Marshal(cut)
	if err != nil {
		return nil, problem.Invalid(param, "cannot be encoded: %v", err)
	}
	rows, err := q.Query(ctx, cutPieces, id, b)
	if err != nil {
		return nil, &wrapped{problem.Unprocessable(param, "cannot cut the parcel: send a simple line in EPSG:4490 lon/lat"), err}
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Piece, error) {
		var p Piece
		err := r.Scan(&p.wkb, &p.AreaM2)
		if err == nil {
			p.Geometry, err = wkb.Unmarshal(p.wkb)
		}
		return p, err
	})
	if err != nil {
		return nil, &wrapped{problem.Unprocessable(param, "cannot cut the parcel"), err}
	}
	return out, checkPieces(param, out)
}

// lockSplittable locks the parcel a split cuts and refuses a point (nothing to cut).
func lockSplittable(ctx context.Context, tx pgx.Tx, id int64, version int, actor Actor) (locked, string, error) {
	l, err := lockAsset(ctx, tx, id, version, false, actor)
	if err != nil {
		return l, "", err
	}
	var code, typ string
	if err := tx.QueryRow(ctx, `SELECT code, GeometryType(geom) FROM assets WHERE id = $1`, id).Scan(&code, &typ); err != nil {
		return l, "", fmt.Errorf("assets: split: %w", err)
	}
	if typ != "MULTIPOLYGON" {
		return l, "", problem.Unprocessable("id", "asset %s is a point: only a surface can be split", code)
	}
	return l, code, nil
}

// PreviewSplit answers the pieces a split would leave, writing nothing.
func (s *Service) PreviewSplit(ctx context.Context, id int64, actor Actor, sp Split) ([]Piece, error) {
	var out []Piece
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, _, err := lockSplittable(ctx, tx, id, sp.Version, actor); err != nil {
			return err
		}
		var err error
		out, err = pieces(ctx, tx, id, &sp)
		return err
	})
	return out, err
}

// SplitAsset cuts asset id into pieces: each a new asset inheriting the parent's fields and facts
// (money shared by area), the parent retired with a 'split' event naming them, and lineage kept.
// It returns the new assets in piece order.
func (s *Service) SplitAsset(ctx context.Context, id int64, actor Actor, sp Split) ([]Asset, error) {
	var out []Asset
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		l, code, err := lockSplittable(ctx, tx, id, sp.Version, actor)
		if err != nil {
			return err
		}
		ps, err := pieces(ctx, tx, id, &sp)
		if err != nil {
			return err
		}
		codes, err := childCodes(code, sp.Codes, len(ps))
		if err != nil {
			return err
		}
		kids, err := insertPieces(ctx, tx, id, codes, ps, actor.Name, joinNote("分割自 "+code, sp.Note))
		if err != nil {
			return err
		}
		if err := retireAll(ctx, tx, []int64{id}); err != nil {
			return err
		}
		if err := recordRetired(ctx, tx, []int64{id}, []locked{l}, "split", actor.Name, sp.Note, kids); err != nil {
			return err
		}
		out, err = s.readAll(ctx, tx, kids)
		return err
	})
	return out, err
}

func joinNote(what, note string) string {
	if note == "" {
		return what
	}
	return what + "：" + note
}

// inherited are the columns a split's pieces and a merge's result copy from their (first)
// parent: all but code, name, money and the outline.
const inherited = `kind, region_code, zone_code, holder, holder_type, mode, stage, responsible_unit,
    responsible_person, land_status, land_class_system, land_class_code, approval_no, approval_date,
    supply_method, supply_date, agreed_start, actual_start, developed_share, invested_share, idle_cause,
    idle_override, idle_override_reason, facts, source_crs`

// insertChildren writes the pieces of parent $1 as new assets copying its row: codes $2,
// outlines $3 (WKB), money $4..$6 shared by area; each with a 'create' event ($7 actor, $8 note).
// The inherited columns are unqualified: none of p's names is an asset column.
const insertChildren = `
WITH ins AS (
    INSERT INTO assets (code, name, book_value, appraised_value, revenue, geom, ` + inherited + `)
    SELECT p.code, a.name, p.book, p.appraised, p.revenue, ST_SetSRID(ST_GeomFromWKB(p.wkb), 4490),
        ` + inherited + `
    FROM assets a, unnest($2::text[], $3::bytea[], $4::numeric[], $5::numeric[], $6::numeric[])
        WITH ORDINALITY p(code, wkb, book, appraised, revenue, n)
    WHERE a.id = $1
    ORDER BY p.n
    RETURNING ` + eventColumns + `
), ev AS (
    INSERT INTO asset_events (asset_id, action, actor, after, note)
    SELECT id, 'create', $7, to_jsonb(ins), $8 FROM ins
)
SELECT id FROM ins ORDER BY id`

// insertPieces writes the pieces as children of parent and answers their ids in piece order.
func insertPieces(ctx context.Context, tx pgx.Tx, parent int64, codes []string, ps []Piece, actor, note string) ([]int64, error) {
	var book, appraised *float64
	var revenue float64
	if err := tx.QueryRow(ctx, `SELECT book_value, appraised_value, revenue FROM assets WHERE id = $1`, parent).
		Scan(&book, &appraised, &revenue); err != nil {
		return nil, fmt.Errorf("assets: split: %w", err)
	}
	wkbs := make([][]byte, len(ps))
	for i, p := range ps {
		wkbs[i] = p.wkb
	}
	rows, err := tx.Query(ctx, insertChildren, parent, codes, wkbs, apportion(book, ps), apportion(appraised, ps),
		apportion(&revenue, ps), actor, note)
	if err != nil {
		return nil, mapWriteError(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, mapWriteError(err)
	}
	return ids, nil
}

// retireRows soft-deletes the parents before their children are written (a merged asset may
// take the first parent's code).
const retireRows = `UPDATE assets SET deleted_at = now(), version = version + 1, updated_at = now() WHERE id = ANY($1)`

// parentEvent records a retired parent's split or merge event ($2), whose after also names the
// children ($5, [{id, code}]); it answers the event's id.
func parentEvent() string {
	return `
INSERT INTO asset_events (asset_id, action, actor, before, after, note)
SELECT a.id, $2, $3, $4, ` + snapshot() + ` || jsonb_build_object('children', $5::jsonb), $6
FROM assets a WHERE a.id = $1
RETURNING id`
}

// linkChildren records lineage from parent $1 to children $2 by event $3 of action $4, and puts
// the children in the parent's active 盘活项目 (an asset belongs to at most one).
const linkChildren = `
WITH l AS (
    INSERT INTO asset_lineage (parent_id, child_id, action, event)
    SELECT $1, c, $4, $3 FROM unnest($2::bigint[]) c
)
INSERT INTO project_assets (project_id, asset_id)
SELECT pa.project_id, c FROM project_assets pa, unnest($2::bigint[]) c
WHERE pa.asset_id = $1 AND pa.active
ON CONFLICT DO NOTHING`

// retireAll soft-deletes the parents.
func retireAll(ctx context.Context, tx pgx.Tx, parents []int64) error {
	if _, err := tx.Exec(ctx, retireRows, parents); err != nil {
		return mapWriteError(err)
	}
	return nil
}

// recordRetired gives each retired parent (locked as ls) an event naming the children, and
// links them.
func recordRetired(ctx context.Context, tx pgx.Tx, parents []int64, ls []locked, action, actor, note string, kids []int64) error {
	children, err := refsJSON(ctx, tx, kids)
	if err != nil {
		return err
	}
	for i, p := range parents {
		var ev int64
		if err := tx.QueryRow(ctx, parentEvent(), p, action, actor, ls[i].before, children, note).Scan(&ev); err != nil {
			return mapWriteError(err)
		}
		if _, err := tx.Exec(ctx, linkChildren, p, kids, ev, action); err != nil {
			return mapWriteError(err)
		}
	}
	return nil
}

// refsJSON is [{id, code}] of the given assets, in their order.
func refsJSON(ctx context.Context, tx pgx.Tx, ids []int64) (json.RawMessage, error) {
	var out json.RawMessage
	err := tx.QueryRow(ctx, `SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'code', a.code) ORDER BY i.n), '[]')
FROM unnest($1::bigint[]) WITH ORDINALITY i(id, n) JOIN assets a ON a.id = i.id`, ids).Scan(&out)
	if err != nil {
		return nil, fmt.Errorf("assets: lineage: %w", err)
	}
	return out, nil
}

// readAll reads assets ids as tx left them.
func (s *Service) readAll(ctx context.Context, tx pgx.Tx, ids []int64) ([]Asset, error) {
	out := make([]Asset, 0, len(ids))
	for _, id := range ids {
		a, err := s.getTx(ctx, tx, "a.id = $1", id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

const lineageQuery = `
SELECT 'from', l.parent_id, a.code, l.action, a.deleted_at IS NOT NULL
FROM asset_lineage l JOIN assets a ON a.id = l.parent_id WHERE l.child_id = $1
UNION ALL
SELECT 'to', l.child_id, a.code, l.action, a.deleted_at IS NOT NULL
FROM asset_lineage l JOIN assets a ON a.id = l.child_id WHERE l.parent_id = $1
ORDER BY 1, 2`

// LineageOf answers where asset id came from and went to.
func (s *Service) LineageOf(ctx context.Context, id int64) (Lineage, error) {
	out := Lineage{From: []LineageRef{}, To: []LineageRef{}}
	rows, err := s.reads.Query(ctx, lineageQuery, id)
	if err != nil {
		return out, fmt.Errorf("assets: lineage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var side string
		var r LineageRef
		if err := rows.Scan(&side, &r.ID, &r.Code, &r.Action, &r.Retired); err != nil {
			return out, fmt.Errorf("assets: lineage: %w", err)
		}
		if side == "from" {
			out.From = append(out.From, r)
		} else {
			out.To = append(out.To, r)
		}
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("assets: lineage: %w", err)
	}
	return out, nil
}
