package assets

import (
	"errors"
	"testing"

	"github.com/onemap/onemap/internal/problem"
)

func TestClassify(t *testing.T) {
	got := classify([]neighbour{
		{id: 1, code: "over", overlapM2: 12.345},
		{id: 2, code: "sliver", overlapM2: 0.4},
		{id: 3, code: "gap", gapM: 0.48, touched: true},
		{id: 4, code: "far gap", gapM: 1.5, touched: true},
		{id: 5, code: "never touched", gapM: 0.3},
		{id: 6, code: "touching", touched: true},
	}, 1)
	if len(got.Overlaps) != 1 || got.Overlaps[0].Code != "over" || got.Overlaps[0].OverlapM2 != 12.35 {
		t.Errorf("overlaps = %+v", got.Overlaps)
	}
	if len(got.Slivers) != 1 || got.Slivers[0].Code != "sliver" {
		t.Errorf("slivers = %+v", got.Slivers)
	}
	if len(got.Gaps) != 1 || got.Gaps[0].Code != "gap" {
		t.Errorf("gaps = %+v", got.Gaps)
	}
}

func TestOverlapErrorIsA422WithTheList(t *testing.T) {
	err := error(newOverlapError([]Overlap{{ID: 7, Code: "A", OverlapM2: 30}}, 1))
	var pe *problem.Error
	var oe *OverlapError
	if !errors.As(err, &pe) || pe.Status != 422 || pe.Params[0].Name != "geometry" || !errors.As(err, &oe) {
		t.Fatalf("err = %v", err)
	}
	if list, ok := pe.Extensions["overlaps"].([]Overlap); !ok || list[0].ID != 7 {
		t.Errorf("extensions = %v", pe.Extensions)
	}
}
