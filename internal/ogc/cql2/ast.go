// Package cql2 reads OGC Common Query Language filters (CQL2, OGC 21-065) in the text and JSON
// encodings into an AST and compiles the AST into a parameterised SQL fragment over an allowlist
// of properties. It is pure: no database, no HTTP. Values always become $n arguments; the only
// identifiers in the SQL are the expressions the caller's Schema supplies.
package cql2

import (
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
)

// Expr is a boolean expression: a whole filter or one of its predicates.
type Expr interface {
	// String renders the expression in canonical CQL2 text.
	String() string
	isExpr()
}

// Scalar is an operand of a predicate: a property, a literal or a function of one.
type Scalar interface {
	// String renders the operand in CQL2 text.
	String() string
	isScalar()
}

// And is the conjunction of two expressions.
type And struct{ Left, Right Expr }

// Or is the disjunction of two expressions.
type Or struct{ Left, Right Expr }

// Not negates an expression.
type Not struct{ X Expr }

// Compare is a binary comparison; Op is one of = <> < > <= >=.
type Compare struct {
	Op          string
	Left, Right Scalar
}

// Like matches X against a pattern with % (any run) and _ (one character), \ escaping.
type Like struct {
	X, Pattern Scalar
	Not        bool
}

// Between tests Lo <= X <= Hi.
type Between struct {
	X, Lo, Hi Scalar
	Not       bool
}

// In tests membership of X in List.
type In struct {
	X    Scalar
	List []Scalar
	Not  bool
}

// IsNull tests X for NULL.
type IsNull struct {
	X   Scalar
	Not bool
}

// Spatial is one of the spatial comparison functions; Op is upper case, e.g. S_INTERSECTS.
type Spatial struct {
	Op          string
	Left, Right Scalar
}

// Bool is TRUE or FALSE, both as a predicate and as a value.
type Bool struct{ V bool }

// Property names a queryable.
type Property struct{ Name string }

// String is a character literal.
type String struct{ V string }

// Number is a numeric literal.
type Number struct{ V float64 }

// Date is a DATE('yyyy-mm-dd') literal.
type Date struct{ V time.Time }

// Timestamp is a TIMESTAMP('yyyy-mm-ddThh:mm:ssZ') literal, in UTC.
type Timestamp struct{ V time.Time }

// CaseI is CASEI(x): x compared without regard to case.
type CaseI struct{ X Scalar }

// Geometry is a spatial literal (WKT or BBOX) in the filter's CRS, axes as written.
type Geometry struct {
	G orb.Geometry
	// BBox is true when the literal was written as BBOX(...) (G is then an orb.Bound).
	BBox bool
}

func (And) isExpr()     {}
func (Or) isExpr()      {}
func (Not) isExpr()     {}
func (Compare) isExpr() {}
func (Like) isExpr()    {}
func (Between) isExpr() {}
func (In) isExpr()      {}
func (IsNull) isExpr()  {}
func (Spatial) isExpr() {}
func (Bool) isExpr()    {}

func (Bool) isScalar()      {}
func (Property) isScalar()  {}
func (String) isScalar()    {}
func (Number) isScalar()    {}
func (Date) isScalar()      {}
func (Timestamp) isScalar() {}
func (CaseI) isScalar()     {}
func (Geometry) isScalar()  {}

func (e And) String() string { return "(" + e.Left.String() + " AND " + e.Right.String() + ")" }
func (e Or) String() string  { return "(" + e.Left.String() + " OR " + e.Right.String() + ")" }
func (e Not) String() string { return "NOT " + e.X.String() }

func (e Compare) String() string { return e.Left.String() + " " + e.Op + " " + e.Right.String() }

func (e Like) String() string {
	return e.X.String() + not(e.Not) + " LIKE " + e.Pattern.String()
}

func (e Between) String() string {
	return e.X.String() + not(e.Not) + " BETWEEN " + e.Lo.String() + " AND " + e.Hi.String()
}

func (e In) String() string {
	items := make([]string, len(e.List))
	for i, s := range e.List {
		items[i] = s.String()
	}
	return e.X.String() + not(e.Not) + " IN (" + strings.Join(items, ", ") + ")"
}

func (e IsNull) String() string {
	if e.Not {
		return e.X.String() + " IS NOT NULL"
	}
	return e.X.String() + " IS NULL"
}

func (e Spatial) String() string {
	return e.Op + "(" + e.Left.String() + ", " + e.Right.String() + ")"
}

func (e Bool) String() string {
	if e.V {
		return "TRUE"
	}
	return "FALSE"
}

// String quotes the name when it is not a plain identifier or collides with a keyword.
func (p Property) String() string {
	if isPlainIdent(p.Name) && !isKeyword(p.Name) {
		return p.Name
	}
	return `"` + p.Name + `"`
}

func (s String) String() string    { return "'" + strings.ReplaceAll(s.V, "'", "''") + "'" }
func (n Number) String() string    { return strconv.FormatFloat(n.V, 'g', -1, 64) }
func (d Date) String() string      { return "DATE('" + d.V.Format(time.DateOnly) + "')" }
func (t Timestamp) String() string { return "TIMESTAMP('" + t.V.UTC().Format(time.RFC3339Nano) + "')" }
func (c CaseI) String() string     { return "CASEI(" + c.X.String() + ")" }

func (g Geometry) String() string {
	if b, ok := g.G.(orb.Bound); ok && g.BBox {
		return "BBOX(" + joinFloats(b.Min[0], b.Min[1], b.Max[0], b.Max[1]) + ")"
	}
	return wkt.MarshalString(g.G)
}

func not(b bool) string {
	if b {
		return " NOT"
	}
	return ""
}

func joinFloats(fs ...float64) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strings.Join(s, ", ")
}

// UsesSpatial reports whether e holds a spatial function anywhere.
func UsesSpatial(e Expr) bool {
	switch e := e.(type) {
	case And:
		return UsesSpatial(e.Left) || UsesSpatial(e.Right)
	case Or:
		return UsesSpatial(e.Left) || UsesSpatial(e.Right)
	case Not:
		return UsesSpatial(e.X)
	case Spatial:
		return true
	}
	return false
}
