package imports

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/airbusgeo/godal"

	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/problem"
)

// gdalDataset is one file GDAL reads, with the open options it needs (a shapefile's ENCODING).
type gdalDataset struct {
	path string
	opts []string
}

// openGDAL opens one file with GDAL.
func openGDAL(path, format, encoding string) (*Source, error) {
	return openGDALFiles(format, encoding, []gdalDataset{{path: path}})
}

// openGDALFiles opens every file as one source: their layers in order.
func openGDALFiles(format, encoding string, files []gdalDataset) (*Source, error) {
	godal.RegisterAll()
	src := &Source{Format: format, Encoding: encoding}
	var sets []*godal.Dataset
	var layers []godal.Layer
	src.close = func() {
		for _, ds := range sets {
			_ = ds.Close() // read-only: nothing to flush
		}
	}
	for _, f := range files {
		opts := []godal.OpenOption{godal.VectorOnly(), godal.SiblingFiles()}
		if len(f.opts) > 0 {
			opts = append(opts, godal.DriverOpenOption(f.opts...))
		}
		ds, err := godal.Open(f.path, opts...)
		if err != nil {
			src.Close()
			return nil, problem.Unprocessable("file", "cannot be read as %s: %v", format, err)
		}
		sets = append(sets, ds)
		for _, l := range ds.Layers() {
			layers = append(layers, l)
			src.Layers = append(src.Layers, describeLayer(l, format))
		}
	}
	if len(layers) == 0 {
		src.Close()
		return nil, problem.Unprocessable("file", "holds no layer")
	}
	src.each = func(ctx context.Context, fn func(Record) error) error {
		row := 0
		for i, l := range layers {
			start := row
			if err := eachFeature(ctx, l, i, &row, fn); err != nil {
				return err
			}
			// A truncated file can end early without an error from GDAL: the layer's own
			// count (a shapefile's index, a GeoPackage's table) gives it away.
			if want := src.Layers[i].Count; row-start < want {
				return problem.Unprocessable("file", "layer %s ends after %d of its %d features: the file is damaged or cut short", src.Layers[i].Name, row-start, want)
			}
		}
		return nil
	}
	return src, nil
}

// describeLayer reads a layer's name, count, extent and CRS.
func describeLayer(l godal.Layer, format string) Layer {
	out := Layer{Name: l.Name(), geographicDefault: format == FormatGeoJSON || format == FormatKML}
	if n, err := l.FeatureCount(); err == nil {
		out.Count = n
	}
	if b, err := l.Bounds(); err == nil {
		out.Bounds = geo.Bounds{MinX: b[0], MinY: b[1], MaxX: b[2], MaxY: b[3]}
	}
	out.CRS, out.crsErr = layerCRS(l.SpatialRef())
	return out
}

// layerCRS recognises a layer's CRS from its EPSG code, else from its WKT. A layer without a
// CRS returns the zero CRS and no error: the coordinates will have to tell.
func layerCRS(sr *godal.SpatialRef) (geo.CRS, error) {
	wkt, err := sr.WKT()
	if err != nil || wkt == "" {
		return geo.CRS{}, nil
	}
	if sr.AutoIdentifyEPSG() == nil && sr.AuthorityName("") == "EPSG" {
		if code, err := strconv.Atoi(sr.AuthorityCode("")); err == nil {
			if c, err := geo.FromEPSG(code); err == nil || errors.Is(err, geo.ErrUnsupportedDatum) {
				return c, err
			}
		}
	}
	return geo.FromWKT(wkt)
}

// eachFeature walks one layer; row counts across layers.
func eachFeature(ctx context.Context, l godal.Layer, layer int, row *int, fn func(Record) error) error {
	l.ResetReading()
	for {
		f := l.NextFeature()
		if f == nil {
			return nil
		}
		*row++
		r := Record{Row: *row, Layer: layer, Attrs: attrs(f)}
		wkb, err := f.Geometry().WKB()
		if err != nil || len(wkb) == 0 {
			r.Problem = "has no geometry"
		}
		r.WKB = wkb
		f.Close()
		if *row%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := fn(r); err != nil {
			return err
		}
	}
}

// attrs renders a feature's set fields as text, numbers without loss.
func attrs(f *godal.Feature) map[string]string {
	fields := f.Fields()
	null := nullFields(f)
	out := make(map[string]string, len(fields))
	for name, fld := range fields {
		if !fld.IsSet() || null[name] {
			continue
		}
		switch fld.Type() {
		case godal.FTInt, godal.FTInt64:
			out[name] = strconv.FormatInt(fld.Int(), 10)
		case godal.FTReal:
			out[name] = strconv.FormatFloat(fld.Float(), 'f', -1, 64)
		case godal.FTDate:
			if t := fld.DateTime(); t != nil {
				out[name] = t.Format(time.DateOnly)
			}
		case godal.FTDateTime:
			if t := fld.DateTime(); t != nil {
				out[name] = t.Format(time.RFC3339)
			}
		default:
			out[name] = fld.String()
		}
	}
	return out
}
