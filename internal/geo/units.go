// Package geo holds OneMap's coordinate and unit knowledge: CGCS2000 (EPSG:4490) and its
// Gauss-Krüger zones, Web Mercator, 亩, and conversions between orb and go-geom values.
package geo

// SRID constants for the CRSs OneMap stores and serves.
const (
	SRIDCGCS2000    = 4490 // CGCS2000 geographic, the storage CRS
	SRIDWGS84       = 4326
	SRIDWebMercator = 3857
)

// M2PerMu is the size of one 亩 in square metres (1 亩 = 10000/15 m²).
const M2PerMu = 10000.0 / 15.0

// Mu converts square metres to 亩.
func Mu(m2 float64) float64 { return m2 / M2PerMu }

// M2 converts 亩 to square metres.
func M2(mu float64) float64 { return mu * M2PerMu }
