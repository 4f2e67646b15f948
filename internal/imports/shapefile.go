package imports

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/onemap/onemap/internal/problem"
)

// ldidEncodings are the DBF language-driver bytes that name a code page unambiguously enough
// to trust. 0x57 ("ANSI": whatever Windows used) and 0 say nothing.
var ldidEncodings = map[byte]string{
	0x4D: "CP936", 0x7A: "CP936", 0x78: "CP950", 0x79: "CP949", 0x7B: "CP932",
	0x01: "CP437", 0x02: "CP850", 0x03: "CP1252", 0x64: "CP852", 0x65: "CP866", 0x66: "CP865",
	0xC8: "CP1250", 0xC9: "CP1251", 0xCA: "CP1254", 0xCB: "CP1253",
}

// openShapefileZip unpacks a zip and opens every shapefile in it (or, when it holds none, the
// one GeoPackage, GeoJSON, KML or TXT it holds).
func openShapefileZip(path, scratch, userEncoding string, limits Limits) (*Source, error) {
	files, err := unzip(path, scratch, limits.MaxUnpackedBytes)
	if err != nil {
		return nil, err
	}
	var shps []string
	for _, f := range files {
		if strings.EqualFold(filepath.Ext(f), ".shp") {
			shps = append(shps, f)
		}
	}
	if len(shps) == 0 {
		if len(files) == 1 {
			return Open(files[0], files[0], userEncoding, scratch, limits)
		}
		return nil, problem.Unprocessable("file", "the zip holds no .shp file")
	}
	slices.Sort(shps)
	return openShapefiles(shps, userEncoding)
}

// openShapefiles opens shapefiles, each with the encoding its files say (or the user's).
func openShapefiles(shps []string, userEncoding string) (*Source, error) {
	var sets []gdalDataset
	var used []string
	for _, shp := range shps {
		if err := checkLength(shp); err != nil {
			return nil, err
		}
		enc, opt, err := shapefileEncoding(shp, userEncoding)
		if err != nil {
			return nil, err
		}
		d := gdalDataset{path: shp}
		if opt != "" {
			d.opts = []string{"ENCODING=" + opt}
		}
		sets = append(sets, d)
		if !slices.Contains(used, enc) {
			used = append(used, enc)
		}
	}
	return openGDALFiles(FormatShapefile, strings.Join(used, ","), sets)
}

// shapefileEncoding decides how a shapefile's DBF text is read: the user's encoding when one is
// given (it wins over a .cpg, which is often wrong: a "UTF-8" .cpg beside a GBK DBF is common),
// else its .cpg, else its DBF language-driver byte, else a guess from the bytes (UTF-8 when they
// are valid UTF-8, GBK otherwise). It returns the encoding to record and the ENCODING open
// option for GDAL ("" when GDAL finds the same by itself).
func shapefileEncoding(shp, userEncoding string) (name, option string, err error) {
	if userEncoding != "" {
		_, name, err := textEncoding(userEncoding)
		if err != nil {
			return "", "", problem.Invalid("encoding", "%v", err)
		}
		return name, gdalEncodings[name], nil
	}
	base := strings.TrimSuffix(shp, filepath.Ext(shp))
	if cpg, ok := sidecar(base, ".cpg"); ok {
		b, err := os.ReadFile(cpg)
		if err != nil {
			return "", "", fmt.Errorf("imports: %w", err)
		}
		return strings.TrimSpace(string(b)), "", nil
	}
	dbf, ok := sidecar(base, ".dbf")
	if !ok {
		return "", "", problem.Unprocessable("file", "%s has no .dbf beside it", filepath.Base(shp))
	}
	head, body, err := readDBF(dbf)
	if err != nil {
		return "", "", err
	}
	if enc, ok := ldidEncodings[head]; ok {
		return enc, "", nil
	}
	if utf8.Valid(body) {
		return encUTF8, encUTF8, nil
	}
	return encGBK, gdalEncodings[encGBK], nil
}

// gdalEncodings name our encodings as GDAL's ENCODING options do.
var gdalEncodings = map[string]string{encUTF8: "UTF-8", encGBK: "CP936", "BIG5": "CP950"}

// sidecar finds base+ext in any letter case.
func sidecar(base, ext string) (string, bool) {
	for _, e := range []string{ext, strings.ToUpper(ext)} {
		if _, err := os.Stat(base + e); err == nil {
			return base + e, true
		}
	}
	return "", false
}

// readDBF returns a DBF's language-driver byte (offset 29) and its records' bytes (text and
// numbers as text: enough to tell UTF-8 from GBK).
func readDBF(path string) (byte, []byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, fmt.Errorf("imports: %w", err)
	}
	if len(b) < 32 {
		return 0, nil, problem.Unprocessable("file", "%s is not a DBF file", filepath.Base(path))
	}
	headerLen := int(b[8]) | int(b[9])<<8
	if headerLen > len(b) {
		headerLen = len(b)
	}
	return b[29], b[headerLen:], nil
}

// unzip extracts every file of the archive under dir, refusing paths that leave it and
// archives that unpack to more than max bytes (0: no limit).
func unzip(path, dir string, max int64) ([]string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, problem.Unprocessable("file", "is not a readable zip: %v", err)
	}
	defer func() { _ = zr.Close() }() // read only
	var out []string
	var total int64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.HasPrefix(filepath.Base(f.Name), "._") {
			continue // folders and macOS resource forks
		}
		name := filepath.Clean(filepath.FromSlash(f.Name))
		if filepath.IsAbs(name) || strings.HasPrefix(name, "..") {
			return nil, problem.Unprocessable("file", "the zip names a path outside itself: %q", f.Name)
		}
		dst := filepath.Join(dir, name)
		n, err := extract(f, dst, max-total, max > 0)
		if err != nil {
			return nil, err
		}
		total += n
		out = append(out, dst)
	}
	return out, nil
}

func extract(f *zip.File, dst string, room int64, limited bool) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, fmt.Errorf("imports: %w", err)
	}
	r, err := f.Open()
	if err != nil {
		return 0, problem.Unprocessable("file", "zip entry %s: %v", f.Name, err)
	}
	defer r.Close()
	w, err := os.Create(dst)
	if err != nil {
		return 0, fmt.Errorf("imports: %w", err)
	}
	var src io.Reader = r
	if limited {
		src = io.LimitReader(r, room+1)
	}
	n, err := io.Copy(w, src)
	if cerr := w.Close(); err == nil && cerr != nil {
		return n, fmt.Errorf("imports: %w", cerr)
	}
	if err != nil {
		return n, problem.Unprocessable("file", "zip entry %s: %v", f.Name, err)
	}
	if limited && n > room {
		return n, fmt.Errorf("%w: the zip unpacks to more than %d MB", problem.ErrTooLarge, (room+n)>>20)
	}
	return n, nil
}

// checkLength compares a .shp file's size with the length its header declares (bytes 24–27,
// big-endian, in 16-bit words): GDAL reads a cut file's last records as empty, not as an error.
func checkLength(shp string) error {
	f, err := os.Open(shp)
	if err != nil {
		return fmt.Errorf("imports: %w", err)
	}
	defer func() { _ = f.Close() }() // read only
	head := make([]byte, 28)
	if _, err := io.ReadFull(f, head); err != nil {
		return problem.Unprocessable("file", "%s is too short to be a shapefile", filepath.Base(shp))
	}
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("imports: %w", err)
	}
	declared := int64(binary.BigEndian.Uint32(head[24:28])) * 2
	if st.Size() < declared {
		return problem.Unprocessable("file", "%s holds %d bytes but its header declares %d: the file is cut short", filepath.Base(shp), st.Size(), declared)
	}
	return nil
}
