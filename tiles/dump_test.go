package tiles_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// decode unmarshals an MVT tile, failing the test on bad bytes.
func decode(t *testing.T, data []byte) mvt.Layers {
	t.Helper()
	layers, err := mvt.Unmarshal(data)
	if err != nil {
		t.Fatalf("decode tile: %v", err)
	}
	return layers
}

// layer returns the layer called name, or nil.
func layer(ls mvt.Layers, name string) *mvt.Layer {
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// dump renders a decoded tile as stable text: layers by name, features by their text.
func dump(ls mvt.Layers) string {
	var b strings.Builder
	ls = slices.Clone(ls)
	slices.SortFunc(ls, func(a, b *mvt.Layer) int { return strings.Compare(a.Name, b.Name) })
	for _, l := range ls {
		fmt.Fprintf(&b, "layer %s extent=%d features=%d\n", l.Name, l.Extent, len(l.Features))
		lines := make([]string, len(l.Features))
		for i, f := range l.Features {
			lines[i] = featureLine(f)
		}
		slices.Sort(lines)
		for _, line := range lines {
			b.WriteString("  " + line + "\n")
		}
	}
	return b.String()
}

func featureLine(f *geojson.Feature) string {
	keys := make([]string, 0, len(f.Properties))
	for k := range f.Properties {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	props := make([]string, len(keys))
	for i, k := range keys {
		props[i] = fmt.Sprintf("%s=%v", k, f.Properties[k])
	}
	id := ""
	if f.ID != nil {
		id = fmt.Sprintf("#%v ", f.ID)
	}
	return fmt.Sprintf("%s%s {%s}", id, wkt.MarshalString(f.Geometry), strings.Join(props, " "))
}

// golden compares got with testdata/name.golden, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tiles -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./tiles -update rewrites it):\n%s", path, diff(string(want), got))
	}
}

// diff lists the lines only in want (-) and only in got (+).
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// checkGeometry asserts every coordinate lies within the tile extent plus the 64-unit buffer and
// every polygon's exterior ring winds as MVT requires (positive area in tile coordinates).
func checkGeometry(t *testing.T, ls mvt.Layers) {
	t.Helper()
	for _, l := range ls {
		for _, f := range l.Features {
			checkFeature(t, l.Name, f)
		}
	}
}

func checkFeature(t *testing.T, layer string, f *geojson.Feature) {
	t.Helper()
	b := f.Geometry.Bound()
	if b.Min[0] < -64 || b.Min[1] < -64 || b.Max[0] > 4096+64 || b.Max[1] > 4096+64 {
		t.Errorf("%s feature %v: bounds %v leave the tile extent and buffer", layer, f.ID, b)
	}
	var polys []orb.Polygon
	switch g := f.Geometry.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, p := range polys {
		if p[0].Orientation() != orb.CCW {
			t.Errorf("%s feature %v: exterior ring winds the wrong way", layer, f.ID)
		}
	}
}
