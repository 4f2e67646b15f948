package geo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// CRS is a coordinate reference system OneMap can transform to EPSG:4490: CGCS2000 geographic,
// WGS 84 (treated as CGCS2000 within centimetres, as PROJ does), or a CGCS2000 Gauss-Krüger zone.
type CRS struct {
	// SRID is the EPSG code PostGIS transforms from.
	SRID int
	// Zone is set for Gauss-Krüger zones.
	Zone *GKZone
}

// Label names the CRS as it is kept on each row and in import reports, e.g. "EPSG:4526".
func (c CRS) Label() string { return "EPSG:" + strconv.Itoa(c.SRID) }

// Projected reports whether coordinates are metres in a Gauss-Krüger zone.
func (c CRS) Projected() bool { return c.Zone != nil }

// GKZone is one CGCS2000 Gauss-Krüger zone: its width (3° or 6°), its number and whether
// eastings carry the zone number as a prefix (38 500 000 rather than 500 000).
type GKZone struct {
	Width    int  // 3 or 6
	Number   int  // 3° zones 25..45, 6° zones 13..23
	Prefixed bool // false easting = Number×10⁶ + 500 000
}

// Errors a caller shows to the user as they are.
var (
	// ErrUnsupportedDatum refuses Xi'an 1980 and Beijing 1954 data: their offset from CGCS2000
	// is tens of metres and needs local transformation parameters we do not have.
	ErrUnsupportedDatum = errors.New("coordinates on Xi'an 1980 or Beijing 1954 need local transformation parameters to reach CGCS2000; " +
		"convert the data to CGCS2000 first (or give its CGCS2000 srs if it already is)")
	// ErrUnknownCRS says the CRS could be neither read nor recognised from the coordinates.
	ErrUnknownCRS = errors.New("cannot tell the coordinate system: give srs, e.g. EPSG:4526 for CGCS2000 3° zone 38")
)

// Zone limits: 3° zones 25..45 and 6° zones 13..23 cover China (central meridians 75°E..135°E).
const (
	minZone3, maxZone3 = 25, 45
	minZone6, maxZone6 = 13, 23
)

// CentralMeridian returns the zone's central meridian in degrees east.
func (z GKZone) CentralMeridian() float64 {
	if z.Width == 6 {
		return float64(6*z.Number - 3)
	}
	return float64(3 * z.Number)
}

// FalseEasting returns the easting of the central meridian in metres.
func (z GKZone) FalseEasting() float64 {
	if z.Prefixed {
		return float64(z.Number)*1e6 + 500000
	}
	return 500000
}

// EPSG returns the zone's EPSG code: 3° with prefix 4513–4533, without 4534–4554; 6° with
// prefix 4491–4501, without 4502–4512.
func (z GKZone) EPSG() int {
	switch {
	case z.Width == 3 && z.Prefixed:
		return 4513 + z.Number - minZone3
	case z.Width == 3:
		return 4534 + z.Number - minZone3
	case z.Prefixed:
		return 4491 + z.Number - minZone6
	default:
		return 4502 + z.Number - minZone6
	}
}

func (z GKZone) valid() bool {
	if z.Width == 3 {
		return z.Number >= minZone3 && z.Number <= maxZone3
	}
	return z.Width == 6 && z.Number >= minZone6 && z.Number <= maxZone6
}

// ZoneFromEPSG returns the CGCS2000 Gauss-Krüger zone of an EPSG code in 4491–4554.
func ZoneFromEPSG(code int) (GKZone, bool) {
	switch {
	case code >= 4491 && code <= 4501:
		return GKZone{Width: 6, Number: code - 4491 + minZone6, Prefixed: true}, true
	case code >= 4502 && code <= 4512:
		return GKZone{Width: 6, Number: code - 4502 + minZone6}, true
	case code >= 4513 && code <= 4533:
		return GKZone{Width: 3, Number: code - 4513 + minZone3, Prefixed: true}, true
	case code >= 4534 && code <= 4554:
		return GKZone{Width: 3, Number: code - 4534 + minZone3}, true
	}
	return GKZone{}, false
}

// ZoneForLon returns the prefixed 3° zone whose central meridian is nearest lon.
func ZoneForLon(lon float64) GKZone {
	n := int(math.Round(lon / 3))
	return GKZone{Width: 3, Number: min(max(n, minZone3), maxZone3), Prefixed: true}
}

// legacyDatum reports EPSG codes of Xi'an 1980, Beijing 1954 and New Beijing, geographic or
// Gauss-Krüger.
func legacyDatum(code int) bool {
	return code == 4610 || code == 4214 || code == 4555 ||
		(code >= 2327 && code <= 2390) || (code >= 2401 && code <= 2442) ||
		(code >= 21413 && code <= 21423) || (code >= 21473 && code <= 21483) ||
		(code >= 4568 && code <= 4589)
}

// FromEPSG returns the CRS of an EPSG code OneMap accepts.
func FromEPSG(code int) (CRS, error) {
	switch {
	case code == SRIDCGCS2000 || code == SRIDWGS84:
		return CRS{SRID: code}, nil
	case legacyDatum(code):
		return CRS{}, fmt.Errorf("EPSG:%d: %w", code, ErrUnsupportedDatum)
	}
	if z, ok := ZoneFromEPSG(code); ok {
		return CRS{SRID: code, Zone: &z}, nil
	}
	return CRS{}, fmt.Errorf("EPSG:%d is not CGCS2000 (4490), WGS 84 (4326) or a CGCS2000 Gauss-Krüger zone (4491–4554)", code)
}

// ParseSRS reads a user's srs: "EPSG:4526", "4526" or "urn:ogc:def:crs:EPSG::4526".
func ParseSRS(s string) (CRS, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	if i := strings.LastIndex(t, ":"); i >= 0 {
		t = t[i+1:]
	}
	code, err := strconv.Atoi(t)
	if err != nil {
		return CRS{}, fmt.Errorf("%q is not an EPSG code such as EPSG:4526", s)
	}
	return FromEPSG(code)
}

// ZoneFromEasting reads the zone from an 8-digit easting's first two digits: 25..45 name a 3°
// zone, 13..23 a 6° zone.
func ZoneFromEasting(e float64) (GKZone, bool) {
	if e < 1e7 || e >= 1e8 {
		return GKZone{}, false
	}
	n := int(e / 1e6)
	z := GKZone{Width: 3, Number: n, Prefixed: true}
	if n <= maxZone6 {
		z.Width = 6
	}
	// The rest of the easting must lie within a zone's reach of its central meridian.
	rest := e - float64(n)*1e6
	if !z.valid() || rest < 100000 || rest > 900000 {
		return GKZone{}, false
	}
	return z, true
}

// Bounds is an envelope in a dataset's own coordinates (x = longitude or easting).
type Bounds struct{ MinX, MinY, MaxX, MaxY float64 }

// Guess recognises the CRS from coordinates alone: lon/lat within China is CGCS2000; eastings
// with a zone prefix name their Gauss-Krüger zone. Unprefixed eastings do not say their zone.
func Guess(b Bounds) (CRS, error) {
	if b.MinX >= 70 && b.MaxX <= 140 && b.MinY >= 0 && b.MaxY <= 56 {
		return CRS{SRID: SRIDCGCS2000}, nil
	}
	northings := b.MinY >= 0 && b.MaxY <= 6.2e6
	z1, ok1 := ZoneFromEasting(b.MinX)
	z2, ok2 := ZoneFromEasting(b.MaxX)
	if ok1 && ok2 && z1 == z2 && northings {
		return FromEPSG(z1.EPSG())
	}
	if _, ok := ZoneFromEasting(b.MinY); ok && b.MinX >= 0 && b.MaxX <= 6.2e6 {
		return CRS{}, fmt.Errorf("x looks like a northing and y like an easting: swap the columns (x = east)")
	}
	if b.MinX >= 1e5 && b.MaxX <= 9e5 && northings {
		return CRS{}, fmt.Errorf("eastings without a zone prefix: %w", ErrUnknownCRS)
	}
	return CRS{}, ErrUnknownCRS
}
