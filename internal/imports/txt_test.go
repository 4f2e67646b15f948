package imports

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb/planar"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/onemap/onemap/internal/geo"
)

// readSample reads testdata/kcdj.txt: a 100 m square with a 20 m square hole, and a second
// parcel of two parts.
func readSample(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/kcdj.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseTXT(t *testing.T) {
	f, err := ParseTXT(readSample(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Parcels) != 2 {
		t.Fatalf("parcels = %d, want 2", len(f.Parcels))
	}
	p := f.Parcels[0]
	if p.Problem != "" || p.Attrs[txtCode] != "XN-001" || p.Attrs[txtName] != "温泉地块" || p.Attrs[txtClass] != "0601" {
		t.Fatalf("parcel 1 = %+v", p)
	}
	if len(p.Polygon) != 1 || len(p.Polygon[0]) != 2 {
		t.Fatalf("parcel 1 rings = %v, want one part with a hole", p.Polygon)
	}
	if a := planar.Area(p.Polygon); math.Abs(a-9600) > 1e-6 {
		t.Errorf("parcel 1 area = %g, want 9600 (10000 minus a 400 m² hole)", a)
	}
	// X is north, Y east: the first vertex is (east 38500000, north 3300000).
	if got := p.Polygon[0][0][0]; got[0] != 38500000 || got[1] != 3300000 {
		t.Errorf("first vertex = %v, want [38500000 3300000]", got)
	}
	if q := f.Parcels[1]; q.Problem != "" || len(q.Polygon) != 2 {
		t.Errorf("parcel 2 = %d parts (%s), want 2 (a ring outside ring 1 is a new part)", len(q.Polygon), q.Problem)
	}
	c, err := f.CRS(f.Bounds())
	if err != nil || c.SRID != 4526 {
		t.Errorf("CRS = %v, %v; want EPSG:4526", c, err)
	}
}

func TestParseTXTProblems(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"count mismatch", "5,1,A,a,面,,,,@\nJ1,1,3300000,38500000\nJ2,1,3300000,38500010\nJ3,1,3300010,38500010\nJ1,1,3300000,38500000\n", "header says 5 points, found 4"},
		{"bad number", "4,1,A,a,面,,,,@\nJ1,1,3300000,east\n", "are not numbers"},
		{"short line", "4,1,A,a,面,,,,@\nJ1,1,3300000\n", "want 点号,圈号,X,Y"},
		{"degenerate ring", "3,1,A,a,面,,,,@\nJ1,1,3300000,38500000\nJ2,1,3300000,38500010\nJ1,1,3300000,38500000\n", "fewer than 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseTXT([]byte("[属性描述]\n带号=38\n[地块坐标]\n" + tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Parcels[0].Problem; !strings.Contains(got, tt.want) {
				t.Errorf("problem = %q, want it to say %q", got, tt.want)
			}
		})
	}
	if _, err := ParseTXT([]byte("hello\n")); err == nil {
		t.Error("ParseTXT of a non-coordinate file: no error")
	}
}

func TestTXTCRS(t *testing.T) {
	prefixed := geo.Bounds{MinX: 38500000, MinY: 3300000, MaxX: 38500100, MaxY: 3300100}
	bare := geo.Bounds{MinX: 500000, MinY: 3300000, MaxX: 500100, MaxY: 3300100}
	tests := []struct {
		header  string
		b       geo.Bounds
		srid    int
		wantErr error
	}{
		{"坐标系=2000国家大地坐标系\n几度分带=3\n带号=38", prefixed, 4526, nil},
		{"坐标系=2000国家大地坐标系\n几度分带=3\n带号=38", bare, 4547, nil},
		{"坐标系=2000国家大地坐标系\n几度分带=6\n带号=19", geo.Bounds{MinX: 19500000, MinY: 3300000, MaxX: 19500100, MaxY: 3300100}, 4497, nil},
		{"坐标系=2000国家大地坐标系", prefixed, 4526, nil},
		{"坐标系=80国家大地坐标系\n几度分带=3\n带号=38", prefixed, 0, geo.ErrUnsupportedDatum},
		{"坐标系=北京54坐标系\n几度分带=3\n带号=38", prefixed, 0, geo.ErrUnsupportedDatum},
		{"坐标系=2000国家大地坐标系\n几度分带=3\n带号=99", prefixed, 0, geo.ErrUnknownCRS},
		{"坐标系=2000国家大地坐标系", bare, 0, geo.ErrUnknownCRS},
	}
	for _, tt := range tests {
		f, err := ParseTXT([]byte("[属性描述]\n" + tt.header + "\n[地块坐标]\n4,1,A,a,面,,,,@\nJ1,1,1,1\nJ2,1,1,2\nJ3,1,2,2\nJ1,1,1,1\n"))
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.CRS(tt.b)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%q: CRS = %v, %v; want %v", tt.header, c, err, tt.wantErr)
			}
			continue
		}
		if err != nil || c.SRID != tt.srid {
			t.Errorf("%q: CRS = %v, %v; want EPSG:%d", tt.header, c, err, tt.srid)
		}
	}
}

func TestDecodeText(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("坐标系=2000国家大地坐标系")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, enc, want, wantEnc string
	}{
		{"\ufeff名称", "", "名称", encUTF8},
		{gbk, "", "坐标系=2000国家大地坐标系", encGBK},
		{gbk, "cp936", "坐标系=2000国家大地坐标系", encGBK},
	}
	for _, tt := range tests {
		got, enc, err := decodeText([]byte(tt.in), tt.enc)
		if err != nil || string(got) != tt.want || enc != tt.wantEnc {
			t.Errorf("decodeText(%q, %q) = %q, %s, %v; want %q, %s", tt.in, tt.enc, got, enc, err, tt.want, tt.wantEnc)
		}
	}
	if _, _, err := decodeText([]byte(gbk), "UTF-8"); err == nil {
		t.Error("GBK bytes declared UTF-8: no error")
	}
	if _, _, err := decodeText([]byte(gbk), "latin9"); err == nil {
		t.Error("unknown encoding: no error")
	}
}

func TestTXTWriteRoundTrip(t *testing.T) {
	f, err := ParseTXT(readSample(t))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	w, err := NewTXTWriter(&b, geo.GKZone{Width: 3, Number: 38, Prefixed: true}, "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Parcels {
		if err := w.Parcel(p.Attrs[txtCode], p.Attrs[txtName], p.Attrs[txtClass], planar.Area(p.Polygon), p.Polygon); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	g, err := ParseTXT([]byte(b.String()))
	if err != nil {
		t.Fatalf("re-reading the written file: %v\n%s", err, b.String())
	}
	if c, err := g.CRS(g.Bounds()); err != nil || c.SRID != 4526 {
		t.Errorf("written header reads back as %v, %v", c, err)
	}
	for i, p := range g.Parcels {
		q := f.Parcels[i]
		if p.Problem != "" || p.Attrs[txtCode] != q.Attrs[txtCode] || p.Attrs[txtName] != q.Attrs[txtName] || !p.Polygon.Equal(q.Polygon) {
			t.Errorf("parcel %d: wrote %+v, read back %+v", i+1, q, p)
		}
	}
	if !strings.Contains(b.String(), "10,0.9600,XN-001,温泉地块,面,,,0601,@\r\n") {
		t.Errorf("parcel header not as the format wants:\n%s", b.String())
	}
}
