package exports

import (
	"context"
	"fmt"
	"io"

	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/imports"
)

// maxCell is the most characters an Excel cell holds.
const maxCell = 32767

// xlsx writes one sheet per kind (named in Chinese) or one sheet, with Chinese headers, the
// geometry as WKT and, in EPSG:4490, the longitude and latitude of its bounding-box centre (all
// a cell can hold of a polygon too large for one).
func (s *Service) xlsx(ctx context.Context, f assets.Filter, o Options, w io.Writer) error {
	x := excelize.NewFile()
	defer func() { _ = x.Close() }() // its temporary files only
	sheets := []sheetSpec{{name: "资产", filter: f}}
	if o.Sheets == "kind" {
		sheets = nil
		for _, k := range assets.Kinds {
			if len(f.Kinds) == 0 || contains(f.Kinds, k) {
				kf := f
				kf.Kinds = []assets.Kind{k}
				sheets = append(sheets, sheetSpec{name: assets.KindLabels[string(k)], filter: kf})
			}
		}
	}
	for i, sh := range sheets {
		if err := s.sheet(ctx, x, i, sh, o.srid()); err != nil {
			return err
		}
	}
	return x.Write(w)
}

type sheetSpec struct {
	name   string
	filter assets.Filter
}

func contains(list []assets.Kind, k assets.Kind) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

// sheet writes one sheet; the workbook's first sheet is renamed rather than left empty.
func (s *Service) sheet(ctx context.Context, x *excelize.File, i int, sh sheetSpec, srid int) error {
	if i == 0 {
		if err := x.SetSheetName("Sheet1", sh.name); err != nil {
			return err
		}
	} else if _, err := x.NewSheet(sh.name); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sh.name)
	if err != nil {
		return err
	}
	cols := columns(sh.filter)
	header := make([]any, 0, len(cols)+3)
	for _, c := range cols {
		header = append(header, c.Label)
	}
	header = append(header, "WKT")
	if srid == geo.SRIDCGCS2000 {
		header = append(header, "经度", "纬度")
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 1
	err = s.assets.EachWKB(ctx, sh.filter, srid, func(a assets.Asset, b []byte) error {
		row++
		cells, err := xlsxRow(a, b, cols, srid)
		if err != nil {
			return err
		}
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}

func xlsxRow(a assets.Asset, b []byte, cols []imports.Column, srid int) ([]any, error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("exports: asset %d geometry: %w", a.ID, err)
	}
	v := values(a)
	cells := make([]any, 0, len(cols)+3)
	for _, c := range cols {
		switch x := v[c.Name].(type) {
		case float64:
			cells = append(cells, x)
		default:
			cells = append(cells, text(x))
		}
	}
	w := wkt.MarshalString(g)
	if len(w) > maxCell {
		w = ""
	}
	cells = append(cells, w)
	if srid == geo.SRIDCGCS2000 {
		c := g.Bound().Center()
		cells = append(cells, c[0], c[1])
	}
	return cells, nil
}
