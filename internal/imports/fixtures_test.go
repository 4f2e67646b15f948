package imports_test

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/airbusgeo/godal"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
)

// feature is one fixture feature: attributes and a geometry in the fixture's CRS.
type feature struct {
	props map[string]any
	geom  orb.Geometry
}

// gkSquare is a side×side metre square in Gauss-Krüger coordinates with its south-west corner
// at (east, north).
func gkSquare(east, north, side float64) orb.Polygon {
	return orb.Polygon{{{east, north}, {east + side, north}, {east + side, north + side}, {east, north + side}, {east, north}}}
}

// writeGeoJSON writes features as a GeoJSON file whose (legacy) crs member names epsg.
func writeGeoJSON(t *testing.T, path string, epsg int, features []feature) string {
	t.Helper()
	type gj = map[string]any
	var list []gj
	for _, f := range features {
		list = append(list, gj{
			"type": "Feature", "properties": f.props,
			"geometry": gj{"type": f.geom.GeoJSONType(), "coordinates": f.geom},
		})
	}
	b, err := json.Marshal(gj{
		"type": "FeatureCollection", "features": list,
		"crs": gj{"type": "name", "properties": gj{"name": fmt.Sprintf("urn:ogc:def:crs:EPSG::%d", epsg)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// translate has GDAL convert src into dst (ogr2ogr's switches).
func translate(t testing.TB, src, dst string, switches ...string) {
	t.Helper()
	godal.RegisterAll()
	ds, err := godal.Open(src, godal.VectorOnly())
	if err != nil {
		t.Fatalf("open %s: %v", src, err)
	}
	defer func() { _ = ds.Close() }() // read only
	out, err := ds.VectorTranslate(dst, switches)
	if err != nil {
		t.Fatalf("translate to %s: %v", dst, err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// zipFiles packs files (by base name) into dst.
func zipFiles(t testing.TB, dst string, files ...string) string {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, name := range files {
		w, err := zw.Create(filepath.Base(name))
		if err != nil {
			t.Fatal(err)
		}
		r, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(w, r)
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

// shapefileParts lists a shapefile's files that exist.
func shapefileParts(shp string) []string {
	base := strings.TrimSuffix(shp, ".shp")
	var out []string
	for _, ext := range []string{".shp", ".shx", ".dbf", ".prj", ".cpg"} {
		if _, err := os.Stat(base + ext); err == nil {
			out = append(out, base+ext)
		}
	}
	return out
}

// sanDiao are 三调-style parcels in CGCS2000 3° zone 38 (EPSG:4526, central meridian 114°E,
// near Xianning): squares of known planar area (at most 30 km from the central meridian the
// Gauss-Krüger scale error is below 0.002 %).
func sanDiao() []feature {
	rows := []struct {
		bsm, dlbm, dlmc, qsdwmc, zldwmc string
		side                            float64
	}{
		{"421202000001", "0101", "水田", "温泉村民委员会", "咸安区温泉街道", 100},
		{"421202000002", "0102", "水浇地", "贺胜桥镇集体", "咸安区贺胜桥镇", 50},
		{"421202000003", "0601", "工业用地", "咸宁高新区管委会", "咸宁高新区", 250},
	}
	out := make([]feature, len(rows))
	for i, r := range rows {
		out[i] = feature{
			props: map[string]any{"BSM": r.bsm, "DLBM": r.dlbm, "DLMC": r.dlmc, "QSDWMC": r.qsdwmc, "ZLDWMC": r.zldwmc, "TBMJ": r.side * r.side},
			geom:  gkSquare(38520000+float64(i)*1000, 3300000, r.side),
		}
	}
	return out
}

// gbkShapefile writes sanDiao as a GBK shapefile in EPSG:4526 (GDAL writes the .cpg) and
// returns the .shp path.
func gbkShapefile(t *testing.T, dir string) string {
	t.Helper()
	src := writeGeoJSON(t, filepath.Join(dir, "src.geojson"), 4526, sanDiao())
	shp := filepath.Join(dir, "dltb.shp")
	translate(t, src, shp, "-f", "ESRI Shapefile", "-lco", "ENCODING=CP936", "-a_srs", "EPSG:4526")
	return shp
}

// gkSquareLonLat is a 0.001° square with its south-west corner at (lon, lat).
func gkSquareLonLat(lon, lat float64) orb.Polygon {
	return orb.Polygon{{{lon, lat}, {lon + 0.001, lat}, {lon + 0.001, lat + 0.001}, {lon, lat + 0.001}, {lon, lat}}}
}

func wktOf(g orb.Geometry) string { return string(wkt.Marshal(g)) }
