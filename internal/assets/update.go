package assets

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/problem"
)

// fieldRule is how one editable column is checked; kindOnly limits it to one kind.
type fieldRule struct {
	typ      string // "text", "enum", "money", "share", "date"
	valid    func(string) bool
	kindOnly Kind
}

func oneOf(vals ...string) func(string) bool {
	return func(s string) bool { return slices.Contains(vals, s) }
}

// editable lists the columns an edit may change, keyed by their API (and column) name.
var editable = map[string]fieldRule{
	"name": {typ: "text"}, "holder": {typ: "text"}, "holder_type": {typ: "text"},
	"responsible_unit": {typ: "text"}, "responsible_person": {typ: "text"},
	"book_value": {typ: "money"}, "appraised_value": {typ: "money"}, "revenue": {typ: "money"},
	"mode":                 {typ: "enum", valid: ValidMode},
	"stage":                {typ: "enum", valid: ValidStage},
	"land_status":          {typ: "enum", valid: ValidLandStatus, kindOnly: Land},
	"land_class_system":    {typ: "enum", valid: oneOf("gbt21010_2017", "tdly2023"), kindOnly: Land},
	"land_class_code":      {typ: "text", kindOnly: Land},
	"approval_no":          {typ: "text", kindOnly: Land},
	"approval_date":        {typ: "date", kindOnly: Land},
	"supply_method":        {typ: "text", kindOnly: Land},
	"supply_date":          {typ: "date", kindOnly: Land},
	"agreed_start":         {typ: "date", kindOnly: Land},
	"actual_start":         {typ: "date", kindOnly: Land},
	"developed_share":      {typ: "share", kindOnly: Land},
	"invested_share":       {typ: "share", kindOnly: Land},
	"idle_cause":           {typ: "enum", valid: oneOf("government", "enterprise"), kindOnly: Land},
	"idle_override":        {typ: "enum", valid: ValidLandStatus, kindOnly: Land},
	"idle_override_reason": {typ: "text", kindOnly: Land},
}

// Change is an edit of one asset: the fields to set (null clears a field that may be empty),
// kind-specific facts to merge, the version the editor saw, and why.
type Change struct {
	Version int
	Fields  map[string]json.RawMessage
	Facts   map[string]any
	Note    string
	// Geometry is a new outline in EPSG:4490 lon/lat (Polygon, MultiPolygon or Point); nil
	// leaves the shape as it is (geomedit.go).
	Geometry orb.Geometry
	// OverlapReason, when not empty, is the editor's confirmation that a land parcel may overlap
	// its neighbours by more than the tolerance; the event keeps it.
	OverlapReason string
}

// assignment is one validated column value.
type assignment struct {
	col string
	val any
}

// validate checks every field of the change for an asset of kind k and returns the columns to set.
func (ch *Change) validate(k Kind) ([]assignment, error) {
	var errs []*problem.Error
	names := make([]string, 0, len(ch.Fields))
	for n := range ch.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []assignment
	for _, n := range names {
		v, err := checkField(n, ch.Fields[n], k)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, assignment{n, v})
	}
	errs = append(errs, validateFacts(k, ch.Facts)...)
	if len(out) == 0 && len(ch.Facts) == 0 && ch.Geometry == nil && len(errs) == 0 {
		errs = append(errs, problem.Unprocessable("fields", "nothing to change"))
	}
	if e := problem.Join(errs...); e != nil {
		return nil, e
	}
	return out, nil
}

func checkField(name string, raw json.RawMessage, k Kind) (any, *problem.Error) {
	r, ok := editable[name]
	if !ok {
		return nil, problem.Unprocessable(name, "is not an editable field")
	}
	if r.kindOnly != "" && r.kindOnly != k {
		return nil, problem.Unprocessable(name, "applies only to kind %s", r.kindOnly)
	}
	if string(raw) == "null" {
		if r.typ == "text" && r.kindOnly == "" || name == "mode" || name == "stage" || name == "revenue" {
			return nil, problem.Unprocessable(name, "cannot be cleared")
		}
		return nil, nil
	}
	switch r.typ {
	case "text", "enum", "date":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, problem.Unprocessable(name, "must be a string")
		}
		if r.typ == "enum" && !r.valid(s) {
			return nil, problem.Unprocessable(name, "%q is not an accepted value", s)
		}
		if r.typ == "date" {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return nil, problem.Unprocessable(name, "%q is not a date such as 2025-09-05", s)
			}
			return t, nil
		}
		return s, nil
	default:
		var f float64
		if err := json.Unmarshal(raw, &f); err != nil {
			return nil, problem.Unprocessable(name, "must be a number (at most %s)", rangeText(r.typ))
		}
		if reason := checkNumber(r.typ, f); reason != "" {
			return nil, problem.Unprocessable(name, "%s %s", fmt.Sprint(f), reason)
		}
		return f, nil
	}
}
