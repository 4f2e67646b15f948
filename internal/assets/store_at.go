package assets

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// atFrom is fromJoined over the asset $1 as it stood at time $2 (migration 017's asset_at),
// when it existed then.
const atFrom = ` FROM (SELECT h.* FROM assets x, LATERAL asset_at(x, $2) h WHERE x.id = $1 AND asset_existed(h, $2)) a
    LEFT JOIN regions r ON r.code = a.region_code LEFT JOIN zones z ON z.code = a.zone_code`

// GetAt returns asset id as it stood at time t — stage, mode, outline and every other field
// rebuilt from its history — with the events up to t. An asset not yet created at t, or
// retired (deleted, split or merged) by then, is not found; one retired since is.
func (s *Service) GetAt(ctx context.Context, id int64, t time.Time) (Asset, []Event, error) {
	var g []byte
	a, err := s.scanAsset(s.reads.QueryRow(ctx, "SELECT "+selectColumns+geomColumn(FullShape)+atFrom, id, t), &g)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, nil, fmt.Errorf("asset %d at %s: %w", id, t.Format(time.RFC3339), problem.ErrNotFound)
	}
	if err != nil {
		return a, nil, fmt.Errorf("assets: get at: %w", err)
	}
	a.Geometry = g
	ev, err := s.history(ctx, id, &t)
	return a, ev, err
}

// changesQuery lists the assets whose stage, mode or outline differ between the states at $1
// and $2, or that came or went between them, newest change first: $3 regions, $4 zones,
// $5 kinds (NULL: all), $6 limit, $7 offset. Only assets with an event in ($1, $2] can differ.
// The outline changed when the old outline of the span's first outline edit differs from the
// new one of its last (both as the events store them). The columns after the first are those
// of the asset as it stands at $2, or at $1 for one retired.
const changesQuery = `
WITH touched AS (
    SELECT asset_id AS id, max(at) AS changed_at FROM asset_events WHERE at > $1 AND at <= $2 GROUP BY asset_id
), s AS MATERIALIZED (
    SELECT c.changed_at, f.r AS was, n AS now, coalesce(asset_existed(f.r, $1), false) AS was_alive,
        asset_existed(n, $2) AS now_alive,
        (SELECT e.before -> 'geometry' FROM asset_events e WHERE e.asset_id = a.id AND e.at > $1 AND e.at <= $2
            AND e.before ? 'geometry' ORDER BY e.at, e.id LIMIT 1)
        IS DISTINCT FROM
        (SELECT e.after -> 'geometry' FROM asset_events e WHERE e.asset_id = a.id AND e.at > $1 AND e.at <= $2
            AND e.before ? 'geometry' ORDER BY e.at DESC, e.id DESC LIMIT 1) AS outline
    FROM touched c JOIN assets a ON a.id = c.id
    LEFT JOIN LATERAL (SELECT asset_at(a, $1) AS r WHERE a.created_at <= $1) f ON true,
    LATERAL asset_at(a, $2) n
), k AS (
    SELECT (CASE WHEN s.now_alive THEN s.now ELSE s.was END).*, s.changed_at, s.was_alive, s.now_alive, s.outline,
        CASE WHEN s.was_alive THEN (s.was).stage END AS stage_from, CASE WHEN s.now_alive THEN (s.now).stage END AS stage_to,
        CASE WHEN s.was_alive THEN (s.was).mode END AS mode_from, CASE WHEN s.now_alive THEN (s.now).mode END AS mode_to
    FROM s WHERE s.was_alive OR s.now_alive
), page AS (
    SELECT k.*, count(*) OVER () AS total FROM k
    WHERE (NOT k.was_alive OR NOT k.now_alive OR k.stage_from <> k.stage_to OR k.mode_from <> k.mode_to OR k.outline)
        AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($3::text[]) r(code) WHERE region_within(k.region_code, r.code))) AND ($4::text[] IS NULL OR k.zone_code = ANY ($4))
        AND ($5::text[] IS NULL OR k.kind = ANY ($5))
    ORDER BY k.changed_at DESC, k.id
    LIMIT $6 OFFSET $7
)
SELECT a.id, a.code, a.name, a.kind, a.region_code, a.zone_code, a.area_mu, a.was_alive, a.now_alive,
    a.stage_from, a.stage_to, a.mode_from, a.mode_to, a.outline, a.changed_at, ` + centerColumn + `, a.total
FROM page a ORDER BY a.changed_at DESC, a.id`

// Changes lists what changed between f.From and f.To: the assets whose stage, mode or outline
// differ between the two states, and those created or retired in between (a monthly review).
func (s *Service) Changes(ctx context.Context, f ChangeFilter) (Changes, error) {
	out := Changes{From: f.From, To: f.To, Limit: f.Limit, Offset: f.Offset, Items: []Difference{}}
	rows, err := s.reads.Query(ctx, changesQuery, f.From, f.To, orNil(f.Regions), orNil(f.Zones), orNil(f.Kinds), f.Limit, f.Offset)
	if err != nil {
		return out, fmt.Errorf("assets: changes: %w", err)
	}
	out.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Difference, error) {
		return scanChange(r, &out.Total)
	})
	if err != nil {
		return out, fmt.Errorf("assets: changes: %w", err)
	}
	return out, nil
}

// scanChange reads one row of changesQuery; total takes the count of all matches.
func scanChange(r pgx.Row, total *int64) (Difference, error) {
	var c Difference
	var was, now bool
	var stage, mode FromTo
	var center []float64
	err := r.Scan(&c.ID, &c.Code, &c.Name, &c.Kind, &c.RegionCode, &c.ZoneCode, &c.AreaMu, &was, &now,
		&stage.From, &stage.To, &mode.From, &mode.To, &c.OutlineChanged, &c.ChangedAt, &center, total)
	if err != nil {
		return c, err
	}
	c.Change = map[[2]bool]string{{false, true}: "created", {true, false}: "retired", {true, true}: "changed"}[[2]bool{was, now}]
	c.Stage, c.Mode = stage.orNil(), mode.orNil()
	if len(center) == 2 {
		c.Center = &[2]float64{center[0], center[1]}
	}
	return c, nil
}

// orNil is v, or nil when both ends are the same value.
func (v FromTo) orNil() *FromTo {
	if v.From != nil && v.To != nil && *v.From == *v.To {
		return nil
	}
	return &v
}

func orNil(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}
