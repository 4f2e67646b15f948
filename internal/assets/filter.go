package assets

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Filter selects assets; the zero value selects every live asset. The same filter drives the
// search API, statistics, exports and the zone query.
type Filter struct {
	Kinds        []Kind
	Stages       []string
	Modes        []string
	Regions      []string
	Zones        []string
	LandStatuses []string
	MinAreaMu    *float64
	MaxAreaMu    *float64
	// Text matches name, code or holder, case-insensitively, anywhere.
	Text string
	// Within keeps assets that intersect this Polygon/MultiPolygon (EPSG:4490 lon/lat).
	Within orb.Geometry
	// Near with RadiusM keeps assets within RadiusM metres (on the ellipsoid) of the point.
	Near    *orb.Point
	RadiusM float64
	IDs     []int64
	// IncludeDone, for the zone query, lists revitalised (done) assets too when no stage is
	// asked for: a zone's list is of what is left to put to work.
	IncludeDone bool
}

// openStages are the stages a zone query lists unless asked otherwise: all but done.
var openStages = []string{"idle", "planned", "in_progress"}

// Page is a slice of results with paging and ordering.
type Page struct {
	Limit  int
	Offset int
	// Sort is a column from SortColumns, "-" prefixed for descending.
	Sort string
}

// SortColumns are the columns a search may be ordered by.
var SortColumns = []string{"id", "code", "name", "area_mu", "book_value", "appraised_value", "revenue", "stage", "mode", "updated_at"}

// ValidSort reports whether s (optionally "-" prefixed) names a sort column.
func ValidSort(s string) bool { return slices.Contains(SortColumns, strings.TrimPrefix(s, "-")) }

// sqlBuilder collects WHERE conditions with their $n arguments.
type sqlBuilder struct {
	conds []string
	args  []any
	// within is the SQL of Filter.Within's geometry once apply has placed it (else "").
	within string
	// area is the SQL of the 亩 that MinAreaMu and MaxAreaMu bound: the asset's own area, or,
	// in a zone or a drawn area, the part of it inside (set before apply; "" is a.area_mu).
	area string
}

// minOverlapMu is the least 亩 an asset must have inside a drawn area to be listed: one that
// only touches it (0 亩, or a sliver that shows as 0.00) is not in it.
const minOverlapMu = 0.005

// arg appends v and returns its placeholder.
func (b *sqlBuilder) arg(v any) string {
	b.args = append(b.args, v)
	return fmt.Sprintf("$%d", len(b.args))
}

func (b *sqlBuilder) where(cond string) { b.conds = append(b.conds, cond) }

// overlap is the SQL of an asset's 亩 inside Filter.Within ("" without one). Most assets of an
// area lie wholly inside it: their own area, without an intersection.
func (b *sqlBuilder) overlap() string {
	if b.within == "" {
		return ""
	}
	return "CASE WHEN ST_CoveredBy(a.geom, " + b.within + ") THEN a.area_mu ELSE ST_Area(ST_Intersection(a.geom, " +
		b.within + ")::geography) * 0.0015 END"
}

func (b *sqlBuilder) in(col string, vals []string) {
	if len(vals) > 0 {
		b.where(col + " = ANY(" + b.arg(vals) + ")")
	}
}

// apply adds the filter's conditions on table alias a.
func (f *Filter) apply(b *sqlBuilder) error {
	b.where("a.deleted_at IS NULL")
	kinds := make([]string, len(f.Kinds))
	for i, k := range f.Kinds {
		kinds[i] = string(k)
	}
	b.in("a.kind", kinds)
	b.in("a.stage", f.Stages)
	b.in("a.mode", f.Modes)
	b.regions(f.Regions)
	b.in("a.zone_code", f.Zones)
	b.in("a.land_status", f.LandStatuses)
	if f.Text != "" {
		p := b.arg("%" + escapeLike(f.Text) + "%")
		b.where("(a.name ILIKE " + p + " OR a.code ILIKE " + p + " OR a.holder ILIKE " + p + ")")
	}
	if len(f.IDs) > 0 {
		b.where("a.id = ANY(" + b.arg(f.IDs) + ")")
	}
	if f.Within != nil {
		g, err := wkb.Marshal(f.Within)
		if err != nil {
			return fmt.Errorf("assets: within: %w", err)
		}
		// A drawn polygon may cross itself: repair it rather than fail.
		b.within = "ST_MakeValid(ST_SetSRID(ST_GeomFromWKB(" + b.arg(g) + "), 4490))"
		b.where("ST_Intersects(a.geom, " + b.within + ")")
		b.where("(ST_Dimension(a.geom) < 2 OR " + b.overlap() + " >= " + b.arg(minOverlapMu) + ")")
		b.area = b.overlap()
	}
	f.applyArea(b)
	if f.Near != nil {
		pt := "ST_SetSRID(ST_MakePoint(" + b.arg(f.Near[0]) + "::float8, " + b.arg(f.Near[1]) + "::float8), 4490)"
		// A degree box that surely holds the radius lets the GiST index cut first; the
		// geography test is exact.
		deg := f.RadiusM / (111_000 * math.Cos(f.Near[1]*math.Pi/180)) * 1.2
		b.where("ST_DWithin(a.geom, " + pt + ", " + b.arg(deg) + "::float8)")
		b.where("ST_DWithin(a.geom::geography, " + pt + "::geography, " + b.arg(f.RadiusM) + "::float8)")
	}
	return nil
}

// applyArea bounds the 亩 of b.area (the asset's own area unless a zone or area set it).
func (f *Filter) applyArea(b *sqlBuilder) {
	area := b.area
	if area == "" {
		area = "a.area_mu"
	}
	if f.MinAreaMu != nil {
		b.where(area + " >= " + b.arg(*f.MinAreaMu))
	}
	if f.MaxAreaMu != nil {
		b.where(area + " <= " + b.arg(*f.MaxAreaMu))
	}
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// orderBy renders a validated sort key; ties break on id so paging is stable. Stage and mode sort
// in their own order (未盘活 before 已盘活), not by their codes.
func orderBy(sort string) string {
	if !ValidSort(sort) {
		return "a.id"
	}
	col, desc := strings.CutPrefix(sort, "-")
	expr := "a." + col
	switch col {
	case "stage":
		expr = "array_position('{idle,planned,in_progress,done}'::text[], a.stage)"
	case "mode":
		expr = "array_position('{use,sell,lease,finance,undecided}'::text[], a.mode)"
	}
	if desc {
		return expr + " DESC NULLS LAST, a.id"
	}
	return expr + " NULLS LAST, a.id"
}
