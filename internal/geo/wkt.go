package geo

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// paramRe finds PARAMETER["name", value] in WKT1 and WKT2 (ESRI .prj files use WKT1).
var paramRe = regexp.MustCompile(`(?i)PARAMETER\s*\[\s*"([^"]+)"\s*,\s*([-+0-9.eE]+)`)

// FromWKT recognises a CRS from its WKT (a .prj file, a GeoPackage's definition, GDAL's
// export): CGCS2000 or WGS 84 geographic, or a CGCS2000 transverse Mercator whose central
// meridian and false easting name a Gauss-Krüger zone. Xi'an 1980 and Beijing 1954 are refused.
func FromWKT(wkt string) (CRS, error) {
	flat := squash(wkt)
	switch {
	case strings.Contains(flat, "xian") || strings.Contains(flat, "beijing") || strings.Contains(flat, "krassowsky") || strings.Contains(flat, "krasovsky") ||
		strings.Contains(flat, "iag1975"):
		return CRS{}, ErrUnsupportedDatum
	case !strings.Contains(flat, "proj"):
		return geographicFromWKT(flat)
	case !strings.Contains(flat, "2000"):
		return CRS{}, fmt.Errorf("projected data not on CGCS2000: %w", ErrUnknownCRS)
	case !strings.Contains(flat, "transversemercator") && !strings.Contains(flat, "gausskruger"):
		return CRS{}, fmt.Errorf("a projection other than Gauss-Krüger: %w", ErrUnknownCRS)
	}
	params := wktParams(wkt)
	cm, okCM := params["centralmeridian"]
	fe, okFE := params["falseeasting"]
	if !okCM || !okFE || params["scalefactor"] != 1 {
		return CRS{}, fmt.Errorf("a transverse Mercator that is not a Gauss-Krüger zone: %w", ErrUnknownCRS)
	}
	z, ok := zoneFromParams(cm, fe, strings.Contains(flat, "6degree"))
	if !ok {
		return CRS{}, fmt.Errorf("central meridian %g°, false easting %g m name no CGCS2000 zone: %w", cm, fe, ErrUnknownCRS)
	}
	return FromEPSG(z.EPSG())
}

func geographicFromWKT(flat string) (CRS, error) {
	switch {
	case strings.Contains(flat, "2000") && (strings.Contains(flat, "cgcs") || strings.Contains(flat, "china")):
		return CRS{SRID: SRIDCGCS2000}, nil
	case strings.Contains(flat, "wgs84") || strings.Contains(flat, "wgs1984"):
		return CRS{SRID: SRIDWGS84}, nil
	}
	return CRS{}, ErrUnknownCRS
}

// squash lowercases s and keeps only letters and digits, so "WGS 84", "WGS_1984" and "wgs84"
// compare by substring.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// wktParams reads the numeric parameters under squashed names; WKT2 names map to WKT1 ones.
func wktParams(wkt string) map[string]float64 {
	alias := map[string]string{
		"longitudeofnaturalorigin": "centralmeridian", "longitudeofcenter": "centralmeridian",
		"scalefactoratnaturalorigin": "scalefactor",
	}
	out := map[string]float64{}
	for _, m := range paramRe.FindAllStringSubmatch(wkt, -1) {
		v, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			continue // not a number: not a parameter we read
		}
		name := squash(m[1])
		if a, ok := alias[name]; ok {
			name = a
		}
		out[name] = v
	}
	return out
}

// zoneFromParams finds the zone whose central meridian and false easting these are; wide6 is
// the name's hint for unprefixed zones, whose 3° and 6° EPSG definitions are otherwise equal.
func zoneFromParams(cm, fe float64, wide6 bool) (GKZone, bool) {
	if cm != math.Trunc(cm) || (fe != 500000 && math.Mod(fe-500000, 1e6) != 0) {
		return GKZone{}, false
	}
	var candidates []GKZone
	if fe > 1e6 {
		n := int(fe / 1e6)
		candidates = []GKZone{{Width: 3, Number: n, Prefixed: true}, {Width: 6, Number: n, Prefixed: true}}
	} else {
		c := int(cm)
		candidates = []GKZone{{Width: 3, Number: c / 3}, {Width: 6, Number: (c + 3) / 6}}
		if wide6 {
			candidates[0], candidates[1] = candidates[1], candidates[0]
		}
	}
	for _, z := range candidates {
		if z.valid() && z.CentralMeridian() == cm {
			return z, true
		}
	}
	return GKZone{}, false
}
