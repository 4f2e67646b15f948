package ogc

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/ogc/cql2"
	"github.com/onemap/onemap/internal/problem"
)

// Paging bounds of /items: limit defaults to 100; a larger limit than the maximum is served as
// the maximum (OGC API – Features /req/core/fc-limit-response-1), not refused.
const (
	defaultLimit = 100
	maxLimit     = 10000
	// maxOffset keeps offset+limit within PostgreSQL's 32-bit integers where it meets them.
	maxOffset = math.MaxInt32 - maxLimit
)

// itemsParams are the query parameters /items knows besides the queryables.
func itemsParams() []string {
	return []string{
		"f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter",
		"filter-lang", "filter-crs", "sortby", "properties", "resultType",
	}
}

// itemsQuery is a parsed /items request.
type itemsQuery struct {
	coll *collection
	crs  crsDef
	// bbox is minx, miny, maxx, maxy in bboxCRS's axis order (nil when absent).
	bbox    []float64
	bboxCRS crsDef
	// filter joins the filter parameter and the queryable parameters (nil when neither).
	filter    cql2.Expr
	filterCRS crsDef
	from, to  *time.Time // datetime bounds on coll.Time
	sortBy    []sortKey
	props     []property // the properties to return
	limit     int
	offset    int
	hits      bool // resultType=hits: count only
}

type sortKey struct {
	sql  string
	desc bool
}

// query returns the raw query parameters as copied strings, first value of each.
func query(c *fiber.Ctx) map[string]string {
	out := map[string]string{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if _, seen := out[string(k)]; !seen {
			out[string(k)] = string(v)
		}
	})
	return out
}

// parseItems reads every /items parameter; unknown ones are a 400 (/req/core/query-param-unknown).
func parseItems(coll *collection, q map[string]string) (*itemsQuery, error) {
	iq := &itemsQuery{coll: coll, props: coll.Props}
	var err error
	steps := []func() error{
		func() error { return checkKnown(coll, q) },
		func() (e error) { iq.crs, e = parseCRS("crs", q["crs"]); return },
		func() (e error) { iq.bboxCRS, e = parseCRS("bbox-crs", q["bbox-crs"]); return },
		func() (e error) { iq.filterCRS, e = parseCRS("filter-crs", q["filter-crs"]); return },
		func() (e error) { iq.limit, iq.offset, e = parsePaging(q); return },
		func() (e error) { iq.bbox, e = parseBBox(q["bbox"]); return },
		func() (e error) { iq.from, iq.to, e = parseDatetime(coll, q["datetime"]); return },
		func() (e error) { iq.sortBy, e = parseSortBy(coll, q["sortby"]); return },
		func() (e error) { iq.props, e = parseProperties(coll, q); return },
		func() (e error) { iq.filter, e = parseFilters(coll, q); return },
		func() (e error) { iq.hits, e = parseResultType(q["resultType"]); return },
	}
	for _, step := range steps {
		if err = step(); err != nil {
			return nil, err
		}
	}
	return iq, nil
}

func checkKnown(coll *collection, q map[string]string) error {
	for k := range q {
		if _, isProp := coll.prop(k); !isProp && k != "id" && !slices.Contains(itemsParams(), k) {
			return problem.Invalid(k, "is not a parameter of /items (parameters: %s; queryables: id, %s)",
				strings.Join(itemsParams(), ", "), coll.names())
		}
	}
	return nil
}

func parsePaging(q map[string]string) (limit, offset int, err error) {
	limit, offset = defaultLimit, 0
	if v, ok := q["limit"]; ok {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 {
			return 0, 0, problem.Invalid("limit", "%q is not a whole number of at least 1", v)
		}
		limit = min(limit, maxLimit)
	}
	if v, ok := q["offset"]; ok {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 || offset > maxOffset {
			return 0, 0, problem.Invalid("offset", "%q is not a whole number of at least 0 and at most %d", v, maxOffset)
		}
	}
	return limit, offset, nil
}

// parseBBox reads four numbers (or six, with heights, which are dropped).
func parseBBox(v string) ([]float64, error) {
	if v == "" {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return nil, problem.Invalid("bbox", "needs 4 numbers (or 6 with heights), got %d", len(parts))
	}
	nums := make([]float64, len(parts))
	for i, s := range parts {
		n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, problem.Invalid("bbox", "%q is not a finite number", s)
		}
		nums[i] = n
	}
	if len(nums) == 6 {
		nums = []float64{nums[0], nums[1], nums[3], nums[4]}
	}
	if nums[1] > nums[3] {
		return nil, problem.Invalid("bbox", "the lower bound of the second axis exceeds its upper bound")
	}
	return nums, nil
}

// parseDatetime reads an instant or an interval a/b with ".." or "" for an open end.
func parseDatetime(coll *collection, v string) (from, to *time.Time, err error) {
	if v == "" {
		return nil, nil, nil
	}
	if coll.Time == "" {
		return nil, nil, problem.Invalid("datetime", "collection %s has no temporal property", coll.ID)
	}
	a, b, interval := strings.Cut(v, "/")
	if !interval {
		t, end, err := parseInstant(a)
		return t, end, err
	}
	if from, _, err = parseInstant(a); err != nil {
		return nil, nil, err
	}
	_, to, err = parseInstant(b)
	if from == nil && to == nil && err == nil {
		err = problem.Invalid("datetime", "an interval needs at least one bound")
	}
	return from, to, err
}

// parseInstant reads an RFC 3339 timestamp (start = end) or a date (its whole day); ".." or "" is
// an open bound (nil).
func parseInstant(s string) (start, end *time.Time, err error) {
	if s == "" || s == ".." {
		return nil, nil, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return &t, &t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
	if err != nil {
		return nil, nil, problem.Invalid("datetime", "%q is neither a date (2025-01-31) nor an RFC 3339 timestamp", s)
	}
	last := d.AddDate(0, 0, 1).Add(-time.Nanosecond)
	return &d, &last, nil
}

// parseSortBy reads "+name,-area_mu" (a missing sign means ascending).
func parseSortBy(coll *collection, v string) ([]sortKey, error) {
	if v == "" {
		return nil, nil
	}
	schema := coll.schema()
	var keys []sortKey
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		desc := strings.HasPrefix(item, "-")
		name := strings.TrimLeft(item, "+- ")
		col, ok := schema[name]
		if !ok || col.Type == cql2.TypeGeometry {
			return nil, problem.Invalid("sortby", "%q is not a sortable property (id, %s)", name, coll.names())
		}
		keys = append(keys, sortKey{sql: col.SQL, desc: desc})
	}
	return keys, nil
}

// parseProperties reads the list of properties to return; absent means all, empty means none.
func parseProperties(coll *collection, q map[string]string) ([]property, error) {
	v, ok := q["properties"]
	if !ok {
		return coll.Props, nil
	}
	var out []property
	for _, name := range strings.Split(v, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		p, found := coll.prop(name)
		if !found {
			return nil, problem.Invalid("properties", "%q is not a property of %s (%s)", name, coll.ID, coll.names())
		}
		out = append(out, p)
	}
	return out, nil
}

func parseResultType(v string) (bool, error) {
	switch v {
	case "", "results":
		return false, nil
	case "hits":
		return true, nil
	}
	return false, problem.Invalid("resultType", "%q is neither results nor hits", v)
}
