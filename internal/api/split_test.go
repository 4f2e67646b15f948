package api_test

import (
	"context"

	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/tiles"
)

// splitAsset is what the split and merge answers and GET /assets/{id} tell of an asset.
type splitAsset struct {
	ID        int64
	Code      string
	Name      string
	Mode      string
	Version   int
	AreaM2    float64  `json:"area_m2"`
	BookValue *float64 `json:"book_value"`
	Geometry  struct{ Type string }
	Lineage   struct{ From, To []assets.LineageRef }
}

// splitPost sends a change and answers the status and the answer's OneMap-Data-Version.
func splitPost(t *testing.T, app *fiber.App, path, token, body string, out any) (int, int64) {
	t.Helper()
	res := do(t, app, "POST", path, token, body, out)
	v, _ := strconv.ParseInt(res.Header.Get(api.DataVersionHeader), 10, 64)
	return res.StatusCode, v
}

// splitParam is the first invalid parameter a problem names.
func splitParam(t *testing.T, app *fiber.App, path, token, body string, want int) string {
	t.Helper()
	var p struct {
		Params []struct{ Name string } `json:"invalid_params"`
	}
	if st, _ := splitPost(t, app, path, token, body, &p); st != want {
		t.Fatalf("POST %s %s: %d, want %d", path, body, st, want)
	}
	if len(p.Params) == 0 {
		return ""
	}
	return p.Params[0].Name
}

func splitRead(t *testing.T, app *fiber.App, id int64) (int, splitAsset) {
	t.Helper()
	var a splitAsset
	st := get(t, app, "/api/v1/assets/"+jsonNum(id), &a)
	return st, a
}

func splitID(t *testing.T, pool *pgxpool.Pool, code string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(assetID(t, pool, code), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func splitDataVersion(t *testing.T, pool *pgxpool.Pool) int64 {
	t.Helper()
	var v int64
	if err := pool.QueryRow(context.Background(), `SELECT max(version) FROM data_versions`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// A line across parcel A (x 114.302–114.304) cuts it in two: A-1 west, A-2 east, their areas
// adding up to A's within 0.01 %, its book value shared, A retired, both linked to it.
func TestSplitByLine(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "splitter", auth.Analyst, nil)
	a := splitID(t, pool, "A")
	_, before := splitRead(t, app, a)
	path := "/api/v1/assets/" + jsonNum(a) + "/split"
	line := `{"type":"LineString","coordinates":[[114.3031,29.801],[114.3031,29.805]]}`

	var pre struct {
		Pieces []struct {
			AreaM2 float64 `json:"area_m2"`
		}
	}
	if st, _ := splitPost(t, app, path, tok, `{"version":1,"dry_run":true,"line":`+line+`}`, &pre); st != 200 || len(pre.Pieces) != 2 {
		t.Fatalf("dry run: %d %+v", st, pre)
	}
	if st, _ := splitRead(t, app, a); st != 200 {
		t.Fatalf("a dry run retired A: %d", st)
	}
	v0 := splitDataVersion(t, pool)
	var out struct{ Children []splitAsset }
	st, _ := splitPost(t, app, path, tok, `{"version":1,"note":"部分出让","line":`+line+`}`, &out)
	if v := splitDataVersion(t, pool); st != 201 || len(out.Children) != 2 || v <= v0 {
		t.Fatalf("split: %d %+v, data version %d (was %d)", st, out, v, v0)
	}
	var sum, book float64
	for i, c := range out.Children {
		if c.Code != fmt.Sprintf("A-%d", i+1) || c.Name != "甲地块" || c.Mode != "sell" || c.Geometry.Type != "MultiPolygon" {
			t.Errorf("child %d: %+v", i, c)
		}
		sum += c.AreaM2
		book += *c.BookValue
	}
	if d := math.Abs(sum-before.AreaM2) / before.AreaM2; d > 1e-4 || book != 100 {
		t.Errorf("children: %.3f m² for %.3f m² (%.5f %%), book value %v", sum, before.AreaM2, d*100, book)
	}
	if pre.Pieces[0].AreaM2+pre.Pieces[1].AreaM2 != sum {
		t.Errorf("preview %.3f + %.3f m², split %.3f m²", pre.Pieces[0].AreaM2, pre.Pieces[1].AreaM2, sum)
	}
	if st, _ := splitRead(t, app, a); st != 404 {
		t.Errorf("A after the split: %d, want 404 (retired)", st)
	}
	_, kid := splitRead(t, app, out.Children[0].ID)
	if len(kid.Lineage.From) != 1 || kid.Lineage.From[0].Code != "A" || !kid.Lineage.From[0].Retired || kid.Lineage.From[0].Action != "split" {
		t.Errorf("A-1's lineage: %+v", kid.Lineage)
	}
	checkSplitEvents(t, pool, a, out.Children[0].ID)
}

// checkSplitEvents: the parent's last event is 'split' naming both children, the child's is
// 'create' naming the parent.
func checkSplitEvents(t *testing.T, pool *pgxpool.Pool, parent, child int64) {
	t.Helper()
	ctx := context.Background()
	var action, note string
	var after map[string]any
	if err := pool.QueryRow(ctx, `SELECT action, after, note FROM asset_events WHERE asset_id = $1 ORDER BY id DESC LIMIT 1`, parent).
		Scan(&action, &after, &note); err != nil {
		t.Fatal(err)
	}
	if kids, _ := after["children"].([]any); action != "split" || len(kids) != 2 || note != "部分出让" {
		t.Errorf("parent's event: %s %v %q", action, after["children"], note)
	}
	if err := pool.QueryRow(ctx, `SELECT action, note FROM asset_events WHERE asset_id = $1`, child).Scan(&action, &note); err != nil {
		t.Fatal(err)
	}
	if action != "create" || !strings.HasPrefix(note, "分割自 A") {
		t.Errorf("child's event: %s %q", action, note)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM asset_lineage WHERE parent_id = $1 AND action = 'split'`, parent).Scan(&n); err != nil || n != 2 {
		t.Errorf("lineage rows: %d %v", n, err)
	}
}

// A polygon takes the splitAsset inside it; codes may be given.
func TestSplitByPolygon(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "splitter", auth.Analyst, nil)
	b := splitID(t, pool, "B") // 114.309–114.311 × 29.805–29.807
	_, before := splitRead(t, app, b)
	cut := `{"type":"Polygon","coordinates":[[[114.308,29.804],[114.310,29.804],[114.310,29.808],[114.308,29.808],[114.308,29.804]]]}`
	var out struct{ Children []splitAsset }
	st, _ := splitPost(t, app, "/api/v1/assets/"+jsonNum(b)+"/split", tok, `{"version":1,"codes":["B-W","B-E"],"polygon":`+cut+`}`, &out)
	if st != 201 || len(out.Children) != 2 || out.Children[0].Code != "B-W" || out.Children[1].Code != "B-E" {
		t.Fatalf("split by polygon: %d %+v", st, out)
	}
	sum := out.Children[0].AreaM2 + out.Children[1].AreaM2
	if d := math.Abs(sum-before.AreaM2) / before.AreaM2; d > 1e-4 {
		t.Errorf("pieces %.3f m², parcel %.3f m²", sum, before.AreaM2)
	}
}

// Refusals: a line missing the parcel or grazing it (a splitAsset under 1 m²) names line; a stale
// version is 412; codes of the wrong number 422, a code taken 409.
func TestSplitRefusals(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "splitter", auth.Analyst, nil)
	path := "/api/v1/assets/" + assetID(t, pool, "A") + "/split"
	across := `"line":{"type":"LineString","coordinates":[[114.3031,29.801],[114.3031,29.805]]}`
	for name, body := range map[string]string{
		"missing": `{"version":1,"line":{"type":"LineString","coordinates":[[114.2,29.801],[114.2,29.805]]}}`,
		"into":    `{"version":1,"line":{"type":"LineString","coordinates":[[114.3031,29.801],[114.3031,29.803]]}}`,
		"grazing": `{"version":1,"line":{"type":"LineString","coordinates":[[114.30399999999,29.801],[114.30399999999,29.805]]}}`,
	} {
		if p := splitParam(t, app, path, tok, body, 422); p != "line" {
			t.Errorf("%s: names %q, want line", name, p)
		}
	}
	if p := splitParam(t, app, path, tok, `{"version":1,"line":{"type":"Point","coordinates":[114.3,29.8]}}`, 400); p != "line" {
		t.Errorf("a point as line: names %q", p)
	}
	if st, _ := splitPost(t, app, path, tok, `{"version":7,`+across+`}`, nil); st != 412 {
		t.Errorf("stale version: %d, want 412", st)
	}
	if p := splitParam(t, app, path, tok, `{"version":1,"codes":["X"],`+across+`}`, 422); p != "codes" {
		t.Errorf("one code for two pieces: names %q", p)
	}
	if st, _ := splitPost(t, app, path, tok, `{"version":1,"codes":["B","X"],`+across+`}`, nil); st != 409 {
		t.Errorf("a taken code: %d, want 409", st)
	}
	if st, _ := splitRead(t, app, splitID(t, pool, "A")); st != 200 {
		t.Errorf("A after refused splits: %d", st)
	}
}

// splitAddLand writes one more land parcel.
func splitAddLand(t *testing.T, pool *pgxpool.Pool, code string, g orb.Polygon, book float64) int64 {
	t.Helper()
	if _, err := assets.NewService(pool).Insert(context.Background(), "test", "", []assets.NewAsset{{Code: code, Kind: assets.Land, Name: code, Geometry: g, BookValue: &book}}); err != nil {
		t.Fatal(err)
	}
	return splitID(t, pool, code)
}

// A and E (sharing A's east edge) merge into one parcel with A's code and fields, their book
// values summed and areas kept; both are retired and linked to it.
func TestMerge(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "merger", auth.Analyst, nil)
	a, e := splitID(t, pool, "A"), splitAddLand(t, pool, "E", square(114.304, 29.802, 0.002), 50)
	_, pa := splitRead(t, app, a)
	_, pe := splitRead(t, app, e)
	var m splitAsset
	st, _ := splitPost(t, app, "/api/v1/assets/merge", tok, fmt.Sprintf(`{"ids":[%d,%d],"versions":{"%d":1},"note":"组合供应"}`, a, e, a), &m)
	if st != 201 || m.Code != "A" || m.Name != "甲地块" || m.Mode != "sell" || m.BookValue == nil || *m.BookValue != 150 {
		t.Fatalf("merge: %d %+v", st, m)
	}
	if d := math.Abs(m.AreaM2-pa.AreaM2-pe.AreaM2) / m.AreaM2; d > 1e-4 {
		t.Errorf("merged %.3f m², parts %.3f + %.3f m²", m.AreaM2, pa.AreaM2, pe.AreaM2)
	}
	_, got := splitRead(t, app, m.ID)
	if len(got.Lineage.From) != 2 || got.Lineage.From[0].Action != "merge" || got.Geometry.Type != "MultiPolygon" {
		t.Errorf("merged asset's lineage: %+v", got.Lineage)
	}
	var note string
	if err := pool.QueryRow(context.Background(), `SELECT note FROM asset_events WHERE asset_id = $1`, m.ID).Scan(&note); err != nil || note != "合并自 A、E：组合供应" {
		t.Errorf("merged asset's event note %q %v", note, err)
	}
	for _, id := range []int64{a, e} {
		if st, _ := splitRead(t, app, id); st != 404 {
			t.Errorf("parent %d after the merge: %d", id, st)
		}
	}
}

// Merges refused: disjoint parcels and different kinds name ids (422), a stale version is 412.
func TestMergeRefusals(t *testing.T) {
	app, pool := fixture(t)
	tok := login(t, app, pool, "merger", auth.Analyst, nil)
	a, c, m1 := splitID(t, pool, "A"), splitID(t, pool, "C"), splitID(t, pool, "M1")
	e := splitAddLand(t, pool, "E", square(114.304+0.000000001, 29.802, 0.002), 1) // a hair (0.1 mm) off A: touches
	for name, ids := range map[string][2]int64{"disjoint": {a, c}, "kinds": {a, m1}} {
		if p := splitParam(t, app, "/api/v1/assets/merge", tok, fmt.Sprintf(`{"ids":[%d,%d]}`, ids[0], ids[1]), 422); p != "ids" {
			t.Errorf("%s: names %q, want ids", name, p)
		}
	}
	if st, _ := splitPost(t, app, "/api/v1/assets/merge", tok, fmt.Sprintf(`{"ids":[%d,%d],"versions":{"%d":3}}`, a, e, e), nil); st != 412 {
		t.Errorf("stale version: %d, want 412", st)
	}
	if p := splitParam(t, app, "/api/v1/assets/merge", tok, fmt.Sprintf(`{"ids":[%d]}`, a), 422); p != "ids" {
		t.Errorf("one id: names %q", p)
	}
	if st, _ := splitPost(t, app, "/api/v1/assets/merge", tok, fmt.Sprintf(`{"ids":[%d,%d]}`, a, e), nil); st != 201 {
		t.Errorf("a merge across a 0.1 mm gap: %d, want 201", st)
	}
}

// An analyst confined to a region splits and merges only there: a parcel elsewhere, or a merge
// with one parent across the border, is 403 and changes nothing.
func TestSplitMergeScope(t *testing.T) {
	app, pool := fixture(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO regions (code, name, geom) VALUES ('421221', '嘉鱼县', ST_Multi(ST_MakeEnvelope(114.6, 29.5, 115.0, 30.0, 4490)))`); err != nil {
		t.Fatal(err)
	}
	west := splitAddLand(t, pool, "W", square(114.598, 29.7, 0.002), 1)
	east := splitAddLand(t, pool, "X", square(114.600, 29.7, 0.002), 1)
	here, other := "421202", "421221"
	local := login(t, app, pool, "local", auth.Analyst, &here)
	away := login(t, app, pool, "away", auth.Analyst, &other)
	split := "/api/v1/assets/" + assetID(t, pool, "A") + "/split"
	body := `{"version":1,"line":{"type":"LineString","coordinates":[[114.3031,29.801],[114.3031,29.805]]}}`
	if st, _ := splitPost(t, app, split, away, body, nil); st != 403 {
		t.Errorf("split by an analyst of another region: %d, want 403", st)
	}
	merge := fmt.Sprintf(`{"ids":[%d,%d]}`, west, east)
	for name, tok := range map[string]string{"local": local, "away": away} {
		if st, _ := splitPost(t, app, "/api/v1/assets/merge", tok, merge, nil); st != 403 {
			t.Errorf("merge across the border by %s: %d, want 403", name, st)
		}
	}
	if st, _ := splitPost(t, app, split, local, body, nil); st != 201 {
		t.Errorf("split by the region's analyst: %d, want 201", st)
	}
}

// On the live server a split shows at once in the tiles (the children, not the parent) and in
// the land overview, which the split patches as it commits.
func TestSplitUpdatesTilesAndOverview(t *testing.T) {
	s := newLiveServer(t, true)
	ctx := context.Background()
	id, version, _ := s.parcel(t)
	var code string
	var x, y0, y1 float64
	if err := s.pool.QueryRow(ctx, `SELECT code, ST_X(ST_Centroid(geom)), ST_YMin(geom) - 0.001, ST_YMax(geom) + 0.001 FROM assets WHERE id = $1`, id).
		Scan(&code, &x, &y0, &y1); err != nil {
		t.Fatal(err)
	}
	token := login(t, s.app, s.pool, "live-splitter", auth.Analyst, nil)
	body := fmt.Sprintf(`{"version":%d,"line":{"type":"LineString","coordinates":[[%f,%f],[%f,%f]]}}`, version, x, y0, x, y1)
	res, out := s.do(t, "POST", fmt.Sprintf("/api/v1/assets/%d/split", id), body, "Authorization", "Bearer "+token, "Content-Type", "application/json")
	if res.StatusCode != 201 {
		t.Fatalf("split: %d %s", res.StatusCode, out)
	}
	codes := splitTileCodes(t, s, 16, x, (y0+y1)/2, res.Header.Get(api.DataVersionHeader))
	if codes[code] || !codes[code+"-1"] || !codes[code+"-2"] {
		t.Errorf("tile after the split holds %s: %v, want %s-1 and %s-2", code, codes, code, code)
	}
	splitWaitOverview(t, s.pool)
}

// splitTileCodes are the land codes of the zoom-z tile at lon, lat under data version v.
func splitTileCodes(t *testing.T, s *liveServer, z int, lon, lat float64, v string) map[string]bool {
	t.Helper()
	tile := tiles.TileAt(z, lon, lat)
	res, body := s.do(t, "GET", fmt.Sprintf("/tiles/onemap/%d/%d/%d.mvt?v=%s", tile.Z, tile.X, tile.Y, v), "")
	layers, err := mvt.Unmarshal([]byte(body))
	if res.StatusCode != 200 || err != nil {
		t.Fatalf("tile: %d %v", res.StatusCode, err)
	}
	out := map[string]bool{}
	for _, l := range layers {
		for _, f := range l.Features {
			if c, ok := f.Properties["code"].(string); ok && l.Name == "land" {
				out[c] = true
			}
		}
	}
	return out
}

// splitWaitOverview checks that the overview's coarsest level counts every live parcel.
func splitWaitOverview(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	const q = `SELECT (SELECT coalesce(sum(n), 0) FROM tile_land_groups WHERE g = 5), (SELECT count(*) FROM assets WHERE kind = 'land' AND deleted_at IS NULL)`
	var n, live int64
	if err := pool.QueryRow(context.Background(), q).Scan(&n, &live); err != nil {
		t.Fatal(err)
	}
	if n != live {
		t.Errorf("overview counts %d parcels of %d live", n, live)
	}
}
