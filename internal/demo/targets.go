package demo

import (
	"math"

	"github.com/onemap/onemap/internal/assets"
)

// Tally counts what was written, per kind and per region, and sizes the targets from it.
type Tally struct {
	Kinds   map[assets.Kind]int
	done    map[string]int
	revenue map[string]float64
}

// NewTally returns an empty tally.
func NewTally() *Tally {
	return &Tally{Kinds: map[assets.Kind]int{}, done: map[string]int{}, revenue: map[string]float64{}}
}

// Add counts list.
func (t *Tally) Add(list []assets.NewAsset) {
	for i := range list {
		a := &list[i]
		t.Kinds[a.Kind]++
		t.revenue[a.RegionCode] += a.Revenue
		if a.Stage == "done" {
			t.done[a.RegionCode]++
		}
	}
}

// Total returns how many assets were counted.
func (t *Tally) Total() int {
	n := 0
	for _, k := range t.Kinds {
		n += k
	}
	return n
}

// Targets are each region's goals for TargetYear: revitalise 30 % of the approved-unsupplied
// land and 15 % of the idle land (the provincial yardsticks), and a quarter more revenue and a
// third more completed disposals than the ledger shows so far.
func (t *Tally) Targets(regions []assets.Region) []assets.Target {
	var out []assets.Target
	for _, r := range regions {
		out = append(out,
			assets.Target{RegionCode: r.Code, Year: TargetYear, Metric: "approved_unsupplied_share", Target: 0.30},
			assets.Target{RegionCode: r.Code, Year: TargetYear, Metric: "idle_share", Target: 0.15},
			assets.Target{RegionCode: r.Code, Year: TargetYear, Metric: "revenue", Target: math.Ceil(t.revenue[r.Code]*1.25/100) * 100},
			assets.Target{RegionCode: r.Code, Year: TargetYear, Metric: "done_count", Target: math.Ceil(float64(t.done[r.Code]) * 4 / 3)},
		)
	}
	return out
}
