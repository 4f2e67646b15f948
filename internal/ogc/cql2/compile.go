package cql2

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Type is the value type of a queryable.
type Type uint8

// The queryable types, named as in JSON Schema.
const (
	TypeString Type = iota + 1
	TypeNumber
	TypeInteger
	TypeBool
	TypeDate
	TypeTimestamp
	TypeGeometry
)

var typeNames = map[Type]string{
	TypeString: "a string", TypeNumber: "a number", TypeInteger: "an integer", TypeBool: "a boolean",
	TypeDate: "a date", TypeTimestamp: "a timestamp", TypeGeometry: "a geometry",
}

func (t Type) String() string { return typeNames[t] }

// Column is how one queryable reads in SQL: a trusted expression (never user input) and a type.
type Column struct {
	SQL  string
	Type Type
}

// Schema is the allowlist: every property a filter may name.
type Schema map[string]Column

// Options say how literals become SQL.
type Options struct {
	// SRID of geometry literals as PostGIS numbers it (4326 for CRS84 and EPSG:4326 alike).
	SRID int
	// SwapXY is set when literals are written latitude first (EPSG:4326, EPSG:4490) and must be
	// swapped into PostGIS's x = longitude order.
	SwapXY bool
	// StorageSRID is the SRID of the geometry columns; literals are transformed into it.
	StorageSRID int
	// FirstArg numbers the first placeholder ($1 when 0 or 1).
	FirstArg int
}

// Compile turns a filter into a SQL boolean expression whose values are all placeholders, with
// the arguments for them in order. Properties outside s and ill-typed comparisons are errors.
func Compile(e Expr, s Schema, o Options) (string, []any, error) {
	if o.FirstArg < 1 {
		o.FirstArg = 1
	}
	c := &compiler{schema: s, opts: o}
	sql, err := c.expr(e)
	if err != nil {
		return "", nil, err
	}
	return sql, c.args, nil
}

type compiler struct {
	schema Schema
	opts   Options
	args   []any
}

func fail(format string, args ...any) *Error { return errAt(-1, format, args...) }

func (c *compiler) arg(v any, cast string) string {
	c.args = append(c.args, v)
	return "$" + strconv.Itoa(c.opts.FirstArg+len(c.args)-1) + "::" + cast
}

func (c *compiler) expr(e Expr) (string, error) {
	switch e := e.(type) {
	case And:
		return c.binary(e.Left, " AND ", e.Right)
	case Or:
		return c.binary(e.Left, " OR ", e.Right)
	case Not:
		x, err := c.expr(e.X)
		return "NOT " + x, err
	case Bool:
		return strings.ToUpper(e.String()), nil
	case Compare:
		return c.compare(e)
	case Like:
		return c.like(e)
	case Between:
		return c.between(e)
	case In:
		return c.in(e)
	case IsNull:
		return c.isNull(e)
	case Spatial:
		return c.spatial(e)
	}
	return "", fail("unsupported expression %T", e)
}

func (c *compiler) binary(l Expr, op string, r Expr) (string, error) {
	ls, err := c.expr(l)
	if err != nil {
		return "", err
	}
	rs, err := c.expr(r)
	if err != nil {
		return "", err
	}
	return "(" + ls + op + rs + ")", nil
}

func (c *compiler) compare(e Compare) (string, error) {
	t, err := c.target(e.Left, e.Right)
	if err != nil {
		return "", err
	}
	if t == TypeGeometry {
		return "", fail("geometries cannot be compared with %s: use S_INTERSECTS, S_EQUALS, ...", e.Op)
	}
	vals, err := c.values(t, e.Left, e.Right)
	if err != nil {
		return "", err
	}
	return "(" + vals[0] + " " + e.Op + " " + vals[1] + ")", nil
}

func (c *compiler) like(e Like) (string, error) {
	vals, err := c.values(TypeString, e.X, e.Pattern)
	if err != nil {
		return "", fmt.Errorf("LIKE: %w", err)
	}
	return "(" + vals[0] + not(e.Not) + " LIKE " + vals[1] + ")", nil
}

func (c *compiler) between(e Between) (string, error) {
	t, err := c.target(e.X, e.Lo, e.Hi)
	if err != nil {
		return "", err
	}
	if t == TypeGeometry || t == TypeBool {
		return "", fail("BETWEEN needs numbers, dates or strings, not %s", t)
	}
	vals, err := c.values(t, e.X, e.Lo, e.Hi)
	if err != nil {
		return "", err
	}
	return "(" + vals[0] + not(e.Not) + " BETWEEN " + vals[1] + " AND " + vals[2] + ")", nil
}

func (c *compiler) in(e In) (string, error) {
	all := append([]Scalar{e.X}, e.List...)
	t, err := c.target(all...)
	if err != nil {
		return "", err
	}
	if t == TypeGeometry {
		return "", fail("IN cannot hold geometries")
	}
	vals, err := c.values(t, all...)
	if err != nil {
		return "", err
	}
	return "(" + vals[0] + not(e.Not) + " IN (" + strings.Join(vals[1:], ", ") + "))", nil
}

func (c *compiler) isNull(e IsNull) (string, error) {
	t, err := c.target(e.X)
	if err != nil {
		return "", err
	}
	var x string
	if t == TypeGeometry {
		x, err = c.geometry(e.X)
	} else {
		x, err = c.value(e.X, t)
	}
	if err != nil {
		return "", err
	}
	if e.Not {
		return "(" + x + " IS NOT NULL)", nil
	}
	return "(" + x + " IS NULL)", nil
}

func (c *compiler) column(name string) (Column, error) {
	col, ok := c.schema[name]
	if !ok {
		names := make([]string, 0, len(c.schema))
		for n := range c.schema {
			names = append(names, n)
		}
		slices.Sort(names)
		return Column{}, fail("unknown property %q (queryables: %s)", name, strings.Join(names, ", "))
	}
	return col, nil
}

// target is the type operands are compared as: that of the first property among them, else
// that of the first literal.
func (c *compiler) target(ops ...Scalar) (Type, error) {
	var lit Type
	for _, s := range ops {
		t, isProp, err := c.typeOf(s)
		if err != nil {
			return 0, err
		}
		if isProp {
			return t, nil
		}
		if lit == 0 {
			lit = t
		}
	}
	return lit, nil
}

func (c *compiler) typeOf(s Scalar) (Type, bool, error) {
	switch s := s.(type) {
	case Property:
		col, err := c.column(s.Name)
		return col.Type, true, err
	case CaseI:
		_, isProp, err := c.typeOf(s.X)
		return TypeString, isProp, err
	case String:
		return TypeString, false, nil
	case Number:
		return TypeNumber, false, nil
	case Bool:
		return TypeBool, false, nil
	case Date:
		return TypeDate, false, nil
	case Timestamp:
		return TypeTimestamp, false, nil
	case Geometry:
		return TypeGeometry, false, nil
	}
	return 0, false, fail("unsupported operand %T", s)
}

func (c *compiler) values(t Type, ops ...Scalar) ([]string, error) {
	out := make([]string, len(ops))
	for i, s := range ops {
		v, err := c.value(s, t)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// value renders s as SQL of type t, or explains why it cannot be.
func (c *compiler) value(s Scalar, t Type) (string, error) {
	switch s := s.(type) {
	case Property:
		col, err := c.column(s.Name)
		if err != nil {
			return "", err
		}
		if !compatible(col.Type, t) {
			return "", fail("%s is %s and cannot be compared with %s", s.Name, col.Type, t)
		}
		return col.SQL, nil
	case CaseI:
		if t != TypeString {
			return "", fail("CASEI applies to strings, not %s", t)
		}
		x, err := c.value(s.X, TypeString)
		return "lower(" + x + ")", err
	case String:
		return c.stringAs(s.V, t)
	case Number:
		return c.numberAs(s.V, t)
	case Bool:
		if t != TypeBool {
			return "", fail("%s is a boolean and cannot be compared with %s", s, t)
		}
		return c.arg(s.V, "boolean"), nil
	case Date:
		if t != TypeDate && t != TypeTimestamp {
			return "", fail("%s is a date and cannot be compared with %s", s, t)
		}
		return c.arg(s.V.Format(time.DateOnly), "date"), nil
	case Timestamp:
		if t != TypeDate && t != TypeTimestamp {
			return "", fail("%s is a timestamp and cannot be compared with %s", s, t)
		}
		return c.arg(s.V, "timestamptz"), nil
	}
	return "", fail("%s cannot be compared with %s", s, t)
}

func compatible(a, b Type) bool {
	num := func(t Type) bool { return t == TypeNumber || t == TypeInteger }
	tm := func(t Type) bool { return t == TypeDate || t == TypeTimestamp }
	return a == b || (num(a) && num(b)) || (tm(a) && tm(b))
}

// stringAs renders a character literal; against dates it must read as one (yyyy-mm-dd, also
// with GDAL's trailing "T", or a full RFC 3339 timestamp).
func (c *compiler) stringAs(v string, t Type) (string, error) {
	switch t {
	case TypeString:
		return c.arg(v, "text"), nil
	case TypeDate, TypeTimestamp:
		if d, err := time.Parse(time.DateOnly, strings.TrimSuffix(v, "T")); err == nil {
			return c.arg(d.Format(time.DateOnly), "date"), nil
		}
		if ts, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return c.arg(ts, "timestamptz"), nil
		}
	}
	return "", fail("'%s' is a string and cannot be compared with %s", v, t)
}

func (c *compiler) numberAs(v float64, t Type) (string, error) {
	switch {
	case t == TypeInteger && v == math.Trunc(v) && math.Abs(v) < 1<<53:
		return c.arg(int64(v), "bigint"), nil
	case t == TypeNumber || t == TypeInteger:
		return c.arg(v, "float8"), nil
	}
	return "", fail("%s is a number and cannot be compared with %s", Number{v}, t)
}
