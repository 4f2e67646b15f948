package api_test

import (
	"math"
	"testing"
)

// Lists answer with bbox, the extent of every match (not only of the page): what the map frames.
func TestListsCarryTheExtentOfEveryMatch(t *testing.T) {
	app, _ := fixture(t)
	var list struct {
		Total int
		Items []any
		BBox  []float64 `json:"bbox"`
	}
	// A (from 114.302, 29.802), B (to 29.807) and C (114.40–114.402, from 29.70), one to a page.
	if st := get(t, app, "/api/v1/assets?q=%E5%9C%B0%E5%9D%97&land_status=idle&region=421202&limit=1&sort=code", &list); st != 200 {
		t.Fatalf("status %d", st)
	}
	want := []float64{114.302, 29.70, 114.402, 29.807}
	if list.Total != 3 || len(list.Items) != 1 || len(list.BBox) != 4 {
		t.Fatalf("list = %+v", list)
	}
	for i := range want {
		if math.Abs(list.BBox[i]-want[i]) > 1e-6 {
			t.Errorf("bbox = %v, want %v", list.BBox, want)
		}
	}
	var fc struct {
		BBox []float64 `json:"bbox"`
	}
	if st := get(t, app, "/api/v1/zones/Z1/assets?format=geojson&geometry=center&limit=1", &fc); st != 200 || len(fc.BBox) != 4 {
		t.Errorf("zone GeoJSON bbox: %d %v", st, fc.BBox)
	}
	var none struct {
		BBox []float64 `json:"bbox"`
	}
	if st := get(t, app, "/api/v1/assets?q=nothing-like-this", &none); st != 200 || none.BBox != nil {
		t.Errorf("no match: %d, bbox %v", st, none.BBox)
	}
}
