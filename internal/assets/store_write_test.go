package assets_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/problem"
)

// square returns a lon/lat square of side deg degrees at (lon, lat).
func square(lon, lat, deg float64) orb.Polygon {
	return orb.Polygon{{{lon, lat}, {lon + deg, lat}, {lon + deg, lat + deg}, {lon, lat + deg}, {lon, lat}}}
}

func TestInsertComputesAreaAndHistory(t *testing.T) {
	pool := dbtest.New(t)
	svc := assets.NewService(pool)
	ctx := context.Background()
	n, err := svc.Insert(ctx, "test", "fixture", []assets.NewAsset{{
		Code: "L-1", Kind: assets.Land, Name: "测试地块", Geometry: square(114.3, 29.8, 0.001),
	}})
	if err != nil || n != 1 {
		t.Fatalf("Insert = %d, %v", n, err)
	}
	var m2, mu float64
	var mode, stage string
	var events int
	if err := pool.QueryRow(ctx, `SELECT area_m2, area_mu, mode, stage, (SELECT count(*) FROM asset_events e WHERE e.asset_id = a.id)
		FROM assets a WHERE code = 'L-1'`).Scan(&m2, &mu, &mode, &stage, &events); err != nil {
		t.Fatal(err)
	}
	// 0.001° square at 29.8°N: ~110.8 m × ~96.6 m on the ellipsoid.
	if m2 < 10600 || m2 > 10800 {
		t.Errorf("area_m2 = %.1f, want ≈ 10,700", m2)
	}
	if math.Abs(mu-m2*0.0015) > 1e-6 {
		t.Errorf("area_mu = %f, want area_m2/666.67 = %f", mu, m2*0.0015)
	}
	if mode != "undecided" || stage != "idle" || events != 1 {
		t.Errorf("mode, stage, events = %s, %s, %d", mode, stage, events)
	}
}

func TestInsertRejectsBadInputWhole(t *testing.T) {
	pool := dbtest.New(t)
	svc := assets.NewService(pool)
	ctx := context.Background()
	good := assets.NewAsset{Code: "L-1", Kind: assets.Land, Geometry: square(114.3, 29.8, 0.001)}
	tests := []struct {
		name  string
		bad   assets.NewAsset
		field string
	}{
		{"bad mode", assets.NewAsset{Code: "X", Kind: assets.Land, Mode: "rent", Geometry: square(114, 29, 0.001)}, "mode"},
		{"no geometry", assets.NewAsset{Code: "X", Kind: assets.Mine}, "geometry"},
		{"outside China", assets.NewAsset{Code: "X", Kind: assets.Land, Geometry: square(2, 48, 0.001)}, "geometry"},
		{"unknown fact", assets.NewAsset{Code: "X", Kind: assets.Mine, Facts: map[string]any{"colour": "red"}, Geometry: square(114, 29, 0.001)}, "facts.colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Insert(ctx, "test", "", []assets.NewAsset{good, tt.bad})
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Params[0].Name != tt.field {
				t.Fatalf("err = %v, want a problem naming %s", err, tt.field)
			}
			var count int
			if err := pool.QueryRow(ctx, "SELECT count(*) FROM assets").Scan(&count); err != nil || count != 0 {
				t.Fatalf("assets after failed insert = %d (%v), want 0", count, err)
			}
		})
	}
	if _, err := svc.Insert(ctx, "test", "", []assets.NewAsset{good}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Insert(ctx, "test", "", []assets.NewAsset{good}); !errors.Is(err, problem.ErrConflict) {
		t.Fatalf("duplicate code: err = %v, want ErrConflict", err)
	}
}

func TestInsertEventHoldsEveryColumn(t *testing.T) {
	pool := dbtest.New(t)
	svc := assets.NewService(pool)
	ctx := context.Background()
	if _, err := svc.Insert(ctx, "test", "", []assets.NewAsset{{Code: "M-1", Kind: assets.Mine, Geometry: square(114.3, 29.8, 0.001)}}); err != nil {
		t.Fatal(err)
	}
	// The creation event holds the row as written, every column but the two geometries.
	var missing, extra []string
	err := pool.QueryRow(ctx, `
		SELECT
		    ARRAY(SELECT jsonb_object_keys(to_jsonb(a) - 'geom' - 'geom_3857') EXCEPT SELECT jsonb_object_keys(e.after)),
		    ARRAY(SELECT jsonb_object_keys(e.after) EXCEPT SELECT jsonb_object_keys(to_jsonb(a)))
		FROM assets a JOIN asset_events e ON e.asset_id = a.id`).Scan(&missing, &extra)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("event after: missing columns %v, unknown keys %v", missing, extra)
	}
	var same bool
	if err := pool.QueryRow(ctx, `SELECT e.after = to_jsonb(a) - 'geom' - 'geom_3857'
		FROM assets a JOIN asset_events e ON e.asset_id = a.id`).Scan(&same); err != nil || !same {
		t.Errorf("event after differs from the row (%v)", err)
	}
}
