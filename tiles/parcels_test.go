package tiles

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/encoding/wkb"
)

// tileWKB returns WKB in EPSG:3857 of polygon p given in tile t's coordinates.
func tileWKB(t *testing.T, id TileID, p orb.Polygon) []byte {
	t.Helper()
	g := newGrid(id)
	out := orb.Polygon{}
	for _, r := range p {
		ring := orb.Ring{}
		for _, q := range r {
			ring = append(ring, orb.Point{q[0]/g.scale + g.x0, g.y0 - q[1]/g.scale})
		}
		out = append(out, ring)
	}
	b, err := wkb.Marshal(orb.MultiPolygon{out})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// row builds a land_rows.sql row as the server sends it in the binary format.
func row(id uint64, area float64, geom []byte) [][]byte {
	vals := make([][]byte, colWKB+1)
	vals[colID] = binary.BigEndian.AppendUint64(nil, id)
	vals[colArea] = binary.BigEndian.AppendUint64(nil, math.Float64bits(area))
	vals[1], vals[2] = []byte("idle"), []byte("sell")
	vals[colCode] = []byte("L-1")
	vals[colWKB] = geom
	return vals
}

// encodeRows runs rows through a parcel encoder with the given budget and decodes the layer.
func encodeRows(t *testing.T, id TileID, limit int, rows ...[][]byte) *mvt.Layer {
	t.Helper()
	e := &parcelEncoder{layer: newMVTLayer(string(Land), parcelKeys), geom: polygons{g: newGrid(id)}}
	for _, r := range rows {
		if err := e.add(r); err != nil {
			t.Fatal(err)
		}
	}
	e.trim(limit)
	ls, err := mvt.Unmarshal(e.layer.bytes())
	if err != nil || len(ls) != 1 {
		t.Fatalf("decode: %d layers, %v", len(ls), err)
	}
	return ls[0]
}

func TestParcelEncoding(t *testing.T) {
	id := TileID{Z: 16, X: 53599, Y: 27097}
	// Clockwise on screen as given: an exterior with a hole turned the same way.
	holed := tileWKB(t, id, orb.Polygon{square(100, 100, 300, 300), square(150, 150, 200, 200)})
	// Reaches past the right edge and its buffer: clipped to x = 4096 + 64.
	astride := tileWKB(t, id, orb.Polygon{square(4000, 10, 4500, 60)})
	// Smaller than half a unit: snaps to nothing, left out.
	speck := tileWKB(t, id, orb.Polygon{square(10.1, 10.1, 10.3, 10.3)})
	l := encodeRows(t, id, 10, row(7, 2.5, holed), row(8, 1.25, astride), row(9, 1, speck))
	if l.Name != "land" || l.Extent != extent || len(l.Features) != 2 {
		t.Fatalf("layer %s extent %d with %d features, want land, 4096, 2", l.Name, l.Extent, len(l.Features))
	}
	f := l.Features[0]
	p := f.Properties
	if f.ID != float64(7) || p["id"] != float64(7) || p["kind"] != "land" || p["stage"] != "idle" ||
		p["area_mu"] != 2.5 || p["code"] != "L-1" || p["holder"] != nil {
		t.Errorf("feature 7: id %v, properties %v", f.ID, p)
	}
	poly, ok := f.Geometry.(orb.Polygon)
	if !ok || len(poly) != 2 || poly[0].Orientation() != orb.CCW || poly[1].Orientation() != orb.CW {
		t.Errorf("feature 7: %v, want an exterior of positive and a hole of negative area", f.Geometry)
	}
	if b := l.Features[1].Geometry.Bound(); b.Max[0] != extent+buffer || b.Min[0] != 4000 || b.Max[1] != 60 {
		t.Errorf("feature 8 bounds %v, want clipped at x = %d", b, extent+buffer)
	}
}

// Past the budget the smallest parcels give way; the rest keep their order.
func TestParcelBudget(t *testing.T) {
	id := TileID{Z: 16, X: 53599, Y: 27097}
	var rows [][][]byte
	for i, area := range []float64{3, 9, 1, 7, 5} {
		x := float64(i * 100)
		rows = append(rows, row(uint64(i+1), area, tileWKB(t, id, orb.Polygon{square(x, 0, x+50, 50)})))
	}
	l := encodeRows(t, id, 3, rows...)
	var got []float64
	for _, f := range l.Features {
		got = append(got, f.ID.(float64))
	}
	if len(got) != 3 || got[0] != 2 || got[1] != 4 || got[2] != 5 {
		t.Errorf("kept parcels %v, want 2, 4, 5 (areas 9, 7, 5)", got)
	}
}

func TestPolygonsRejectBadWKB(t *testing.T) {
	p := polygons{g: newGrid(TileID{Z: 16})}
	for _, b := range [][]byte{nil, {1, 1, 0, 0, 0}, {1, 3, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0}} {
		if _, err := p.encode(b); err == nil {
			t.Errorf("WKB % x read without error", b)
		}
	}
}
