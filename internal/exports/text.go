package exports

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/onemap/onemap/internal/assets"
)

// feature is one asset as GeoJSON; coordinates marshal at full precision.
type feature struct {
	Type       string         `json:"type"`
	ID         int64          `json:"id"`
	Properties map[string]any `json:"properties"`
	Geometry   geometry       `json:"geometry"`
}

type geometry struct {
	Type        string       `json:"type"`
	Coordinates orb.Geometry `json:"coordinates"`
}

// geoJSON streams a FeatureCollection; a zone CRS is named in the (legacy) crs member, which
// GDAL and QGIS honour.
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
		return enc.Encode(feature{Type: "Feature", ID: a.ID, Properties: values(a), Geometry: geometry{g.GeoJSONType(), g}})
	})
	if err != nil {
		return err
	}
	if _, err := bw.WriteString("]}\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// csv writes UTF-8 with a BOM (so Excel reads it as UTF-8), the column names as header and the
// geometry as WKT.
func (s *Service) csv(ctx context.Context, f assets.Filter, o Options, w io.Writer) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cols := columns(f)
	header := make([]string, 0, len(cols)+1)
	for _, c := range cols {
		header = append(header, c.Name)
	}
	if err := cw.Write(append(header, "wkt")); err != nil {
		return err
	}
	err := s.assets.EachWKB(ctx, f, o.srid(), func(a assets.Asset, b []byte) error {
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return fmt.Errorf("exports: asset %d geometry: %w", a.ID, err)
		}
		v := values(a)
		row := make([]string, 0, len(cols)+1)
		for _, c := range cols {
			row = append(row, text(v[c.Name]))
		}
		return cw.Write(append(row, wkt.MarshalString(g)))
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
