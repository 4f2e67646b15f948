package imports

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/onemap/onemap/internal/geo"
)

// The 勘测定界 "报盘" coordinate file: a [属性描述] block of key=value lines naming the datum, zone
// width and zone number, then [地块坐标] with one header line per parcel
// (点数,面积(公顷),编号,名称,面,图幅号,用途,地类编码,@) followed by 点号,圈号,X(北),Y(东) lines.
// Ring 1 is the outer ring; later rings inside it are holes, rings outside it start new parts.

// TXT attribute names, as the parcel header gives them; the default mapping knows them.
const (
	txtCode   = "地块编号"
	txtName   = "地块名称"
	txtAreaHa = "地块面积"
	txtShape  = "图形属性"
	txtSheet  = "图幅号"
	txtUse    = "地块用途"
	txtClass  = "地类编码"
)

var txtHeaderFields = []string{"界址点数", txtAreaHa, txtCode, txtName, txtShape, txtSheet, txtUse, txtClass}

// TXTFile is a parsed coordinate file: its header and its parcels in file order.
type TXTFile struct {
	Header  map[string]string
	Parcels []TXTParcel
}

// TXTParcel is one parcel: its header attributes, its rings in source coordinates (x = easting,
// y = northing, as GIS order wants) and the file line of its header.
type TXTParcel struct {
	Line    int
	Attrs   map[string]string
	Polygon orb.MultiPolygon
	// Problem says why the parcel cannot be used (empty when it can).
	Problem string
}

// ParseTXT reads a coordinate file already decoded to UTF-8.
func ParseTXT(text []byte) (*TXTFile, error) {
	f := &TXTFile{Header: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(text, []byte("\ufeff"))))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	section := ""
	var cur *txtBuilder
	flush := func() {
		if cur != nil {
			f.Parcels = append(f.Parcels, cur.parcel())
			cur = nil
		}
	}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			flush()
			section = strings.Trim(line, "[] ")
		case section == "属性描述":
			if k, v, ok := strings.Cut(line, "="); ok {
				f.Header[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		case section == "地块坐标" && strings.HasSuffix(line, "@"):
			flush()
			cur = newTXTBuilder(n, line)
		case section == "地块坐标" && cur != nil:
			cur.point(n, line)
		case section == "地块坐标":
			return nil, fmt.Errorf("line %d: a coordinate before any parcel header (…,@)", n)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading coordinate file: %w", err)
	}
	flush()
	if len(f.Parcels) == 0 {
		return nil, fmt.Errorf("no [地块坐标] parcels: not a 勘测定界 coordinate file")
	}
	return f, nil
}

// CRS reads the datum, zone width and zone number from the header; eastings of 8 digits carry
// the zone themselves. A file naming no zone falls back to the coordinates.
func (f *TXTFile) CRS(b geo.Bounds) (geo.CRS, error) {
	datum := f.Header["坐标系"]
	switch {
	case strings.Contains(datum, "80") || strings.Contains(datum, "西安") ||
		strings.Contains(datum, "54") || strings.Contains(datum, "北京"):
		return geo.CRS{}, fmt.Errorf("坐标系=%s: %w", datum, geo.ErrUnsupportedDatum)
	case datum != "" && !strings.Contains(datum, "2000"):
		return geo.CRS{}, fmt.Errorf("坐标系=%s is not CGCS2000: %w", datum, geo.ErrUnknownCRS)
	}
	zone, errZ := strconv.Atoi(f.Header["带号"])
	width, errW := strconv.Atoi(f.Header["几度分带"])
	if errZ != nil || errW != nil {
		return geo.Guess(b)
	}
	z := geo.GKZone{Width: width, Number: zone, Prefixed: b.MinX >= 1e7}
	c, err := geo.FromEPSG(z.EPSG())
	if err != nil || c.Zone == nil || *c.Zone != z {
		return geo.CRS{}, fmt.Errorf("几度分带=%d, 带号=%d name no CGCS2000 zone: %w", width, zone, geo.ErrUnknownCRS)
	}
	return c, nil
}

// Bounds is the envelope of every usable parcel.
func (f *TXTFile) Bounds() geo.Bounds {
	var b orb.Bound
	first := true
	for _, p := range f.Parcels {
		if p.Problem != "" {
			continue
		}
		if first {
			b, first = p.Polygon.Bound(), false
			continue
		}
		b = b.Union(p.Polygon.Bound())
	}
	return geo.Bounds{MinX: b.Min[0], MinY: b.Min[1], MaxX: b.Max[0], MaxY: b.Max[1]}
}

// txtBuilder gathers one parcel's points ring by ring.
type txtBuilder struct {
	line    int
	attrs   map[string]string
	rings   []orb.Ring
	ringNo  []string
	want    int
	points  int
	problem string
}

func newTXTBuilder(n int, header string) *txtBuilder {
	b := &txtBuilder{line: n, attrs: map[string]string{}}
	parts := strings.Split(strings.TrimSuffix(header, "@"), ",")
	for i, name := range txtHeaderFields {
		if i < len(parts) {
			if v := strings.TrimSpace(parts[i]); v != "" {
				b.attrs[name] = v
			}
		}
	}
	want, err := strconv.Atoi(b.attrs["界址点数"])
	if err != nil {
		b.problem = fmt.Sprintf("line %d: point count %q is not a number", n, b.attrs["界址点数"])
	}
	b.want = want
	return b
}

// point adds one 点号,圈号,X(北),Y(东) line.
func (b *txtBuilder) point(n int, line string) {
	if b.problem != "" {
		return
	}
	parts := strings.Split(line, ",")
	if len(parts) < 4 {
		b.problem = fmt.Sprintf("line %d: want 点号,圈号,X,Y, got %q", n, line)
		return
	}
	x, errX := strconv.ParseFloat(strings.TrimSpace(parts[2]), 64)
	y, errY := strconv.ParseFloat(strings.TrimSpace(parts[3]), 64)
	if errX != nil || errY != nil {
		b.problem = fmt.Sprintf("line %d: coordinates %q, %q are not numbers", n, parts[2], parts[3])
		return
	}
	ring := strings.TrimSpace(parts[1])
	if len(b.ringNo) == 0 || b.ringNo[len(b.ringNo)-1] != ring {
		b.ringNo = append(b.ringNo, ring)
		b.rings = append(b.rings, nil)
	}
	// X is the northing and Y the easting: GIS order is (east, north).
	last := len(b.rings) - 1
	b.rings[last] = append(b.rings[last], orb.Point{y, x})
	b.points++
}

// parcel closes the rings and nests them: ring 1 is outer, a later ring inside the current
// part's outer ring is its hole, one outside starts a new part.
func (b *txtBuilder) parcel() TXTParcel {
	p := TXTParcel{Line: b.line, Attrs: b.attrs, Problem: b.problem}
	if p.Problem == "" && b.points != b.want {
		p.Problem = fmt.Sprintf("line %d: header says %d points, found %d", b.line, b.want, b.points)
	}
	if p.Problem != "" {
		return p
	}
	for i, r := range b.rings {
		if !r[0].Equal(r[len(r)-1]) {
			r = append(r, r[0])
		}
		if len(r) < 4 {
			p.Problem = fmt.Sprintf("line %d: ring %s has fewer than 3 distinct points", b.line, b.ringNo[i])
			return p
		}
		n := len(p.Polygon)
		if n > 0 && planar.RingContains(p.Polygon[n-1][0], r[0]) {
			p.Polygon[n-1] = append(p.Polygon[n-1], r)
			continue
		}
		p.Polygon = append(p.Polygon, orb.Polygon{r})
	}
	return p
}
