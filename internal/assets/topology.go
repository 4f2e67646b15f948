package assets

import (
	"fmt"
	"strings"

	"github.com/onemap/onemap/internal/problem"
)

// DefaultOverlapToleranceM2 is how many square metres a hand-drawn land parcel may overlap live
// parcels without a reason (ONEMAP_OVERLAP_TOLERANCE_M2): digitising noise, not a double claim.
const DefaultOverlapToleranceM2 = 1.0

// GapWidthM is the widest gap to a neighbour that the topology check reports: a strip under a
// metre between two parcels is almost always a vertex missed by the snapping, not real land.
const GapWidthM = 1.0

// Topology is what a land parcel's outline does to its live neighbours. Overlaps exceed the
// tolerance (an edit needs a reason); Slivers overlap by more than nothing but within it; Gaps
// are neighbours that touched the parcel before the edit (any neighbour, for a new parcel) and
// now lie less than GapWidthM away without touching it.
type Topology struct {
	Overlaps []Overlap `json:"overlaps"`
	Slivers  []Overlap `json:"slivers"`
	Gaps     []Gap     `json:"gaps"`
}

// Overlap is one live parcel a new outline overlaps, by OverlapM2 square metres (ellipsoidal).
type Overlap struct {
	ID        int64   `json:"id"`
	Code      string  `json:"code"`
	OverlapM2 float64 `json:"overlap_m2"`
}

// Gap is one neighbour left GapM metres (less than GapWidthM) away from the new outline.
type Gap struct {
	ID   int64   `json:"id"`
	Code string  `json:"code"`
	GapM float64 `json:"gap_m"`
}

// neighbour is one live parcel near a new outline, as the topology query measures it.
type neighbour struct {
	id        int64
	code      string
	overlapM2 float64
	gapM      float64
	touched   bool // it touched the outline before the edit (always, for a new parcel)
}

// classify sorts the neighbours into a Topology by the overlap tolerance tolM2.
func classify(ns []neighbour, tolM2 float64) Topology {
	t := Topology{Overlaps: []Overlap{}, Slivers: []Overlap{}, Gaps: []Gap{}}
	for _, n := range ns {
		switch {
		case n.overlapM2 > tolM2:
			t.Overlaps = append(t.Overlaps, Overlap{n.id, n.code, round2(n.overlapM2)})
		case n.overlapM2 > 0:
			t.Slivers = append(t.Slivers, Overlap{n.id, n.code, round2(n.overlapM2)})
		case n.touched && n.gapM > 0 && n.gapM < GapWidthM:
			t.Gaps = append(t.Gaps, Gap{n.id, n.code, round2(n.gapM)})
		}
	}
	return t
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// OverlapError refuses a land parcel overlapping live parcels by more than the tolerance when
// the editor gave no reason. It unwraps to a 422 problem naming "geometry" whose extension
// member "overlaps" lists them ([{id, code, overlap_m2}]).
type OverlapError struct {
	Overlaps []Overlap
	pe       *problem.Error
}

func newOverlapError(list []Overlap, tolM2 float64) *OverlapError {
	codes := make([]string, len(list))
	for i, o := range list {
		codes[i] = fmt.Sprintf("%s (%.1f m²)", o.Code, o.OverlapM2)
	}
	pe := problem.Unprocessable("geometry", "overlaps live land parcels by more than %g m²: %s; send overlap_reason to confirm",
		tolM2, strings.Join(codes, ", "))
	pe.Extensions = map[string]any{"overlaps": list}
	return &OverlapError{Overlaps: list, pe: pe}
}

func (e *OverlapError) Error() string { return e.pe.Error() }

// Unwrap gives the problem the HTTP edge renders.
func (e *OverlapError) Unwrap() error { return e.pe }
