package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// lockedProject is a project as a change found it, row-locked: its fields, version, the region
// its unit answers to, whether it is deleted, and its snapshot (the event's before).
type lockedProject struct {
	fields  ProjectFields
	version int
	region  *string
	deleted bool
	before  json.RawMessage
}

// active tells whether the project's memberships count (live and not closed).
func (l lockedProject) active() bool { return !l.deleted && l.fields.Status == "active" }

// lockProject reads project id for update and checks that actor may change it (by its unit's
// region) and, when version is not nil, the version the change was made on, in that order.
func lockProject(ctx context.Context, tx pgx.Tx, id int64, version *int, actor Actor) (lockedProject, error) {
	var l lockedProject
	p, err := scanProject(tx.QueryRow(ctx, projectSelect+` WHERE p.id = $1 FOR UPDATE OF p`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return l, fmt.Errorf("project %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return l, fmt.Errorf("ledger: lock project: %w", err)
	}
	l = lockedProject{fields: p.ProjectFields, version: p.Version, region: p.RegionCode, deleted: p.DeletedAt != nil}
	if err := actor.scope(l.region); err != nil {
		return l, err
	}
	if version != nil && *version != l.version {
		return l, fmt.Errorf("project %d is at version %d, the change was made on version %d: %w", id, l.version, *version, problem.ErrStaleVersion)
	}
	l.before, err = snapshot(ctx, tx, id)
	return l, err
}

// checkUnit checks a project's unit: it exists, agrees with the group sent, lies in actor's scope.
func checkUnit(ctx context.Context, tx pgx.Tx, f *ProjectFields, actor Actor) error {
	var grp string
	var region *string
	err := tx.QueryRow(ctx, `SELECT grp, region_code FROM units WHERE code = $1`, f.UnitCode).Scan(&grp, &region)
	if errors.Is(err, pgx.ErrNoRows) {
		return problem.Unprocessable("unit_code", "%q is not a unit (GET /api/v1/units lists them)", f.UnitCode)
	}
	if err != nil {
		return fmt.Errorf("ledger: unit: %w", err)
	}
	if f.Group != "" && f.Group != grp {
		return problem.Unprocessable("group", "unit %s is in group %s, not %s", f.UnitCode, grp, f.Group)
	}
	f.Group = grp
	return actor.scope(region)
}

// CreateProject adds a project with its member assets, as actor, within their scope.
func (s *Service) CreateProject(ctx context.Context, actor Actor, f ProjectFields, assetIDs []int64, note string) (Project, error) {
	var out Project
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		id, err := createTx(ctx, tx, actor, f, assetIDs, "create", note)
		if err != nil {
			return err
		}
		out, err = getProject(ctx, tx, Actor{}, id)
		return err
	})
	return out, err
}

func createTx(ctx context.Context, tx pgx.Tx, actor Actor, f ProjectFields, assetIDs []int64, action, note string) (int64, error) {
	if err := f.validate(); err != nil {
		return 0, err
	}
	if err := checkUnit(ctx, tx, &f, actor); err != nil {
		return 0, err
	}
	const q = `INSERT INTO projects (code, name, year, unit_code, field, mode, instrument, holder, responsible_unit,
  responsible_person, planned_start, planned_end, expected_benefit, description, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::date, $12::date, $13, $14, $15) RETURNING id`
	var id int64
	if err := tx.QueryRow(ctx, q, f.values()...).Scan(&id); err != nil {
		return 0, mapProjectError(err)
	}
	if err := setMembers(ctx, tx, actor, id, assetIDs, f.Status == "active"); err != nil {
		return 0, err
	}
	return id, appendEvent(ctx, tx, id, action, actor, note, nil)
}

// values are f's columns in the order of the INSERT and UPDATE statements.
func (f *ProjectFields) values() []any {
	return []any{f.Code, f.Name, f.Year, f.UnitCode, f.Field, f.Mode, f.Instrument, f.Holder, f.ResponsibleUnit,
		f.ResponsiblePerson, f.PlannedStart, f.PlannedEnd, f.ExpectedBenefit, f.Description, f.Status}
}

// UpdateProject changes project id made on version: apply edits a copy of its fields, which are
// then checked as a whole. Closing a project frees its assets, reopening takes them back.
func (s *Service) UpdateProject(ctx context.Context, actor Actor, id int64, version int, note string, apply func(*ProjectFields) error) (Project, error) {
	return s.changeLive(ctx, actor, id, version, func(tx pgx.Tx, l lockedProject) error {
		f := l.fields
		if err := apply(&f); err != nil {
			return err
		}
		return updateTx(ctx, tx, actor, id, l, f, "update", note)
	})
}

// changeLive runs change on live project id, locked at version, and returns the project as it left it.
func (s *Service) changeLive(ctx context.Context, actor Actor, id int64, version int, change func(pgx.Tx, lockedProject) error) (Project, error) {
	var out Project
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		l, err := lockProject(ctx, tx, id, &version, actor)
		if err != nil {
			return err
		}
		if l.deleted {
			return fmt.Errorf("project %d is deleted (restore it first): %w", id, problem.ErrNotFound)
		}
		if err := change(tx, l); err != nil {
			return err
		}
		out, err = getProject(ctx, tx, Actor{}, id)
		return err
	})
	return out, err
}

func updateTx(ctx context.Context, tx pgx.Tx, actor Actor, id int64, l lockedProject, f ProjectFields, action, note string) error {
	if err := f.validate(); err != nil {
		return err
	}
	if err := checkUnit(ctx, tx, &f, actor); err != nil {
		return err
	}
	const q = `UPDATE projects SET code = $1, name = $2, year = $3, unit_code = $4, field = $5, mode = $6,
  instrument = $7, holder = $8, responsible_unit = $9, responsible_person = $10, planned_start = $11::date,
  planned_end = $12::date, expected_benefit = $13, description = $14, status = $15,
  version = version + 1, updated_at = now() WHERE id = $16`
	if _, err := tx.Exec(ctx, q, append(f.values(), id)...); err != nil {
		return mapProjectError(err)
	}
	if f.Status != l.fields.Status {
		if err := setActive(ctx, tx, id, f.Status == "active"); err != nil {
			return err
		}
	}
	return appendEvent(ctx, tx, id, action, actor, note, l.before)
}

// DeleteProject soft-deletes project id (version checked when given) and frees its assets.
func (s *Service) DeleteProject(ctx context.Context, actor Actor, id int64, version *int, note string) error {
	return s.setDeleted(ctx, actor, id, version, note, true)
}

// RestoreProject brings a deleted project back with its assets, unless its code or one of its
// assets has been taken by a live project meanwhile (409).
func (s *Service) RestoreProject(ctx context.Context, actor Actor, id int64, version *int, note string) (Project, error) {
	if err := s.setDeleted(ctx, actor, id, version, note, false); err != nil {
		return Project{}, err
	}
	d, err := s.Project(ctx, Actor{}, id)
	return d.Project, err
}

func (s *Service) setDeleted(ctx context.Context, actor Actor, id int64, version *int, note string, del bool) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		l, err := lockProject(ctx, tx, id, version, actor)
		if err != nil {
			return err
		}
		if l.deleted == del {
			return fmt.Errorf("project %d is already %s: %w", id, map[bool]string{true: "deleted", false: "live"}[del], problem.ErrNotFound)
		}
		set, action := "deleted_at = now()", "delete"
		if !del {
			set, action = "deleted_at = NULL", "restore"
		}
		if _, err := tx.Exec(ctx, `UPDATE projects SET `+set+`, version = version + 1, updated_at = now() WHERE id = $1`, id); err != nil {
			return mapProjectError(err)
		}
		if err := setActive(ctx, tx, id, !del && l.fields.Status == "active"); err != nil {
			return err
		}
		return appendEvent(ctx, tx, id, action, actor, note, l.before)
	})
}

// SetAssets replaces project id's member assets (made on version); each asset may belong to
// one active project only.
func (s *Service) SetAssets(ctx context.Context, actor Actor, id int64, version int, assetIDs []int64, note string) (Project, error) {
	return s.changeLive(ctx, actor, id, version, func(tx pgx.Tx, l lockedProject) error {
		return setAssetsTx(ctx, tx, actor, id, l, assetIDs, note)
	})
}

func setAssetsTx(ctx context.Context, tx pgx.Tx, actor Actor, id int64, l lockedProject, assetIDs []int64, note string) error {
	if err := setMembers(ctx, tx, actor, id, assetIDs, l.active()); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE projects SET version = version + 1, updated_at = now() WHERE id = $1`, id); err != nil {
		return mapProjectError(err)
	}
	return appendEvent(ctx, tx, id, "assets", actor, note, l.before)
}

// setMembers makes ids the member assets of project id: they must be live assets within
// actor's scope and, when the project is active, in no other active project.
func setMembers(ctx context.Context, tx pgx.Tx, actor Actor, id int64, ids []int64, active bool) error {
	ids = uniqueIDs(ids)
	if err := checkAssets(ctx, tx, actor, ids); err != nil {
		return err
	}
	if active {
		if err := checkClash(ctx, tx, id, ids); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM project_assets WHERE project_id = $1 AND asset_id <> ALL($2::bigint[])`, id, ids); err != nil {
		return mapProjectError(err)
	}
	const q = `INSERT INTO project_assets (project_id, asset_id, active) SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING`
	if _, err := tx.Exec(ctx, q, id, ids, active); err != nil {
		return mapProjectError(err)
	}
	return nil
}

func uniqueIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// checkAssets refuses ids that are no live asset (422) or lie outside actor's region (403).
func checkAssets(ctx context.Context, tx pgx.Tx, actor Actor, ids []int64) error {
	const q = `SELECT i, a.code, a.region_code, a.id IS NOT NULL FROM unnest($1::bigint[]) i
LEFT JOIN assets a ON a.id = i AND a.deleted_at IS NULL ORDER BY i`
	rows, err := tx.Query(ctx, q, ids)
	if err != nil {
		return fmt.Errorf("ledger: member assets: %w", err)
	}
	var missing []string
	var outside error
	var id int64
	var code, region *string
	var found bool
	_, err = pgx.ForEachRow(rows, []any{&id, &code, &region, &found}, func() error {
		switch {
		case !found:
			missing = append(missing, fmt.Sprint(id))
		case outside == nil && actor.Region != nil && actor.scope(region) != nil:
			outside = problem.Forbidden("asset %s lies outside your region %s", *code, *actor.Region)
		}
		return nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("ledger: member assets: %w", err)
	case len(missing) > 0:
		return problem.Unprocessable("asset_ids", "no asset has id %s", strings.Join(missing, ", "))
	}
	return outside
}

// checkClash refuses ids of which one already belongs to another active project: a 409 naming
// the asset's code and the other project's.
func checkClash(ctx context.Context, tx pgx.Tx, id int64, ids []int64) error {
	const q = `SELECT a.code, p.code FROM project_assets pa JOIN projects p ON p.id = pa.project_id
JOIN assets a ON a.id = pa.asset_id WHERE pa.asset_id = ANY($1::bigint[]) AND pa.active AND pa.project_id <> $2
ORDER BY a.code`
	rows, err := tx.Query(ctx, q, ids, id)
	if err != nil {
		return fmt.Errorf("ledger: clash: %w", err)
	}
	var clashes []string
	var asset, project string
	if _, err := pgx.ForEachRow(rows, []any{&asset, &project}, func() error {
		clashes = append(clashes, fmt.Sprintf("asset %s already belongs to active project %s", asset, project))
		return nil
	}); err != nil {
		return fmt.Errorf("ledger: clash: %w", err)
	}
	if len(clashes) > 0 {
		return conflict("asset_ids", "%s", strings.Join(clashes, "; "))
	}
	return nil
}

// setActive makes project id's memberships count (or not); taking them back checks for clashes.
func setActive(ctx context.Context, tx pgx.Tx, id int64, active bool) error {
	if active {
		var ids []int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(asset_id), '{}') FROM project_assets WHERE project_id = $1`, id).Scan(&ids); err != nil {
			return fmt.Errorf("ledger: members: %w", err)
		}
		if err := checkClash(ctx, tx, id, ids); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE project_assets SET active = $2 WHERE project_id = $1`, id, active); err != nil {
		return mapProjectError(err)
	}
	return nil
}
