package exports

import (
	"context"
	"fmt"
	"io"

	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/assets"
)

// maxCell is the most characters an Excel cell holds.
const maxCell = 32767

// wktLabel is the header of the geometry column (Options.WKT).
const wktLabel = "WKT"

// xlsx writes the table (table.go) on one sheet per kind that has rows (named in Chinese), or
// on one sheet; a sheet is opened with its first row, so no sheet is empty unless nothing
// matched (a workbook needs one sheet). Assets come in kind order, so one pass fills them all.
func (s *Service) xlsx(ctx context.Context, f assets.Filter, o Options, w io.Writer) error {
	x := excelize.NewFile()
	defer func() { _ = x.Close() }() // its temporary files only
	b := &book{file: x, cols: tableColumns(f.Within != nil), wkt: o.WKT}
	err := s.assets.EachWKB(ctx, f, o.srid(), func(a assets.Asset, g []byte) error {
		name := "资产"
		if o.Sheets == "kind" {
			name = assets.KindLabels[string(a.Kind)]
		}
		if err := b.open(name); err != nil {
			return err
		}
		row, err := b.row(a, g)
		if err != nil {
			return err
		}
		return b.add(row)
	})
	if err != nil {
		return err
	}
	if b.sheet == "" {
		if err := b.open("资产"); err != nil {
			return err
		}
	}
	if err := b.sw.Flush(); err != nil {
		return err
	}
	return x.Write(w)
}

// book writes sheets one after another through excelize's stream writer.
type book struct {
	file  *excelize.File
	cols  []TableColumn
	wkt   bool
	sheet string
	sw    *excelize.StreamWriter
	n     int
}

// open starts sheet name with its header unless it is the current one; the workbook's first
// sheet is renamed rather than left empty.
func (b *book) open(name string) error {
	if name == b.sheet {
		return nil
	}
	if b.sw != nil {
		if err := b.sw.Flush(); err != nil {
			return err
		}
		if _, err := b.file.NewSheet(name); err != nil {
			return err
		}
	} else if err := b.file.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := b.file.NewStreamWriter(name)
	if err != nil {
		return err
	}
	b.sheet, b.sw, b.n = name, sw, 0
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, 0, len(b.cols)+1)
	for _, c := range b.cols {
		header = append(header, c.Label)
	}
	if b.wkt {
		header = append(header, wktLabel)
	}
	return b.add(header)
}

func (b *book) row(a assets.Asset, g []byte) ([]any, error) {
	row := tableRow(a, b.cols)
	if !b.wkt {
		return row, nil
	}
	w, err := wktOf(a, g)
	if len(w) > maxCell {
		w = "" // more than a cell holds: the centre still locates it
	}
	return append(row, w), err
}

func (b *book) add(row []any) error {
	b.n++
	cell, err := excelize.CoordinatesToCellName(1, b.n)
	if err != nil {
		return err
	}
	return b.sw.SetRow(cell, row)
}

// wktOf is an asset's geometry as WKT.
func wktOf(a assets.Asset, b []byte) (string, error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return "", fmt.Errorf("exports: asset %d geometry: %w", a.ID, err)
	}
	return wkt.MarshalString(g), nil
}
