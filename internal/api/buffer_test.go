package api_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"testing"
)

// TestBuffer: the area within N metres of an asset, queried as a drawn area, holds the assets
// within N metres of it; bad radii and unknown assets are refused.
func TestBuffer(t *testing.T) {
	app, _ := fixture(t)
	var list struct {
		Items []struct {
			ID   int64
			Code string
		}
	}
	get(t, app, "/api/v1/assets?q=A&kind=land&sort=code", &list)
	if len(list.Items) == 0 || list.Items[0].Code != "A" {
		t.Fatalf("asset A not found: %+v", list.Items)
	}
	id := list.Items[0].ID
	var g struct {
		Type        string
		Coordinates any
	}
	path := func(r string) string { return "/api/v1/assets/" + jsonNum(id) + "/buffer?radius_m=" + r }
	if st := get(t, app, path("300"), &g); st != 200 || g.Type != "Polygon" {
		t.Fatalf("buffer: status %d, type %q", st, g.Type)
	}
	// A's square ends at 114.304,29.804: D's corner (114.305,29.805) is ~150 m away, B's
	// (114.309,29.805) ~500 m.
	for _, tt := range []struct {
		r    string
		want []string
	}{{"10", []string{"A"}}, {"300", []string{"A", "D"}}, {"1000", []string{"A", "B", "D"}}} {
		var raw json.RawMessage
		get(t, app, path(tt.r), &raw)
		gj := string(raw)
		var in struct{ Items []struct{ Code string } }
		get(t, app, "/api/v1/assets?sort=code&within="+url.QueryEscape(gj), &in)
		var codes []string
		for _, it := range in.Items {
			codes = append(codes, it.Code)
		}
		if !slices.Equal(codes, tt.want) {
			t.Errorf("radius %s m: %v, want %v", tt.r, codes, tt.want)
		}
	}
	for p, want := range map[string]int{
		path("0"): 400, path("-5"): 400, path("abc"): 400, path("60000"): 400,
		"/api/v1/assets/" + jsonNum(id) + "/buffer": 400,
		"/api/v1/assets/999999/buffer?radius_m=10":  404,
	} {
		if st := get(t, app, p, nil); st != want {
			t.Errorf("GET %s: %d, want %d", p, st, want)
		}
	}
}

// TestSortByStageOrder: stage sorts 未盘活, 拟盘活, 盘活中, 已盘活, not by code.
func TestSortByStageOrder(t *testing.T) {
	app, pool := fixture(t)
	for code, stage := range map[string]string{"A": "done", "B": "in_progress", "C": "planned", "D": "idle", "M1": "done"} {
		if _, err := pool.Exec(t.Context(), `UPDATE assets SET stage = $1 WHERE code = $2`, stage, code); err != nil {
			t.Fatal(err)
		}
	}
	for sort, want := range map[string][]string{
		"stage":  {"D", "C", "B", "A", "M1"},
		"-stage": {"A", "M1", "B", "C", "D"},
	} {
		var res struct{ Items []struct{ Code string } }
		get(t, app, "/api/v1/assets?sort="+sort, &res)
		var codes []string
		for _, it := range res.Items {
			codes = append(codes, it.Code)
		}
		if !slices.Equal(codes, want) {
			t.Errorf("sort=%s: %v, want %v", sort, codes, want)
		}
	}
}
