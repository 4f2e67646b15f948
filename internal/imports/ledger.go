package imports

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/problem"
)

// Column names a ledger may carry its geometry in, compared after squashing case and signs.
var (
	lonColumns = []string{"lon", "lng", "long", "longitude", "x", "经度", "东经"}
	latColumns = []string{"lat", "latitude", "y", "纬度", "北纬"}
	wktColumns = []string{"wkt", "geometry", "geom", "thegeom", "几何", "图形", "空间信息"}
	// The centre columns exports write (see Record.CentreOnly).
	centreLonColumns = []string{"中心经度", "centerlon", "centrelon"}
	centreLatColumns = []string{"中心纬度", "centerlat", "centrelat"}
)

// openTXT reads a 勘测定界 coordinate file.
func openTXT(path, userEncoding string) (*Source, error) {
	text, enc, err := readText(path, userEncoding)
	if err != nil {
		return nil, err
	}
	f, err := ParseTXT(text)
	if err != nil {
		return nil, problem.Unprocessable("file", "%v", err)
	}
	l := Layer{Name: "地块坐标", Count: len(f.Parcels), Bounds: f.Bounds()}
	l.CRS, l.crsErr = f.CRS(l.Bounds)
	recs := make([]Record, len(f.Parcels))
	for i, p := range f.Parcels {
		recs[i] = Record{Row: i + 1, Attrs: p.Attrs, Problem: p.Problem}
		if p.Problem == "" {
			recs[i].WKB, err = wkb.Marshal(p.Polygon)
			if err != nil {
				recs[i].Problem = fmt.Sprintf("line %d: %v", p.Line, err)
			}
		}
	}
	return memorySource(FormatTXT, enc, []Layer{l}, recs), nil
}

// readText reads a text file as UTF-8 (see decodeText).
func readText(path, userEncoding string) ([]byte, string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("imports: %w", err)
	}
	text, enc, err := decodeText(raw, userEncoding)
	if err != nil {
		return nil, "", problem.Unprocessable("encoding", "%v", err)
	}
	return text, enc, nil
}

// memorySource serves records already read.
func memorySource(format, enc string, layers []Layer, recs []Record) *Source {
	return &Source{
		Format: format, Encoding: enc, Layers: layers,
		each: func(ctx context.Context, fn func(Record) error) error {
			for _, r := range recs {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := fn(r); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// openLedger opens a CSV or XLSX ledger, every cell as text, each row's geometry built from its
// lon/lat or WKT columns. It reads the first rows of each sheet to find its extent (a ledger
// states no CRS: its coordinates tell); how many rows there are is known once they are read.
func openLedger(path, format, userEncoding string, limits Limits) (*Source, error) {
	var t *table
	var err error
	if format == FormatCSV {
		t, err = openCSV(path, userEncoding)
	} else {
		t, err = openXLSX(path, limits)
	}
	if err != nil {
		return nil, err
	}
	layers, partial, err := ledgerLayers(t)
	if err != nil {
		t.close()
		return nil, err
	}
	return &Source{Format: format, Encoding: t.enc, Layers: layers, each: t.records, close: t.close, uncounted: partial}, nil
}

// ledgerLayers sets each sheet's extent from the geometry of its first ledgerSample rows, and
// counts them; partial tells that some sheet holds more.
func ledgerLayers(t *table) (out []Layer, partial bool, err error) {
	out = make([]Layer, len(t.names))
	seen := make([]bool, len(t.names))
	for i, n := range t.names {
		out[i] = Layer{Name: n}
	}
	err = t.records(context.Background(), func(r Record) error {
		l := &out[r.Layer]
		if l.Count == ledgerSample {
			partial = true
			return errSkipSheet
		}
		l.Count++
		if r.Problem == "" {
			extend(l, &seen[r.Layer], r.WKB)
		}
		return nil
	})
	return out, partial, err
}

// extend grows a layer's bounds by a geometry's.
func extend(l *Layer, seen *bool, b []byte) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return
	}
	r := g.Bound()
	if !*seen {
		l.Bounds, *seen = geo.Bounds{MinX: r.Min[0], MinY: r.Min[1], MaxX: r.Max[0], MaxY: r.Max[1]}, true
		return
	}
	l.Bounds = geo.Bounds{
		MinX: min(l.Bounds.MinX, r.Min[0]), MinY: min(l.Bounds.MinY, r.Min[1]),
		MaxX: max(l.Bounds.MaxX, r.Max[0]), MaxY: max(l.Bounds.MaxY, r.Max[1]),
	}
}

// ledgerGeometry builds a row's geometry from a WKT column, else from lon and lat columns, else
// from an export's centre columns (centre tells that), and takes those columns out of the
// attributes.
func ledgerGeometry(attrs map[string]string) (b []byte, problem string, centre bool) {
	cLonCol, cLon := takeColumn(attrs, centreLonColumns)
	cLatCol, cLat := takeColumn(attrs, centreLatColumns)
	if col, v := takeColumn(attrs, wktColumns); col != "" && v != "" {
		g, err := wkt.Unmarshal(v)
		if err != nil {
			return nil, fmt.Sprintf("%s: not WKT: %v", col, err), false
		}
		b, problem = marshalWKB(g)
		return b, problem, false
	}
	lonCol, lon := takeColumn(attrs, lonColumns)
	latCol, lat := takeColumn(attrs, latColumns)
	if (lonCol == "" || latCol == "" || lon == "" || lat == "") && cLon != "" && cLat != "" {
		lonCol, lon, latCol, lat, centre = cLonCol, cLon, cLatCol, cLat, true
	}
	if lonCol == "" || latCol == "" || lon == "" || lat == "" {
		return nil, "has no geometry: give a WKT column or lon and lat columns", false
	}
	x, errX := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	y, errY := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	if errX != nil || errY != nil {
		return nil, fmt.Sprintf("%s, %s: %q, %q are not numbers", lonCol, latCol, lon, lat), false
	}
	b, problem = marshalWKB(orb.Point{x, y})
	return b, problem, centre
}

func marshalWKB(g orb.Geometry) ([]byte, string) {
	b, err := wkb.Marshal(g)
	if err != nil {
		return nil, fmt.Sprintf("geometry cannot be encoded: %v", err)
	}
	return b, ""
}

// takeColumn finds the first attribute whose squashed name is one of names, removes it and
// returns its name and value.
func takeColumn(attrs map[string]string, names []string) (string, string) {
	for _, n := range names {
		for k, v := range attrs {
			if squashName(k) == n {
				delete(attrs, k)
				return k, v
			}
		}
	}
	return "", ""
}

// squashName lowercases a field name and drops spaces, underscores and brackets.
func squashName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '(', ')', '（', '）', '\t':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}
