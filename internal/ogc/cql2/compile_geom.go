package cql2

import (
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

var spatialSQL = map[string]string{
	"S_INTERSECTS": "ST_Intersects", "S_EQUALS": "ST_Equals", "S_DISJOINT": "ST_Disjoint",
	"S_TOUCHES": "ST_Touches", "S_WITHIN": "ST_Within", "S_OVERLAPS": "ST_Overlaps",
	"S_CROSSES": "ST_Crosses", "S_CONTAINS": "ST_Contains",
}

func (c *compiler) spatial(e Spatial) (string, error) {
	fn, ok := spatialSQL[e.Op]
	if !ok {
		return "", fail("unknown spatial function %s", e.Op)
	}
	l, err := c.geometry(e.Left)
	if err != nil {
		return "", fmt.Errorf("%s: %w", e.Op, err)
	}
	r, err := c.geometry(e.Right)
	if err != nil {
		return "", fmt.Errorf("%s: %w", e.Op, err)
	}
	return fn + "(" + l + ", " + r + ")", nil
}

// geometry renders a geometry property or literal in the storage CRS.
func (c *compiler) geometry(s Scalar) (string, error) {
	switch s := s.(type) {
	case Property:
		col, err := c.column(s.Name)
		if err != nil {
			return "", err
		}
		if col.Type != TypeGeometry {
			return "", fail("%s is %s, not a geometry", s.Name, col.Type)
		}
		return col.SQL, nil
	case Geometry:
		return c.geomLiteral(s)
	}
	return "", fail("%s is not a geometry", s)
}

func (c *compiler) geomLiteral(g Geometry) (string, error) {
	geom := g.G
	if b, ok := geom.(orb.Bound); ok {
		geom = b.ToPolygon()
	}
	if c.opts.SwapXY {
		geom = swapXY(geom)
	}
	b, err := wkb.Marshal(geom)
	if err != nil {
		return "", fail("geometry cannot be encoded: %v", err)
	}
	lit := "ST_SetSRID(ST_GeomFromWKB(" + c.arg(b, "bytea") + "), " + strconv.Itoa(c.opts.SRID) + ")"
	if c.opts.SRID != c.opts.StorageSRID {
		lit = "ST_Transform(" + lit + ", " + strconv.Itoa(c.opts.StorageSRID) + ")"
	}
	return lit, nil
}

// swapXY returns a copy of g with x and y exchanged.
func swapXY(g orb.Geometry) orb.Geometry {
	return orbMap(orb.Clone(g), func(p orb.Point) orb.Point { return orb.Point{p[1], p[0]} })
}

func orbMap(g orb.Geometry, f func(orb.Point) orb.Point) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return f(g)
	case orb.MultiPoint:
		for i := range g {
			g[i] = f(g[i])
		}
	case orb.LineString:
		orbMap(orb.MultiPoint(g), f)
	case orb.Ring:
		orbMap(orb.MultiPoint(g), f)
	case orb.MultiLineString:
		for _, ls := range g {
			orbMap(ls, f)
		}
	case orb.Polygon:
		for _, r := range g {
			orbMap(r, f)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			orbMap(p, f)
		}
	case orb.Collection:
		for i := range g {
			g[i] = orbMap(g[i], f)
		}
	}
	return g
}
