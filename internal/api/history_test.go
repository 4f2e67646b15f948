package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/tiles"
)

// instant is a moment between two writes, as an RFC 3339 query value.
func instant(t *testing.T) string {
	t.Helper()
	time.Sleep(20 * time.Millisecond) // the writes around it get other timestamps
	at := time.Now().UTC().Format(time.RFC3339Nano)
	time.Sleep(20 * time.Millisecond)
	return url.QueryEscape(at)
}

// tileStages reads the land layer of the tile at zoom z holding lon, lat (query added to its
// URL): each feature's asset id and stage.
func tileStages(t *testing.T, app *fiber.App, z int, lon, lat float64, query string) map[string]string {
	t.Helper()
	id := tiles.TileAt(z, lon, lat)
	resp, body := getTile(t, app, fmt.Sprintf("/tiles/onemap/%d/%d/%d.mvt?%s", id.Z, id.X, id.Y, query))
	out := map[string]string{}
	if resp.StatusCode == http.StatusNoContent {
		return out
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("tile %s?%s: %d %s", id, query, resp.StatusCode, body)
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatalf("decode tile: %v", err)
	}
	for _, l := range layers {
		for _, f := range l.Features {
			if l.Name == "land" && f.Properties["id"] != nil {
				out[fmt.Sprint(f.Properties["id"])] = fmt.Sprint(f.Properties["stage"])
			}
		}
	}
	return out
}

// atState is the part of an asset at a time the tests read.
type atState struct {
	Stage, Mode string
	Center      []float64
	Events      []struct{ Action string }
}

// TestMapAtDate edits parcel A's stage, then moves it, deletes C and creates N: the asset, its
// tiles and the list of changes at each time tell the state of then.
func TestMapAtDate(t *testing.T) {
	app, pool := geomFixture(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	a, c := assetID(t, pool, "A"), assetID(t, pool, "C")
	t0 := instant(t)
	if st := send(t, app, "PATCH", "/api/v1/assets/"+a, tok, `{"version":1,"stage":"done","mode":"sell"}`, nil); st != 200 {
		t.Fatalf("PATCH stage: %d", st)
	}
	t1 := instant(t)
	if st := send(t, app, "PATCH", "/api/v1/assets/"+a, tok, `{"version":2,"geometry":`+polygonJSON(square(114.50, 29.60, 0.002))+`}`, nil); st != 200 {
		t.Fatalf("PATCH geometry: %d", st)
	}
	if st := send(t, app, "DELETE", "/api/v1/assets/"+c, tok, `{"version":1}`, nil); st != 204 {
		t.Fatalf("DELETE: %d", st)
	}
	if _, err := assets.NewService(pool).Insert(context.Background(), "test", "", []assets.NewAsset{
		{Code: "N", Kind: assets.Land, Name: "新地块", Geometry: square(114.303, 29.806, 0.001)},
	}); err != nil {
		t.Fatal(err)
	}
	n := assetID(t, pool, "N")

	t.Run("asset", func(t *testing.T) {
		var s atState
		if st := send(t, app, "GET", "/api/v1/assets/"+a+"?at="+t0, tok, "", &s); st != 200 || s.Stage != "idle" || s.Mode != "undecided" || len(s.Events) != 1 {
			t.Errorf("A at t0: %d %+v, want idle, undecided, 1 event", st, s)
		}
		if st := send(t, app, "GET", "/api/v1/assets/"+a+"?at="+t1, tok, "", &s); st != 200 || s.Stage != "done" || len(s.Center) != 2 || s.Center[0] > 114.31 {
			t.Errorf("A at t1: %d %+v, want done at the old place (lon 114.303)", st, s)
		}
		if st := send(t, app, "GET", "/api/v1/assets/"+a, tok, "", &s); st != 200 || s.Center[0] < 114.49 {
			t.Errorf("A now: %d %+v, want the new place (lon 114.501)", st, s)
		}
		if st := send(t, app, "GET", "/api/v1/assets/"+n+"?at="+t0, tok, "", nil); st != 404 {
			t.Errorf("N, created after t0, at t0: %d, want 404", st)
		}
		if st := send(t, app, "GET", "/api/v1/assets/"+c+"?at="+t1, tok, "", &s); st != 200 || s.Stage != "idle" {
			t.Errorf("C, deleted after t1, at t1: %d %+v, want it", st, s)
		}
		if st := send(t, app, "GET", "/api/v1/assets/"+c, tok, "", nil); st != 404 {
			t.Errorf("C now: %d, want 404", st)
		}
	})

	t.Run("tiles", func(t *testing.T) {
		for _, z := range []int{11, 16} {
			then := tileStages(t, app, z, 114.303, 29.803, "at="+t0)
			if then[a] != "idle" || then[n] != "" {
				t.Errorf("zoom %d at t0 at A's old place: %v, want A idle and no N", z, then)
			}
			if at1 := tileStages(t, app, z, 114.303, 29.803, "at="+t1); at1[a] != "done" {
				t.Errorf("zoom %d at t1: %v, want A done", z, at1)
			}
		}
		if now := tileStages(t, app, 16, 114.303, 29.803, ""); now[a] != "" || now[n] != "idle" {
			t.Errorf("zoom 16 now at A's old place: %v, want N and no A", now)
		}
		if moved := tileStages(t, app, 16, 114.501, 29.601, "at="+t0); moved[a] != "" {
			t.Errorf("zoom 16 at t0 at A's new place: %v, want no A", moved)
		}
		if c0 := tileStages(t, app, 16, 114.401, 29.701, "at="+t1); c0[c] != "idle" {
			t.Errorf("C at t1: %v, want it", c0)
		}
		if resp, body := getTile(t, app, "/tiles/land/16/0/0.mvt?at=yesterday"); resp.StatusCode != 400 || !strings.Contains(string(body), `"at"`) {
			t.Errorf("tile at=yesterday: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("changes", func(t *testing.T) {
		var res struct {
			Total int
			Items []struct {
				ID             int64
				Code, Change   string
				Stage, Mode    *struct{ From, To *string }
				OutlineChanged bool `json:"outline_changed"`
			}
		}
		if st := send(t, app, "GET", "/api/v1/changes?from="+t0+"&to="+chinaToday(), tok, "", &res); st != 200 {
			t.Fatalf("changes: %d", st)
		}
		got := map[string]string{}
		for _, it := range res.Items {
			d := it.Change
			if it.Stage != nil && it.Stage.From != nil && it.Stage.To != nil {
				d += " " + *it.Stage.From + ">" + *it.Stage.To
			}
			if it.OutlineChanged {
				d += " outline"
			}
			got[it.Code] = d
		}
		want := map[string]string{"A": "changed idle>done outline", "C": "retired", "N": "created"}
		if res.Total != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("changes t0..today: %d %v, want %v", res.Total, got, want)
		}
		send(t, app, "GET", "/api/v1/changes?from="+t0+"&to="+chinaToday()+"&region=421221", tok, "", &res)
		if res.Total != 0 {
			t.Errorf("changes in 421221: %+v, want none", res)
		}
		// A city's (or a province's) code takes in its counties, as the asset filters do.
		for _, scope := range []string{"421200", "4212", "42"} {
			send(t, app, "GET", "/api/v1/changes?from="+t0+"&to="+chinaToday()+"&region="+scope, tok, "", &res)
			if res.Total != 3 {
				t.Errorf("changes in %s: %d, want the 3 of county 421202", scope, res.Total)
			}
		}
		send(t, app, "GET", "/api/v1/changes?from="+t0+"&to="+t1, tok, "", &res)
		if res.Total != 1 || res.Items[0].Code != "A" || res.Items[0].OutlineChanged || *res.Items[0].Mode.To != "sell" {
			t.Errorf("changes t0..t1: %+v, want A's stage and mode only", res)
		}
		send(t, app, "GET", "/api/v1/changes?from="+t0+"&to="+t1+"&kind=mine", tok, "", &res)
		if res.Total != 0 {
			t.Errorf("mine changes: %+v, want none", res)
		}
		for format, mime := range map[string]string{"csv": "text/csv", "xlsx": "application/vnd.openxmlformats"} {
			resp, body := getTile(t, app, "/api/v1/changes?from="+t0+"&to="+t1+"&format="+format, "Authorization", "Bearer "+tok)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), mime) {
				t.Errorf("%s: %d %s", format, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if format == "csv" && !strings.Contains(string(body), ",A,甲地块,土地,421202,Z1,") || format == "csv" && !strings.Contains(string(body), ",变更,未盘活,已盘活,未定,售,,") {
				t.Errorf("CSV:\n%s", body)
			}
		}
	})

	t.Run("split", func(t *testing.T) {
		j := assetID(t, pool, "J")
		before := instant(t)
		var out struct{ Children []struct{ ID int64 } }
		line := `{"type":"LineString","coordinates":[[114.701,29.599],[114.701,29.603]]}`
		if st := send(t, app, "POST", "/api/v1/assets/"+j+"/split", tok, `{"version":1,"line":`+line+`}`, &out); st != 201 || len(out.Children) != 2 {
			t.Fatalf("split: %d %+v", st, out)
		}
		kid := jsonNum(out.Children[0].ID)
		if st := send(t, app, "GET", "/api/v1/assets/"+j+"?at="+before, tok, "", nil); st != 200 {
			t.Errorf("J, split after the time, at it: %d, want 200", st)
		}
		if st := send(t, app, "GET", "/api/v1/assets/"+kid+"?at="+before, tok, "", nil); st != 404 {
			t.Errorf("a piece of J at the time before the split: %d, want 404", st)
		}
		if got := tileStages(t, app, 16, 114.7005, 29.601, "at="+before); got[j] == "" || got[kid] != "" {
			t.Errorf("tile before the split: %v, want J and no piece", got)
		}
		var res struct {
			Items []struct{ Code, Change string }
		}
		send(t, app, "GET", "/api/v1/changes?from="+before+"&to="+chinaToday(), tok, "", &res)
		got := map[string]int{}
		for _, it := range res.Items {
			got[it.Change]++
		}
		if got["retired"] != 1 || got["created"] != 2 || len(res.Items) != 3 {
			t.Errorf("changes over the split: %+v, want J retired and 2 pieces created", res.Items)
		}
	})

	t.Run("bad input", func(t *testing.T) {
		for path, param := range map[string]string{
			"/api/v1/assets/" + a + "?at=2026-13-01":                   "at",
			"/api/v1/changes?to=2026-12-01":                            "from",
			"/api/v1/changes?from=2026-12-01":                          "to",
			"/api/v1/changes?from=2026-12-02&to=2026-12-01":            "to",
			"/api/v1/changes?from=x&to=2026-12-01":                     "from",
			"/api/v1/changes?from=2026-11-30&to=2026-12-01&limit=0":    "limit",
			"/api/v1/changes?from=2026-11-30&to=2026-12-01&kind=ship":  "kind",
			"/api/v1/changes?from=2026-11-30&to=2026-12-01&format=pdf": "format",
		} {
			var p struct {
				Status        int
				InvalidParams []struct{ Name string } `json:"invalid_params"`
			}
			if st := send(t, app, "GET", path, tok, "", &p); st != 400 || len(p.InvalidParams) == 0 || p.InvalidParams[0].Name != param {
				t.Errorf("%s: %d %+v, want 400 naming %s", path, st, p, param)
			}
		}
	})
}

// chinaToday is today's date in China, the day a date-only parameter means (its end, in UTC+8).
func chinaToday() string { return time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly) }
