package assets

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// relocate re-derives the region and zone of every live asset lying in the areas of the
// temporary table moved_areas(geom) — the old and new outlines of regions or zones a boundary
// load changed — and records each asset that moved with an event (before and after).
var relocate = `
WITH cand AS (
    SELECT DISTINCT a.id FROM assets a JOIN moved_areas m ON a.geom && m.geom AND ST_Intersects(a.geom, m.geom)
    WHERE a.deleted_at IS NULL
), d AS (
    SELECT a.id, region_at(p) AS r, zone_at(p) AS z
    FROM assets a JOIN cand USING (id), LATERAL ST_PointOnSurface(a.geom) p
), moved AS (
    SELECT a.id, ` + `(SELECT to_jsonb(e) FROM (SELECT ` + eventColumnsA + `) e)` + ` AS before, d.r, d.z
    FROM assets a JOIN d USING (id)
    WHERE a.region_code IS DISTINCT FROM d.r OR a.zone_code IS DISTINCT FROM d.z
    FOR UPDATE OF a
), upd AS (
    UPDATE assets a SET region_code = m.r, zone_code = m.z, version = a.version + 1, updated_at = now()
    FROM moved m WHERE a.id = m.id
    RETURNING a.*
)
INSERT INTO asset_events (asset_id, action, actor, before, after, note)
SELECT u.id, 'update', $1, m.before, (SELECT to_jsonb(e) FROM (SELECT ` + eventColumnsU + `) e), $2
FROM upd u JOIN moved m ON m.id = u.id`

var (
	eventColumnsA = prefixed("a.", eventColumns)
	eventColumnsU = prefixed("u.", eventColumns)
)

// RelocateTx re-derives, inside tx, the region and zone of the live assets within the
// temporary table moved_areas(geom geometry) the caller filled, with an event on each asset
// that moved (by actor, with note). It returns how many moved.
func (s *Service) RelocateTx(ctx context.Context, tx pgx.Tx, actor, note string) (int64, error) {
	tag, err := tx.Exec(ctx, relocate, actor, note)
	if err != nil {
		return 0, fmt.Errorf("assets: relocate: %w", err)
	}
	return tag.RowsAffected(), nil
}
