package imports

import (
	"archive/zip"
	"fmt"
	"net/http"
	"os"

	"github.com/onemap/onemap/internal/problem"
)

// wholeFileMax bounds the formats read whole into memory: a 勘测定界 TXT (parsed at once) and
// KML (GDAL builds the whole document tree: a 47 MB KML took an import to 456 MB). Every other
// format is read a feature or a row at a time.
const wholeFileMax = 16 << 20

// checkWhole refuses a TXT or KML file, or a KMZ whose documents unpack, beyond wholeFileMax
// (413 naming file).
func checkWhole(path, format string) error {
	if format != FormatTXT && format != FormatKML {
		return nil
	}
	n, err := textSize(path)
	if err != nil {
		return err
	}
	if n > wholeFileMax {
		return &problem.Error{
			Status: http.StatusRequestEntityTooLarge, Title: "Content Too Large",
			Detail: fmt.Sprintf("file: a %s is read whole, so at most %d MB of it: send larger data as a GeoPackage, a zipped Shapefile or GeoJSON", format, wholeFileMax>>20),
			Params: []problem.Param{{Name: "file", Reason: fmt.Sprintf("%s larger than %d MB", format, wholeFileMax>>20)}},
		}
	}
	return nil
}

// textSize is the file's size, or for a zip (KMZ) what its files unpack to.
func textSize(path string) (int64, error) {
	if zr, err := zip.OpenReader(path); err == nil {
		defer func() { _ = zr.Close() }() // read only
		var n int64
		for _, f := range zr.File {
			n += int64(f.UncompressedSize64 & (1<<62 - 1))
		}
		return n, nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("imports: %w", err)
	}
	return fi.Size(), nil
}
