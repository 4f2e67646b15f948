package tiles_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/tiles"
)

// overviewSQL lists both overview tables row by row, areas rounded far below what tiles show
// (patches add and subtract in another order than the rebuild sums).
const overviewSQL = `
SELECT format('g %s %s %s,%s %s/%s %s/%s n=%s mu=%s m2=%s', g, q, cx, cy, stage, mode, region_code, zone_code,
    n, round(area_mu::numeric, 3), round(area_3857::numeric, 1))
FROM tile_land_groups
UNION ALL
SELECT format('c %s %s %s,%s %s/%s n=%s mu=%s m2=%s st=%s/%s/%s/%s md=%s/%s/%s/%s/%s', g, q, cx, cy,
    region_code, zone_code, n, round(area_mu::numeric, 3), round(area_3857::numeric, 1),
    round(mu_idle::numeric, 3), round(mu_planned::numeric, 3), round(mu_in_progress::numeric, 3),
    round(mu_done::numeric, 3), round(mu_use::numeric, 3), round(mu_sell::numeric, 3),
    round(mu_lease::numeric, 3), round(mu_finance::numeric, 3), round(mu_undecided::numeric, 3))
FROM tile_land_cells
ORDER BY 1`

// overview reads both tables as text, a line a row.
func overview(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	rows, err := pool.Query(context.Background(), overviewSQL)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}

// After each kind of write the patched overview equals the one a full rebuild makes from the same
// parcels, and it stays current (no rebuild is due).
func TestOverviewPatchesEqualRebuild(t *testing.T) {
	pool, svc := city(t, tiles.Options{})
	ctx := context.Background()
	as := assets.NewService(pool)
	actor := assets.Actor{Name: "overview-test"}
	var ids []int64
	if err := pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY id) FROM assets WHERE kind = 'land'`).Scan(&ids); err != nil {
		t.Fatal(err)
	}
	version := func(id int64) int {
		var v int
		if err := pool.QueryRow(ctx, `SELECT version FROM assets WHERE id = $1`, id).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	set := func(id int64, field, value string) error {
		_, err := as.Update(ctx, id, actor, assets.Change{Version: version(id),
			Fields: map[string]json.RawMessage{field: json.RawMessage(`"` + value + `"`)}})
		return err
	}
	var children []int64
	var raw int64
	steps := []struct {
		name string
		do   func() error
	}{
		{"insert", func() error {
			status, sys, class := "idle", "tdly2023", "0701"
			_, err := as.Create(ctx, actor, "", assets.NewAsset{
				Code: "L-NEW", Kind: assets.Land, Name: "新地块", Stage: "planned", Mode: "lease",
				Land:     &assets.LandFacts{Status: &status, ClassSystem: &sys, ClassCode: &class},
				Geometry: orb.Polygon{{{114.2905, 29.8605}, {114.291, 29.8605}, {114.291, 29.861}, {114.2905, 29.861}, {114.2905, 29.8605}}},
			})
			return err
		}},
		{"stage", func() error { return set(ids[0], "stage", "done") }},
		{"mode", func() error { return set(ids[1], "mode", "finance") }},
		{"name only", func() error { return set(ids[1], "name", "改名") }},
		{"geometry to the other region", func() error {
			_, err := as.Update(ctx, ids[2], actor, assets.Change{Version: version(ids[2]),
				Geometry: orb.Polygon{{{114.3505, 29.8805}, {114.351, 29.8805}, {114.351, 29.881}, {114.3505, 29.881}, {114.3505, 29.8805}}}})
			return err
		}},
		{"zone", func() error {
			_, err := pool.Exec(ctx, `UPDATE assets SET zone_code = NULL WHERE id = $1`, ids[3])
			return err
		}},
		{"delete", func() error { return as.Delete(ctx, ids[4], version(ids[4]), actor, "gone") }},
		{"insert by SQL", func() error { // no event refers to it: it may go for good below
			return pool.QueryRow(ctx, `INSERT INTO assets (code, kind, name, stage, mode, holder, region_code, zone_code, geom)
				SELECT 'L-RAW', kind, 'raw', stage, mode, holder, region_code, zone_code, ST_Translate(geom, 0.0007, 0)
				FROM assets WHERE id = $1 RETURNING id`, ids[5]).Scan(&raw)
		}},
		{"hard delete", func() error {
			_, err := pool.Exec(ctx, `DELETE FROM assets WHERE id = $1`, raw)
			return err
		}},
		{"split", func() error {
			var x, y0, y1 float64
			if err := pool.QueryRow(ctx, `SELECT ST_X(ST_Centroid(geom)), ST_YMin(geom) - 0.001, ST_YMax(geom) + 0.001 FROM assets WHERE id = $1`, ids[6]).
				Scan(&x, &y0, &y1); err != nil {
				return err
			}
			got, err := as.SplitAsset(ctx, ids[6], actor, assets.Split{Version: version(ids[6]), Line: orb.LineString{{x, y0}, {x, y1}}})
			for _, a := range got {
				children = append(children, a.ID)
			}
			return err
		}},
		{"merge", func() error {
			_, err := as.MergeAssets(ctx, actor, assets.Merge{IDs: children})
			return err
		}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		patched := overview(t, pool)
		if current, err := svc.Current(ctx); err != nil || !current {
			t.Errorf("%s: Current = %v, %v; want true", st.name, current, err)
		}
		if err := svc.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if rebuilt := overview(t, pool); patched != rebuilt {
			t.Errorf("%s: patched overview (+) differs from the rebuild (-):\n%s", st.name, diff(rebuilt, patched))
		}
	}
}
