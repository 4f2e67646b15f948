package assets

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/problem"
)

// minPieceM2 is the smallest piece a split may leave: a cut that grazes a corner leaves a sliver.
const minPieceM2 = 1.0

// Split is a cut of one parcel: along Line (a LineString crossing it) or around Polygon (the
// piece inside it and the rest), made on Version. Codes name the pieces in order (north to
// south, then west to east); empty means CODE-1, CODE-2…
type Split struct {
	Version int
	Line    orb.LineString
	Polygon orb.Polygon
	Codes   []string
	Note    string
}

// Piece is one part a split would leave: its outline (EPSG:4490; the HTTP edge renders it as
// GeoJSON) and area.
type Piece struct {
	Geometry orb.Geometry
	AreaM2   float64
	wkb      []byte
}

// Lineage is where an asset came from (来源) and went to (去向) by split or merge.
type Lineage struct {
	From []LineageRef `json:"from"`
	To   []LineageRef `json:"to"`
}

// LineageRef is one asset on the other side of a split or merge; Retired tells that it was
// retired (its own page is gone, its history stays).
type LineageRef struct {
	ID      int64  `json:"id"`
	Code    string `json:"code"`
	Action  string `json:"action"`
	Retired bool   `json:"retired"`
}

// cut is the split's cutting geometry and the parameter that names it in refusals.
func (s *Split) cut() (orb.Geometry, string, error) {
	switch {
	case len(s.Line) > 0 && len(s.Polygon) > 0:
		return nil, "", problem.Invalid("line", "send either line or polygon, not both")
	case len(s.Line) >= 2:
		return s.Line, "line", nil
	case len(s.Polygon) > 0 && len(s.Polygon[0]) >= 4:
		return s.Polygon, "polygon", nil
	case len(s.Polygon) > 0:
		return nil, "", problem.Invalid("polygon", "needs a closed ring of at least 4 positions")
	}
	return nil, "", problem.Invalid("line", "send a GeoJSON LineString of at least 2 positions (or a polygon)")
}

// checkPieces refuses a cut that leaves fewer than two pieces or a piece under minPieceM2.
func checkPieces(param string, pieces []Piece) error {
	if len(pieces) < 2 {
		return problem.Unprocessable(param, "does not cut the parcel in two: it must cross the parcel from edge to edge")
	}
	for i, p := range pieces {
		if p.AreaM2 < minPieceM2 {
			return problem.Unprocessable(param, "leaves piece %d of %.2f m², less than %.0f m²", i+1, p.AreaM2, minPieceM2)
		}
	}
	return nil
}

// childCodes are the pieces' codes: as given (one per piece, distinct) or parent-1, parent-2…
func childCodes(parent string, given []string, n int) ([]string, error) {
	if len(given) == 0 {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s-%d", parent, i+1)
		}
		return out, nil
	}
	if len(given) != n {
		return nil, problem.Unprocessable("codes", "gives %d codes for %d pieces", len(given), n)
	}
	seen := map[string]bool{}
	for _, c := range given {
		if c == "" || seen[c] {
			return nil, problem.Unprocessable("codes", "%q is empty or repeated", c)
		}
		seen[c] = true
	}
	return given, nil
}

// apportion shares a money value (万元, 2 decimals) among pieces by area, the last piece taking
// what rounding leaves, so that the children add up to the parent exactly. nil stays nil.
func apportion(v *float64, pieces []Piece) []*float64 {
	out := make([]*float64, len(pieces))
	if v == nil {
		return out
	}
	var total, given float64
	for _, p := range pieces {
		total += p.AreaM2
	}
	for i, p := range pieces {
		x := math.Round(*v*p.AreaM2/total*100) / 100
		if i == len(pieces)-1 {
			x = math.Round((*v-given)*100) / 100
		}
		given += x
		out[i] = &x
	}
	return out
}
