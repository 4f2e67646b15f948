package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/ogc"
	"github.com/onemap/onemap/tiles"
	"github.com/onemap/onemap/tiles/tilestest"
)

// liveServer is the app over the tile test city, served for real on 127.0.0.1:0 with the tile
// service watching the database, as `onemap serve` runs it.
type liveServer struct {
	app  *fiber.App
	pool *pgxpool.Pool
	url  string
	// stop ends the server's base context (as a shutdown does).
	stop context.CancelFunc
}

func newLiveServer(t *testing.T, anonymousRead bool) *liveServer {
	t.Helper()
	pool := dbtest.New(t)
	tilestest.City(t, pool)
	svc, err := tiles.New(pool, tiles.Options{CacheMB: 8})
	if err != nil {
		t.Fatal(err)
	}
	base, stop := context.WithCancel(context.Background())
	listening, watched := make(chan struct{}), make(chan struct{})
	go func() {
		svc.Watch(base, slog.New(slog.DiscardHandler), tiles.WatchOptions{Listening: listening})
		close(watched)
	}()
	<-listening
	as := assets.NewService(pool)
	app := api.New(api.Deps{
		Config: config.Config{RequestTimeout: 10 * time.Second, MaxUploadMB: 1, AnonymousRead: anonymousRead},
		Pool:   pool, Log: slog.New(slog.DiscardHandler), Metrics: api.NewMetrics(),
		Assets: as, Auth: auth.NewService(pool), Base: base, Tiles: svc,
		Mounts: []func(fiber.Router){ogc.New(pool, ogc.Options{Assets: as, Editor: api.Editor}).Register},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() {
		stop()
		_ = app.ShutdownWithTimeout(5 * time.Second)
		<-watched
	})
	return &liveServer{app: app, pool: pool, url: "http://" + ln.Addr().String(), stop: stop}
}

// do sends a request (headers as name, value pairs) and returns the answer with its body read.
func (s *liveServer) do(t *testing.T, method, path, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// parcel is a land parcel in the zoom-15 tile of the city's centre: its id, version and a stage it is not in.
func (s *liveServer) parcel(t *testing.T) (id, version int64, other string) {
	t.Helper()
	var stage string
	tile := tiles.TileAt(15, tilestest.Lon, tilestest.Lat)
	err := s.pool.QueryRow(context.Background(), `SELECT id, version, stage FROM assets
		WHERE kind = 'land' AND ST_Intersects(geom_3857, ST_TileEnvelope($1, $2, $3)) ORDER BY id LIMIT 1`,
		tile.Z, tile.X, tile.Y).Scan(&id, &version, &stage)
	if err != nil {
		t.Fatal(err)
	}
	other = "done"
	if stage == "done" {
		other = "planned"
	}
	return id, version, other
}

func liveTile(v string) string {
	id := tiles.TileAt(15, tilestest.Lon, tilestest.Lat)
	p := fmt.Sprintf("/tiles/onemap/%d/%d/%d.mvt", id.Z, id.X, id.Y)
	if v != "" {
		p += "?v=" + v
	}
	return p
}

// A versioned tile URL is immutable; an edit answers the new version, after which the old URL
// gets the new data marked no-cache and the new URL is immutable again.
func TestVersionedTiles(t *testing.T) {
	s := newLiveServer(t, true)
	res, body := s.do(t, "GET", "/tiles/onemap.json", "")
	var tj tiles.TileJSON
	if err := json.Unmarshal([]byte(body), &tj); err != nil || res.StatusCode != 200 {
		t.Fatalf("TileJSON %d %v", res.StatusCode, err)
	}
	v0 := strconv.FormatInt(tj.DataVersion, 10)
	if !strings.HasSuffix(tj.Tiles[0], "?v="+v0) || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("TileJSON tiles %v, Cache-Control %q; want ?v=%s, no-cache", tj.Tiles, res.Header.Get("Cache-Control"), v0)
	}
	res, _ = s.do(t, "GET", liveTile(v0), "")
	etag0 := res.Header.Get("ETag")
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || etag0 == "" {
		t.Fatalf("versioned tile: %d, Cache-Control %q, ETag %q", res.StatusCode, res.Header.Get("Cache-Control"), etag0)
	}
	if res, _ = s.do(t, "GET", liveTile(v0), "", "If-None-Match", etag0); res.StatusCode != 304 {
		t.Errorf("revalidation by ETag: %d, want 304", res.StatusCode)
	}
	if res, _ = s.do(t, "GET", liveTile(""), ""); res.Header.Get("Cache-Control") != "public, max-age=60, s-maxage=0" {
		t.Errorf("unversioned tile: Cache-Control %q, want public, max-age=60, s-maxage=0", res.Header.Get("Cache-Control"))
	}

	token := login(t, s.app, s.pool, "live-analyst", auth.Analyst, nil)
	id, version, stage := s.parcel(t)
	res, body = s.do(t, "PATCH", fmt.Sprintf("/api/v1/assets/%d", id), fmt.Sprintf(`{"version":%d,"stage":%q}`, version, stage),
		"Authorization", "Bearer "+token, "Content-Type", "application/json")
	v1 := res.Header.Get(api.DataVersionHeader)
	if n, err := strconv.ParseInt(v1, 10, 64); res.StatusCode != 200 || err != nil || n <= tj.DataVersion {
		t.Fatalf("PATCH: %d %s, %s %q (was %s)", res.StatusCode, body, api.DataVersionHeader, v1, v0)
	}
	res, _ = s.do(t, "GET", liveTile(v0), "")
	if res.Header.Get("Cache-Control") != "no-cache" || res.Header.Get("ETag") == etag0 {
		t.Errorf("tile under the old version: Cache-Control %q, ETag %q (before the edit %q); want no-cache and the new data",
			res.Header.Get("Cache-Control"), res.Header.Get("ETag"), etag0)
	}
	res, _ = s.do(t, "GET", liveTile(v1), "")
	if res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || res.Header.Get("ETag") == etag0 {
		t.Errorf("tile under the new version: Cache-Control %q, ETag %q", res.Header.Get("Cache-Control"), res.Header.Get("ETag"))
	}
	if res, _ = s.do(t, "GET", liveTile("banana"), ""); res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("tile under a malformed version: Cache-Control %q, want no-cache", res.Header.Get("Cache-Control"))
	}

	// An OGC API Part 4 write answers the version after it as /api/v1's writes do.
	_, _, stage = s.parcel(t)
	res, body = s.do(t, "PATCH", fmt.Sprintf("/ogc/collections/land/items/%d", id), fmt.Sprintf(`{"properties":{"stage":%q}}`, stage),
		"Authorization", "Bearer "+token, "Content-Type", "application/merge-patch+json")
	v2 := res.Header.Get(api.DataVersionHeader)
	n1, err1 := strconv.ParseInt(v1, 10, 64)
	if n2, err := strconv.ParseInt(v2, 10, 64); res.StatusCode != 200 || err != nil || err1 != nil || n2 <= n1 {
		t.Errorf("OGC PATCH: %d %s, %s %q (after the first edit %s)", res.StatusCode, body, api.DataVersionHeader, v2, v1)
	}
}

// When reads need a sign-in, versioned tiles are private (no shared cache keeps them) and the
// event stream needs a sign-in too.
func TestVersionedTilesPrivate(t *testing.T) {
	s := newLiveServer(t, false)
	if res, _ := s.do(t, "GET", liveTile("1"), ""); res.StatusCode != 401 {
		t.Errorf("anonymous tile: %d, want 401", res.StatusCode)
	}
	if res, _ := s.do(t, "GET", "/api/v1/events", "", "Accept", "text/event-stream"); res.StatusCode != 401 {
		t.Errorf("anonymous event stream: %d, want 401", res.StatusCode)
	}
	token := login(t, s.app, s.pool, "live-leader", auth.Leader, nil)
	_, body := s.do(t, "GET", "/api/v1/config", "", "Authorization", "Bearer "+token)
	var cfg struct {
		DataVersion int64 `json:"data_version"`
	}
	if err := json.Unmarshal([]byte(body), &cfg); err != nil || cfg.DataVersion < 1 {
		t.Fatalf("config %s: %v", body, err)
	}
	res, _ := s.do(t, "GET", liveTile(strconv.FormatInt(cfg.DataVersion, 10)), "", "Authorization", "Bearer "+token)
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "private, max-age=31536000, immutable" {
		t.Errorf("signed-in versioned tile: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
}

// sseEvent reads the next event of a stream (comments skipped): its type and data.
func sseEvent(t *testing.T, r *bufio.Reader) (typ, data string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "" && typ != "":
			return typ, data
		case strings.HasPrefix(line, "event: "):
			typ = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			data = line[len("data: "):]
		}
	}
}

// The event stream tells the current version at once and each committed write's version as it
// commits; it ends when the server shuts down. A client not asking for a stream gets the version.
func TestEventsStream(t *testing.T) {
	s := newLiveServer(t, true)
	req, err := http.NewRequest("GET", s.url+"/api/v1/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") || res.Header.Get("Content-Encoding") != "" {
		t.Fatalf("events: %d, %s, encoding %q", res.StatusCode, ct, res.Header.Get("Content-Encoding"))
	}
	r := bufio.NewReader(res.Body)
	var first, next struct{ Version int64 }
	typ, data := sseEvent(t, r)
	if typ != "version" || json.Unmarshal([]byte(data), &first) != nil || first.Version < 1 {
		t.Fatalf("first event %q %q", typ, data)
	}
	start := time.Now()
	if _, err := s.pool.Exec(context.Background(), "UPDATE assets SET stage = 'done' WHERE kind = 'mine'"); err != nil {
		t.Fatal(err)
	}
	wrote := time.Since(start)
	typ, data = sseEvent(t, r)
	took := time.Since(start)
	if typ != "version" || json.Unmarshal([]byte(data), &next) != nil || next.Version <= first.Version || took > time.Second {
		t.Fatalf("after a write: %q %q after %v; want a version above %d within a second", typ, data, took, first.Version)
	}
	t.Logf("a committed write (%v) reached the stream in %v", wrote.Round(time.Millisecond), took.Round(time.Millisecond))

	_, body := s.do(t, "GET", "/api/v1/events", "")
	var polled struct{ Version int64 }
	if json.Unmarshal([]byte(body), &polled) != nil || polled.Version < next.Version {
		t.Errorf("poll: %s, want version ≥ %d", body, next.Version)
	}

	s.stop()
	ended := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, r); ended <- err }()
	select {
	case <-ended:
	case <-time.After(3 * time.Second):
		t.Error("the stream did not end when the server stopped")
	}
}
