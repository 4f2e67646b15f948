package ledger

import (
	"context"
	_ "embed" // warnings.sql
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/db"
)

// evaluateSQL computes the warnings that hold and brings the table in step (see the file).
//
//go:embed warnings.sql
var evaluateSQL string

// warningsLockKey serialises evaluations (several servers may share one database).
const warningsLockKey = 7953766223091941380

// EvaluateWarnings brings the open warnings in step with the data as of today (Service.now), in
// one transaction: new ones are opened and queued for the webhook, vanished ones cleared.
// Subscribers hear the counts when anything changed.
func (s *Service) EvaluateWarnings(ctx context.Context) (Evaluation, error) {
	start := time.Now()
	var e Evaluation
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(warningsLockKey)); err != nil {
			return err
		}
		return tx.QueryRow(ctx, evaluateSQL, dateOf(s.now()).Format(time.DateOnly), WarningHorizon).
			Scan(&e.Added, &e.Cleared, &e.Refreshed, &e.Open)
	})
	if err != nil {
		return e, fmt.Errorf("ledger: evaluate warnings: %w", err)
	}
	e.Took = time.Since(start)
	if e.Changed() {
		s.publishWarnings(ctx)
	}
	return e, nil
}

// publishWarnings tells the subscribers the open counts per kind (a failed read is left for
// the next change: the counts are a hint to reload).
func (s *Service) publishWarnings(ctx context.Context) {
	counts, err := s.warningCounts(ctx, WarningFilter{Within: WarningHorizon})
	if err == nil {
		s.warn.publish(counts)
	}
}

// warningWhere filters open warnings: $1 scope, $2 region, $3 kind, $4 the last firing date.
const warningWhere = `w.cleared_at IS NULL
  AND ($1::text IS NULL OR coalesce(region_within(w.region_code, $1), false))
  AND ($2::text IS NULL OR coalesce(region_within(w.region_code, $2), false))
  AND ($3::text = '' OR w.kind = $3)
  AND w.fires_on <= $4::date`

const listWarningsQ = `
SELECT w.id, w.kind, w.asset_id, w.project_id, w.region_code, to_char(w.fires_on, 'YYYY-MM-DD'), w.detail,
       w.created_at, ST_XMin(b.box), ST_YMin(b.box), ST_XMax(b.box), ST_YMax(b.box)
FROM warnings w
LEFT JOIN LATERAL (
    SELECT ST_Extent(s.geom) AS box FROM (
        SELECT a.geom FROM assets a WHERE a.id = w.asset_id
        UNION ALL
        SELECT a.geom FROM project_assets pa JOIN assets a ON a.id = pa.asset_id AND a.deleted_at IS NULL
        WHERE w.asset_id IS NULL AND pa.project_id = w.project_id AND pa.active) s
) b ON true
WHERE ` + warningWhere + `
ORDER BY w.fires_on, w.id
LIMIT $5 OFFSET $6`

const countWarningsQ = `
SELECT w.kind, count(*) FROM warnings w WHERE ` + warningWhere + ` GROUP BY w.kind`

// ListWarnings returns a page of the open warnings the filter selects, most urgent first, with
// their titles, the total and the counts per kind.
func (s *Service) ListWarnings(ctx context.Context, f WarningFilter) (WarningList, error) {
	out := WarningList{Warnings: []Warning{}}
	rows, err := s.pool.Query(ctx, listWarningsQ, append(f.args(s.now()), f.Limit, f.Offset)...)
	if err != nil {
		return out, fmt.Errorf("ledger: list warnings: %w", err)
	}
	today := s.now()
	out.Warnings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Warning, error) {
		w, err := scanWarning(r)
		w.finish(today)
		return w, err
	})
	if err != nil {
		return out, fmt.Errorf("ledger: list warnings: %w", err)
	}
	if out.Counts, err = s.warningCounts(ctx, WarningFilter{Region: f.Region, Within: f.Within, Scope: f.Scope}); err != nil {
		return out, err
	}
	for k, n := range out.Counts {
		if f.Kind == "" || f.Kind == k {
			out.Total += n
		}
	}
	return out, nil
}

// args are the warningWhere parameters of f as of now.
func (f WarningFilter) args(now time.Time) []any {
	until := dateOf(now).AddDate(0, 0, f.Within).Format(time.DateOnly)
	return []any{f.Scope, f.Region, f.Kind, until}
}

func scanWarning(r pgx.Row) (Warning, error) {
	var w Warning
	var box [4]*float64
	err := r.Scan(&w.ID, &w.Kind, &w.AssetID, &w.ProjectID, &w.RegionCode, &w.FiresOn, &w.Detail, &w.CreatedAt,
		&box[0], &box[1], &box[2], &box[3])
	if box[0] != nil && box[1] != nil && box[2] != nil && box[3] != nil {
		w.BBox = &[4]float64{*box[0], *box[1], *box[2], *box[3]}
	}
	return w, err
}

// warningCounts counts the open warnings per kind under f (every kind present, zeros included).
func (s *Service) warningCounts(ctx context.Context, f WarningFilter) (map[string]int64, error) {
	counts := make(map[string]int64, len(WarningKinds))
	for _, k := range WarningKinds {
		counts[k] = 0
	}
	rows, err := s.pool.Query(ctx, countWarningsQ, f.args(s.now())...)
	if err != nil {
		return nil, fmt.Errorf("ledger: count warnings: %w", err)
	}
	var kind string
	var n int64
	_, err = pgx.ForEachRow(rows, []any{&kind, &n}, func() error { counts[kind] = n; return nil })
	if err != nil {
		return nil, fmt.Errorf("ledger: count warnings: %w", err)
	}
	return counts, nil
}

const warningPointsQ = `
WITH w AS (SELECT w.* FROM warnings w WHERE ` + warningWhere + `),
marked AS (
    SELECT w.id, w.kind, w.project_id, w.fires_on, w.asset_id FROM w WHERE w.asset_id IS NOT NULL
    UNION ALL
    SELECT w.id, w.kind, w.project_id, w.fires_on, pa.asset_id
    FROM w JOIN project_assets pa ON pa.project_id = w.project_id AND pa.active
    WHERE w.asset_id IS NULL)
SELECT coalesce(jsonb_agg(jsonb_build_object(
    'type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_PointOnSurface(a.geom), 6, 0)::jsonb,
    'properties', jsonb_build_object('id', m.id, 'kind', m.kind, 'asset_id', a.id, 'project_id', m.project_id,
        'code', a.code, 'name', a.name, 'fires_on', to_char(m.fires_on, 'YYYY-MM-DD'),
        'days', m.fires_on - $5::date)) ORDER BY m.fires_on, m.id), '[]')
FROM marked m
JOIN assets a ON a.id = m.asset_id AND a.deleted_at IS NULL`

// WarningPoints returns the warned assets as a GeoJSON FeatureCollection of points (one feature
// per warning and asset: a project's warning marks each of its member assets), for the map.
func (s *Service) WarningPoints(ctx context.Context, f WarningFilter) ([]byte, error) {
	var features []byte
	today := dateOf(s.now()).Format(time.DateOnly)
	if err := s.pool.QueryRow(ctx, warningPointsQ, append(f.args(s.now()), today)...).Scan(&features); err != nil {
		return nil, fmt.Errorf("ledger: warning points: %w", err)
	}
	return fmt.Appendf(nil, `{"type":"FeatureCollection","features":%s}`, features), nil
}

// lastProjectEvent is the newest project event's id: project and report writes do not raise the
// data version, so the watch compares this instead.
func (s *Service) lastProjectEvent(ctx context.Context) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM project_events`).Scan(&id)
	return id, err
}
