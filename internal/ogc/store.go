package ogc

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/ogc/cql2"
	"github.com/onemap/onemap/internal/problem"
)

// DB is what the store needs from a pool: *pgxpool.Pool satisfies it, and so do read replicas
// (db.Reads).
type DB = db.Querier

// store runs the collections' SQL. Identifiers come only from the catalogue; every value of a
// request is a $n argument.
type store struct {
	db     DB
	counts *countCache
}

// feature is one row as the database wrote it: id, geometry and properties are JSON already.
type feature struct {
	ID, Geometry, Properties []byte
}

// page is one page of /items; More says whether features follow it.
type page struct {
	Matched  int64
	Features []feature
	More     bool
}

// sqlQuery is a WHERE clause with its arguments.
type sqlQuery struct {
	where []string
	args  []any
}

func (q *sqlQuery) arg(v any, cast string) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args)) + "::" + cast
}

// where builds the conditions shared by the count and the page.
func (iq *itemsQuery) where() (*sqlQuery, error) {
	c := iq.coll
	q := &sqlQuery{where: []string{c.Where}}
	if c.Kind != "" {
		q.args = append(q.args, c.Kind)
	}
	if iq.bbox != nil {
		q.where = append(q.where, iq.bboxSQL(q))
	}
	if iq.from != nil {
		q.where = append(q.where, c.Time+" >= "+q.arg(*iq.from, "timestamptz"))
	}
	if iq.to != nil {
		q.where = append(q.where, c.Time+" <= "+q.arg(*iq.to, "timestamptz"))
	}
	if iq.filter != nil {
		sql, args, err := cql2.Compile(iq.filter, c.schema(), cql2.Options{
			SRID: iq.filterCRS.SRID, SwapXY: iq.filterCRS.LatLon, StorageSRID: storageSRID, FirstArg: len(q.args) + 1,
		})
		if err != nil {
			return nil, problem.Invalid("filter", "%v", err)
		}
		q.where, q.args = append(q.where, sql), append(q.args, args...)
	}
	return q, nil
}

// spatial reports whether the selection has a spatial condition.
func (iq *itemsQuery) spatial() bool {
	return iq.bbox != nil || (iq.filter != nil && cql2.UsesSpatial(iq.filter))
}

// bboxSQL intersects with the box, given in bbox-crs's axis order.
func (iq *itemsQuery) bboxSQL(q *sqlQuery) string {
	b := iq.bbox
	if iq.bboxCRS.LatLon {
		b = []float64{b[1], b[0], b[3], b[2]}
	}
	env := "ST_MakeEnvelope(" + q.arg(b[0], "float8") + ", " + q.arg(b[1], "float8") + ", " +
		q.arg(b[2], "float8") + ", " + q.arg(b[3], "float8") + ", " + strconv.Itoa(iq.bboxCRS.SRID) + ")"
	switch iq.bboxCRS.SRID {
	case 3857:
		return "ST_Intersects(" + iq.coll.Geom3857 + ", " + env + ")"
	case storageSRID:
		return "ST_Intersects(" + iq.coll.Geom + ", " + env + ")"
	}
	return "ST_Intersects(" + iq.coll.Geom + ", ST_Transform(" + env + ", " + strconv.Itoa(storageSRID) + "))"
}

// selectList writes id, geometry and properties as JSON text.
func selectList(c *collection, crs crsDef, props []property) string {
	obj := make([]string, 0, 2*len(props))
	for _, p := range props {
		obj = append(obj, "'"+p.Name+"'", p.SQL)
	}
	return "to_json(" + c.IDSQL + ")::text, ST_AsGeoJSON(" + crs.geomSQL(c) + ", " + strconv.Itoa(crs.Digits) +
		")::text, json_build_object(" + strings.Join(obj, ", ") + ")::text"
}

// orderBy sorts by the keys, then by id so that pages never overlap.
func orderBy(id string, keys []sortKey) string {
	parts := make([]string, 0, len(keys)+1)
	for _, k := range keys {
		dir := " ASC NULLS LAST"
		if k.desc {
			dir = " DESC NULLS LAST"
		}
		parts = append(parts, k.sql+dir)
	}
	return strings.Join(append(parts, id), ", ")
}

// keysSQL selects the ids of the matching rows in page order. Behind a spatial condition the
// selection is fenced (OFFSET 0) and sorted after: otherwise the planner may walk the primary key
// in order and test every row against the geometry, far slower than the spatial index when
// the matches lie late in id order.
func keysSQL(c *collection, cond string, keys []sortKey, spatial bool) string {
	if !spatial {
		return "SELECT " + c.IDSQL + " FROM " + c.From + " WHERE " + cond + " ORDER BY " + orderBy(c.IDSQL, keys)
	}
	cols, outer := []string{c.IDSQL + " AS k"}, make([]sortKey, len(keys))
	for i, k := range keys {
		alias := "s" + strconv.Itoa(i)
		cols, outer[i] = append(cols, k.sql+" AS "+alias), sortKey{sql: alias, desc: k.desc}
	}
	return "SELECT k FROM (SELECT " + strings.Join(cols, ", ") + " FROM " + c.From + " WHERE " + cond +
		" OFFSET 0) f ORDER BY " + orderBy("k", outer)
}

// items counts the matching features and reads one page of them.
func (s *store) items(ctx context.Context, iq *itemsQuery) (page, error) {
	q, err := iq.where()
	if err != nil {
		return page{}, err
	}
	c, cond := iq.coll, strings.Join(q.where, " AND ")
	var p page
	if p.Matched, err = s.count(ctx, "SELECT count(*) FROM "+c.From+" WHERE "+cond, q.args); err != nil {
		return page{}, err
	}
	if iq.hits {
		return p, nil
	}
	// The page's keys first, then the expensive columns for those rows only: rows skipped by
	// OFFSET would otherwise each be transformed and written as JSON.
	keys := keysSQL(c, cond, iq.sortBy, iq.spatial()) + " LIMIT " + q.arg(iq.limit+1, "int") + " OFFSET " + q.arg(iq.offset, "int")
	order := orderBy(c.IDSQL, iq.sortBy)
	sql := "SELECT " + selectList(c, iq.crs, iq.props) + " FROM " + c.From + " WHERE " + c.IDSQL + " IN (" + keys + ") ORDER BY " + order
	// One row more than the page tells whether a next page exists, whatever the count says.
	if p.Features, err = s.features(ctx, sql, q.args); err != nil {
		return page{}, err
	}
	if p.More = len(p.Features) > iq.limit; p.More {
		p.Features = p.Features[:iq.limit]
	}
	return p, nil
}

// count runs a count(*) once per countTTL for the same SQL and arguments: a client walking the
// next links would otherwise recount the whole selection for every page.
func (s *store) count(ctx context.Context, sql string, args []any) (int64, error) {
	key := sql + fmt.Sprintf("%#v", args)
	if n, ok := s.counts.get(key); ok {
		return n, nil
	}
	var n int64
	if err := s.db.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		return 0, queryError(err)
	}
	s.counts.put(key, n)
	return n, nil
}

// item reads one feature by id; problem.ErrNotFound when there is none.
func (s *store) item(ctx context.Context, c *collection, id any, crs crsDef) (feature, error) {
	args := []any{}
	if c.Kind != "" {
		args = append(args, c.Kind)
	}
	args = append(args, id)
	sql := "SELECT " + selectList(c, crs, c.Props) + " FROM " + c.From + " WHERE " + c.Where +
		" AND " + c.IDSQL + " = $" + strconv.Itoa(len(args))
	fs, err := s.features(ctx, sql, args)
	if err != nil {
		return feature{}, err
	}
	if len(fs) == 0 {
		return feature{}, fmt.Errorf("feature %v of %s: %w", id, c.ID, problem.ErrNotFound)
	}
	return fs[0], nil
}

func (s *store) features(ctx context.Context, sql string, args []any) ([]feature, error) {
	rows, err := s.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, queryError(err)
	}
	fs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (feature, error) {
		var f feature
		var id, geom, props *string
		if err := r.Scan(&id, &geom, &props); err != nil {
			return f, err
		}
		f.ID, f.Geometry, f.Properties = jsonOrNull(id), jsonOrNull(geom), jsonOrNull(props)
		return f, nil
	})
	if err != nil {
		return nil, queryError(err)
	}
	return fs, nil
}

func jsonOrNull(s *string) []byte {
	if s == nil {
		return []byte("null")
	}
	return []byte(*s)
}

// queryError turns a data error a filter can provoke (e.g. a transform outside a CRS's area)
// into a 400; everything else stays a server error.
func queryError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code[:2] == "22" || pgErr.Code == "XX000") {
		// PostgreSQL's words (and GEOS's) stay in the error for the log, not in the answer.
		return fmt.Errorf("%w (%w)", problem.Invalid("filter", "cannot be evaluated: check its geometries, values and CRS"), err)
	}
	return fmt.Errorf("ogc: query: %w", err)
}
