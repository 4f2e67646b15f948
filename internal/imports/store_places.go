package imports

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/db"
)

const stagePlaces = `CREATE TEMP TABLE place_staging (
    row int, code text, name text, level text, parent text, ztype text, zlevel text, region text,
    srid int, wkb bytea, geom geometry(MultiPolygon, 4490), changed boolean NOT NULL DEFAULT true
) ON COMMIT DROP;
CREATE TEMP TABLE moved_areas (geom geometry) ON COMMIT DROP`

// placeGeometry turns the staged WKB into valid EPSG:4490 multipolygons, repaired as asset imports
// repair parcels (prepareGeom: ST_MakeValid's structure method, only when invalid, polygons kept).
const placeGeometry = `UPDATE place_staging SET geom = ST_Multi(ST_CollectionExtract(CASE WHEN ST_IsValid(g) THEN g
    ELSE ST_MakeValid(g, 'method=structure') END, 3))
FROM (SELECT row AS r, ST_Force2D(ST_Transform(ST_SetSRID(ST_GeomFromWKB(wkb), srid), 4490)) AS g FROM place_staging) t
WHERE place_staging.row = t.r`

// placeRejects drops the rows without an area and the later rows of a repeated code.
const placeRejects = `WITH bad AS (
    DELETE FROM place_staging WHERE geom IS NULL OR ST_IsEmpty(geom) RETURNING row, code, 'has no polygon with an area' AS why
), dup AS (
    DELETE FROM place_staging s USING place_staging t WHERE s.code = t.code AND s.row > t.row
    RETURNING s.row, s.code, 'repeats the code of row ' || t.row AS why
)
SELECT row, code, why FROM bad UNION ALL SELECT row, code, why FROM dup ORDER BY row`

// regionParents keeps a prefix parent that exists, else takes the region of a higher level
// holding the new one, else none.
const regionParents = `UPDATE place_staging s SET parent = coalesce(
    (SELECT s.parent WHERE EXISTS (SELECT 1 FROM regions r WHERE r.code = s.parent)
        OR EXISTS (SELECT 1 FROM place_staging t WHERE t.code = s.parent)),
    (SELECT r.code FROM regions r WHERE ST_Intersects(r.geom, ST_PointOnSurface(s.geom))
        AND level_order(r.level) < level_order(s.level) ORDER BY level_order(r.level) DESC LIMIT 1))`

// regionChanges compares each staged region with the stored one of its code.
const regionChanges = `SELECT s.code, s.name, s.level, r.code IS NULL,
    coalesce(r.name <> s.name, false), coalesce(r.level <> s.level, false),
    coalesce(r.parent_code IS DISTINCT FROM s.parent, false) AND r.code IS NOT NULL,
    coalesce(NOT ST_Equals(r.geom, s.geom), false)
FROM place_staging s LEFT JOIN regions r USING (code) ORDER BY s.row`

// zoneRegions keeps a zone's given region when it exists, else takes the one holding it.
const zoneRegions = `UPDATE place_staging s SET region = coalesce(
    (SELECT r.code FROM regions r WHERE r.code = s.region), region_at(ST_PointOnSurface(s.geom)))`

// zoneChanges compares each staged zone with the stored one.
const zoneChanges = `SELECT s.code, s.name, s.zlevel, z.code IS NULL,
    coalesce(z.name <> s.name, false), coalesce(z.type <> s.ztype OR z.level <> s.zlevel, false),
    coalesce(z.region_code IS DISTINCT FROM s.region, false) AND z.code IS NOT NULL,
    coalesce(NOT ST_Equals(z.geom, s.geom), false)
FROM place_staging s LEFT JOIN zones z USING (code) ORDER BY s.row`

// Moved areas: a changed place's old outline (before the upsert) and its new one (after).
const (
	oldRegionAreas = `INSERT INTO moved_areas SELECT r.geom FROM regions r JOIN place_staging s USING (code) WHERE s.changed`
	oldZoneAreas   = `INSERT INTO moved_areas SELECT z.geom FROM zones z JOIN place_staging s USING (code) WHERE s.changed`
	newAreas       = `INSERT INTO moved_areas SELECT geom FROM place_staging WHERE changed`
)

const upsertRegions = `INSERT INTO regions (code, name, level, parent_code, geom)
SELECT code, name, level, parent, geom FROM place_staging WHERE changed
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level,
    parent_code = EXCLUDED.parent_code, geom = EXCLUDED.geom,
    center = CASE WHEN ST_Equals(regions.geom, EXCLUDED.geom) THEN regions.center END`

const upsertZones = `INSERT INTO zones (code, name, type, level, region_code, geom)
SELECT code, name, ztype, zlevel, region, geom FROM place_staging WHERE changed
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, level = EXCLUDED.level,
    region_code = EXCLUDED.region_code, geom = EXCLUDED.geom`

// zoneOverlaps recomputes the overlap rows of the zones whose outline changed.
const zoneOverlaps = `DELETE FROM asset_zones WHERE zone_code IN (SELECT code FROM place_staging WHERE changed);
INSERT INTO asset_zones (zone_code, asset_id, overlap_m2)
SELECT z.code, a.id, zone_overlap_m2(a.geom, a.area_m2, z.geom)
FROM zones z JOIN place_staging s ON s.code = z.code AND s.changed JOIN assets a ON ST_Intersects(z.geom, a.geom)`

// writePlaces stages, checks and writes list in one transaction (rolled back on a dry run).
func (s *Service) writePlaces(ctx context.Context, o PlaceOptions, list []place, rep *PlaceReport) error {
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := stagePlacesTx(ctx, tx, list, rep); err != nil {
			return err
		}
		if err := comparePlaces(ctx, tx, o.Kind, rep); err != nil {
			return err
		}
		if o.DryRun {
			return errDryRun
		}
		return s.applyPlaces(ctx, tx, o, rep)
	})
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

func stagePlacesTx(ctx context.Context, tx pgx.Tx, list []place, rep *PlaceReport) error {
	if _, err := tx.Exec(ctx, stagePlaces); err != nil {
		return fmt.Errorf("imports: places: %w", err)
	}
	rows := make([][]any, len(list))
	for i, p := range list {
		rows[i] = []any{p.row, p.code, p.name, p.level, nullable(p.parent), p.zoneType, p.zoneLevel, nullable(p.region), p.srid, p.wkb}
	}
	cols := []string{"row", "code", "name", "level", "parent", "ztype", "zlevel", "region", "srid", "wkb"}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"place_staging"}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("imports: places: %w", err)
	}
	if _, err := tx.Exec(ctx, placeGeometry); err != nil {
		return fmt.Errorf("imports: places: geometry: %w", err)
	}
	bad, err := tx.Query(ctx, placeRejects)
	if err != nil {
		return fmt.Errorf("imports: places: %w", err)
	}
	var row int
	var code, why string
	_, err = pgx.ForEachRow(bad, []any{&row, &code, &why}, func() error {
		rep.reject(row, code, why)
		return nil
	})
	if err != nil {
		return fmt.Errorf("imports: places: %w", err)
	}
	return nil
}

// comparePlaces fills the report's changes and marks the staged places that change nothing.
func comparePlaces(ctx context.Context, tx pgx.Tx, kind string, rep *PlaceReport) error {
	q, prep := regionChanges, regionParents
	if kind == PlaceZone {
		q, prep = zoneChanges, zoneRegions
	}
	if _, err := tx.Exec(ctx, prep); err != nil {
		return fmt.Errorf("imports: places: parents: %w", err)
	}
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("imports: places: compare: %w", err)
	}
	var ch PlaceChange
	var isNew, name, level, parent, shape bool
	_, err = pgx.ForEachRow(rows, []any{&ch.Code, &ch.Name, &ch.Level, &isNew, &name, &level, &parent, &shape}, func() error {
		rep.Changes = append(rep.Changes, classify(ch, isNew, kind, name, level, parent, shape))
		return nil
	})
	if err != nil {
		return fmt.Errorf("imports: places: compare: %w", err)
	}
	for _, c := range rep.Changes {
		switch c.Action {
		case "insert":
			rep.Inserted++
		case "update":
			rep.Updated++
		default:
			rep.Unchanged++
		}
	}
	_, err = tx.Exec(ctx, `UPDATE place_staging SET changed = false WHERE code = ANY($1)`, unchangedCodes(rep.Changes))
	return err
}

// classify names a change and the fields it touches.
func classify(ch PlaceChange, isNew bool, kind string, name, level, parent, shape bool) PlaceChange {
	if isNew {
		ch.Action = "insert"
		return ch
	}
	second, third := "level", "parent_code"
	if kind == PlaceZone {
		second, third = "type", "region_code"
	}
	ch.Fields = nil
	for _, f := range []struct {
		on   bool
		name string
	}{{name, "name"}, {level, second}, {parent, third}, {shape, "geometry"}} {
		if f.on {
			ch.Fields = append(ch.Fields, f.name)
		}
	}
	ch.Action = "unchanged"
	if len(ch.Fields) > 0 {
		ch.Action = "update"
	}
	return ch
}

func unchangedCodes(cs []PlaceChange) []string {
	var out []string
	for _, c := range cs {
		if c.Action == "unchanged" {
			out = append(out, c.Code)
		}
	}
	return out
}

// applyPlaces writes the changed places, refreshes zone overlaps and re-derives the assets
// lying where an outline moved.
func (s *Service) applyPlaces(ctx context.Context, tx pgx.Tx, o PlaceOptions, rep *PlaceReport) error {
	old, upsert := oldRegionAreas, upsertRegions
	if o.Kind == PlaceZone {
		old, upsert = oldZoneAreas, upsertZones
	}
	for _, q := range []string{old, upsert, newAreas} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("imports: places: %w", err)
		}
	}
	if o.Kind == PlaceZone {
		if _, err := tx.Exec(ctx, zoneOverlaps); err != nil {
			return fmt.Errorf("imports: places: overlaps: %w", err)
		}
	}
	note := fmt.Sprintf("%s边界更新（%s）：所属行政区/园区按位置重新确定", placeWord(o.Kind), o.FileName)
	n, err := s.assets.RelocateTx(ctx, tx, o.Actor, note)
	rep.AssetsMoved = n
	return err
}

func placeWord(kind string) string {
	if kind == PlaceZone {
		return "园区"
	}
	return "行政区"
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
