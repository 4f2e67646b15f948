package assets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

// selectColumns is the SELECT list scanAsset reads, on assets a joined to regions r and zones z.
const selectColumns = `a.id, a.code, a.kind, a.name, a.region_code, r.name, a.zone_code, z.name, a.holder,
    a.holder_type, a.book_value::float8, a.appraised_value::float8, a.mode, a.stage, a.responsible_unit,
    a.responsible_person, a.revenue::float8, a.area_m2, a.area_mu, a.land_status, a.land_class_system,
    a.land_class_code, a.approval_no, a.approval_date, a.supply_method, a.supply_date, a.agreed_start,
    a.actual_start, a.developed_share, a.invested_share, a.idle_cause, a.idle_override,
    a.idle_override_reason, a.facts, a.source_crs, a.version, a.created_at, a.updated_at, ` + centerColumn + `, ` + attachmentsColumn

// centerColumn is Asset.Center: a point on the surface, rounded once here so that lists and
// exports show the same figures.
const centerColumn = `(SELECT ARRAY[round(ST_X(p)::numeric, 6), round(ST_Y(p)::numeric, 6)]::float8[] FROM ST_PointOnSurface(a.geom) p)`

// attachmentsColumn is Asset.Attachments: how many live files the asset has (附件数).
const attachmentsColumn = `(SELECT count(*) FROM attachments t WHERE t.asset_id = a.id AND t.deleted_at IS NULL)`

// columnsFor is selectColumns for a shape: the answers of CenterShape (map marks, up to 10,000
// at once) are that point already and skip computing it twice (Center is then nil).
func columnsFor(shape Shape) string {
	if shape == CenterShape {
		return strings.NewReplacer(centerColumn, "NULL::float8[]", attachmentsColumn, "0::bigint").Replace(selectColumns)
	}
	return selectColumns
}

const fromJoined = ` FROM assets a LEFT JOIN regions r ON r.code = a.region_code LEFT JOIN zones z ON z.code = a.zone_code`

// scanAsset reads one row of selectColumns (plus extra destinations) into an Asset.
func (s *Service) scanAsset(row pgx.Row, extra ...any) (Asset, error) {
	var a Asset
	l := &LandFacts{}
	var dates [4]*time.Time
	dest := []any{
		&a.ID, &a.Code, &a.Kind, &a.Name, &a.RegionCode, &a.RegionName, &a.ZoneCode, &a.ZoneName, &a.Holder,
		&a.HolderType, &a.BookValue, &a.AppraisedValue, &a.Mode, &a.Stage, &a.ResponsibleUnit,
		&a.ResponsiblePerson, &a.Revenue, &a.AreaM2, &a.AreaMu, &l.Status, &l.ClassSystem,
		&l.ClassCode, &l.ApprovalNo, &dates[0], &l.SupplyMethod, &dates[1], &dates[2],
		&dates[3], &l.DevelopedShare, &l.InvestedShare, &l.IdleCause, &l.IdleOverride,
		&l.IdleOverrideReason, &a.Facts, &a.SourceCRS, &a.Version, &a.CreatedAt, &a.UpdatedAt, &a.Center,
		&a.Attachments,
	}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return a, err
	}
	if a.Kind == Land {
		l.ApprovalDate, l.SupplyDate, l.AgreedStart, l.ActualStart = toDate(dates[0]), toDate(dates[1]), toDate(dates[2]), toDate(dates[3])
		l.Idle = Assess(l, s.now())
		a.Land = l
	}
	return a, nil
}

func toDate(t *time.Time) *Date {
	if t == nil {
		return nil
	}
	return &Date{*t}
}

// Result is one page of a search with the totals of everything that matched.
type Result struct {
	Total  int64   `json:"total"`
	Limit  int     `json:"limit"`
	Offset int     `json:"offset"`
	Items  []Asset `json:"items"`
	Totals Totals  `json:"totals"`
	// BBox is the extent of every match [minlon, minlat, maxlon, maxlat] (nil for none): what
	// a map frames when a filter or search is applied.
	BBox *[4]float64 `json:"bbox,omitempty"`
}

// extentColumns are the SQL of the extent of the matching assets a (NULLs for none).
const extentColumns = `ST_XMin(ST_Extent(a.geom)), ST_YMin(ST_Extent(a.geom)), ST_XMax(ST_Extent(a.geom)), ST_YMax(ST_Extent(a.geom))`

// extent scans the four columns of an extent into a BBox (nil when they are NULL).
type extent [4]*float64

func (e *extent) dest() []any { return []any{&e[0], &e[1], &e[2], &e[3]} }

func (e *extent) bbox() *[4]float64 {
	if e[0] == nil || e[1] == nil || e[2] == nil || e[3] == nil {
		return nil
	}
	return &[4]float64{*e[0], *e[1], *e[2], *e[3]}
}

// Totals sum a set of assets: count, 亩, 万元; OverlapMu, for spatial queries, the 亩 inside
// the zone or area.
type Totals struct {
	Count          int64    `json:"count"`
	AreaMu         float64  `json:"area_mu"`
	BookValue      float64  `json:"book_value"`
	AppraisedValue float64  `json:"appraised_value"`
	Revenue        float64  `json:"revenue"`
	OverlapMu      *float64 `json:"overlap_mu,omitempty"`
}

const totalsColumns = `count(*), coalesce(sum(a.area_mu), 0), coalesce(sum(a.book_value), 0)::float8,
    coalesce(sum(a.appraised_value), 0)::float8, coalesce(sum(a.revenue), 0)::float8`

// Shape says which geometry a listing carries with each asset.
type Shape string

const (
	// NoShape leaves geometry out.
	NoShape Shape = ""
	// FullShape is the asset's own geometry.
	FullShape Shape = "full"
	// CenterShape is one point on the asset's surface (ST_PointOnSurface): enough to mark where
	// thousands of results lie at a fraction of their polygons' size.
	CenterShape Shape = "center"
)

// ValidShape tells whether v names a Shape other than NoShape.
func ValidShape(v string) bool { return Shape(v) == FullShape || Shape(v) == CenterShape }

// Search returns one page of assets matching f, with totals over all matches, each asset with
// the geometry shape asks for. With f.Within each asset carries its Share inside that area, and
// the totals the 亩 inside it.
func (s *Service) Search(ctx context.Context, f Filter, p Page, shape Shape) (Result, error) {
	var b sqlBuilder
	if err := f.apply(&b); err != nil {
		return Result{}, err
	}
	where := joinAnd(b.conds)
	res := Result{Limit: p.Limit, Offset: p.Offset, Items: []Asset{}}
	t := &res.Totals
	var ext extent
	totals := totalsColumns + ", " + extentColumns
	dest := append([]any{&t.Count, &t.AreaMu, &t.BookValue, &t.AppraisedValue, &t.Revenue}, ext.dest()...)
	overlap := b.overlap()
	if overlap != "" {
		totals += ", coalesce(sum(" + overlap + "), 0)"
		t.OverlapMu = new(float64)
		dest = append(dest, t.OverlapMu)
	}
	if err := s.reads.QueryRow(ctx, "SELECT "+totals+" FROM assets a WHERE "+where, b.args...).Scan(dest...); err != nil {
		return res, fmt.Errorf("assets: search totals: %w", err)
	}
	res.Total, res.BBox = t.Count, ext.bbox()
	cols := columnsFor(shape)
	if overlap != "" {
		cols += ", " + overlap
	}
	q := "SELECT " + cols + geomColumn(shape) + fromJoined + " WHERE " + where +
		" ORDER BY " + orderBy(p.Sort) + " LIMIT " + b.arg(p.Limit) + " OFFSET " + b.arg(p.Offset)
	err := s.each(ctx, q, b.args, shape != NoShape, overlap != "", func(a Asset) error {
		res.Items = append(res.Items, a)
		return nil
	})
	return res, err
}

// geomColumn is the extra SELECT column of a shape (none for NoShape).
func geomColumn(shape Shape) string {
	switch shape {
	case FullShape:
		return ", ST_AsGeoJSON(a.geom, 7)::bytea"
	case CenterShape:
		return ", ST_AsGeoJSON(ST_PointOnSurface(a.geom), 7)::bytea"
	}
	return ""
}

// each scans the rows of q (selectColumns, then the overlap in 亩 when withShare, then the
// geometry when withGeom) into assets for fn.
func (s *Service) each(ctx context.Context, q string, args []any, withGeom, withShare bool, fn func(Asset) error) error {
	rows, err := s.reads.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("assets: query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var extra []any
		var g []byte
		var overlap float64
		if withShare {
			extra = append(extra, &overlap)
		}
		if withGeom {
			extra = append(extra, &g)
		}
		a, err := s.scanAsset(rows, extra...)
		if err != nil {
			return fmt.Errorf("assets: scan: %w", err)
		}
		a.Geometry = g
		if withShare {
			a.Share = newShare(overlap, a.AreaMu)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("assets: rows: %w", err)
	}
	return nil
}

// Get returns one live asset with its geometry and full history.
func (s *Service) Get(ctx context.Context, id int64) (Asset, []Event, error) {
	a, err := s.getTx(ctx, s.reads, "a.id = $1 AND a.deleted_at IS NULL", id)
	if errors.Is(err, problem.ErrNotFound) {
		return a, nil, fmt.Errorf("asset %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return a, nil, err
	}
	ev, err := s.History(ctx, id)
	return a, ev, err
}

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// getTx reads the one asset matching cond (over assets a, with $n args) with its geometry,
// through q: a write's own transaction answers with the row as that transaction wrote it.
func (s *Service) getTx(ctx context.Context, q querier, cond string, args ...any) (Asset, error) {
	sql := "SELECT " + selectColumns + geomColumn(FullShape) + fromJoined + " WHERE " + cond
	var g []byte
	a, err := s.scanAsset(q.QueryRow(ctx, sql, args...), &g)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("asset: %w", problem.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("assets: get: %w", err)
	}
	a.Geometry = g
	return a, nil
}

// historyQuery lists asset $1's events up to $2 (NULL: all).
const historyQuery = `SELECT id, action, actor, at, before, after, note FROM asset_events
WHERE asset_id = $1 AND ($2::timestamptz IS NULL OR at <= $2) ORDER BY at, id`

// History lists an asset's events, oldest first.
func (s *Service) History(ctx context.Context, id int64) ([]Event, error) {
	return s.history(ctx, id, nil)
}

// history lists an asset's events up to until (nil: all), oldest first.
func (s *Service) history(ctx context.Context, id int64, until *time.Time) ([]Event, error) {
	rows, err := s.reads.Query(ctx, historyQuery, id, until)
	if err != nil {
		return nil, fmt.Errorf("assets: history: %w", err)
	}
	ev, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		err := r.Scan(&e.ID, &e.Action, &e.Actor, &e.At, &e.Before, &e.After, &e.Note)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("assets: history: %w", err)
	}
	return ev, nil
}

func joinAnd(conds []string) string { return strings.Join(conds, " AND ") }
