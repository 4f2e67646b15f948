package ogc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/ogc"
	"github.com/onemap/onemap/tiles"
)

// env is a running server over a fixture database.
type env struct {
	pool *pgxpool.Pool
	base string // http://127.0.0.1:PORT/ogc
	mu   sync.Mutex
	seen []string // request URIs the server received
}

func (e *env) requests() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.seen...)
}

// TestOGC runs every end-to-end test against one fixture database (they only read), served
// twice: with the real tile service wired as the TileSource, and without one.
func TestOGC(t *testing.T) {
	pool := dbtest.New(t)
	loadFixture(t, pool)
	e, plain := serve(t, pool, true, nil), serve(t, pool, false, nil)
	t.Run("LandingConformanceCollections", func(t *testing.T) { testLandingConformanceCollections(t, plain) })
	for _, tt := range []struct {
		name string
		test func(*testing.T, *env)
	}{
		{"ItemsFilters", testItemsFilters},
		{"ItemsRejectBadInput", testItemsRejectBadInput},
		{"LimitIsCappedAndSortAndProperties", testLimitIsCappedAndSortAndProperties},
		{"PagingVisitsEveryFeatureOnce", testPagingVisitsEveryFeatureOnce},
		{"CRS", testCRS},
		{"QueryablesAndAPI", testQueryablesAndAPI},
		{"BoundariesDatetimeAndRouting", testBoundariesDatetimeAndRouting},
		{"GDALListsEveryCollection", testGDALListsEveryCollection},
		{"GDALCopiesWithWhereAndSpat", testGDALCopiesWithWhereAndSpat},
		{"GDALReadsLatLonIn4490", testGDALReadsLatLonIn4490},
		{"GDALReadsATile", testGDALReadsATile},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, e) })
	}
	t.Run("GDALSignsInWithBasicToken", func(t *testing.T) { testGDALSignsInWithBasicToken(t, pool) })
}

// serve runs the real Fiber app on 127.0.0.1:0 over pool; withTiles wires the tile service
// (its land overview built from the fixture) as cmd/onemap does. With an auth service reads
// need a signed-in user (ONEMAP_ANONYMOUS_READ=false); without one anyone may read.
func serve(t *testing.T, pool *pgxpool.Pool, withTiles bool, users *auth.Service) *env {
	t.Helper()
	e := &env{pool: pool}
	var src ogc.TileSource
	if withTiles {
		svc, err := tiles.New(pool, tiles.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		src = tiles.NewOGCSource(svc)
	}
	ctx, cancel := context.WithCancel(context.Background())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	record := func(r fiber.Router) {
		r.Use(func(c *fiber.Ctx) error {
			e.mu.Lock()
			e.seen = append(e.seen, string(c.Request().URI().RequestURI()))
			e.mu.Unlock()
			return c.Next()
		})
	}
	app := api.New(api.Deps{
		Config: config.Config{RequestTimeout: 30 * time.Second, MaxUploadMB: 1, AnonymousRead: users == nil}, Pool: pool, Log: log,
		Metrics: api.NewMetrics(), Base: ctx, Auth: users,
		Mounts: []func(fiber.Router){record, ogc.New(pool, ogc.Options{Tiles: src}).Register},
	})
	e.base = listen(t, ctx, cancel, app)
	return e
}

// listen runs app on 127.0.0.1:0 until the test ends (then cancels ctx) and returns its /ogc URL.
func listen(t *testing.T, ctx context.Context, cancel context.CancelFunc, app *fiber.App) string {
	t.Helper()
	ln, err := new(net.ListenConfig).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() {
		cancel()
		_ = app.ShutdownWithTimeout(5 * time.Second)
	})
	return "http://" + ln.Addr().String() + "/ogc"
}

func square(lon, lat, deg float64) orb.Polygon {
	return orb.Polygon{{{lon, lat}, {lon + deg, lat}, {lon + deg, lat + deg}, {lon, lat + deg}, {lon, lat}}}
}

var (
	stages = []string{"idle", "planned", "in_progress", "done"}
	modes  = []string{"use", "sell", "lease", "finance", "undecided"}
)

// loadFixture writes two counties, one zone and 60 assets of every kind through assets.Service.
func loadFixture(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
		INSERT INTO regions (code, name, geom) VALUES
		  ('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.2, 29.7, 114.4, 29.9, 4490))),
		  ('421281', '赤壁市', ST_Multi(ST_MakeEnvelope(113.8, 29.6, 114.2, 29.9, 4490)));
		INSERT INTO zones (code, name, type, region_code, geom) VALUES
		  ('Z1', '咸宁高新区', 'high_tech_zone', '421202', ST_Multi(ST_MakeEnvelope(114.25, 29.75, 114.3, 29.8, 4490)))`)
	if err != nil {
		t.Fatal(err)
	}
	var list []assets.NewAsset
	for i := range 40 { // land: a 8 × 5 grid over both counties
		lon, lat := 113.91+float64(i%8)*0.06, 29.71+float64(i/8)*0.035
		status := assets.LandStatuses[i%len(assets.LandStatuses)]
		list = append(list, assets.NewAsset{
			Code: fmt.Sprintf("L-%02d", i), Kind: assets.Land, Name: fmt.Sprintf("地块%02d", i),
			Holder: []string{"城投公司", "交投集团"}[i%2], Stage: stages[i%4], Mode: modes[i%5],
			Land:     &assets.LandFacts{Status: &status},
			Geometry: square(lon, lat, 0.001+float64(i%3)*0.001),
		})
	}
	for i := range 6 {
		list = append(list, assets.NewAsset{
			Code: fmt.Sprintf("M-%d", i), Kind: assets.Mine, Name: fmt.Sprintf("矿%d", i), Stage: stages[i%4],
			Facts:    map[string]any{"mineral": []string{"金", "石灰岩"}[i%2], "reserves": 100.0 * float64(i+1)},
			Geometry: square(114.21+float64(i)*0.02, 29.85, 0.002),
		})
	}
	for i := range 4 {
		list = append(list,
			assets.NewAsset{
				Code: fmt.Sprintf("F-%d", i), Kind: assets.Forest, Name: fmt.Sprintf("林场%d", i),
				Facts: map[string]any{"farm_name": "国营林场"}, Geometry: square(113.85+float64(i)*0.05, 29.65, 0.01),
			},
			assets.NewAsset{
				Code: fmt.Sprintf("W-%d", i), Kind: assets.Water, Name: fmt.Sprintf("水库%d", i),
				Facts: map[string]any{"water_type": "reservoir"}, Geometry: square(114.0+float64(i)*0.03, 29.62, 0.01),
			},
			assets.NewAsset{
				Code: fmt.Sprintf("B-%d", i), Kind: assets.Building, Name: fmt.Sprintf("房产%d", i),
				Facts: map[string]any{"floors": float64(i + 2)}, Geometry: orb.Point{114.26 + float64(i)*0.01, 29.76},
			},
		)
	}
	if _, err := assets.NewService(pool).Insert(ctx, "test", "fixture", list); err != nil {
		t.Fatal(err)
	}
}

// count runs a count(*) query on the fixture.
func (e *env) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// get fetches path (relative to /ogc, or an absolute URL) and decodes JSON into a map.
func (e *env) get(t *testing.T, path string, wantStatus int) (map[string]any, http.Header) {
	t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = e.base + path
	}
	status, hdr, body := fetch(t, http.MethodGet, u)
	if status != wantStatus {
		t.Fatalf("GET %s = %d, want %d: %s", path, status, wantStatus, body)
	}
	var m map[string]any
	if len(body) > 0 && strings.Contains(hdr.Get("Content-Type"), "json") {
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("GET %s: %v: %s", path, err, body)
		}
	}
	return m, hdr
}

// fetch sends a method request to the absolute URL u and returns the response's status, headers
// and body (read and closed).
func fetch(t *testing.T, method, u string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, u, err)
	}
	return resp.StatusCode, resp.Header, body
}

func links(doc map[string]any) map[string]string {
	out := map[string]string{}
	for _, l := range doc["links"].([]any) {
		m := l.(map[string]any)
		rel := m["rel"].(string)
		if _, seen := out[rel]; !seen {
			out[rel] = m["href"].(string)
		}
	}
	return out
}
