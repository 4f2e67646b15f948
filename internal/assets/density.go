package assets

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"github.com/onemap/onemap/internal/problem"
)

// The density of idle land (issue 13 item 10): the 亩 of idle (闲置) and approved-but-unsupplied
// (批而未供) land in hexagons of a Web-Mercator grid (PostGIS ST_HexagonGrid, anchored at the
// origin, so a zoom's cells stay put as the view pans), sized for the zoom — about DensityHexPixels
// on a side on screen. Each parcel's 亩 is split between the cells it lies in by area on the
// ellipsoid, so the cells add up to the land inside them: what /api/v1/assets?within=<cell>
// reports as overlap_mu.

// DensityStatuses are the land statuses the density counts: 批而未供 and 闲置.
var DensityStatuses = []string{"approved_unsupplied", "idle"}

// DensityMaxZoom is the highest zoom the density is drawn at (city zooms; above it, parcels).
const DensityMaxZoom = 13

// DensityHexPixels is the side of a cell in screen pixels at its zoom.
const DensityHexPixels = 24

// densityMaxCells bounds the cells one request may cover (a view of 1600×1000 px holds ~700).
const densityMaxCells = 5000

// webMercatorRes0 is the size of a screen pixel at zoom 0 in EPSG:3857 units (256-px tiles).
const webMercatorRes0 = 2 * math.Pi * 6378137 / 256

// DensityQuery asks for the density cells over BBox (lon/lat, EPSG:4490) at Zoom.
type DensityQuery struct {
	Filter Filter
	BBox   orb.Bound
	Zoom   int
}

// HexSize is the side of a cell at the query's zoom, in EPSG:3857 units.
func (q DensityQuery) HexSize() float64 {
	return DensityHexPixels * webMercatorRes0 / math.Exp2(float64(q.Zoom))
}

// Validate checks the zoom, the box, the filter's statuses (DensityStatuses only, both when none
// is named) and the number of cells, naming the parameter at fault; it narrows the filter to land.
func (q *DensityQuery) Validate() error {
	if q.Zoom < 0 || q.Zoom > DensityMaxZoom {
		return problem.Invalid("zoom", "%d is outside 0..%d (above it the map draws parcels)", q.Zoom, DensityMaxZoom)
	}
	b := q.BBox
	if b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -85 || b.Max[1] > 85 || b.Min[0] >= b.Max[0] || b.Min[1] >= b.Max[1] {
		return problem.Invalid("bbox", "must be minlon,minlat,maxlon,maxlat in degrees, inside ±180, ±85")
	}
	for _, s := range q.Filter.LandStatuses {
		if !slices.Contains(DensityStatuses, s) {
			return problem.Invalid("land_status", "%q is not counted here: only approved_unsupplied and idle", s)
		}
	}
	if len(q.Filter.LandStatuses) == 0 {
		q.Filter.LandStatuses = DensityStatuses
	}
	if len(q.Filter.Kinds) > 0 && !slices.Equal(q.Filter.Kinds, []Kind{Land}) {
		return problem.Invalid("kind", "the density counts land only")
	}
	q.Filter.Kinds = []Kind{Land}
	if q.Filter.Within != nil || q.Filter.Near != nil {
		return problem.Invalid("within", "the density is of a box (bbox), not of a drawn area or a distance")
	}
	if n := q.cells(); n > densityMaxCells {
		return problem.Invalid("bbox", "covers about %.0f cells at zoom %d, at most %d: zoom out or ask for less", n, q.Zoom, densityMaxCells)
	}
	return nil
}

// cells estimates how many cells cover the box: its Web-Mercator area over a cell's.
func (q DensityQuery) cells() float64 {
	lo := project.WGS84.ToMercator(q.BBox.Min)
	hi := project.WGS84.ToMercator(q.BBox.Max)
	s := q.HexSize()
	return (hi[0] - lo[0] + 2*s) * (hi[1] - lo[1] + 2*s) / (3 * math.Sqrt(3) / 2 * s * s)
}

// DensityCell is one hexagon with the 亩 of matching land inside it.
type DensityCell struct {
	// Geometry is the hexagon as GeoJSON (EPSG:4490 lon/lat; its corners are the grid's).
	Geometry []byte
	// Count is how many parcels lie (wholly or in part) in the cell.
	Count int64
	// AreaMu is the 亩 inside the cell, split into IdleMu (闲置) and ApprovedUnsuppliedMu (批而未供).
	AreaMu               float64
	IdleMu               float64
	ApprovedUnsuppliedMu float64
}

// Density is the answer: the cells with land in them, the cell side in metres on the ground at
// the box's middle latitude, and the largest cell's 亩 (for a legend's ramp).
type Density struct {
	Zoom     int
	HexSideM float64
	MaxMu    float64
	Cells    []DensityCell
}
