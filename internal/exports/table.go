package exports

import (
	"math"
	"slices"
	"strconv"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/imports"
)

// TableColumn is one column of an export's table (CSV, XLSX, GeoJSON properties): the field it
// shows, its Chinese header, how its value is written. The page's own exports read the same
// definitions (GET /api/v1/export/columns), so a list exported signed out or signed in is the
// same file.
type TableColumn struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	// Type is text, number or date (a date is written 2006-01-02).
	Type string `json:"type"`
	// Digits, when set, rounds a number to that many decimals.
	Digits *int `json:"digits,omitempty"`
	// Values gives the Chinese label of each stored value (kind, mode, stage, land status...).
	Values map[string]string `json:"values,omitempty"`
}

// Centre columns: one point on the asset's surface in CGCS2000 (EPSG:4490). An import reads
// them as the location of a new asset and leaves an existing asset's geometry as it is.
const (
	centreLon = "中心经度"
	centreLat = "中心纬度"
)

// attachmentsLabel heads the count of an asset's attachments (an import ignores it).
const attachmentsLabel = "附件数"

func digits(n int) *int { return &n }

// idleCauseLabels are the labels of land.idle_cause.
var idleCauseLabels = map[string]string{"government": "政府原因", "enterprise": "企业原因"}

// tableColumns is the ledger's table: imports.Columns (which an import reads back) with Chinese
// value labels, areas to 2 decimals, the region and zone names after their codes, then the
// count of attachments (附件数), the overlap of a spatial query and the centre.
func tableColumns(withOverlap bool) []TableColumn {
	types := map[string]string{
		"book_value": "number", "appraised_value": "number", "revenue": "number", "developed_share": "number",
		"invested_share": "number", "area_m2": "number", "area_mu": "number",
		"approval_date": "date", "supply_date": "date", "agreed_start": "date", "actual_start": "date",
	}
	values := map[string]map[string]string{
		"kind": assets.KindLabels, "mode": assets.ModeLabels, "stage": assets.StageLabels,
		"land_status": assets.LandStatusLabels, "land_class_system": imports.ClassSystemLabels,
		"idle_cause": idleCauseLabels,
	}
	var out []TableColumn
	for _, c := range imports.Columns {
		t := TableColumn{Name: c.Name, Label: c.Label, Type: types[c.Name], Values: values[c.Name]}
		if t.Type == "" {
			t.Type = "text"
		}
		if c.Name == "area_m2" || c.Name == "area_mu" {
			t.Digits = digits(2)
		}
		out = append(out, t)
		switch c.Name {
		case "region_code":
			out = append(out, TableColumn{Name: "region_name", Label: imports.RegionNameLabel, Type: "text"})
		case "zone_code":
			out = append(out, TableColumn{Name: "zone_name", Label: imports.ZoneNameLabel, Type: "text"})
		}
	}
	out = append(out, TableColumn{Name: "attachments", Label: attachmentsLabel, Type: "number"})
	if withOverlap {
		out = append(out,
			TableColumn{Name: "overlap_mu", Label: overlapColumns[0].Label, Type: "number", Digits: digits(2)},
			TableColumn{Name: "overlap_share", Label: overlapColumns[1].Label, Type: "number", Digits: digits(4)})
	}
	return append(out,
		TableColumn{Name: "center_lon", Label: centreLon, Type: "number", Digits: digits(6)},
		TableColumn{Name: "center_lat", Label: centreLat, Type: "number", Digits: digits(6)})
}

// Table is the column definitions of the exports' tables, without and with the overlap columns
// of a spatial query (zone or drawn area).
func Table(withOverlap bool) []TableColumn { return slices.Clone(tableColumns(withOverlap)) }

// tableRow lays an asset out along cols: a float64, a string, or nil for an empty cell.
func tableRow(a assets.Asset, cols []TableColumn) []any {
	v := values(a)
	v["region_name"], v["zone_name"] = str(a.RegionName), str(a.ZoneName)
	v["attachments"] = float64(a.Attachments)
	if len(a.Center) == 2 {
		v["center_lon"], v["center_lat"] = a.Center[0], a.Center[1]
	}
	row := make([]any, len(cols))
	for i, c := range cols {
		row[i] = cell(v[c.Name], c)
	}
	return row
}

func cell(x any, c TableColumn) any {
	switch x := x.(type) {
	case nil:
		return nil
	case float64:
		if c.Digits != nil {
			p := math.Pow10(*c.Digits)
			return math.Round(x*p) / p
		}
		return x
	case string:
		if x == "" {
			return nil
		}
		if l, ok := c.Values[x]; ok {
			return l
		}
		return x
	}
	return text(x)
}

// cellText writes a cell for CSV: numbers in their shortest form, never with an exponent.
func cellText(x any) string {
	switch x := x.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return text(x)
}
