package imports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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

// openLedger reads a CSV or XLSX table through GDAL, every cell as text, and builds each row's
// geometry from its lon/lat or WKT columns. A CSV not in UTF-8 is decoded first (Excel in China
// saves GBK).
func openLedger(path, format, userEncoding, scratch string) (*Source, error) {
	enc := encUTF8
	var opts []string
	if format == FormatCSV {
		text, name, err := readText(path, userEncoding)
		if err != nil {
			return nil, err
		}
		enc = name
		path = filepath.Join(scratch, "ledger.csv")
		if err := os.WriteFile(path, text, 0o600); err != nil {
			return nil, fmt.Errorf("imports: %w", err)
		}
		opts = []string{"AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES"}
	} else {
		opts = []string{"HEADERS=FORCE", "FIELD_TYPES=STRING"}
	}
	src, err := openGDALFiles(format, enc, []gdalDataset{{path: path, opts: opts}})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var recs []Record
	err = src.Each(context.Background(), func(r Record) error {
		r.WKB, r.Problem = ledgerGeometry(r.Attrs)
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	layers := ledgerLayers(src.Layers, recs)
	return memorySource(format, enc, layers, recs), nil
}

// ledgerLayers sets each layer's extent from its rows' geometry; a ledger states no CRS.
func ledgerLayers(in []Layer, recs []Record) []Layer {
	out := make([]Layer, len(in))
	seen := make([]bool, len(in))
	for i := range in {
		out[i] = Layer{Name: in[i].Name}
	}
	for _, r := range recs {
		l := &out[r.Layer]
		l.Count++
		if r.Problem != "" {
			continue
		}
		g, err := wkb.Unmarshal(r.WKB)
		if err != nil {
			continue
		}
		b := g.Bound()
		if !seen[r.Layer] {
			l.Bounds, seen[r.Layer] = geo.Bounds{MinX: b.Min[0], MinY: b.Min[1], MaxX: b.Max[0], MaxY: b.Max[1]}, true
			continue
		}
		l.Bounds = geo.Bounds{
			MinX: min(l.Bounds.MinX, b.Min[0]), MinY: min(l.Bounds.MinY, b.Min[1]),
			MaxX: max(l.Bounds.MaxX, b.Max[0]), MaxY: max(l.Bounds.MaxY, b.Max[1]),
		}
	}
	return out
}

// ledgerGeometry builds a row's geometry from a WKT column, else from lon and lat columns,
// and takes those columns out of the attributes.
func ledgerGeometry(attrs map[string]string) ([]byte, string) {
	if col, v := takeColumn(attrs, wktColumns); col != "" && v != "" {
		g, err := wkt.Unmarshal(v)
		if err != nil {
			return nil, fmt.Sprintf("%s: not WKT: %v", col, err)
		}
		return marshalWKB(g)
	}
	lonCol, lon := takeColumn(attrs, lonColumns)
	latCol, lat := takeColumn(attrs, latColumns)
	if lonCol == "" || latCol == "" || lon == "" || lat == "" {
		return nil, "has no geometry: give a WKT column or lon and lat columns"
	}
	x, errX := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	y, errY := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	if errX != nil || errY != nil {
		return nil, fmt.Sprintf("%s, %s: %q, %q are not numbers", lonCol, latCol, lon, lat)
	}
	return marshalWKB(orb.Point{x, y})
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
