package assets_test

import (
	"context"
	"slices"
	"testing"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db/dbtest"
)

// queryCity holds zone Z (a 0.01° square) and four parcels: A inside (idle, held by 甲置业),
// B inside (done), C a long strip about 3 % inside, D outside touching Z's east edge.
func queryCity(t *testing.T) *assets.Service {
	t.Helper()
	pool := dbtest.New(t)
	setup := []string{
		`INSERT INTO regions (code, name, geom) VALUES ('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.8, 30.2, 4490)))`,
		`INSERT INTO zones (code, name, region_code, geom) VALUES ('Z', '测试园区', '421202', ST_Multi(ST_MakeEnvelope(114.2, 29.8, 114.21, 29.81, 4490)))`,
		`INSERT INTO assets (code, kind, name, region_code, holder, stage, land_status, geom) VALUES
		 ('A', 'land', '甲地块', '421202', '甲置业有限公司', 'idle', 'idle', ST_Multi(ST_MakeEnvelope(114.201, 29.801, 114.202, 29.802, 4490))),
		 ('B', 'land', '乙地块', '421202', '乙公司', 'done', 'idle', ST_Multi(ST_MakeEnvelope(114.203, 29.801, 114.204, 29.802, 4490))),
		 ('C', 'land', '丙地块', '421202', '丙公司', 'idle', 'idle', ST_Multi(ST_MakeEnvelope(114.2097, 29.805, 114.2197, 29.806, 4490))),
		 ('D', 'land', '丁地块', '421202', '丁公司', 'idle', 'idle', ST_Multi(ST_MakeEnvelope(114.21, 29.807, 114.211, 29.808, 4490)))`,
	}
	for _, q := range setup {
		if _, err := pool.Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	return assets.NewService(pool)
}

func codes(items []assets.Asset) []string {
	var out []string
	for _, a := range items {
		out = append(out, a.Code)
	}
	slices.Sort(out)
	return out
}

func TestSearchTextMatchesHolder(t *testing.T) {
	svc := queryCity(t)
	for _, q := range []string{"甲置业", "甲地块", "a"} {
		res, err := svc.Search(context.Background(), assets.Filter{Text: q}, assets.Page{Limit: 10}, assets.NoShape)
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(res.Items); !slices.Equal(got, []string{"A"}) {
			t.Errorf("q=%s: %v, want [A]", q, got)
		}
		if res.BBox == nil || res.BBox[0] < 114.2009 || res.BBox[2] > 114.2021 {
			t.Errorf("q=%s: bbox %v, want A's extent", q, res.BBox)
		}
	}
	res, err := svc.Search(context.Background(), assets.Filter{Text: "无此持有人"}, assets.Page{Limit: 10}, assets.NoShape)
	if err != nil || res.Total != 0 || res.BBox != nil {
		t.Errorf("no match: %d, %v, %v", res.Total, res.BBox, err)
	}
}

func TestInZoneLeavesOutDoneUnlessAsked(t *testing.T) {
	svc := queryCity(t)
	for _, tc := range []struct {
		name string
		f    assets.Filter
		want []string
	}{
		{"default", assets.Filter{}, []string{"A", "C"}},
		{"include_done", assets.Filter{IncludeDone: true}, []string{"A", "B", "C"}},
		{"stage=done", assets.Filter{Stages: []string{"done"}}, []string{"B"}},
		{"stage=idle,done", assets.Filter{Stages: []string{"idle", "done"}}, []string{"A", "B", "C"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := svc.InZone(context.Background(), "Z", tc.f, assets.Page{Limit: 10}, assets.NoShape)
			if err != nil {
				t.Fatal(err)
			}
			// D only touches the zone (0 亩 inside): not listed.
			if got := codes(res.Items); !slices.Equal(got, tc.want) || res.Total != int64(len(res.Items)) {
				t.Errorf("%v (total %d), want %v", got, res.Total, tc.want)
			}
		})
	}
}

func TestAreaBoundsApplyToTheOverlap(t *testing.T) {
	svc := queryCity(t)
	ctx := context.Background()
	zone := square(114.2, 29.8, 0.01)
	five := 5.0
	for _, tc := range []struct {
		name string
		run  func(assets.Filter) ([]assets.Asset, error)
	}{
		{"zone", func(f assets.Filter) ([]assets.Asset, error) {
			r, err := svc.InZone(ctx, "Z", f, assets.Page{Limit: 10}, assets.NoShape)
			return r.Items, err
		}},
		{"drawn", func(f assets.Filter) ([]assets.Asset, error) {
			f.Within = zone
			f.Stages = []string{"idle"} // a drawn area, unlike a zone, lists done assets too: B
			r, err := svc.Search(ctx, f, assets.Page{Limit: 10}, assets.NoShape)
			return r.Items, err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// C is ~107 亩, ~3 亩 of it inside; A is ~16 亩, all inside.
			items, err := tc.run(assets.Filter{MinAreaMu: &five})
			if got := codes(items); err != nil || !slices.Equal(got, []string{"A"}) {
				t.Errorf("min 5 亩 inside: %v %v, want [A]", got, err)
			}
			items, err = tc.run(assets.Filter{MaxAreaMu: &five})
			if got := codes(items); err != nil || !slices.Equal(got, []string{"C"}) {
				t.Errorf("max 5 亩 inside: %v %v, want [C]", got, err)
			}
			items, err = tc.run(assets.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range items {
				if a.Share == nil || a.Share.OverlapMu < 0.005 {
					t.Errorf("%s listed with %v 亩 inside", a.Code, a.Share)
				}
			}
		})
	}
}

func TestDrawnAreaListsNoZeroRows(t *testing.T) {
	svc := queryCity(t)
	// The zone's square: D only touches it.
	res, err := svc.Search(context.Background(), assets.Filter{Within: square(114.2, 29.8, 0.01)}, assets.Page{Limit: 10}, assets.NoShape)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(res.Items); !slices.Equal(got, []string{"A", "B", "C"}) || res.Total != 3 {
		t.Errorf("%v (total %d), want [A B C]", got, res.Total)
	}
}
