package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb/encoding/mvt"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/tiles"
	"github.com/onemap/onemap/tiles/tilestest"
)

// tileApp serves the test city's tiles through the real Fiber application, with a tile cache.
func tileApp(t *testing.T) *fiber.App {
	t.Helper()
	return tileAppLogging(t, slog.New(slog.DiscardHandler))
}

// tileAppLogging is tileApp writing its log to log.
func tileAppLogging(t *testing.T, log *slog.Logger) *fiber.App {
	t.Helper()
	pool := dbtest.New(t)
	tilestest.City(t, pool)
	svc, err := tiles.New(pool, tiles.Options{CacheMB: 8})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return api.New(api.Deps{
		Config:  config.Config{RequestTimeout: 10 * time.Second, MaxUploadMB: 1, AnonymousRead: true, MetricsToken: "metrics-secret"},
		Pool:    pool,
		Log:     log,
		Metrics: api.NewMetrics(),
		Base:    context.Background(),
		Tiles:   svc,
	})
}

// At the default level the access log leaves out tiles answered well (one map view asks for
// dozens; /metrics counts them) but keeps a tile request that failed; at debug it has them all.
func TestAccessLogTiles(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var buf bytes.Buffer
		app := tileAppLogging(t, slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: level})))
		if resp, _ := getTile(t, app, "/tiles/onemap/14/13415/6675.mvt"); resp.StatusCode != 200 && resp.StatusCode != 204 {
			t.Fatalf("tile: %d", resp.StatusCode)
		}
		if resp, _ := getTile(t, app, "/tiles/nowhere/14/13415/6675.mvt"); resp.StatusCode != 400 {
			t.Fatalf("unknown layer: %d", resp.StatusCode)
		}
		good := strings.Contains(buf.String(), "path=/tiles/onemap/14/13415/6675.mvt")
		bad := strings.Contains(buf.String(), "path=/tiles/nowhere/14/13415/6675.mvt")
		if good != (level == slog.LevelDebug) || !bad {
			t.Errorf("level %s: logged the good tile %v (want %v), the failed one %v (want true):\n%s", level, good, level == slog.LevelDebug, bad, buf.String())
		}
	}
}

// getTile sends one GET with headers (name, value pairs) and returns the response and its body.
func getTile(t *testing.T, app *fiber.App, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := app.Test(req, 30_000)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func tilePath(layer string, z int, query string) string {
	id := tiles.TileAt(z, tilestest.Lon, tilestest.Lat)
	return fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt%s", layer, id.Z, id.X, id.Y, query)
}

func TestTileRoutes(t *testing.T) {
	app := tileApp(t)
	path := tilePath("onemap", 15, "")
	resp, body := getTile(t, app, path)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	layers, err := mvt.Unmarshal(body)
	if err != nil || len(layers) == 0 {
		t.Fatalf("decode: %d layers, %v", len(layers), err)
	}
	etag := resp.Header.Get("ETag")
	if etag == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
		t.Errorf("ETag %q, Cache-Control %q", etag, resp.Header.Get("Cache-Control"))
	}

	t.Run("304 on a matching If-None-Match", func(t *testing.T) {
		resp, body := getTile(t, app, path, "If-None-Match", etag)
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("status %d, %d bytes; want 304 and none", resp.StatusCode, len(body))
		}
		if resp, _ := getTile(t, app, path, "If-None-Match", `W/"0000000000000000"`); resp.StatusCode != http.StatusOK {
			t.Errorf("stale ETag: status %d, want 200", resp.StatusCode)
		}
	})
	t.Run("gzip when asked", func(t *testing.T) {
		resp, gz := getTile(t, app, path, "Accept-Encoding", "gzip, br")
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("ETag") != etag {
			t.Fatalf("Content-Encoding %q, ETag %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("ETag"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(plain, body) {
			t.Errorf("gunzipped body differs from the plain one (%v)", err)
		}
	})
	t.Run("204 for an empty tile", func(t *testing.T) {
		paris := tiles.TileAt(14, 2.35, 48.85)
		resp, body := getTile(t, app, fmt.Sprintf("/tiles/land/14/%d/%d.mvt", paris.X, paris.Y))
		if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
			t.Errorf("status %d, %d bytes; want 204", resp.StatusCode, len(body))
		}
	})
	t.Run("filters narrow the tile", func(t *testing.T) {
		_, all := getTile(t, app, tilePath("land", 15, ""))
		_, some := getTile(t, app, tilePath("land", 15, "?stage=idle&mode=finance,use"))
		if len(some) == 0 || len(some) >= len(all) {
			t.Errorf("filtered tile %d bytes, unfiltered %d", len(some), len(all))
		}
	})
	t.Run("metrics time tiles by layer and zoom", func(t *testing.T) {
		_, body := getTile(t, app, "/metrics", "Authorization", "Bearer metrics-secret")
		if want := `onemap_tile_duration_seconds_count{layer="onemap",z="15"}`; !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	})
	t.Run("metrics tell the cache's size and hits", func(t *testing.T) {
		_, body := getTile(t, app, "/metrics", "Authorization", "Bearer metrics-secret")
		for _, re := range []string{`(?m)^onemap_tile_cache_entries [1-9]`, `(?m)^onemap_tile_cache_bytes [1-9]`,
			`(?m)^onemap_tile_cache_limit_bytes 8\.388608e\+06$`, `(?m)^onemap_tile_cache_hits_total [1-9]`,
			`(?m)^onemap_tile_cache_hit_ratio 0\.[1-9]`, `(?m)^onemap_tile_cache_dropped_total 0$`} {
			if !regexp.MustCompile(re).Match(body) {
				t.Errorf("/metrics lacks %s", re)
			}
		}
	})
}

func TestTileBadInput(t *testing.T) {
	app := tileApp(t)
	for _, tc := range []struct{ path, param string }{
		{"/tiles/roads/1/0/0.mvt", "layer"},
		{"/tiles/land/23/0/0.mvt", "z"},
		{"/tiles/land/-1/0/0.mvt", "z"},
		{"/tiles/land/ten/0/0.mvt", "z"},
		{"/tiles/land/2/4/0.mvt", "x"},
		{"/tiles/land/2/1.5/0.mvt", "x"},
		{"/tiles/land/2/0/4.mvt", "y"},
		{"/tiles/land/0/0/0.mvt?stage=sold", "stage"},
		{"/tiles/land/0/0/0.mvt?mode=idle,rent", "mode"},
		{"/tiles/land/0/0/0.mvt?region=4212", "region"},
		{"/tiles/land/0/0/0.mvt?zone=a%20b", "zone"},
		{"/tiles/roads.json", "layer"},
		{"/tiles/land.json?stage=x", "stage"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := getTile(t, app, tc.path)
			var p struct {
				Status int `json:"status"`
				Params []struct {
					Name string `json:"name"`
				} `json:"invalid_params"`
			}
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("body %q: %v", body, err)
			}
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Content-Type") != "application/problem+json" ||
				len(p.Params) != 1 || p.Params[0].Name != tc.param {
				t.Errorf("status %d, %s, body %s; want 400 problem+json naming %s", resp.StatusCode, resp.Header.Get("Content-Type"), body, tc.param)
			}
		})
	}
}

func TestTileJSON(t *testing.T) {
	app := tileApp(t)
	resp, body := getTile(t, app, "/tiles/onemap.json?stage=idle,planned")
	var tj tiles.TileJSON
	if err := json.Unmarshal(body, &tj); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v: %s", resp.StatusCode, err, body)
	}
	if tj.TileJSON != "3.0.0" || len(tj.Tiles) != 1 ||
		!strings.HasSuffix(tj.Tiles[0], fmt.Sprintf("/tiles/onemap/{z}/{x}/{y}.mvt?stage=idle%%2Cplanned&v=%d", tj.DataVersion)) ||
		tj.DataVersion < 1 {
		t.Errorf("tilejson %q, tiles %v", tj.TileJSON, tj.Tiles)
	}
	b := tj.Bounds
	if b[0] > 114.20 || b[1] > 29.80 || b[2] < 114.40 || b[3] < 29.90 || b[2]-b[0] > 0.3 {
		t.Errorf("bounds %v do not fit the city (114.2–114.4°E, 29.8–29.9°N)", b)
	}
	if c := tj.Center; c[0] < b[0] || c[0] > b[2] || c[1] < b[1] || c[1] > b[3] || c[2] < 8 {
		t.Errorf("center %v outside bounds %v or too far out", c, b)
	}
	var ids []string
	for _, vl := range tj.VectorLayers {
		ids = append(ids, vl.ID)
		if vl.Fields["code"] != "String" {
			t.Errorf("layer %s: fields %v lack code", vl.ID, vl.Fields)
		}
	}
	if got := strings.Join(ids, ","); got != "land,mine,forest,water,building,zone,region" {
		t.Errorf("vector_layers %s", got)
	}
}
