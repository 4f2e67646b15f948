package imports

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/problem"
)

// Formats a source can have; the same words are recorded in imports.format.
const (
	FormatShapefile = "shapefile"
	FormatGPKG      = "gpkg"
	FormatKML       = "kml"
	FormatGeoJSON   = "geojson"
	FormatCSV       = "csv"
	FormatXLSX      = "xlsx"
	FormatTXT       = "txt"
)

// Record is one feature of a source: its row number (1-based over the whole file), its layer,
// its attributes as text and its geometry as WKB in the layer's own CRS.
type Record struct {
	Row   int
	Layer int
	Attrs map[string]string
	WKB   []byte
	// Problem says why the reader could not use the feature; the row is rejected with it.
	Problem string
	// CentreOnly tells a ledger row located only by an export's centre columns (中心经度,
	// 中心纬度): a new asset becomes that point, an existing one keeps its geometry.
	CentreOnly bool
}

// Layer describes one layer: a shapefile, a GeoPackage table, a KML folder, a sheet.
type Layer struct {
	Name   string
	Count  int
	Bounds geo.Bounds
	// CRS is what the layer's metadata says, when it says something OneMap recognises; crsErr
	// says why not (nil with a zero CRS when the layer names no CRS at all).
	CRS    geo.CRS
	crsErr error
	// geographicDefault marks formats whose CRS is WGS 84 by definition (GeoJSON, KML) even when
	// the file's coordinates say otherwise.
	geographicDefault bool
}

// Source is an opened file: its format, the encoding its text was read with, its layers, and a
// way to walk its records once.
type Source struct {
	Format   string
	Encoding string
	Layers   []Layer
	each     func(ctx context.Context, fn func(Record) error) error
	close    func()
	// uncounted tells that the layers' counts are only those of the rows read so far (a large
	// ledger is counted while it is imported).
	uncounted bool
}

// Each calls fn for every record in file order; it stops at fn's first error.
func (s *Source) Each(ctx context.Context, fn func(Record) error) error { return s.each(ctx, fn) }

// Close releases the source's files and handles.
func (s *Source) Close() {
	if s.close != nil {
		s.close()
	}
}

// Count is the number of records the layers announce; ok is false when that is only a lower
// bound, the whole count being known once the records are read.
func (s *Source) Count() (n int, ok bool) {
	for _, l := range s.Layers {
		n += l.Count
	}
	return n, !s.uncounted
}

// Open reads path (named name by its owner, whose extension tells the format when the content
// does not) with the user's encoding as the last resort for text. scratch is a directory the
// source may unpack into.
func Open(path, name, encoding, scratch string, limits Limits) (*Source, error) {
	format, err := detect(path, name)
	if err != nil {
		return nil, err
	}
	if err := checkWhole(path, format); err != nil {
		return nil, err
	}
	switch {
	case format == FormatShapefile && strings.EqualFold(filepath.Ext(path), ".shp"):
		return openShapefiles([]string{path}, encoding)
	}
	switch format {
	case FormatShapefile:
		return openShapefileZip(path, scratch, encoding, limits)
	case FormatTXT:
		return openTXT(path, encoding)
	case FormatCSV, FormatXLSX:
		return openLedger(path, format, encoding, limits)
	default:
		return openGDAL(path, format, "")
	}
}

// detect names the format from the file's first bytes, then its extension.
func detect(path, name string) (string, error) {
	head := make([]byte, 512)
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("imports: %w", err)
	}
	defer func() { _ = f.Close() }() // read only
	n, err := f.Read(head)
	if err != nil && n == 0 {
		return "", problem.Unprocessable("file", "is empty")
	}
	head = bytes.TrimPrefix(head[:n], []byte("\ufeff"))
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(head, []byte("PK")) && ext == ".xlsx":
		return FormatXLSX, nil
	case bytes.HasPrefix(head, []byte("PK")) && ext == ".kmz":
		return FormatKML, nil
	case bytes.HasPrefix(head, []byte("PK")), bytes.HasPrefix(head, []byte{0, 0, 0x27, 0x0a}):
		return FormatShapefile, nil // a zip, or a bare .shp (file code 9994) beside its sidecars
	case bytes.HasPrefix(head, []byte("SQLite format 3")):
		return FormatGPKG, nil
	case bytes.Contains(head, []byte("<kml")) || ext == ".kml":
		return FormatKML, nil
	case bytes.HasPrefix(bytes.TrimSpace(head), []byte("{")):
		return FormatGeoJSON, nil
	case bytes.Contains(head, []byte("[属性描述]")) || bytes.Contains(head, []byte("[\xca\xf4\xd0\xd4\xc3\xe8\xca\xf6]")) || ext == ".txt":
		return FormatTXT, nil // the second pattern is [属性描述] in GBK
	case ext == ".csv":
		return FormatCSV, nil
	}
	return "", problem.Unprocessable("file", "%q is none of: zipped Shapefile, GeoPackage, KML, GeoJSON, CSV, XLSX, 勘测定界 TXT", name)
}

// Limits bound what one import may hold.
type Limits struct {
	// MaxRows is the most records one import may hold (0: no limit).
	MaxRows int
	// MaxUnpackedBytes bounds what a zip may unpack to (0: no limit).
	MaxUnpackedBytes int64
}

// CheckRows refuses a source holding more records than the limit (422).
func (l Limits) CheckRows(n int) error {
	if l.MaxRows > 0 && n > l.MaxRows {
		return problem.Unprocessable("file", "holds %d rows, more than the limit of %d (ONEMAP_MAX_IMPORT_ROWS)", n, l.MaxRows)
	}
	return nil
}
