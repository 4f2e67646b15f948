package imports

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/geo"
)

// TXTWriter writes a 勘测定界 coordinate file: the header for one CGCS2000 Gauss-Krüger zone,
// then one block per parcel. Coordinates are metres in that zone (x = easting, y = northing),
// written as X(北),Y(东) to the millimetre.
type TXTWriter struct {
	w *bufio.Writer
}

// NewTXTWriter writes the [属性描述] block for zone and opens [地块坐标].
func NewTXTWriter(w io.Writer, zone geo.GKZone, date string) (*TXTWriter, error) {
	t := &TXTWriter{w: bufio.NewWriter(w)}
	lines := []string{
		"[属性描述]", "格式版本号=1.01版本", "数据产生单位=OneMap", "数据产生日期=" + date,
		"坐标系=2000国家大地坐标系", fmt.Sprintf("几度分带=%d", zone.Width), "投影类型=高斯克吕格",
		"计量单位=米", fmt.Sprintf("带号=%d", zone.Number), "精度=0.001", "转换参数=0,0,0,0,0,0,0", "[地块坐标]",
	}
	for _, l := range lines {
		if _, err := t.w.WriteString(l + "\r\n"); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Parcel writes one parcel: its header line (points, hectares, code, name, 面, sheet, use, land
// class) and its rings, outer rings and holes numbered in turn.
func (t *TXTWriter) Parcel(code, name, class string, areaM2 float64, g orb.MultiPolygon) error {
	points := 0
	for _, p := range g {
		for _, r := range p {
			points += len(r)
		}
	}
	clean := strings.NewReplacer(",", "，", "\r", " ", "\n", " ", "@", "＠").Replace
	if _, err := fmt.Fprintf(t.w, "%d,%.4f,%s,%s,面,,,%s,@\r\n", points, areaM2/10000, clean(code), clean(name), clean(class)); err != nil {
		return err
	}
	ring, next := 0, 1
	for _, p := range g {
		for _, r := range p {
			ring++
			if err := t.ring(ring, r, &next); err != nil {
				return err
			}
		}
	}
	return nil
}

// ring writes one closed ring; points are numbered on through the parcel and the closing point
// repeats the ring's first number.
func (t *TXTWriter) ring(n int, r orb.Ring, next *int) error {
	first := *next
	for i, pt := range r {
		id := *next
		if i == len(r)-1 && r.Closed() {
			id = first
		} else {
			*next++
		}
		if _, err := fmt.Fprintf(t.w, "J%d,%d,%.3f,%.3f\r\n", id, n, pt[1], pt[0]); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes what was written.
func (t *TXTWriter) Close() error { return t.w.Flush() }
