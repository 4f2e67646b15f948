package exports

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/onemap/onemap/internal/assets"
)

// feature is one asset as GeoJSON; coordinates marshal at full precision.
type feature struct {
	Type       string   `json:"type"`
	ID         int64    `json:"id"`
	Properties any      `json:"properties"`
	Geometry   geometry `json:"geometry"`
}

type geometry struct {
	Type        string       `json:"type"`
	Coordinates orb.Geometry `json:"coordinates"`
}

// geoJSON streams a FeatureCollection whose properties are the table (table.go) by Chinese
// header; an empty cell is left out. A zone CRS is named in the (legacy) crs member, which GDAL
// and QGIS honour.
func (s *Service) geoJSON(ctx context.Context, f assets.Filter, o Options, w io.Writer) error {
	bw := bufio.NewWriter(w)
	head := `{"type":"FeatureCollection",`
	if srid := o.srid(); srid != 4490 {
		head += fmt.Sprintf(`"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::%d"}},`, srid)
	}
	if _, err := bw.WriteString(head + `"features":[`); err != nil {
		return err
	}
	first := true
	enc := json.NewEncoder(bw)
	cols := tableColumns(f.Within != nil)
	err := s.assets.EachWKB(ctx, f, o.srid(), func(a assets.Asset, b []byte) error {
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return fmt.Errorf("exports: asset %d geometry: %w", a.ID, err)
		}
		if !first {
			if err := bw.WriteByte(','); err != nil {
				return err
			}
		}
		first = false
		return enc.Encode(feature{Type: "Feature", ID: a.ID, Properties: tableProperties(a, cols), Geometry: geometry{g.GeoJSONType(), g}})
	})
	if err != nil {
		return err
	}
	if _, err := bw.WriteString("]}\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// tableProperties are an asset's table row keyed by header, in the table's order, empty cells
// left out.
func tableProperties(a assets.Asset, cols []TableColumn) orderedProps {
	row := tableRow(a, cols)
	var p orderedProps
	for i, c := range cols {
		if row[i] != nil {
			p.keys, p.values = append(p.keys, c.Label), append(p.values, row[i])
		}
	}
	return p
}

// orderedProps marshal as a JSON object keeping their order (a map's keys come out sorted).
type orderedProps struct {
	keys   []string
	values []any
}

// MarshalJSON writes the properties in order.
func (p orderedProps) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range p.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		val, err := json.Marshal(p.values[i])
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// csv writes the table (table.go) in UTF-8 with a BOM (so Excel reads it as UTF-8), all kinds
// in one, the geometry as WKT only when asked.
func (s *Service) csv(ctx context.Context, f assets.Filter, o Options, w io.Writer) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	cols := tableColumns(f.Within != nil)
	header := make([]string, 0, len(cols)+1)
	for _, c := range cols {
		header = append(header, c.Label)
	}
	if o.WKT {
		header = append(header, wktLabel)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	err := s.assets.EachWKB(ctx, f, o.srid(), func(a assets.Asset, b []byte) error {
		row := make([]string, 0, len(cols)+1)
		for _, v := range tableRow(a, cols) {
			row = append(row, cellText(v))
		}
		if o.WKT {
			w, err := wktOf(a, b)
			if err != nil {
				return err
			}
			row = append(row, w)
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
