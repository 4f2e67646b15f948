// Package exports writes assets out, selected by the same assets.Filter as the search API:
// GeoJSON, CSV (UTF-8 with a BOM, for Excel) and XLSX (a sheet per kind or one) as one table
// (table.go: Chinese headers and values, areas to 2 decimals, the centre in CGCS2000),
// zipped Shapefile (GBK or UTF-8 with .cpg, .prj for EPSG:4490 or a Gauss-Krüger zone),
// GeoPackage, and the 勘测定界 coordinate TXT for land parcels. Columns follow imports.Columns,
// so every export imports back unchanged.
package exports

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/imports"
	"github.com/onemap/onemap/internal/problem"
)

// Formats lists the export formats.
var Formats = []string{"geojson", "csv", "xlsx", "shapefile", "gpkg", "txt"}

// Options say how to write an export.
type Options struct {
	Format string
	// SRS is EPSG:4490 (the default) or a CGCS2000 Gauss-Krüger zone; TXT is always in a zone
	// (by default the one of the first parcel).
	SRS string
	// Encoding of Shapefile attributes and TXT: GBK (the default, what Chinese GIS software
	// expects) or UTF-8.
	Encoding string
	// Sheets is "kind" (one XLSX sheet per kind that has rows, the default) or "one".
	Sheets string
	// WKT adds each geometry as WKT to CSV and XLSX (whose centre columns otherwise locate it).
	WKT bool
}

// Service writes exports from assets.
type Service struct {
	assets *assets.Service
	now    func() time.Time
}

// NewService returns a Service reading from as.
func NewService(as *assets.Service) *Service { return &Service{assets: as, now: time.Now} }

// Check validates the options (400 naming the parameter) and fills defaults.
func (o *Options) Check() error {
	if !slices.Contains(Formats, o.Format) {
		return problem.Invalid("format", "%q is not one of %s", o.Format, strings.Join(Formats, ", "))
	}
	if o.SRS != "" {
		c, err := geo.ParseSRS(o.SRS)
		if err != nil || (c.SRID != geo.SRIDCGCS2000 && !c.Projected()) {
			return problem.Invalid("srs", "use EPSG:4490 or a CGCS2000 Gauss-Krüger zone (EPSG:4491–4554)")
		}
	}
	switch strings.ToUpper(o.Encoding) {
	case "", "GBK", "CP936":
		o.Encoding = "GBK"
	case "UTF-8", "UTF8":
		o.Encoding = "UTF-8"
	default:
		return problem.Invalid("encoding", "%q is not GBK or UTF-8", o.Encoding)
	}
	switch o.Sheets {
	case "":
		o.Sheets = "kind"
	case "kind", "one":
	default:
		return problem.Invalid("sheets", "%q is not kind or one", o.Sheets)
	}
	return nil
}

// srid is the SRID coordinates are written in (4490 unless a zone was asked for).
func (o *Options) srid() int {
	if o.SRS == "" {
		return geo.SRIDCGCS2000
	}
	c, err := geo.ParseSRS(o.SRS)
	if err != nil {
		return geo.SRIDCGCS2000 // Check refused it already
	}
	return c.SRID
}

// ContentType is the MIME type of a format.
func ContentType(format string) string {
	switch format {
	case "geojson":
		return "application/geo+json"
	case "csv":
		return "text/csv; charset=utf-8"
	case "xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case "gpkg":
		return "application/geopackage+sqlite3"
	case "txt":
		return "text/plain"
	}
	return "application/zip"
}

// FileName is the download's name for a format.
func FileName(format string, now time.Time) string {
	ext := map[string]string{"shapefile": "zip", "geojson": "geojson"}[format]
	if ext == "" {
		ext = format
	}
	return fmt.Sprintf("onemap-%s.%s", now.Format("20060102-150405"), ext)
}

// Export writes the assets f selects to w as o says.
func (s *Service) Export(ctx context.Context, f assets.Filter, o Options, w io.Writer) error {
	if err := o.Check(); err != nil {
		return err
	}
	switch o.Format {
	case "geojson":
		return s.geoJSON(ctx, f, o, w)
	case "csv":
		return s.csv(ctx, f, o, w)
	case "xlsx":
		return s.xlsx(ctx, f, o, w)
	case "txt":
		return s.txt(ctx, f, o, w)
	}
	return s.ogr(ctx, f, o, w)
}

// values lays an asset out by column name; absent values are nil.
func values(a assets.Asset) map[string]any {
	v := map[string]any{
		"code": a.Code, "name": a.Name, "kind": string(a.Kind), "region_code": str(a.RegionCode),
		"zone_code": str(a.ZoneCode), "holder": a.Holder, "holder_type": a.HolderType,
		"book_value": num(a.BookValue), "appraised_value": num(a.AppraisedValue), "mode": a.Mode,
		"stage": a.Stage, "responsible_unit": a.ResponsibleUnit, "responsible_person": a.ResponsiblePerson,
		"revenue": a.Revenue, "area_m2": a.AreaM2, "area_mu": a.AreaMu, "source_crs": str(a.SourceCRS),
	}
	if a.Share != nil {
		v["overlap_mu"], v["overlap_share"] = a.Share.OverlapMu, a.Share.OverlapShare
	}
	if len(a.Facts) > 0 && string(a.Facts) != "{}" {
		// Compact, as a browser's JSON.stringify writes it: the page's exports match.
		var b bytes.Buffer
		if json.Compact(&b, a.Facts) == nil {
			v["facts"] = b.String()
		} else {
			v["facts"] = string(a.Facts)
		}
	}
	if l := a.Land; l != nil {
		for k, x := range map[string]any{
			"land_status": str(l.Status), "land_class_system": str(l.ClassSystem), "land_class_code": str(l.ClassCode),
			"approval_no": str(l.ApprovalNo), "approval_date": day(l.ApprovalDate), "supply_method": str(l.SupplyMethod),
			"supply_date": day(l.SupplyDate), "agreed_start": day(l.AgreedStart), "actual_start": day(l.ActualStart),
			"developed_share": num(l.DevelopedShare), "invested_share": num(l.InvestedShare), "idle_cause": str(l.IdleCause),
		} {
			v[k] = x
		}
	}
	for k, x := range v {
		if x == nil || x == "" {
			delete(v, k)
		}
	}
	return v
}

func str(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func num(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func day(d *assets.Date) any {
	if d == nil {
		return nil
	}
	return d.Format(time.DateOnly)
}

// text renders a value for a text cell.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return fmt.Sprint(x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// overlapColumns follow the ledger's columns in the export of a drawn area (Filter.Within): the
// part of each asset inside it.
var overlapColumns = []imports.Column{
	{Name: "overlap_mu", Label: "重叠面积(亩)", DBF: "overlap_mu"},
	{Name: "overlap_share", Label: "重叠比例", DBF: "overlap_sh"},
}

// everyColumn is every column an export may have (Shapefiles map names to DBF names with it).
var everyColumn = slices.Concat(imports.Columns, overlapColumns)
