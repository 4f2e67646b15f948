package exports

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/airbusgeo/godal"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/onemap/onemap/internal/assets"
)

// Shapefiles and GeoPackages are written by GDAL from one GeoJSON file per kind and geometry
// type (a Shapefile holds one type; DBF names have at most 10 letters).

// layerFile is one GeoJSON file being written: features of one kind and geometry type.
type layerFile struct {
	name  string
	path  string
	nlt   string
	f     *os.File
	w     *bufio.Writer
	count int
}

// ogr writes a zipped Shapefile set or a GeoPackage.
func (s *Service) ogr(ctx context.Context, f assets.Filter, o Options, w io.Writer) error {
	dir, err := os.MkdirTemp("", "onemap-export-")
	if err != nil {
		return fmt.Errorf("exports: %w", err)
	}
	defer func() { _ = os.RemoveAll(dir) }() // a leftover temp dir is harmless
	layers, err := s.splitLayers(ctx, f, o, dir)
	if err != nil {
		return err
	}
	godal.RegisterAll()
	if o.Format == "gpkg" {
		dst := filepath.Join(dir, "onemap.gpkg")
		for i, l := range layers {
			sw := []string{"-f", "GPKG", "-a_srs", "EPSG:" + strconv.Itoa(o.srid()), "-nln", l.name, "-nlt", l.nlt}
			if i > 0 {
				sw = append(sw, "-update")
			}
			if err := translate(l.path, dst, sw); err != nil {
				return err
			}
		}
		return copyFile(dst, w)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		return fmt.Errorf("exports: %w", err)
	}
	enc := map[string]string{"GBK": "CP936", "UTF-8": "UTF-8"}[o.Encoding]
	for _, l := range layers {
		sw := []string{"-f", "ESRI Shapefile", "-lco", "ENCODING=" + enc, "-a_srs", "EPSG:" + strconv.Itoa(o.srid()), "-nln", l.name, "-nlt", l.nlt}
		if err := translate(l.path, filepath.Join(out, l.name+".shp"), sw); err != nil {
			return err
		}
	}
	return zipDir(out, w)
}

// splitLayers writes the selected assets into one GeoJSON file per kind and geometry type.
func (s *Service) splitLayers(ctx context.Context, f assets.Filter, o Options, dir string) ([]*layerFile, error) {
	files := map[string]*layerFile{}
	var order []string
	defer func() {
		for _, l := range files {
			_ = l.f.Close() // closed already unless writing failed
		}
	}()
	err := s.assets.EachWKB(ctx, f, o.srid(), func(a assets.Asset, b []byte) error {
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return fmt.Errorf("exports: asset %d geometry: %w", a.ID, err)
		}
		name, nlt := string(a.Kind), "MULTIPOLYGON"
		if _, ok := g.(orb.Point); ok {
			name, nlt = name+"_point", "POINT"
		}
		l, ok := files[name]
		if !ok {
			if l, err = newLayerFile(dir, name, nlt); err != nil {
				return err
			}
			files[name], order = l, append(order, name)
		}
		return l.add(a, g, o.Format == "shapefile")
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(order)
	out := make([]*layerFile, 0, len(order))
	for _, name := range order {
		if err := files[name].close(); err != nil {
			return nil, err
		}
		out = append(out, files[name])
	}
	return out, nil
}

func newLayerFile(dir, name, nlt string) (*layerFile, error) {
	p := filepath.Join(dir, name+".geojson")
	f, err := os.Create(p)
	if err != nil {
		return nil, fmt.Errorf("exports: %w", err)
	}
	l := &layerFile{name: name, path: p, nlt: nlt, f: f, w: bufio.NewWriter(f)}
	_, err = l.w.WriteString(`{"type":"FeatureCollection","features":[`)
	return l, err
}

// add writes one feature; Shapefiles get the 10-letter DBF names.
func (l *layerFile) add(a assets.Asset, g orb.Geometry, dbf bool) error {
	props := values(a)
	if dbf {
		short := make(map[string]any, len(props))
		for _, c := range everyColumn {
			if v, ok := props[c.Name]; ok {
				short[c.DBF] = v
			}
		}
		props = short
	}
	b, err := json.Marshal(feature{Type: "Feature", ID: a.ID, Properties: props, Geometry: geometry{g.GeoJSONType(), g}})
	if err != nil {
		return fmt.Errorf("exports: asset %d: %w", a.ID, err)
	}
	if l.count > 0 {
		if err := l.w.WriteByte(','); err != nil {
			return err
		}
	}
	l.count++
	_, err = l.w.Write(b)
	return err
}

func (l *layerFile) close() error {
	if _, err := l.w.WriteString("]}"); err != nil {
		return err
	}
	if err := l.w.Flush(); err != nil {
		return err
	}
	return l.f.Close()
}

// translate has GDAL convert one GeoJSON file (ogr2ogr's switches).
func translate(src, dst string, switches []string) error {
	ds, err := godal.Open(src, godal.VectorOnly())
	if err != nil {
		return fmt.Errorf("exports: open %s: %w", filepath.Base(src), err)
	}
	defer func() { _ = ds.Close() }() // read only
	out, err := ds.VectorTranslate(dst, switches)
	if err != nil {
		return fmt.Errorf("exports: write %s: %w", filepath.Base(dst), err)
	}
	return out.Close()
}

func copyFile(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("exports: %w", err)
	}
	defer func() { _ = f.Close() }() // read only
	_, err = io.Copy(w, f)
	return err
}

// zipDir packs every file of dir into a zip written to w.
func zipDir(dir string, w io.Writer) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("exports: %w", err)
	}
	zw := zip.NewWriter(w)
	for _, e := range entries {
		fw, err := zw.Create(e.Name())
		if err != nil {
			return err
		}
		if err := copyFile(filepath.Join(dir, e.Name()), fw); err != nil {
			return err
		}
	}
	return zw.Close()
}
