package cql2

import (
	"strings"

	"github.com/paulmach/orb"
)

func isGeometryTag(s string) bool {
	switch strings.ToUpper(s) {
	case "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
		"GEOMETRYCOLLECTION", "BBOX", "ENVELOPE":
		return true
	}
	return false
}

// geometry reads a WKT literal or BBOX(minx, miny, maxx, maxy) (six numbers with heights).
// Heights are read and dropped: OneMap's geometries are 2D.
func (p *parser) geometry() (Scalar, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	t := p.next()
	tag := strings.ToUpper(t.text)
	if tag == "BBOX" || tag == "ENVELOPE" {
		b, err := p.bbox(tag)
		return Geometry{G: b, BBox: true}, err
	}
	if p.peek().is("EMPTY") {
		return nil, errAt(p.peek().pos, "empty geometries are not accepted")
	}
	g, err := p.taggedText(tag)
	if err != nil {
		return nil, err
	}
	return Geometry{G: g}, nil
}

func (p *parser) taggedText(tag string) (orb.Geometry, error) {
	switch tag {
	case "POINT":
		return p.parens(p.point)
	case "LINESTRING":
		ls, err := p.lineString(2)
		return orb.LineString(ls), err
	case "POLYGON":
		return p.polygon()
	case "MULTIPOINT":
		return p.multiPoint()
	case "MULTILINESTRING":
		return listOf[orb.LineString, orb.MultiLineString](p, "a line string", func() (orb.LineString, error) { return p.lineString(2) })
	case "MULTIPOLYGON":
		return listOf[orb.Polygon, orb.MultiPolygon](p, "a polygon", p.polygon)
	}
	return p.collection()
}

func (p *parser) collection() (orb.Geometry, error) {
	return listOf[orb.Geometry, orb.Collection](p, "a geometry", func() (orb.Geometry, error) {
		t := p.next()
		tag := strings.ToUpper(t.text)
		if t.kind != tIdent || !isGeometryTag(tag) || tag == "BBOX" || tag == "ENVELOPE" {
			return nil, errAt(t.pos, "expected a WKT geometry in GEOMETRYCOLLECTION but found %s", t.describe())
		}
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		return p.taggedText(tag)
	})
}

// listOf reads "(" item {"," item} ")" into an orb collection type.
func listOf[T any, S ~[]T](p *parser, what string, item func() (T, error)) (S, error) {
	if err := p.expect("(", "an opening parenthesis before "+what); err != nil {
		return nil, err
	}
	var out S
	for {
		v, err := item()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if !p.accept(",") {
			return out, p.expect(")", "a comma or a closing parenthesis after "+what)
		}
	}
}

func (p *parser) parens(f func() (orb.Point, error)) (orb.Point, error) {
	if err := p.expect("(", "an opening parenthesis before a point"); err != nil {
		return orb.Point{}, err
	}
	pt, err := f()
	if err != nil {
		return pt, err
	}
	return pt, p.expect(")", "a closing parenthesis after a point")
}

// point reads "x y [z]".
func (p *parser) point() (orb.Point, error) {
	x, err := p.coord()
	if err != nil {
		return orb.Point{}, err
	}
	y, err := p.coord()
	if err != nil {
		return orb.Point{}, err
	}
	if t := p.peek(); t.kind == tNumber || t.is("-") || t.is("+") {
		if _, err := p.coord(); err != nil {
			return orb.Point{}, err
		}
	}
	return orb.Point{x, y}, nil
}

func (p *parser) coord() (float64, error) {
	t := p.peek()
	signed := (t.is("-") || t.is("+")) && p.peekAt(1).kind == tNumber
	if t.kind != tNumber && !signed {
		return 0, errAt(t.pos, "expected a coordinate but found %s", t.describe())
	}
	s, err := p.scalar()
	if err != nil {
		return 0, err
	}
	return s.(Number).V, nil
}

func (p *parser) lineString(min int) ([]orb.Point, error) {
	pts, err := listOf[orb.Point, []orb.Point](p, "a point", p.point)
	if err == nil && len(pts) < min {
		return nil, errAt(p.toks[p.i-1].pos, "a line needs at least %d points", min)
	}
	return pts, err
}

func (p *parser) polygon() (orb.Polygon, error) {
	return listOf[orb.Ring, orb.Polygon](p, "a ring", func() (orb.Ring, error) {
		pts, err := p.lineString(4)
		if err != nil {
			return nil, err
		}
		if pts[0] != pts[len(pts)-1] {
			return nil, errAt(p.toks[p.i-1].pos, "a polygon ring must end at its first point")
		}
		return orb.Ring(pts), nil
	})
}

// multiPoint accepts both MULTIPOINT((1 2), (3 4)) and MULTIPOINT(1 2, 3 4).
func (p *parser) multiPoint() (orb.MultiPoint, error) {
	return listOf[orb.Point, orb.MultiPoint](p, "a point", func() (orb.Point, error) {
		if p.peek().is("(") {
			return p.parens(p.point)
		}
		return p.point()
	})
}

// bbox reads (minx, miny, maxx, maxy) or (minx, miny, minz, maxx, maxy, maxz).
func (p *parser) bbox(tag string) (orb.Bound, error) {
	start := p.peek().pos
	nums, err := listOf[float64, []float64](p, "a number", p.coord)
	if err != nil {
		return orb.Bound{}, err
	}
	switch len(nums) {
	case 4:
	case 6:
		nums = []float64{nums[0], nums[1], nums[3], nums[4]}
	default:
		return orb.Bound{}, errAt(start, "%s needs 4 numbers (or 6 with heights), got %d", tag, len(nums))
	}
	if nums[0] > nums[2] || nums[1] > nums[3] {
		return orb.Bound{}, errAt(start, "%s: a lower bound exceeds its upper bound (boxes across the antimeridian are not supported)", tag)
	}
	return orb.Bound{Min: orb.Point{nums[0], nums[1]}, Max: orb.Point{nums[2], nums[3]}}, nil
}
