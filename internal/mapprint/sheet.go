// Package mapprint lays out a printed map (专题图) as a PDF: the map as a raster the browser drew
// at print resolution, and around it, as real PDF text that can be searched and copied, the
// title, the legend of the visible layers and the classification, a scale bar, a north arrow,
// the date, the author unit, the basemap attribution and, optionally, the current result list
// as table pages. Chinese text needs a CJK TrueType font, embedded as a subset (font.go).
package mapprint

import (
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/onemap/onemap/internal/problem"
)

// Bounds of what one sheet may carry.
const (
	maxText        = 200 // runes in a title, unit, attribution or table cell
	maxLegendItems = 60
	maxTableRows   = 400 // the sheet is a form field of at most 64 kB (api.uploadFieldsMax)
	maxTableCols   = 12
)

// Sheet is what the page asks to print, besides the map raster.
type Sheet struct {
	Title       string `json:"title"`
	Unit        string `json:"unit"`        // 制图单位, the author unit
	Paper       string `json:"paper"`       // A4 or A3
	Orientation string `json:"orientation"` // portrait or landscape
	Date        string `json:"date"`        // as printed; empty: today
	// MetresPerPixel is the ground distance one pixel of the map raster spans (at its centre);
	// with the raster's size on paper it gives the scale.
	MetresPerPixel float64       `json:"metres_per_pixel"`
	Bearing        float64       `json:"bearing"` // the map's rotation, degrees clockwise from north
	Attribution    string        `json:"attribution"`
	CRS            string        `json:"crs"` // e.g. CGCS2000 (EPSG:4490)
	Legend         []LegendGroup `json:"legend"`
	Table          *Table        `json:"table,omitempty"`
	Words          Words         `json:"words"`
}

// LegendGroup is one heading of the legend (visible layers, the classification) and its entries.
type LegendGroup struct {
	Title string       `json:"title"`
	Items []LegendItem `json:"items"`
}

// LegendItem is one swatch: its colour (#rrggbb), label and an optional note (count, area).
type LegendItem struct {
	Color string `json:"color"`
	Label string `json:"label"`
	Note  string `json:"note"`
}

// Table is the result list printed on pages after the map.
type Table struct {
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Words are the sheet's fixed words in the reader's language; Chinese when left empty.
type Words struct {
	Scale   string `json:"scale"`   // 比例尺
	North   string `json:"north"`   // 北
	Date    string `json:"date"`    // 制图日期
	Unit    string `json:"unit"`    // 制图单位
	CRS     string `json:"crs"`     // 坐标系
	Source  string `json:"source"`  // 底图
	Metre   string `json:"metre"`   // 米
	Km      string `json:"km"`      // 千米
	Page    string `json:"page"`    // 第 %d 页
	Legend  string `json:"legend"`  // 图例
	Results string `json:"results"` // 结果列表
}

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Check reports the first thing wrong with s as a 400 naming the member, and fills defaults.
func (s *Sheet) Check() error {
	if s.Paper == "" {
		s.Paper = "A4"
	}
	if s.Orientation == "" {
		s.Orientation = "landscape"
	}
	s.Words.defaults()
	switch {
	case s.Paper != "A4" && s.Paper != "A3":
		return problem.Invalid("sheet.paper", "%q is not A4 or A3", s.Paper)
	case s.Orientation != "portrait" && s.Orientation != "landscape":
		return problem.Invalid("sheet.orientation", "%q is not portrait or landscape", s.Orientation)
	case !(s.MetresPerPixel > 0) || s.MetresPerPixel > 1e6:
		return problem.Invalid("sheet.metres_per_pixel", "must be the positive ground metres one pixel of the map spans")
	case math.IsNaN(s.Bearing) || math.IsInf(s.Bearing, 0):
		return problem.Invalid("sheet.bearing", "must be a number of degrees")
	}
	for name, v := range map[string]string{"sheet.title": s.Title, "sheet.unit": s.Unit, "sheet.attribution": s.Attribution, "sheet.crs": s.CRS, "sheet.date": s.Date} {
		if utf8.RuneCountInString(v) > maxText {
			return problem.Invalid(name, "is longer than %d characters", maxText)
		}
	}
	if err := s.checkLegend(); err != nil {
		return err
	}
	return s.Table.check()
}

func (s *Sheet) checkLegend() error {
	n := 0
	for _, g := range s.Legend {
		for _, it := range g.Items {
			if n++; n > maxLegendItems {
				return problem.Invalid("sheet.legend", "has more than %d entries", maxLegendItems)
			}
			if it.Color != "" && !colorRE.MatchString(it.Color) {
				return problem.Invalid("sheet.legend", "colour %q is not #rrggbb", it.Color)
			}
		}
	}
	return nil
}

func (t *Table) check() error {
	switch {
	case t == nil:
		return nil
	case len(t.Columns) == 0 || len(t.Columns) > maxTableCols:
		return problem.Invalid("sheet.table.columns", "must name 1 to %d columns", maxTableCols)
	case len(t.Rows) > maxTableRows:
		return problem.Invalid("sheet.table.rows", "has more than %d rows", maxTableRows)
	}
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return problem.Invalid("sheet.table.rows", "row %d has %d cells for %d columns", i+1, len(r), len(t.Columns))
		}
	}
	return nil
}

func (w *Words) defaults() {
	for _, p := range []struct {
		v   *string
		def string
	}{
		{&w.Scale, "比例尺"}, {&w.North, "北"}, {&w.Date, "制图日期"}, {&w.Unit, "制图单位"}, {&w.CRS, "坐标系"},
		{&w.Source, "底图"}, {&w.Metre, "米"}, {&w.Km, "千米"}, {&w.Page, "第 %d 页"}, {&w.Legend, "图例"}, {&w.Results, "结果列表"},
	} {
		if strings.TrimSpace(*p.v) == "" || utf8.RuneCountInString(*p.v) > 40 {
			*p.v = p.def
		}
	}
	if strings.Count(w.Page, "%d") != 1 || strings.Count(w.Page, "%") != 1 {
		w.Page = "第 %d 页"
	}
}
