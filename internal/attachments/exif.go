package attachments

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Exif is what a photo's EXIF says of where and when it was taken (nil: not said).
type Exif struct {
	Lon, Lat *float64
	TakenAt  *time.Time
}

// TIFF tags read: the pointers to the Exif and GPS directories, DateTimeOriginal, and the GPS
// latitude and longitude with their hemispheres.
const (
	tagExifIFD     = 0x8769
	tagGPSIFD      = 0x8825
	tagDateTimeOrg = 0x9003
	tagGPSLatRef   = 1
	tagGPSLat      = 2
	tagGPSLonRef   = 3
	tagGPSLon      = 4
)

// readExif reads the EXIF of a JPEG starting with head (its APP1 segment lies within the first
// 64 kB); a photo without EXIF, or with EXIF this reader cannot follow, says nothing.
func readExif(head []byte) Exif {
	t, ok := app1(head)
	if !ok {
		return Exif{}
	}
	var x Exif
	ifd0 := t.dir(t.u32(4))
	if off, ok := ifd0[tagExifIFD]; ok {
		x.TakenAt = t.taken(t.dir(t.u32At(off)))
	}
	if off, ok := ifd0[tagGPSIFD]; ok {
		x.Lon, x.Lat = t.gps(t.dir(t.u32At(off)))
	}
	return x
}

// app1 finds the Exif APP1 segment among a JPEG's first segments.
func app1(b []byte) (tiff, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return tiff{}, false
	}
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		marker, n := b[i+1], int(binary.BigEndian.Uint16(b[i+2:]))
		seg := b[i+4 : min(i+2+n, len(b))]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return newTIFF(seg[6:])
		}
		if marker == 0xDA { // start of scan: no EXIF after it
			break
		}
		i += 2 + n
	}
	return tiff{}, false
}

// tiff is a TIFF structure (EXIF's container) in its byte order.
type tiff struct {
	b  []byte
	bo binary.ByteOrder
}

func newTIFF(b []byte) (tiff, bool) {
	switch {
	case len(b) < 8:
		return tiff{}, false
	case string(b[:2]) == "II":
		return tiff{b, binary.LittleEndian}, true
	case string(b[:2]) == "MM":
		return tiff{b, binary.BigEndian}, true
	}
	return tiff{}, false
}

func (t tiff) u16(off uint32) uint16 {
	if int64(off)+2 > int64(len(t.b)) {
		return 0
	}
	return t.bo.Uint16(t.b[off:])
}

func (t tiff) u32(off uint32) uint32 {
	if int64(off)+4 > int64(len(t.b)) {
		return 0
	}
	return t.bo.Uint32(t.b[off:])
}

// u32At reads the LONG value held in the entry at off.
func (t tiff) u32At(entry uint32) uint32 { return t.u32(entry + 8) }

// dir maps each tag of the directory at off to its 12-byte entry's offset.
func (t tiff) dir(off uint32) map[uint16]uint32 {
	m := map[uint16]uint32{}
	if off == 0 {
		return m
	}
	n := uint32(t.u16(off))
	for i := range min(n, 512) {
		e := off + 2 + 12*i
		if int64(e)+12 > int64(len(t.b)) {
			break
		}
		m[t.u16(e)] = e
	}
	return m
}

// bytesAt is the value of the entry at e: count bytes, inline when 4 or fewer.
func (t tiff) bytesAt(e uint32, count uint32) []byte {
	off := e + 8
	if count > 4 {
		off = t.u32(e + 8)
	}
	if int64(off)+int64(count) > int64(len(t.b)) {
		return nil
	}
	return t.b[off : off+count]
}

// taken reads DateTimeOriginal ("2006:01:02 15:04:05", local time as the camera knew it).
func (t tiff) taken(d map[uint16]uint32) *time.Time {
	e, ok := d[tagDateTimeOrg]
	if !ok {
		return nil
	}
	s := string(bytes.TrimRight(t.bytesAt(e, t.u32(e+4)), "\x00 "))
	at, err := time.Parse("2006:01:02 15:04:05", s)
	if err != nil {
		return nil
	}
	return &at
}

// gps reads the longitude and latitude in degrees (west and south negative).
func (t tiff) gps(d map[uint16]uint32) (lon, lat *float64) {
	return t.degrees(d, tagGPSLon, tagGPSLonRef, 'W', 180), t.degrees(d, tagGPSLat, tagGPSLatRef, 'S', 90)
}

// degrees reads three RATIONALs (degrees, minutes, seconds) and their hemisphere reference.
func (t tiff) degrees(d map[uint16]uint32, tag, ref uint16, negative byte, limit float64) *float64 {
	e, ok := d[tag]
	if !ok || t.u16(e+2) != 5 || t.u32(e+4) != 3 {
		return nil
	}
	v := t.bytesAt(e, 24)
	if v == nil {
		return nil
	}
	var deg float64
	for i, scale := range []float64{1, 60, 3600} {
		num, den := t.bo.Uint32(v[8*i:]), t.bo.Uint32(v[8*i+4:])
		if den == 0 {
			return nil
		}
		deg += float64(num) / float64(den) / scale
	}
	if r, ok := d[ref]; ok && t.b[r+8] == negative {
		deg = -deg
	}
	if deg < -limit || deg > limit {
		return nil
	}
	return &deg
}
