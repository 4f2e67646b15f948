package assets

import (
	"fmt"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/problem"
)

// factType is how one kind-specific fact is checked.
type factType struct {
	typ    string   // "string", "number", "int", "date", "bool"
	values []string // allowed strings, when an enumeration
}

// FactSchemas lists the kind-specific facts each kind accepts (stored in assets.facts).
var FactSchemas = map[Kind]map[string]factType{
	Mine: {
		"right_type": {typ: "string", values: []string{"exploration", "mining"}},
		"mineral":    {typ: "string"}, "licence_no": {typ: "string"},
		"valid_from": {typ: "date"}, "valid_to": {typ: "date"},
		"reserves": {typ: "number"}, "reserves_unit": {typ: "string"},
		"scale": {typ: "string", values: []string{"large", "medium", "small"}},
	},
	Forest: {
		"farm_name":    {typ: "string"},
		"forest_type":  {typ: "string", values: []string{"public_welfare", "commercial"}},
		"main_species": {typ: "string"}, "stock_m3": {typ: "number"},
	},
	Water: {
		"water_type":      {typ: "string", values: []string{"lake", "reservoir", "river_section"}},
		"capacity_wan_m3": {typ: "number"}, "aquaculture": {typ: "string"}, "water_rights": {typ: "string"},
	},
	Building: {
		"floor_area_m2": {typ: "number"}, "floors": {typ: "int"}, "year_built": {typ: "int"},
		"use": {typ: "string"}, "idle_since": {typ: "date"},
		"title_status": {typ: "string", values: []string{"certified", "uncertified", "partial"}},
	},
	Land: {},
}

// Validate checks a new asset and names every field at fault (422).
func (a *NewAsset) Validate() error {
	var errs []*problem.Error
	bad := func(field, format string, args ...any) {
		errs = append(errs, problem.Unprocessable(field, format, args...))
	}
	if a.Code == "" {
		bad("code", "is required")
	}
	if !ValidKind(string(a.Kind)) {
		bad("kind", "%q is not one of land, mine, forest, water, building", a.Kind)
	}
	if a.Mode == "" {
		a.Mode = "undecided"
	}
	if a.Stage == "" {
		a.Stage = "idle"
	}
	if !ValidMode(a.Mode) {
		bad("mode", "%q is not one of use, sell, lease, finance, undecided", a.Mode)
	}
	if !ValidStage(a.Stage) {
		bad("stage", "%q is not one of idle, planned, in_progress, done", a.Stage)
	}
	for name, v := range map[string]*float64{"book_value": a.BookValue, "appraised_value": a.AppraisedValue, "revenue": &a.Revenue} {
		if v == nil {
			continue
		}
		if reason := checkNumber("money", *v); reason != "" {
			bad(name, "%s", reason)
		}
	}
	if a.Land != nil && a.Kind != Land {
		bad("land_status", "land facts apply only to kind land")
	}
	if a.Land != nil {
		errs = append(errs, a.Land.validate()...)
	}
	errs = append(errs, validateFacts(a.Kind, a.Facts)...)
	if err := validateGeometry(a.Kind, a.Geometry); err != nil {
		errs = append(errs, err)
	}
	if e := problem.Join(errs...); e != nil {
		return e
	}
	return nil
}

func (f *LandFacts) validate() []*problem.Error {
	var errs []*problem.Error
	check := func(field string, v *string, ok func(string) bool) {
		if v != nil && !ok(*v) {
			errs = append(errs, problem.Unprocessable(field, "%q is not an accepted value", *v))
		}
	}
	check("land_status", f.Status, ValidLandStatus)
	check("idle_override", f.IdleOverride, ValidLandStatus)
	check("land_class_system", f.ClassSystem, func(s string) bool { return s == "gbt21010_2017" || s == "tdly2023" })
	check("idle_cause", f.IdleCause, func(s string) bool { return s == "government" || s == "enterprise" })
	if f.IdleOverride != nil && (f.IdleOverrideReason == nil || *f.IdleOverrideReason == "") {
		errs = append(errs, problem.Unprocessable("idle_override_reason", "an override needs a reason"))
	}
	for name, v := range map[string]*float64{"developed_share": f.DevelopedShare, "invested_share": f.InvestedShare} {
		if v != nil && checkNumber("share", *v) != "" {
			errs = append(errs, problem.Unprocessable(name, "must lie between 0 and 1"))
		}
	}
	if f.ClassCode != nil && f.ClassSystem == nil {
		errs = append(errs, problem.Unprocessable("land_class_system", "a land class code needs its system (gbt21010_2017 or tdly2023): the two code lists collide"))
	}
	return errs
}

func validateFacts(kind Kind, facts map[string]any) []*problem.Error {
	schema := FactSchemas[kind]
	var errs []*problem.Error
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ft, ok := schema[k]
		if !ok {
			errs = append(errs, problem.Unprocessable("facts."+k, "is not a fact of kind %s", kind))
			continue
		}
		if reason := ft.check(facts[k]); reason != "" {
			errs = append(errs, problem.Unprocessable("facts."+k, "%s", reason))
		}
	}
	return errs
}

func (ft factType) check(v any) string {
	switch ft.typ {
	case "string":
		s, ok := v.(string)
		if !ok {
			return "must be text"
		}
		if len(s) > maxFactText {
			return fmt.Sprintf("is longer than %d bytes", maxFactText)
		}
		if ft.values != nil && !slices.Contains(ft.values, s) {
			return fmt.Sprintf("%q is not one of %v", s, ft.values)
		}
	case "number", "int":
		n, ok := v.(float64)
		if i, isInt := v.(int); isInt {
			n, ok = float64(i), true
		}
		if !ok {
			return "must be a number"
		}
		if reason := checkNumber("fact_"+ft.typ, n); reason != "" {
			return reason
		}
	case "date":
		s, ok := v.(string)
		if _, err := time.Parse(time.DateOnly, s); !ok || err != nil {
			return "must be a date such as 2025-09-05"
		}
	}
	return ""
}

func validateGeometry(k Kind, g orb.Geometry) *problem.Error {
	switch g := g.(type) {
	case nil:
		return problem.Unprocessable("geometry", "is required")
	case orb.Point, orb.Polygon, orb.MultiPolygon:
		// Whether a polygon encloses an area PostGIS tells, after repair (store_geom.go): the
		// planar area of a bow-tie is zero, its two triangles' areas cancelling out.
		if arealKind(k) && g.Dimensions() != 2 {
			return problem.Unprocessable("geometry", "a %s must be a Polygon or MultiPolygon enclosing an area, not a %s", k, g.GeoJSONType())
		}
		b := g.Bound()
		if b.Min[0] < 70 || b.Max[0] > 140 || b.Min[1] < 0 || b.Max[1] > 56 {
			return problem.Unprocessable("geometry", "lies outside China (lon 70..140, lat 0..56): is it in EPSG:4490 lon/lat?")
		}
		return nil
	default:
		return problem.Unprocessable("geometry", "%s is not accepted: use Point, Polygon or MultiPolygon", g.GeoJSONType())
	}
}
