package cql2

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// ParseJSON reads a CQL2-JSON filter into the same AST as ParseText.
func ParseJSON(src []byte) (Expr, error) {
	d := json.NewDecoder(bytes.NewReader(src))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, errAt(-1, "the filter is not JSON: %v", err)
	}
	if d.More() {
		return nil, errAt(-1, "the filter holds more than one JSON value")
	}
	return jsonExpr(v, 0)
}

func jfail(format string, args ...any) error { return errAt(-1, format, args...) }

// jsonOp splits {"op": ..., "args": [...]}.
func jsonOp(v any) (op string, args []any, ok bool) {
	m, isObj := v.(map[string]any)
	if !isObj {
		return "", nil, false
	}
	op, _ = m["op"].(string)
	args, _ = m["args"].([]any)
	return strings.ToLower(op), args, op != ""
}

func jsonExpr(v any, depth int) (Expr, error) {
	if depth > MaxDepth {
		return nil, jfail("the filter nests deeper than %d levels", MaxDepth)
	}
	if b, ok := v.(bool); ok {
		return Bool{b}, nil
	}
	op, args, ok := jsonOp(v)
	if !ok {
		return nil, jfail("expected an {\"op\": ..., \"args\": [...]} object or a boolean, got %s", brief(v))
	}
	switch {
	case op == "and" || op == "or":
		return jsonLogical(op, args, depth)
	case op == "not":
		if len(args) != 1 {
			return nil, jfail("not takes one argument, got %d", len(args))
		}
		x, err := jsonExpr(args[0], depth+1)
		return Not{x}, err
	case spatialOps[strings.ToUpper(op)]:
		s, err := jsonScalars(op, args, 2, depth)
		if err != nil {
			return nil, err
		}
		for _, g := range s {
			if _, isProp := g.(Property); !isProp {
				if _, isGeom := g.(Geometry); !isGeom {
					return nil, jfail("%s compares geometries (a property or a GeoJSON/bbox literal), not %s", op, g)
				}
			}
		}
		return Spatial{strings.ToUpper(op), s[0], s[1]}, nil
	}
	return jsonPredicate(op, args, depth)
}

func jsonLogical(op string, args []any, depth int) (Expr, error) {
	if len(args) < 2 {
		return nil, jfail("%s takes at least two arguments, got %d", op, len(args))
	}
	var out Expr
	for _, a := range args {
		x, err := jsonExpr(a, depth+1)
		if err != nil {
			return nil, err
		}
		switch {
		case out == nil:
			out = x
		case op == "and":
			out = And{out, x}
		default:
			out = Or{out, x}
		}
	}
	return out, nil
}

func jsonPredicate(op string, args []any, depth int) (Expr, error) {
	switch op {
	case "=", "<>", "<", ">", "<=", ">=":
		s, err := jsonScalars(op, args, 2, depth)
		if err != nil {
			return nil, err
		}
		return Compare{op, s[0], s[1]}, nil
	case "like":
		s, err := jsonScalars(op, args, 2, depth)
		if err != nil {
			return nil, err
		}
		return Like{X: s[0], Pattern: s[1]}, nil
	case "between":
		s, err := jsonScalars(op, args, 3, depth)
		if err != nil {
			return nil, err
		}
		return Between{X: s[0], Lo: s[1], Hi: s[2]}, nil
	case "in":
		return jsonIn(args, depth)
	case "isnull":
		s, err := jsonScalars(op, args, 1, depth)
		if err != nil {
			return nil, err
		}
		return IsNull{X: s[0]}, nil
	}
	if msg := unsupportedFunc(op); msg != "" {
		return nil, jfail("%s", msg)
	}
	return nil, jfail("unknown operator %q", op)
}

func jsonIn(args []any, depth int) (Expr, error) {
	if len(args) != 2 {
		return nil, jfail("in takes a value and a list, got %d arguments", len(args))
	}
	list, ok := args[1].([]any)
	if !ok || len(list) == 0 {
		return nil, jfail("the second argument of in must be a non-empty array")
	}
	x, err := jsonScalar(args[0], depth+1)
	if err != nil {
		return nil, err
	}
	in := In{X: x}
	for _, item := range list {
		s, err := jsonScalar(item, depth+1)
		if err != nil {
			return nil, err
		}
		in.List = append(in.List, s)
	}
	return in, nil
}

func jsonScalars(op string, args []any, n int, depth int) ([]Scalar, error) {
	if len(args) != n {
		return nil, jfail("%s takes %d arguments, got %d", op, n, len(args))
	}
	out := make([]Scalar, n)
	for i, a := range args {
		s, err := jsonScalar(a, depth+1)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// jsonScalar reads a property, literal, CASEI, date, timestamp, bbox or GeoJSON geometry.
func jsonScalar(v any, depth int) (Scalar, error) {
	if depth > MaxDepth {
		return nil, jfail("the filter nests deeper than %d levels", MaxDepth)
	}
	switch v := v.(type) {
	case string:
		return String{v}, nil
	case bool:
		return Bool{v}, nil
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return nil, jfail("number %s is out of range", v)
		}
		return Number{f}, nil
	case map[string]any:
		return jsonObject(v, depth)
	}
	return nil, jfail("expected a value, got %s", brief(v))
}

func jsonObject(m map[string]any, depth int) (Scalar, error) {
	if op, args, ok := jsonOp(m); ok {
		if op != "casei" || len(args) != 1 {
			return nil, jfail("%q is not a function OneMap knows (only casei with one argument)", op)
		}
		x, err := jsonScalar(args[0], depth+1)
		return CaseI{x}, err
	}
	switch {
	case m["property"] != nil:
		name, ok := m["property"].(string)
		if !ok || name == "" || strings.ContainsRune(name, '"') {
			return nil, jfail("property must be a non-empty string without double quotes")
		}
		return Property{name}, nil
	case m["date"] != nil:
		s, _ := m["date"].(string)
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, jfail("date needs yyyy-mm-dd, got %s", brief(m["date"]))
		}
		return Date{d}, nil
	case m["timestamp"] != nil:
		s, _ := m["timestamp"].(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, jfail("timestamp needs yyyy-mm-ddThh:mm:ssZ, got %s", brief(m["timestamp"]))
		}
		return Timestamp{t.UTC()}, nil
	case m["bbox"] != nil:
		return jsonBBox(m["bbox"])
	case m["type"] != nil && m["coordinates"] != nil || m["geometries"] != nil:
		return jsonGeometry(m)
	case m["interval"] != nil:
		return nil, jfail("%s", unsupportedFunc("INTERVAL"))
	}
	return nil, jfail("expected a property, a date, a timestamp, a bbox or a GeoJSON geometry, got %s", brief(m))
}

func jsonBBox(v any) (Scalar, error) {
	arr, _ := v.([]any)
	nums := make([]float64, 0, len(arr))
	for _, a := range arr {
		n, ok := a.(json.Number)
		f, err := n.Float64()
		if !ok || err != nil {
			return nil, jfail("bbox must hold numbers, got %s", brief(a))
		}
		nums = append(nums, f)
	}
	if len(nums) == 6 {
		nums = []float64{nums[0], nums[1], nums[3], nums[4]}
	}
	if len(nums) != 4 {
		return nil, jfail("bbox needs 4 numbers (or 6 with heights), got %d", len(arr))
	}
	if nums[0] > nums[2] || nums[1] > nums[3] {
		return nil, jfail("bbox: a lower bound exceeds its upper bound")
	}
	return Geometry{G: orb.Bound{Min: orb.Point{nums[0], nums[1]}, Max: orb.Point{nums[2], nums[3]}}, BBox: true}, nil
}

// jsonGeometry reads a GeoJSON geometry object (orb/geojson would pull in a BSON driver).
func jsonGeometry(m map[string]any) (Scalar, error) {
	g, err := geoJSON(m, 0)
	if err != nil {
		return nil, err
	}
	return Geometry{G: g}, nil
}

func geoJSON(m map[string]any, depth int) (orb.Geometry, error) {
	if depth > MaxDepth {
		return nil, jfail("the geometry nests deeper than %d levels", MaxDepth)
	}
	typ, _ := m["type"].(string)
	if typ == "GeometryCollection" {
		list, _ := m["geometries"].([]any)
		var out orb.Collection
		for _, item := range list {
			sub, ok := item.(map[string]any)
			if !ok {
				return nil, jfail("GeometryCollection holds %s, not a geometry", brief(item))
			}
			g, err := geoJSON(sub, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
		return out, nil
	}
	c := m["coordinates"]
	switch typ {
	case "Point":
		return position(c)
	case "MultiPoint":
		return listOfJSON[orb.Point, orb.MultiPoint](c, position)
	case "LineString":
		return listOfJSON[orb.Point, orb.LineString](c, position)
	case "MultiLineString":
		return listOfJSON[orb.LineString, orb.MultiLineString](c, lineJSON)
	case "Polygon":
		return polygonJSON(c)
	case "MultiPolygon":
		return listOfJSON[orb.Polygon, orb.MultiPolygon](c, polygonJSON)
	}
	return nil, jfail("not a GeoJSON geometry: %s", brief(m))
}

func listOfJSON[T any, S ~[]T](v any, item func(any) (T, error)) (S, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, jfail("expected a non-empty coordinate array, got %s", brief(v))
	}
	out := make(S, 0, len(arr))
	for _, a := range arr {
		t, err := item(a)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func position(v any) (orb.Point, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) < 2 || len(arr) > 3 {
		return orb.Point{}, jfail("a position needs 2 or 3 numbers, got %s", brief(v))
	}
	var p orb.Point
	for i := range 2 {
		n, ok := arr[i].(json.Number)
		f, err := n.Float64()
		if !ok || err != nil {
			return p, jfail("a coordinate must be a number, got %s", brief(arr[i]))
		}
		p[i] = f
	}
	return p, nil
}

func lineJSON(v any) (orb.LineString, error) {
	return listOfJSON[orb.Point, orb.LineString](v, position)
}

func polygonJSON(v any) (orb.Polygon, error) {
	return listOfJSON[orb.Ring, orb.Polygon](v, func(r any) (orb.Ring, error) {
		ring, err := listOfJSON[orb.Point, orb.Ring](r, position)
		if err == nil && (len(ring) < 4 || ring[0] != ring[len(ring)-1]) {
			err = jfail("a polygon ring needs at least 4 positions and must end where it starts")
		}
		return ring, err
	})
}

// brief shows a JSON value in errors, cut to a readable length.
func brief(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
