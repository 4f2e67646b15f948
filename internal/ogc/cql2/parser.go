package cql2

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxDepth bounds the nesting of a filter, so that no input can exhaust the stack.
const MaxDepth = 64

var keywords = map[string]bool{
	"AND": true, "OR": true, "NOT": true, "LIKE": true, "ILIKE": true, "BETWEEN": true, "IN": true,
	"IS": true, "NULL": true, "TRUE": true, "FALSE": true, "CASEI": true, "ACCENTI": true,
	"DATE": true, "TIMESTAMP": true, "INTERVAL": true, "BBOX": true, "ENVELOPE": true,
	"POINT": true, "LINESTRING": true, "POLYGON": true, "MULTIPOINT": true, "MULTILINESTRING": true,
	"MULTIPOLYGON": true, "GEOMETRYCOLLECTION": true,
}

// spatialOps maps each CQL2 spatial function to itself; all eight are supported.
var spatialOps = map[string]bool{
	"S_INTERSECTS": true, "S_EQUALS": true, "S_DISJOINT": true, "S_TOUCHES": true,
	"S_WITHIN": true, "S_OVERLAPS": true, "S_CROSSES": true, "S_CONTAINS": true,
}

var compareOps = map[string]bool{"=": true, "<>": true, "<": true, ">": true, "<=": true, ">=": true}

func isKeyword(s string) bool {
	u := strings.ToUpper(s)
	return keywords[u] || spatialOps[u] || strings.HasPrefix(u, "T_") || strings.HasPrefix(u, "A_")
}

// ParseText reads a CQL2-text filter. Besides the standard it accepts ILIKE (GDAL sends it; read
// as CASEI(x) LIKE CASEI(pattern)) and ENVELOPE as an older name of BBOX.
func ParseText(src string) (Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return nil, errAt(-1, "the filter is empty")
	}
	e, err := p.orExpr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, errAt(t.pos, "unexpected %s after a complete expression (missing AND/OR?)", t.describe())
	}
	return e, nil
}

type parser struct {
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// accept consumes the next token when it is s.
func (p *parser) accept(s string) bool {
	if p.peek().is(s) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expect(s, what string) error {
	if t := p.next(); !t.is(s) {
		return errAt(t.pos, "expected %s but found %s", what, t.describe())
	}
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return errAt(p.peek().pos, "the filter nests deeper than %d levels", MaxDepth)
	}
	return nil
}

func (p *parser) orExpr() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	left, err := p.andExpr()
	for err == nil && p.accept("OR") {
		var right Expr
		if right, err = p.andExpr(); err == nil {
			left = Or{left, right}
		}
	}
	return left, err
}

func (p *parser) andExpr() (Expr, error) {
	left, err := p.notExpr()
	for err == nil && p.accept("AND") {
		var right Expr
		if right, err = p.notExpr(); err == nil {
			left = And{left, right}
		}
	}
	return left, err
}

func (p *parser) notExpr() (Expr, error) {
	if !p.accept("NOT") {
		return p.primary()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	x, err := p.notExpr()
	if err != nil {
		return nil, err
	}
	return Not{x}, nil
}

// primary is a parenthesised expression, a spatial function, a boolean literal or a predicate.
func (p *parser) primary() (Expr, error) {
	t := p.peek()
	switch {
	case t.is("("):
		p.next()
		e, err := p.orExpr()
		if err != nil {
			return nil, err
		}
		return e, p.expect(")", "a closing parenthesis")
	case t.kind == tIdent && spatialOps[strings.ToUpper(t.text)] && p.peekAt(1).is("("):
		return p.spatial()
	case t.kind == tIdent && p.peekAt(1).is("(") && unsupportedFunc(t.text) != "":
		return nil, errAt(t.pos, "%s", unsupportedFunc(t.text))
	case (t.is("TRUE") || t.is("FALSE")) && !startsPredicateTail(p.peekAt(1)):
		p.next()
		return Bool{t.is("TRUE")}, nil
	}
	return p.predicate()
}

// unsupportedFunc explains why a known-but-unsupported function is refused ("" if not such).
func unsupportedFunc(name string) string {
	u := strings.ToUpper(name)
	switch {
	case strings.HasPrefix(u, "T_"):
		return "temporal functions (" + u + ") are not supported: compare dates with = < > BETWEEN"
	case strings.HasPrefix(u, "A_"):
		return "array functions (" + u + ") are not supported"
	case u == "ACCENTI":
		return "ACCENTI is not supported"
	case u == "INTERVAL":
		return "INTERVAL literals are not supported"
	}
	return ""
}

func startsPredicateTail(t token) bool {
	return t.kind == tPunct && compareOps[t.text] || t.is("NOT") || t.is("LIKE") || t.is("ILIKE") ||
		t.is("BETWEEN") || t.is("IN") || t.is("IS")
}

func (p *parser) spatial() (Expr, error) {
	op := strings.ToUpper(p.next().text)
	p.next() // "("
	left, err := p.geomOperand()
	if err != nil {
		return nil, err
	}
	if err := p.expect(",", "a comma between the two geometries of "+op); err != nil {
		return nil, err
	}
	right, err := p.geomOperand()
	if err != nil {
		return nil, err
	}
	return Spatial{op, left, right}, p.expect(")", "a closing parenthesis after "+op)
}

func (p *parser) geomOperand() (Scalar, error) {
	t := p.peek()
	if t.kind == tIdent && isGeometryTag(t.text) {
		return p.geometry()
	}
	if t.kind == tQuoted || (t.kind == tIdent && !isKeyword(t.text) && !p.peekAt(1).is("(")) {
		p.next()
		return Property{t.text}, nil
	}
	return nil, errAt(t.pos, "expected a geometry property or a WKT/BBOX literal but found %s", t.describe())
}

// predicate is scalar followed by a comparison, LIKE, BETWEEN, IN or IS NULL.
func (p *parser) predicate() (Expr, error) {
	x, err := p.scalar()
	if err != nil {
		return nil, err
	}
	t := p.next()
	switch {
	case t.kind == tPunct && compareOps[t.text]:
		right, err := p.scalar()
		if err != nil {
			return nil, err
		}
		return Compare{t.text, x, right}, nil
	case t.is("IS"):
		neg := p.accept("NOT")
		return IsNull{x, neg}, p.expect("NULL", "NULL after IS")
	case t.is("NOT"):
		if nt := p.peek(); !nt.is("LIKE") && !nt.is("ILIKE") && !nt.is("BETWEEN") && !nt.is("IN") {
			return nil, errAt(nt.pos, "expected LIKE, BETWEEN or IN after NOT but found %s", nt.describe())
		}
		return p.predicateTail(x, p.next(), true)
	case t.is("LIKE") || t.is("ILIKE") || t.is("BETWEEN") || t.is("IN"):
		return p.predicateTail(x, t, false)
	}
	return nil, errAt(t.pos, "expected a comparison (=, <>, <, >, <=, >=, LIKE, BETWEEN, IN, IS NULL) after %s but found %s", x, t.describe())
}

func (p *parser) predicateTail(x Scalar, op token, neg bool) (Expr, error) {
	switch {
	case op.is("LIKE"):
		pat, err := p.scalar()
		return Like{x, pat, neg}, err
	case op.is("ILIKE"):
		pat, err := p.scalar()
		return Like{CaseI{x}, CaseI{pat}, neg}, err
	case op.is("BETWEEN"):
		lo, err := p.scalar()
		if err != nil {
			return nil, err
		}
		if err := p.expect("AND", "AND between the bounds of BETWEEN"); err != nil {
			return nil, err
		}
		hi, err := p.scalar()
		return Between{x, lo, hi, neg}, err
	}
	list, err := p.inList()
	return In{x, list, neg}, err
}

func (p *parser) inList() ([]Scalar, error) {
	if err := p.expect("(", "a parenthesised list after IN"); err != nil {
		return nil, err
	}
	var list []Scalar
	for {
		s, err := p.scalar()
		if err != nil {
			return nil, err
		}
		list = append(list, s)
		if !p.accept(",") {
			return list, p.expect(")", "a comma or a closing parenthesis in the IN list")
		}
	}
}

// scalar is a property, a literal, or CASEI(scalar).
func (p *parser) scalar() (Scalar, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return String{t.text}, nil
	case tNumber:
		return number(t, 1)
	case tQuoted:
		return Property{t.text}, nil
	case tPunct:
		if (t.text == "-" || t.text == "+") && p.peek().kind == tNumber {
			sign := 1.0
			if t.text == "-" {
				sign = -1
			}
			return number(p.next(), sign)
		}
	case tIdent:
		return p.word(t)
	}
	return nil, errAt(t.pos, "expected a property name or a value but found %s", t.describe())
}

// word is a bare word in scalar position: a literal keyword, a function or a property.
func (p *parser) word(t token) (Scalar, error) {
	u := strings.ToUpper(t.text)
	call := p.peek().is("(")
	switch {
	case u == "TRUE" || u == "FALSE":
		return Bool{u == "TRUE"}, nil
	case u == "NULL":
		return nil, errAt(t.pos, "NULL is not a value: write x IS NULL")
	case (u == "DATE" || u == "TIMESTAMP") && call:
		return p.instant(u)
	case u == "CASEI" && call:
		return p.casei()
	case isGeometryTag(u):
		p.i--
		return p.geometry()
	case call && unsupportedFunc(u) != "":
		return nil, errAt(t.pos, "%s", unsupportedFunc(u))
	case call:
		return nil, errAt(t.pos, "unknown function %s", t.text)
	case keywords[u]:
		return nil, errAt(t.pos, "expected a property name or a value but found the keyword %s", u)
	}
	return Property{t.text}, nil
}

func (p *parser) casei() (Scalar, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.next() // "("
	x, err := p.scalar()
	if err != nil {
		return nil, err
	}
	return CaseI{x}, p.expect(")", "a closing parenthesis after CASEI(...")
}

// instant reads DATE('yyyy-mm-dd') or TIMESTAMP('yyyy-mm-ddThh:mm:ss[.f]Z').
func (p *parser) instant(kind string) (Scalar, error) {
	p.next() // "("
	t := p.next()
	if t.kind != tString {
		return nil, errAt(t.pos, "expected a quoted date in %s(...) but found %s", kind, t.describe())
	}
	if err := p.expect(")", "a closing parenthesis after "+kind+"(..."); err != nil {
		return nil, err
	}
	if kind == "DATE" {
		d, err := time.Parse(time.DateOnly, t.text)
		if err != nil {
			return nil, errAt(t.pos, "DATE needs yyyy-mm-dd, got '%s'", t.text)
		}
		return Date{d}, nil
	}
	ts, err := time.Parse(time.RFC3339Nano, t.text)
	if err != nil {
		return nil, errAt(t.pos, "TIMESTAMP needs yyyy-mm-ddThh:mm:ssZ, got '%s'", t.text)
	}
	return Timestamp{ts.UTC()}, nil
}

func number(t token, sign float64) (Scalar, error) {
	v, err := strconv.ParseFloat(t.text, 64)
	if err != nil || math.IsInf(v, 0) {
		return nil, errAt(t.pos, "number %s is out of range", t.text)
	}
	return Number{sign * v}, nil
}
