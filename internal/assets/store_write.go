package assets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// stagingColumns are copied into a temporary table, then inserted into assets in one statement,
// so region/zone derivation, generated columns and events run set-wise.
var stagingColumns = []string{
	"code", "kind", "name", "region_code", "zone_code", "holder", "holder_type", "book_value",
	"appraised_value", "mode", "stage", "responsible_unit", "responsible_person", "revenue",
	"land_status", "land_class_system", "land_class_code", "approval_no", "approval_date",
	"supply_method", "supply_date", "agreed_start", "actual_start", "developed_share",
	"invested_share", "idle_cause", "facts", "source_crs", "import_id", "geom_wkb",
}

const createStaging = `
CREATE TEMP TABLE IF NOT EXISTS asset_staging (
    code text, kind text, name text, region_code text, zone_code text, holder text, holder_type text,
    book_value numeric, appraised_value numeric, mode text, stage text, responsible_unit text,
    responsible_person text, revenue numeric, land_status text, land_class_system text,
    land_class_code text, approval_no text, approval_date date, supply_method text, supply_date date,
    agreed_start date, actual_start date, developed_share float8, invested_share float8,
    idle_cause text, facts jsonb, source_crs text, import_id bigint, geom_wkb bytea
) ON COMMIT DROP`

// insertFromStaging writes the staged rows and a creation event each. The insert returns only
// eventColumns (no geometries), whose record is the event's "after": to_jsonb of the whole row
// rendered both geometries as GeoJSON only to cut them, which cost three times the insert itself
// at bulk sizes. TestInsertEventHoldsEveryColumn keeps eventColumns in step with the table.
const insertFromStaging = `
WITH ins AS (
    INSERT INTO assets (code, kind, name, region_code, zone_code, holder, holder_type, book_value,
        appraised_value, mode, stage, responsible_unit, responsible_person, revenue, land_status,
        land_class_system, land_class_code, approval_no, approval_date, supply_method, supply_date,
        agreed_start, actual_start, developed_share, invested_share, idle_cause, facts, source_crs,
        import_id, geom)
    SELECT code, kind, name, region_code, zone_code, holder, holder_type, book_value,
        appraised_value, mode, stage, responsible_unit, responsible_person, revenue, land_status,
        land_class_system, land_class_code, approval_no, approval_date, supply_method, supply_date,
        agreed_start, actual_start, developed_share, invested_share, idle_cause, facts, source_crs,
        import_id, ST_SetSRID(ST_GeomFromWKB(geom_wkb), 4490)
    FROM asset_staging
    RETURNING ` + eventColumns + `
)
INSERT INTO asset_events (asset_id, action, actor, after, note, import_id)
SELECT id, CASE WHEN import_id IS NULL THEN 'create' ELSE 'import' END, $1, to_jsonb(ins), $2, import_id
FROM ins`

// Insert validates and writes assets in one transaction of its own.
func (s *Service) Insert(ctx context.Context, actor, note string, list []NewAsset) (int64, error) {
	var n int64
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		n, err = s.InsertTx(ctx, tx, actor, note, 0, list)
		return err
	})
	return n, err
}

// InsertTx validates list and writes it inside tx (imports and the demo share one transaction
// with their own bookkeeping). importID 0 means no import. Each asset gets a creation event.
func (s *Service) InsertTx(ctx context.Context, tx pgx.Tx, actor, note string, importID int64, list []NewAsset) (int64, error) {
	if err := stage(ctx, tx, importID, list); err != nil {
		return 0, err
	}
	return insertStaged(ctx, tx, actor, note)
}

// stage validates list and copies it into the transaction's staging table.
func stage(ctx context.Context, tx pgx.Tx, importID int64, list []NewAsset) error {
	for i := range list {
		if err := list[i].Validate(); err != nil {
			return fmt.Errorf("asset %d (%s): %w", i+1, list[i].Code, err)
		}
	}
	if _, err := tx.Exec(ctx, createStaging); err != nil {
		return fmt.Errorf("assets: staging: %w", err)
	}
	if _, err := tx.Exec(ctx, "TRUNCATE asset_staging"); err != nil {
		return fmt.Errorf("assets: staging: %w", err)
	}
	rows := make([][]any, len(list))
	for i := range list {
		r, err := list[i].row(importID)
		if err != nil {
			return fmt.Errorf("asset %d (%s): %w", i+1, list[i].Code, err)
		}
		rows[i] = r
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"asset_staging"}, stagingColumns, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("assets: copy: %w", err)
	}
	return nil
}

// insertStaged inserts every staged row, each with its creation event.
func insertStaged(ctx context.Context, tx pgx.Tx, actor, note string) (int64, error) {
	tag, err := tx.Exec(ctx, insertFromStaging, actor, note)
	if err != nil {
		return 0, mapWriteError(err)
	}
	return tag.RowsAffected(), nil
}

// row flattens a validated asset into the staging columns.
func (a *NewAsset) row(importID int64) ([]any, error) {
	facts := []byte("{}")
	if len(a.Facts) > 0 {
		b, err := json.Marshal(a.Facts)
		if err != nil {
			return nil, problem.Unprocessable("facts", "cannot be stored: %v", err)
		}
		facts = b
	}
	g := a.Geometry
	if p, ok := g.(orb.Polygon); ok {
		g = orb.MultiPolygon{p} // the column holds MultiPolygon or Point
	}
	wkb, err := ewkb.Marshal(g, 0)
	if err != nil {
		return nil, problem.Unprocessable("geometry", "cannot be encoded: %v", err)
	}
	l := a.Land
	if l == nil {
		l = &LandFacts{}
	}
	return []any{
		a.Code, string(a.Kind), a.Name, nullable(a.RegionCode), nullable(a.ZoneCode), a.Holder, a.HolderType,
		a.BookValue, a.AppraisedValue, a.Mode, a.Stage, a.ResponsibleUnit, a.ResponsiblePerson, a.Revenue,
		l.Status, l.ClassSystem, l.ClassCode, l.ApprovalNo, dateArg(l.ApprovalDate), l.SupplyMethod,
		dateArg(l.SupplyDate), dateArg(l.AgreedStart), dateArg(l.ActualStart), l.DevelopedShare,
		l.InvestedShare, l.IdleCause, string(facts), nullable(a.SourceCRS), nullableID(importID), wkb,
	}, nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullableID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func dateArg(d *Date) any {
	if d == nil {
		return nil
	}
	return d.Time
}

// mapWriteError turns constraint violations into user-facing problems, in the register's terms:
// PostgreSQL's message, constraint names included, is for the log (the error still wraps it).
func mapWriteError(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return fmt.Errorf("assets: write: %w", err)
	}
	var pe *problem.Error
	switch pgErr.Code {
	case "23505":
		return fmt.Errorf("%w: an asset of this kind already has this code", problem.ErrConflict)
	case "23503":
		pe = problem.Unprocessable(constraintField(pgErr.ConstraintName), "names a region or zone that does not exist")
	case "23514":
		pe = problem.Unprocessable(constraintField(pgErr.ConstraintName), "breaks a rule of the register")
	case "22P02", "22023", "XX000":
		pe = problem.Unprocessable("geometry", "cannot be processed: send a valid (Multi)Polygon or Point in EPSG:4490 lon/lat")
	case "22003":
		pe = problem.Unprocessable("value", "a number is out of the range the register stores")
	default:
		return fmt.Errorf("assets: write: %w", err)
	}
	return &wrapped{pe, err}
}

// wrapped is a user-facing problem that keeps the database error behind it for the log.
type wrapped struct {
	pe    *problem.Error
	cause error
}

func (w *wrapped) Error() string   { return w.pe.Error() }
func (w *wrapped) Unwrap() []error { return []error{w.pe, w.cause} }

// constraintField names the field a check constraint guards: PostgreSQL names column checks
// assets_<column>_check (numbered when repeated), as are the named ones in the schema.
func constraintField(name string) string {
	f := strings.TrimPrefix(name, "assets_")
	for _, suffix := range []string{"_check", "_fkey"} {
		if i := strings.LastIndex(f, suffix); i > 0 {
			return f[:i]
		}
	}
	if name == "" {
		return "geometry"
	}
	return f
}

// Create writes one asset for actor and returns it as written, read in the same transaction.
// Its geometry is checked (an invalid polygon is repaired, an areal kind needs an area), the
// region it falls in must be the actor's, whatever region the caller named, and a land parcel
// may not overlap live parcels beyond the tolerance without a.OverlapReason (topology.go).
func (s *Service) Create(ctx context.Context, actor Actor, note string, a NewAsset) (Asset, error) {
	var out Asset
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := a.Validate(); err != nil {
			return err
		}
		p, err := place(ctx, tx, &a)
		if err != nil {
			return err
		}
		if err := actor.scopeNew(p.region, a.RegionCode); err != nil {
			return err
		}
		t, err := s.checkNew(ctx, tx, a)
		if err != nil {
			return err
		}
		if _, err := s.InsertTx(ctx, tx, actor.Name, overlapNote(note, t, a.OverlapReason), 0, []NewAsset{a}); err != nil {
			return err
		}
		out, err = s.getTx(ctx, tx, "a.kind = $1 AND a.code = $2 AND a.deleted_at IS NULL", string(a.Kind), a.Code)
		if a.Kind == Land {
			out.Topology = &t
		}
		return err
	})
	return out, err
}
