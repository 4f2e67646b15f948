package ogc

import (
	"strconv"
	"strings"

	"github.com/onemap/onemap/internal/problem"
)

// crsDef is one CRS the API speaks (OGC API – Features Part 2).
type crsDef struct {
	URI string
	// SRID is PostGIS's number for it (CRS84 and EPSG:4326 are both 4326 there, lon/lat).
	SRID int
	// LatLon: the CRS's axis order is latitude first (EPSG:4326, EPSG:4490), so coordinates in
	// requests and responses are swapped against PostGIS's x = longitude.
	LatLon bool
	// Digits is the number of decimals written: ~1 cm in degrees or in metres.
	Digits int
}

const (
	uriCRS84    = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	uriEPSG     = "http://www.opengis.net/def/crs/EPSG/0/"
	storageSRID = 4490
)

// supportedCRS lists the CRSs of every collection: the default (CRS84) first, the storage CRS
// second.
func supportedCRS() []crsDef {
	return []crsDef{
		{URI: uriCRS84, SRID: 4326, Digits: 7},
		{URI: uriEPSG + "4490", SRID: storageSRID, LatLon: true, Digits: 7},
		{URI: uriEPSG + "4326", SRID: 4326, LatLon: true, Digits: 7},
		{URI: uriEPSG + "3857", SRID: 3857, Digits: 2},
	}
}

func crsURIs() []string {
	var out []string
	for _, c := range supportedCRS() {
		out = append(out, c.URI)
	}
	return out
}

// parseCRS reads a CRS parameter: the OGC URI, also as a safe CURIE "[EPSG:4490]", "EPSG:4490",
// an OGC URN, or CRS84 / OGC:CRS84. Empty means CRS84.
func parseCRS(param, v string) (crsDef, error) {
	s := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(v), "["), "]")
	s = strings.Replace(s, "https://", "http://", 1)
	switch strings.ToUpper(s) {
	case "", "CRS84", "OGC:CRS84", strings.ToUpper(uriCRS84), "URN:OGC:DEF:CRS:OGC:1.3:CRS84":
		return supportedCRS()[0], nil
	}
	code := ""
	for _, prefix := range []string{uriEPSG, "EPSG:", "epsg:", "urn:ogc:def:crs:EPSG::", "urn:ogc:def:crs:EPSG:0:"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			code = rest
		}
	}
	if n, err := strconv.Atoi(code); err == nil {
		for _, c := range supportedCRS() {
			if c.URI == uriEPSG+strconv.Itoa(n) {
				return c, nil
			}
		}
	}
	return crsDef{}, problem.Invalid(param, "%q is not a supported CRS; use one of %s", v, strings.Join(crsURIs(), ", "))
}

// geomSQL is the expression writing col's geometry (EPSG:4490, or its stored 3857 copy) in c.
func (c crsDef) geomSQL(col *collection) string {
	switch c.SRID {
	case 3857:
		return col.Geom3857
	case storageSRID:
	default:
		return wrapLatLon(c, "ST_Transform("+col.Geom+", "+strconv.Itoa(c.SRID)+")")
	}
	return wrapLatLon(c, col.Geom)
}

func wrapLatLon(c crsDef, sql string) string {
	if c.LatLon {
		return "ST_FlipCoordinates(" + sql + ")"
	}
	return sql
}
