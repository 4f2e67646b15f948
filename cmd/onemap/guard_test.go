package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
)

// access is who may call a route.
type access struct {
	public  bool     // anyone, signed in or not
	metrics bool     // the metrics token or an admin
	roles   []string // these roles (admin always); empty: any reader
}

var (
	public  = access{public: true}
	reader  = access{}
	analyst = access{roles: []string{auth.Analyst}}
	anyUser = access{roles: auth.Roles}
	admin   = access{roles: []string{auth.Admin}}
)

// routeAccess is the expected access of every route the server registers. A route missing here
// fails TestEveryRouteGuarded: whoever adds a route must say who may call it.
var routeAccess = map[string]access{
	"GET /healthz":                                              public,
	"GET /readyz":                                               public,
	"GET /metrics":                                              {metrics: true},
	"GET /*":                                                    public,
	"POST /api/v1/login":                                        public,
	"POST /api/v1/logout":                                       public,
	"GET /api/v1/config":                                        reader,
	"GET /api/v1/events":                                        reader,
	"GET /api/v1/me":                                            anyUser,
	"POST /api/v1/tokens":                                       anyUser,
	"POST /api/v1/assets":                                       analyst,
	"POST /api/v1/assets/topology":                              analyst,
	"PATCH /api/v1/assets/:id":                                  analyst,
	"DELETE /api/v1/assets/:id":                                 analyst,
	"POST /api/v1/assets/:id/restore":                           analyst,
	"GET /api/v1/assets":                                        reader,
	"GET /api/v1/assets/:id":                                    reader,
	"GET /api/v1/assets/:id/buffer":                             reader,
	"GET /api/v1/zones":                                         reader,
	"GET /api/v1/zones/:code/assets":                            reader,
	"GET /api/v1/regions":                                       reader,
	"GET /api/v1/stats":                                         reader,
	"GET /api/v1/density":                                       reader,
	"GET /api/v1/leaderboard":                                   reader,
	"GET /api/v1/progress":                                      reader,
	"GET /api/v1/changes":                                       reader,
	"GET /api/v1/leaderboard/trend":                             reader,
	"GET /api/v1/targets":                                       reader,
	"PUT /api/v1/targets":                                       admin,
	"POST /api/v1/targets/import":                               admin,
	"POST /api/v1/imports":                                      analyst,
	"GET /api/v1/imports":                                       analyst,
	"GET /api/v1/imports/:id":                                   analyst,
	"GET /api/v1/imports/:id/assets":                            analyst,
	"GET /api/v1/bookmarks":                                     anyUser,
	"POST /api/v1/bookmarks":                                    anyUser,
	"DELETE /api/v1/bookmarks/:id":                              anyUser,
	"GET /api/v1/export/columns":                                reader,
	"GET /api/v1/export":                                        {roles: []string{auth.Planner, auth.Analyst}},
	"GET /tiles/:layer/:z/:x/:y.mvt":                            reader,
	"GET /tiles/:layer.json":                                    reader,
	"GET /tiles/onemap.pmtiles":                                 reader,
	"GET /tiles/onemap-offline.zip":                             reader,
	"GET /ogc/":                                                 reader,
	"POST /api/v1/me/password":                                  anyUser,
	"GET /api/v1/users/":                                        admin,
	"POST /api/v1/users/":                                       admin,
	"PATCH /api/v1/users/:id":                                   admin,
	"POST /api/v1/users/:id/password":                           admin,
	"GET /api/v1/users/:id/tokens":                              admin,
	"DELETE /api/v1/users/:id/tokens":                           admin,
	"DELETE /api/v1/users/:id/tokens/:tid":                      admin,
	"GET /api/v1/audit":                                         admin,
	"PUT /api/v1/city":                                          admin,
	"GET /ogc/conformance":                                      reader,
	"GET /ogc/api":                                              reader,
	"GET /ogc/collections":                                      reader,
	"GET /ogc/collections/:collectionId":                        reader,
	"GET /ogc/collections/:collectionId/queryables":             reader,
	"GET /ogc/collections/:collectionId/schema":                 reader,
	"GET /ogc/collections/:collectionId/items":                  reader,
	"GET /ogc/collections/:collectionId/items/:featureId":       reader,
	"GET /ogc/collections/:collectionId/tiles":                  reader,
	"GET /ogc/collections/:collectionId/tiles/:tileMatrixSetId": reader,
	"GET /ogc/collections/:collectionId/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol": reader,
	"GET /api/v1/units":                        reader,
	"POST /api/v1/units":                       admin,
	"PATCH /api/v1/units/:code":                admin,
	"GET /api/v1/projects":                     reader,
	"GET /api/v1/projects/export.xlsx":         anyUser,
	"POST /api/v1/projects/import":             analyst,
	"POST /api/v1/projects":                    analyst,
	"GET /api/v1/projects/:id":                 reader,
	"GET /api/v1/projects/:id/geojson":         reader,
	"PATCH /api/v1/projects/:id":               analyst,
	"DELETE /api/v1/projects/:id":              analyst,
	"POST /api/v1/projects/:id/restore":        analyst,
	"PUT /api/v1/projects/:id/assets":          analyst,
	"GET /ogc/tileMatrixSets":                  reader,
	"GET /ogc/tileMatrixSets/:tileMatrixSetId": reader,

	// OGC API – Features Part 4: writes, as /api/v1/assets's.
	"POST /ogc/collections/:collectionId/items":              analyst,
	"PUT /ogc/collections/:collectionId/items/:featureId":    analyst,
	"PATCH /ogc/collections/:collectionId/items/:featureId":  analyst,
	"DELETE /ogc/collections/:collectionId/items/:featureId": analyst,

	// Monthly reports (issue 11).
	"GET /api/v1/projects/:id/reports":                 anyUser,
	"PUT /api/v1/projects/:id/reports/:month":          {roles: []string{auth.Analyst, auth.Reporter}},
	"POST /api/v1/projects/:id/reports/:month/submit":  {roles: []string{auth.Analyst, auth.Reporter}},
	"POST /api/v1/projects/:id/reports/:month/approve": {roles: []string{auth.Reviewer}},
	"POST /api/v1/projects/:id/reports/:month/return":  {roles: []string{auth.Reviewer}},
	"GET /api/v1/reports":                              anyUser,
	"GET /api/v1/reports/missing":                      anyUser,
	"GET /api/v1/reports/export.xlsx":                  anyUser,

	// Attachments (issue 12): read as the asset or project is, added and deleted by analysts.
	"GET /api/v1/assets/:id/attachments":     reader,
	"POST /api/v1/assets/:id/attachments":    analyst,
	"GET /api/v1/projects/:id/attachments":   reader,
	"POST /api/v1/projects/:id/attachments":  analyst,
	"GET /api/v1/attachments/:aid":           reader,
	"GET /api/v1/attachments/:aid/thumbnail": reader,
	"DELETE /api/v1/attachments/:aid":        analyst,
	// 预警 and lease terms (issue 11)
	"GET /api/v1/warnings":                  reader,
	"GET /api/v1/warnings/geojson":          reader,
	"GET /api/v1/assets/:id/leases":         reader,
	"POST /api/v1/assets/:id/leases":        analyst,
	"DELETE /api/v1/assets/:id/leases/:lid": analyst,
	// Split and merge (issue 12).
	"POST /api/v1/assets/:id/split": analyst,
	"POST /api/v1/assets/merge":     analyst,
	// 核查 field checks (issue 12).
	"GET /api/v1/assets/near":        reader,
	"GET /api/v1/assets/:id/checks":  reader,
	"POST /api/v1/assets/:id/checks": analyst,
	"POST /api/v1/checks":            analyst,
	"GET /api/v1/checks":             reader,
	"GET /api/v1/checks.geojson":     reader,
	"GET /api/v1/checks/export.xlsx": anyUser,
	// 定位: a Gauss-Krüger coordinate to lon/lat (issue 13).
	"GET /api/v1/transform": reader,
	// 专题图: the view as a PDF (issue 13), audited.
	"POST /api/v1/print": anyUser,
}

// caller is one kind of client: a role (with or without a region scope), or nobody.
type caller struct {
	name, role, region string
	token              string
}

// TestEveryRouteGuarded walks every route of the real server (as serve wires it, OGC and tiles
// included) × {anonymous, leader, planner, analyst, region-scoped analyst, admin} × {anonymous
// reads on, off} and checks who gets in: 401 for no user where one is needed, 403 for a role
// that may not, and neither for those who may (their answer is whatever the empty request
// earns: 200, 400, 404 …). HEAD is checked with GET.
func TestEveryRouteGuarded(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	assetID := guardFixture(t, pool)
	callers := []caller{
		{name: "anonymous"}, {name: "leader", role: auth.Leader}, {name: "planner", role: auth.Planner},
		{name: "analyst", role: auth.Analyst}, {name: "scoped analyst", role: auth.Analyst, region: "421202"},
		{name: "admin", role: auth.Admin},
	}
	users := auth.NewService(pool)
	for i, c := range callers {
		if c.role == "" {
			continue
		}
		u := auth.User{Username: "guard-" + strconv.Itoa(i), Role: c.role}
		if c.region != "" {
			u.RegionCode = &c.region
		}
		u, err := users.CreateUser(ctx, auth.Actor{Name: "test"}, u, "Guard-test-2026", false)
		if err != nil {
			t.Fatal(err)
		}
		// Past the first sign-in's forced password change (tested in internal/api).
		if _, err := pool.Exec(ctx, `UPDATE users SET must_change_password = false WHERE id = $1`, u.ID); err != nil {
			t.Fatal(err)
		}
		if callers[i].token, err = users.IssueToken(ctx, u.ID, "guard", time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	for _, anon := range []bool{true, false} {
		cfg := config.Config{RequestTimeout: 20 * time.Second, MaxUploadMB: 1, MaxImportRows: 100, AnonymousRead: anon, MetricsToken: "m-token", SessionIdle: time.Hour, SessionMax: time.Hour}
		srv, err := newServer(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), pool, pool)
		if err != nil {
			t.Fatal(err)
		}
		routes := srv.app.GetRoutes(true)
		checked := 0
		for _, r := range routes {
			if r.Method == fiber.MethodHead || r.Method == fiber.MethodConnect || r.Method == fiber.MethodTrace {
				continue
			}
			key := r.Method + " " + r.Path
			want, ok := routeAccess[key]
			if !ok {
				t.Errorf("route %s has no expected access in routeAccess: say who may call it", key)
				continue
			}
			target := concrete(r.Path, assetID)
			for _, c := range callers {
				if want.public && c.role != "" {
					continue // a public route is for anyone; signed-in callers would be logged out
				}
				status := call(t, srv.app, r.Method, target, c.token)
				if msg := judge(want, anon, c, status); msg != "" {
					t.Errorf("anonymous read %v: %s %s as %s = %d: %s", anon, r.Method, target, c.name, status, msg)
				}
				checked++
			}
		}
		if st := call(t, srv.app, "GET", "/metrics", "m-token"); st != 200 {
			t.Errorf("/metrics with the metrics token = %d, want 200", st)
		}
		t.Logf("anonymous read %v: %d route × caller checks", anon, checked)
	}
	for key := range routeAccess {
		found := false
		for _, r := range srvRoutes(t, pool) {
			found = found || r == key
		}
		if !found {
			t.Errorf("routeAccess names %s, which the server no longer has", key)
		}
	}
}

func srvRoutes(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	srv, err := newServer(context.Background(), config.Config{RequestTimeout: time.Second, SessionIdle: time.Hour, SessionMax: time.Hour}, slog.New(slog.DiscardHandler), pool, pool)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range srv.app.GetRoutes(true) {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// judge says what is wrong with status for caller c on a route of access want ("" if nothing).
func judge(want access, anon bool, c caller, status int) string {
	denied := status == http.StatusUnauthorized || status == http.StatusForbidden
	switch {
	case status >= 500:
		return "a server error"
	case want.public:
		if denied {
			return "a public route refused"
		}
	case want.metrics:
		if c.role == auth.Admin && status != 200 {
			return "want 200 for an admin"
		}
		if c.role == "" && status != http.StatusUnauthorized {
			return "want 401"
		}
		if c.role != "" && c.role != auth.Admin && status != http.StatusForbidden {
			return "want 403"
		}
	case c.role == "":
		if len(want.roles) > 0 || !anon {
			if status != http.StatusUnauthorized {
				return "want 401"
			}
		} else if denied {
			return "anonymous reads are on: want it let in"
		}
	case len(want.roles) == 0 || c.role == auth.Admin || slices.Contains(want.roles, c.role):
		if denied {
			return "this role may call it: want it let in"
		}
	default:
		if status != http.StatusForbidden {
			return "want 403"
		}
	}
	return ""
}

// concrete fills a route pattern's parameters with values that exist in the fixture.
func concrete(pattern string, assetID int64) string {
	id := strconv.FormatInt(assetID, 10)
	// No such user: an admin's call must not revoke the tokens this test signs in with.
	pattern = strings.Replace(pattern, "/users/:id", "/users/999999", 1)
	r := strings.NewReplacer(":tid", "1", ":month", "2026-01", ":collectionId", "land", ":featureId", id, ":id", id, ":code", "Z1",
		":layer", "land", ":tileMatrixSetId", "WebMercatorQuad", ":tileMatrix", "14", ":tileRow", "6765",
		":tileCol", "13398", ":z", "14", ":x", "13398", ":y", "6765", "*", "index.html")
	return r.Replace(pattern)
}

// call sends an empty request with token as a bearer token (none when empty).
func call(t *testing.T, app *fiber.App, method, target, token string) int {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := app.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// guardFixture: two counties, a zone and one land parcel in 421202; returns the parcel's id.
func guardFixture(t *testing.T, pool *pgxpool.Pool) int64 {
	t.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO regions (code, name, geom) VALUES ('421202', '咸安区', ST_Multi(ST_MakeEnvelope(114.0, 29.5, 114.6, 30.0, 4490)))`,
		`INSERT INTO regions (code, name, geom) VALUES ('421221', '嘉鱼县', ST_Multi(ST_MakeEnvelope(113.6, 29.7, 114.0, 30.1, 4490)))`,
		`INSERT INTO zones (code, name, type, region_code, geom) VALUES ('Z1', '测试园区', 'high_tech_zone', '421202', ST_Multi(ST_MakeEnvelope(114.30, 29.80, 114.31, 29.81, 4490)))`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	sq := orb.Polygon{{{114.302, 29.802}, {114.304, 29.802}, {114.304, 29.804}, {114.302, 29.804}, {114.302, 29.802}}}
	if _, err := assets.NewService(pool).Insert(ctx, "test", "fixture", []assets.NewAsset{{Code: "A", Kind: assets.Land, Name: "甲地块", Geometry: sq}}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := pool.QueryRow(ctx, `SELECT id FROM assets WHERE code = 'A'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
