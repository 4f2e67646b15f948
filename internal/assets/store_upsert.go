package assets

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// Conflict says what a write does with an asset whose kind already has its code.
type Conflict string

// The conflict policies: fail the whole write, skip the row, or update the existing asset.
const (
	ConflictFail   Conflict = ""
	ConflictSkip   Conflict = "skip"
	ConflictUpdate Conflict = "update"
)

// WriteResult says what a write did, code by code where codes matter.
type WriteResult struct {
	Inserted  int64
	Updated   []string
	Unchanged []string // existing assets that already held the written values
	Skipped   []string
}

// updatable are the columns an update may set (besides geometry, source CRS and import, which
// every update sets): the staging columns but code and kind, which identify the asset.
var updatable = []string{
	"name", "region_code", "zone_code", "holder", "holder_type", "book_value", "appraised_value",
	"mode", "stage", "responsible_unit", "responsible_person", "revenue", "land_status",
	"land_class_system", "land_class_code", "approval_no", "approval_date", "supply_method",
	"supply_date", "agreed_start", "actual_start", "developed_share", "invested_share",
	"idle_cause", "facts",
}

// eventColumns are the asset columns an event's before/after holds: all but the geometries
// (creation events in insertFromStaging, import updates here; TestInsertEventHoldsEveryColumn
// checks that the list covers the table).
const eventColumns = `id, code, kind, name, region_code, zone_code, holder, holder_type, book_value,
    appraised_value, mode, stage, responsible_unit, responsible_person, revenue, land_status,
    land_class_system, land_class_code, approval_no, approval_date, supply_method, supply_date,
    agreed_start, actual_start, developed_share, invested_share, idle_cause, idle_override,
    idle_override_reason, facts, source_crs, import_id, area_m2, area_mu, version, created_at,
    updated_at, deleted_at`

const skipExisting = `
DELETE FROM asset_staging s USING assets a
WHERE a.kind = s.kind AND a.code = s.code AND a.deleted_at IS NULL
RETURNING s.code`

// WriteTx validates list and writes it inside tx like InsertTx, except for codes the kind
// already has: ConflictSkip leaves those assets alone, ConflictUpdate sets the given columns
// (and always the geometry) and appends an 'update' event with before and after. An asset that
// already holds the values is left unchanged, without an event.
func (s *Service) WriteTx(ctx context.Context, tx pgx.Tx, actor, note string, importID int64, list []NewAsset, on Conflict, columns []string) (WriteResult, error) {
	var res WriteResult
	if err := stage(ctx, tx, importID, list); err != nil {
		return res, err
	}
	if on == ConflictUpdate {
		q, err := updateFromStaging(columns)
		if err != nil {
			return res, err
		}
		if res.Updated, err = collectCodes(ctx, tx, q, actor, note); err != nil {
			return res, mapWriteError(err)
		}
	}
	if on != ConflictFail {
		existing, err := collectCodes(ctx, tx, skipExisting)
		if err != nil {
			return res, fmt.Errorf("assets: skip existing: %w", err)
		}
		res.Skipped, res.Unchanged = existing, nil
		if on == ConflictUpdate {
			res.Skipped, res.Unchanged = nil, without(existing, res.Updated)
		}
	}
	n, err := insertStaged(ctx, tx, actor, note)
	res.Inserted = n
	return res, err
}

// updateFromStaging builds the update for the allowlisted columns. A geometry counts as the
// same when it covers the same points (ST_Equals): a Shapefile writer turns rings round. The old
// rows are read in the statement's snapshot, so each event holds the asset as it was and as it
// is (not FOR UPDATE: a locking read skips rows the same statement updates).
func updateFromStaging(columns []string) (string, error) {
	set := []string{"geom = n.geom", "source_crs = coalesce(s.source_crs, a.source_crs)", "import_id = s.import_id"}
	for _, c := range columns {
		if !slices.Contains(updatable, c) {
			return "", problem.Invalid("columns", "%q cannot be updated", c)
		}
		set = append(set, pgx.Identifier{c}.Sanitize()+" = "+newValue(c))
	}
	oldCols, newCols, err := updateRows(columns)
	if err != nil {
		return "", err
	}
	return `
WITH n AS (
    SELECT s.kind, s.code, ST_SetSRID(ST_GeomFromWKB(s.geom_wkb), 4490) AS geom FROM asset_staging s
), old AS (
    SELECT ` + prefixed("a.", eventColumns) + ` FROM assets a JOIN asset_staging s ON a.kind = s.kind AND a.code = s.code
    WHERE a.deleted_at IS NULL
), upd AS (
    UPDATE assets a SET ` + strings.Join(set, ", ") + `, version = a.version + 1, updated_at = now()
    FROM asset_staging s JOIN n ON n.kind = s.kind AND n.code = s.code
    WHERE a.kind = s.kind AND a.code = s.code AND a.deleted_at IS NULL
      AND (ROW(` + oldCols + `) IS DISTINCT FROM ROW(` + newCols + `)
          OR NOT ST_Equals(a.geom, n.geom))
    RETURNING ` + prefixed("a.", eventColumns) + `
), ev AS (
    INSERT INTO asset_events (asset_id, action, actor, before, after, note, import_id)
    SELECT upd.id, 'update', $1, to_jsonb(old), to_jsonb(upd), $2, upd.import_id
    FROM upd JOIN old ON old.id = upd.id
)
SELECT code FROM upd`, nil
}

// newValue is what an update sets column c to: the staged value; a region or zone the row does
// not give stays as it was.
func newValue(c string) string {
	id := pgx.Identifier{c}.Sanitize()
	if c == "region_code" || c == "zone_code" {
		return "coalesce(s." + id + ", a." + id + ")"
	}
	return "s." + id
}

// updateRows are the old and the new values of the updated columns (and the kind), as lists
// for ROW(...): an asset whose two rows are not distinct (and whose geometry is equal) is
// left unchanged.
func updateRows(columns []string) (string, string, error) {
	oldCols, newCols := []string{"a.kind"}, []string{"s.kind"}
	for _, c := range columns {
		if !slices.Contains(updatable, c) {
			return "", "", problem.Invalid("columns", "%q cannot be updated", c)
		}
		oldCols, newCols = append(oldCols, "a."+pgx.Identifier{c}.Sanitize()), append(newCols, newValue(c))
	}
	return strings.Join(oldCols, ", "), strings.Join(newCols, ", "), nil
}

func collectCodes(ctx context.Context, tx pgx.Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// without returns the codes of all not in some.
func without(all, some []string) []string {
	drop := make(map[string]bool, len(some))
	for _, c := range some {
		drop[c] = true
	}
	var out []string
	for _, c := range all {
		if !drop[c] {
			out = append(out, c)
		}
	}
	return out
}

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, cols string) string {
	list := strings.Split(cols, ",")
	for i, c := range list {
		list[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(list, ", ")
}
