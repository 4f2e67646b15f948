package ogc

import (
	"strconv"
	"strings"
	"time"

	"github.com/onemap/onemap/internal/ogc/cql2"
	"github.com/onemap/onemap/internal/problem"
)

// parseFilters joins the filter parameter (CQL2) and the queryable parameters (stage=idle; a
// comma list of an enumerated property means any of them) into one expression; nil when the
// request filters nothing.
func parseFilters(coll *collection, q map[string]string) (cql2.Expr, error) {
	var parts []cql2.Expr
	if src, ok := q["filter"]; ok {
		e, err := parseFilter(src, q["filter-lang"])
		if err != nil {
			return nil, err
		}
		parts = append(parts, e)
	} else if _, ok := q["filter-lang"]; ok {
		return nil, problem.Invalid("filter-lang", "is given without a filter")
	}
	for _, name := range append([]string{"id"}, propNames(coll)...) {
		if v, ok := q[name]; ok {
			e, err := queryableFilter(coll, name, v)
			if err != nil {
				return nil, err
			}
			parts = append(parts, e)
		}
	}
	if len(parts) == 0 {
		return nil, nil //nolint:nilnil // a nil Expr is "no filter", not a failure
	}
	e := parts[0]
	for _, p := range parts[1:] {
		e = cql2.And{Left: e, Right: p}
	}
	return e, nil
}

// parseFilter reads the filter in its language. "cql-text" is the pre-standard name GDAL up to
// 3.6 sends; it reads as CQL2 text.
func parseFilter(src, lang string) (cql2.Expr, error) {
	var (
		e   cql2.Expr
		err error
	)
	switch lang {
	case "", "cql2-text", "cql-text":
		e, err = cql2.ParseText(src)
	case "cql2-json":
		e, err = cql2.ParseJSON([]byte(src))
	default:
		return nil, problem.Invalid("filter-lang", "%q is not supported: use cql2-text or cql2-json", lang)
	}
	if err != nil {
		return nil, problem.Invalid("filter", "%v", err)
	}
	return e, nil
}

func propNames(coll *collection) []string {
	n := make([]string, len(coll.Props))
	for i, p := range coll.Props {
		n[i] = p.Name
	}
	return n
}

// queryableFilter turns name=value into an equality of the property's type.
func queryableFilter(coll *collection, name, v string) (cql2.Expr, error) {
	typ, enum := coll.IDType, []string(nil)
	if p, ok := coll.prop(name); ok {
		typ, enum = p.Type, p.Enum
	}
	if enum != nil && strings.Contains(v, ",") {
		in := cql2.In{X: cql2.Property{Name: name}}
		for _, item := range strings.Split(v, ",") {
			in.List = append(in.List, cql2.String{V: strings.TrimSpace(item)})
		}
		return in, nil
	}
	lit, err := literal(name, typ, v)
	if err != nil {
		return nil, err
	}
	return cql2.Compare{Op: "=", Left: cql2.Property{Name: name}, Right: lit}, nil
}

func literal(name string, typ cql2.Type, v string) (cql2.Scalar, error) {
	switch typ {
	case cql2.TypeNumber, cql2.TypeInteger:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, problem.Invalid(name, "%q is not a number", v)
		}
		return cql2.Number{V: n}, nil
	case cql2.TypeBool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, problem.Invalid(name, "%q is neither true nor false", v)
		}
		return cql2.Bool{V: b}, nil
	case cql2.TypeDate:
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return nil, problem.Invalid(name, "%q is not a date such as 2025-01-31", v)
		}
		return cql2.Date{V: d}, nil
	case cql2.TypeTimestamp:
		ts, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, problem.Invalid(name, "%q is not an RFC 3339 timestamp", v)
		}
		return cql2.Timestamp{V: ts}, nil
	}
	return cql2.String{V: v}, nil
}
