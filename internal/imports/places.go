package imports

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/onemap/onemap/internal/problem"
)

// Boundary files: the regions (行政区, the 三调 XZQ layer or any county/city/township outlines)
// and the development zones (园区) a deployment is set up from. They load like assets — zipped
// Shapefile (GBK or UTF-8), GeoPackage, GeoJSON, KML, any CGCS2000 CRS — in one transaction
// that updates what has the same code and re-derives the region and zone of the assets that
// lie where a boundary moved.

// Place kinds an import may hold besides assets.
const (
	PlaceRegion = "region"
	PlaceZone   = "zone"
)

// IsPlaceKind tells whether kind names boundaries rather than assets.
func IsPlaceKind(kind string) bool { return kind == PlaceRegion || kind == PlaceZone }

// PlaceOptions steer one boundary load.
type PlaceOptions struct {
	Kind     string // region or zone
	SRS      string // source CRS when the file does not say
	Encoding string // text encoding when the file does not say
	FileName string // the name its owner gave it (its extension tells the format)
	DryRun   bool
	Actor    string
}

// PlaceChange is what a load does to one region or zone.
type PlaceChange struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Level  string   `json:"level,omitempty"`
	Action string   `json:"action"`           // insert, update or unchanged
	Fields []string `json:"fields,omitempty"` // what an update changes: name, level, parent_code, type, region_code, geometry
}

// PlaceReport tells what a boundary load did (or, dry, would do).
type PlaceReport struct {
	Kind        string        `json:"kind"`
	Format      string        `json:"format"`
	CRS         string        `json:"crs"`
	DryRun      bool          `json:"dry_run"`
	Rows        int           `json:"rows"`
	Inserted    int           `json:"inserted"`
	Updated     int           `json:"updated"`
	Unchanged   int           `json:"unchanged"`
	Rejected    int           `json:"rejected"`
	AssetsMoved int64         `json:"assets_moved"`
	Changes     []PlaceChange `json:"changes"`
	Issues      []Issue       `json:"issues"`
}

// place is one mapped record, its geometry still in the source CRS.
type place struct {
	row                         int
	code, name, level, parent   string
	zoneType, zoneLevel, region string
	srid                        int
	wkb                         []byte
}

// ImportPlaces loads the regions or zones of the file at path. Rows that cannot be used are
// rejected with the reason; a file with none usable is a 422. Nothing is written on a dry run.
func (s *Service) ImportPlaces(ctx context.Context, path string, o PlaceOptions) (PlaceReport, error) {
	rep := PlaceReport{Kind: o.Kind, DryRun: o.DryRun, Changes: []PlaceChange{}, Issues: []Issue{}}
	if !IsPlaceKind(o.Kind) {
		return rep, problem.Invalid("kind", "%q is not region or zone", o.Kind)
	}
	scratch, err := os.MkdirTemp("", "onemap-places-")
	if err != nil {
		return rep, fmt.Errorf("imports: %w", err)
	}
	defer os.RemoveAll(scratch)
	src, err := Open(path, o.FileName, o.Encoding, scratch, s.limits)
	if err != nil {
		return rep, err
	}
	defer src.Close()
	rep.Format = src.Format
	var notes Report
	crs, err := resolveCRS(src.Layers, o.SRS, &notes)
	if err != nil {
		return rep, err
	}
	rep.CRS = crs[0].Label()
	var list []place
	err = src.Each(ctx, func(r Record) error {
		rep.Rows++
		p, why := mapPlace(o.Kind, r)
		if why != "" {
			rep.reject(r.Row, p.code, why)
			return nil
		}
		p.srid = crs[r.Layer].SRID
		list = append(list, p)
		return nil
	})
	if err != nil {
		return rep, err
	}
	if len(list) == 0 {
		return rep, problem.Unprocessable("file", "holds no usable %s (%d rows rejected): %s", o.Kind, rep.Rejected, firstReason(rep.Issues))
	}
	return rep, s.writePlaces(ctx, o, list, &rep)
}

func (r *PlaceReport) reject(row int, code, why string) {
	r.Rejected++
	r.Issues = append(r.Issues, Issue{Row: row, Code: code, Action: ActionRejected, Reason: why})
}

func firstReason(issues []Issue) string {
	if len(issues) == 0 {
		return "no rows"
	}
	return fmt.Sprintf("row %d: %s", issues[0].Row, issues[0].Reason)
}

// Field names the boundary layers use: 三调 XZQ (XZQDM, XZQMC), their Chinese names, and plain ones.
var (
	placeCodeFields  = []string{"XZQDM", "行政区划代码", "行政区代码", "区划代码", "CODE", "ADCODE", "YQDM", "园区代码", "园区编号"}
	placeNameFields  = []string{"XZQMC", "行政区名称", "行政区划名称", "名称", "NAME", "YQMC", "园区名称"}
	zoneTypeFields   = []string{"TYPE", "类型", "园区类型", "YQLX"}
	zoneRegionFields = []string{"REGION_CODE", "REGION", "所属行政区", "所属区县", "XZQDM"}
)

// field returns the first of names present in attrs (case-insensitive), trimmed.
func field(attrs map[string]string, names []string) string {
	for _, n := range names {
		for k, v := range attrs {
			if strings.EqualFold(strings.TrimSpace(k), n) && strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
	}
	return ""
}

// mapPlace reads one record as a region or a zone; why says what makes it unusable.
func mapPlace(kind string, r Record) (p place, why string) {
	p = place{row: r.Row, code: field(r.Attrs, placeCodeFields), name: field(r.Attrs, placeNameFields), wkb: r.WKB}
	switch {
	case r.Problem != "":
		return p, r.Problem
	case len(r.WKB) == 0:
		return p, "has no geometry"
	case p.code == "":
		return p, "has no code (XZQDM, 行政区划代码 or code)"
	case p.name == "":
		return p, "has no name (XZQMC, 行政区名称 or name)"
	}
	if kind == PlaceRegion {
		p.level, p.parent = regionLevel(p.code)
		if p.level == "" {
			return p, fmt.Sprintf("code %q is not a 行政区划代码 of 2, 4, 6 or 9 digits", p.code)
		}
		return p, ""
	}
	p.zoneType, p.zoneLevel = zoneType(field(r.Attrs, zoneTypeFields))
	if reg := field(r.Attrs, zoneRegionFields); reg != p.code {
		p.region = reg
	}
	return p, ""
}

// regionLevel tells a 行政区划代码's level and its parent's code by the code's prefix: 2 digits
// (or 6 ending 0000) a province, 4 (or 6 ending 00) a city, 6 a county, 9 a township.
func regionLevel(code string) (level, parent string) {
	for _, c := range code {
		if c < '0' || c > '9' {
			return "", ""
		}
	}
	switch {
	case len(code) == 2, len(code) == 6 && strings.HasSuffix(code, "0000"):
		return "province", ""
	case len(code) == 4:
		return "city", code[:2]
	case len(code) == 6 && strings.HasSuffix(code, "00"):
		return "city", code[:2] + "0000"
	case len(code) == 6:
		return "county", code[:4] + "00"
	case len(code) == 9:
		return "township", code[:6]
	}
	return "", ""
}

// zoneType maps a zone's type as written in ledgers (国家级经开区, 国家级高新区, 省级开发区,
// 工业园区, 集聚区 …) to the stored type and level; unknown or empty is other/county.
func zoneType(s string) (typ, level string) {
	level = "county"
	switch {
	case strings.Contains(s, "国家级"):
		level = "national"
	case strings.Contains(s, "省级"):
		level = "provincial"
	case strings.Contains(s, "市级"):
		level = "city"
	}
	switch {
	case strings.Contains(s, "高新"), s == "high_tech_zone":
		return "high_tech_zone", level
	case strings.Contains(s, "经开") || strings.Contains(s, "开发区") || s == "development_zone":
		return "development_zone", level
	case strings.Contains(s, "集聚"), s == "cluster_zone":
		return "cluster_zone", level
	case strings.Contains(s, "园区") || strings.Contains(s, "工业") || s == "industrial_park":
		return "industrial_park", level
	}
	return "other", level
}
