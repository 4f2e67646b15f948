package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// projectSelect reads projects with their unit and totals: member assets (live ones) and their
// 亩, and the 经济效益 of the approved reports.
const projectSelect = `SELECT p.id, p.code, p.name, p.year, u.grp, p.unit_code, p.field, p.mode, p.instrument,
  p.holder, p.responsible_unit, p.responsible_person, to_char(p.planned_start, 'YYYY-MM-DD'),
  to_char(p.planned_end, 'YYYY-MM-DD'), p.expected_benefit::float8, p.description, p.status,
  u.name, u.region_code, p.version, p.created_at, p.updated_at, p.deleted_at,
  coalesce(m.n, 0), coalesce(m.mu, 0), coalesce(r.benefit, 0)
FROM projects p JOIN units u ON u.code = p.unit_code
LEFT JOIN LATERAL (SELECT count(*)::int n, round(sum(a.area_mu)::numeric, 2)::float8 mu FROM project_assets pa
  JOIN assets a ON a.id = pa.asset_id AND a.deleted_at IS NULL WHERE pa.project_id = p.id) m ON true
LEFT JOIN LATERAL (SELECT sum(economic_benefit)::float8 benefit FROM project_reports
  WHERE project_id = p.id AND state = 'approved') r ON true`

func scanProject(row pgx.Row, extra ...any) (Project, error) {
	var p Project
	f := &p.ProjectFields
	dest := append([]any{&p.ID, &f.Code, &f.Name, &f.Year, &f.Group, &f.UnitCode, &f.Field, &f.Mode, &f.Instrument,
		&f.Holder, &f.ResponsibleUnit, &f.ResponsiblePerson, &f.PlannedStart, &f.PlannedEnd, &f.ExpectedBenefit,
		&f.Description, &f.Status, &p.UnitName, &p.RegionCode, &p.Version, &p.CreatedAt, &p.UpdatedAt, &p.DeletedAt,
		&p.AssetCount, &p.AreaMu, &p.BenefitToDate}, extra...)
	err := row.Scan(dest...)
	return p, err
}

// args collects SQL arguments and hands out their $n placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// where is the list's condition for filter f as actor sees it (live projects in their scope).
func (f ProjectFilter) where(actor Actor, a *args) string {
	conds := []string{"p.deleted_at IS NULL"}
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+" = "+a.add(v))
		}
	}
	eq("u.grp", f.Group)
	eq("p.unit_code", f.Unit)
	eq("p.field", f.Field)
	eq("p.mode", f.Mode)
	eq("p.status", f.Status)
	if f.Year != 0 {
		conds = append(conds, "p.year = "+a.add(f.Year))
	}
	for _, r := range []*string{&f.Region, actor.Region} {
		if r != nil && *r != "" {
			conds = append(conds, "region_within(u.region_code, "+a.add(*r)+")")
		}
	}
	if f.Q != "" {
		n := a.add(strings.ToLower(f.Q))
		conds = append(conds, "(strpos(lower(p.code), "+n+") > 0 OR strpos(lower(p.name), "+n+") > 0)")
	}
	if f.Asset != 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM project_assets x WHERE x.project_id = p.id AND x.asset_id = "+a.add(f.Asset)+")")
	}
	return strings.Join(conds, " AND ")
}

// Projects lists the live projects matching f that actor may see (their region scope), newest
// year first, with the number of all matches.
func (s *Service) Projects(ctx context.Context, actor Actor, f ProjectFilter) ([]Project, int, error) {
	if err := f.validate(); err != nil {
		return nil, 0, err
	}
	var a args
	q := projectSelect + ` WHERE ` + f.where(actor, &a) + ` ORDER BY p.year DESC, p.code`
	if f.Limit > 0 {
		q += ` LIMIT ` + a.add(f.Limit) + ` OFFSET ` + a.add(f.Offset)
	}
	rows, err := s.pool.Query(ctx, q, a...)
	if err != nil {
		return nil, 0, fmt.Errorf("ledger: projects: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Project, error) { return scanProject(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("ledger: projects: %w", err)
	}
	total := len(list) + f.Offset
	if f.Limit > 0 && (len(list) == f.Limit || f.Offset > 0) {
		var c args
		err = s.pool.QueryRow(ctx, `SELECT count(*) FROM projects p JOIN units u ON u.code = p.unit_code WHERE `+f.where(actor, &c), c...).Scan(&total)
	}
	return list, total, err
}

// scopeCond limits a read by id to actor's region ($2; NULL: everywhere).
const scopeCond = ` WHERE p.id = $1 AND ($2::text IS NULL OR region_within(u.region_code, $2))`

// Project returns project id (deleted or not) with its member assets and history, if actor may see it.
func (s *Service) Project(ctx context.Context, actor Actor, id int64) (Detail, error) {
	var d Detail
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if d.Project, err = getProject(ctx, tx, actor, id); err != nil {
			return err
		}
		if d.Assets, err = members(ctx, tx, id); err != nil {
			return err
		}
		d.History, err = history(ctx, tx, id)
		return err
	})
	return d, err
}

func getProject(ctx context.Context, q pgx.Tx, actor Actor, id int64) (Project, error) {
	p, err := scanProject(q.QueryRow(ctx, projectSelect+scopeCond, id, actor.Region))
	if errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("project %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("ledger: project: %w", err)
	}
	return p, nil
}

func members(ctx context.Context, tx pgx.Tx, id int64) ([]Member, error) {
	const q = `SELECT a.id, a.kind, a.code, a.name, round(a.area_mu::numeric, 2)::float8, a.stage
FROM project_assets pa JOIN assets a ON a.id = pa.asset_id AND a.deleted_at IS NULL
WHERE pa.project_id = $1 ORDER BY a.code, a.id`
	rows, err := tx.Query(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("ledger: members: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Member])
	if err != nil {
		return nil, fmt.Errorf("ledger: members: %w", err)
	}
	return out, nil
}

func history(ctx context.Context, tx pgx.Tx, id int64) ([]Event, error) {
	const q = `SELECT id, action, actor, at, before, after, note FROM project_events WHERE project_id = $1 ORDER BY at, id`
	rows, err := tx.Query(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("ledger: history: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Event])
	if err != nil {
		return nil, fmt.Errorf("ledger: history: %w", err)
	}
	return out, nil
}

// AssetProject is the project asset id belongs to: its active one, else the latest live project
// that holds it (a closed one); ok is false when none does.
func (s *Service) AssetProject(ctx context.Context, assetID int64) (r Ref, ok bool, err error) {
	const q = `SELECT p.id, p.code, p.name FROM project_assets pa JOIN projects p ON p.id = pa.project_id
WHERE pa.asset_id = $1 AND p.deleted_at IS NULL ORDER BY pa.active DESC, pa.added_at DESC, p.id DESC LIMIT 1`
	err = s.pool.QueryRow(ctx, q, assetID).Scan(&r.ID, &r.Code, &r.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("ledger: asset project: %w", err)
	}
	return r, true, nil
}

// GeoJSON is project id's member assets as a FeatureCollection (EPSG:4490 lon/lat, 6 decimals)
// with their bbox (null when it has none), for the map to highlight them.
func (s *Service) GeoJSON(ctx context.Context, actor Actor, id int64) ([]byte, error) {
	const q = `SELECT json_build_object('type', 'FeatureCollection',
  'project', json_build_object('id', p.id, 'code', p.code, 'name', p.name),
  'bbox', CASE WHEN count(a.id) > 0 THEN json_build_array(round(ST_XMin(ST_Extent(a.geom))::numeric, 6),
    round(ST_YMin(ST_Extent(a.geom))::numeric, 6), round(ST_XMax(ST_Extent(a.geom))::numeric, 6),
    round(ST_YMax(ST_Extent(a.geom))::numeric, 6)) END,
  'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', a.id,
    'geometry', ST_AsGeoJSON(a.geom, 6)::json,
    'properties', json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'kind', a.kind,
      'area_mu', round(a.area_mu::numeric, 2), 'stage', a.stage, 'project_id', p.id)) ORDER BY a.code, a.id)
    FILTER (WHERE a.id IS NOT NULL), '[]'))
FROM projects p JOIN units u ON u.code = p.unit_code
LEFT JOIN project_assets pa ON pa.project_id = p.id
LEFT JOIN assets a ON a.id = pa.asset_id AND a.deleted_at IS NULL` + scopeCond + ` GROUP BY p.id`
	var out []byte
	err := s.pool.QueryRow(ctx, q, id, actor.Region).Scan(&out)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("project %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: project geojson: %w", err)
	}
	return out, nil
}

// mapProjectError turns a taken code or a clash over an asset into a 409 naming the field.
func mapProjectError(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return fmt.Errorf("ledger: project write: %w", err)
	}
	switch {
	case pgErr.Code == "23505" && pgErr.ConstraintName == "project_assets_one_active":
		return conflict("asset_ids", "an asset already belongs to another active project")
	case pgErr.Code == "23505":
		return conflict("code", "a live project already has this code")
	case pgErr.Code == "23514" || pgErr.Code == "22003":
		return problem.Unprocessable("body", "breaks a rule of the 台账: %s", pgErr.ConstraintName)
	}
	return fmt.Errorf("ledger: project write: %w", err)
}

// snapshotJSON is project $1 as JSON with its member assets' codes: an event's before and after.
const snapshotJSON = `(SELECT to_jsonb(p) || jsonb_build_object('assets', coalesce((SELECT jsonb_agg(a.code ORDER BY a.code)
  FROM project_assets pa JOIN assets a ON a.id = pa.asset_id WHERE pa.project_id = p.id), '[]'::jsonb))
  FROM projects p WHERE p.id = $1)`

func snapshot(ctx context.Context, tx pgx.Tx, id int64) (json.RawMessage, error) {
	var b json.RawMessage
	if err := tx.QueryRow(ctx, `SELECT `+snapshotJSON, id).Scan(&b); err != nil {
		return nil, fmt.Errorf("ledger: snapshot: %w", err)
	}
	return b, nil
}

// appendEvent records one change of project id with its state before (nil for a creation) and after.
func appendEvent(ctx context.Context, tx pgx.Tx, id int64, action string, actor Actor, note string, before json.RawMessage) error {
	const q = `INSERT INTO project_events (project_id, action, user_id, actor, before, after, note)
VALUES ($1, $2, nullif($3, 0), $4, $5, ` + snapshotJSON + `, $6)`
	if _, err := tx.Exec(ctx, q, id, action, actor.UserID, actor.Name, before, note); err != nil {
		return fmt.Errorf("ledger: event: %w", err)
	}
	return nil
}

// assetCodes are the live member assets' codes of each project, joined with 、 in code order.
func (s *Service) assetCodes(ctx context.Context, ids []int64) (map[int64]string, error) {
	const q = `SELECT pa.project_id, string_agg(a.code, '` + assetSep + `' ORDER BY a.code) FROM project_assets pa
JOIN assets a ON a.id = pa.asset_id AND a.deleted_at IS NULL WHERE pa.project_id = ANY($1::bigint[]) GROUP BY 1`
	rows, err := s.pool.Query(ctx, q, ids)
	if err != nil {
		return nil, fmt.Errorf("ledger: asset codes: %w", err)
	}
	out := map[int64]string{}
	var id int64
	var codes string
	_, err = pgx.ForEachRow(rows, []any{&id, &codes}, func() error { out[id] = codes; return nil })
	if err != nil {
		return nil, fmt.Errorf("ledger: asset codes: %w", err)
	}
	return out, nil
}

// ledgerTitle is the 台账's title: the deployment's city, and the year when one is filtered on.
func (s *Service) ledgerTitle(ctx context.Context, year int) (string, error) {
	var city string
	err := s.pool.QueryRow(ctx, `SELECT coalesce((SELECT name FROM deployment), '')`).Scan(&city)
	if err != nil {
		return "", fmt.Errorf("ledger: city: %w", err)
	}
	title := city + `国有"三资"盘活项目台账`
	if year != 0 {
		title += fmt.Sprintf("（%d年）", year)
	}
	return title, nil
}
