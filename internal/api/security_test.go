package api_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
)

// request sends method path with headers (pairs) and body; it returns the response and its body.
func request(t *testing.T, app *fiber.App, method, path, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := app.Test(req, 60_000)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return res, string(b)
}

// cookieLogin signs name in like the UI does and returns the session cookie ("onemap_token=...").
func cookieLogin(t *testing.T, app *fiber.App, name string, headers ...string) (cookie, token string, res *http.Response) {
	t.Helper()
	res, body := request(t, app, "POST", "/api/v1/login", `{"username":"`+name+`","password":"Sec-test-2026"}`,
		append([]string{"Content-Type", "application/json"}, headers...)...)
	if res.StatusCode != 200 {
		t.Fatalf("login %s: %d %s", name, res.StatusCode, body)
	}
	for _, c := range res.Cookies() {
		if c.Name == "onemap_token" {
			return c.Name + "=" + c.Value, c.Value, res
		}
	}
	t.Fatalf("login %s set no cookie", name)
	return "", "", nil
}

func addUser(t *testing.T, pool *pgxpool.Pool, name, role string) auth.User {
	t.Helper()
	u, err := auth.NewService(pool).CreateUser(context.Background(), auth.Actor{Name: "test"}, auth.User{Username: name, Role: role}, "Sec-test-2026", false)
	if err != nil {
		t.Fatal(err)
	}
	// Past the first sign-in's forced password change (tested in accounts_test.go).
	if _, err := pool.Exec(context.Background(), `UPDATE users SET must_change_password = false WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	return u
}

// TestCSRF: a page on another site that posts (even a text/plain form) with the analyst's cookie
// is refused; the same request from the UI's own origin, or with a bearer token, is not.
func TestCSRF(t *testing.T) {
	app, pool := fixtureWith(t, config.Config{MaxUploadMB: 1, AnonymousRead: true, SessionMax: time.Hour}, nil)
	addUser(t, pool, "csrf-analyst", auth.Analyst)
	cookie, token, _ := cookieLogin(t, app, "csrf-analyst")
	form := `{"type":"Feature","properties":{"code":"X1","kind":"land","overlap_reason":"the same square twice"},"geometry":{"type":"Polygon","coordinates":[[[114.1,29.6],[114.101,29.6],[114.101,29.601],[114.1,29.601],[114.1,29.6]]]}}`
	for _, tt := range []struct {
		name    string
		headers []string
		want    int
	}{
		{"cross-site text/plain form", []string{"Cookie", cookie, "Content-Type", "text/plain", "Origin", "https://evil.example"}, 403},
		{"cross-site by Referer", []string{"Cookie", cookie, "Referer", "https://evil.example/page"}, 403},
		{"cookie without Origin or Referer", []string{"Cookie", cookie}, 403},
		{"null origin", []string{"Cookie", cookie, "Origin", "null"}, 403},
		{"same origin", []string{"Cookie", cookie, "Content-Type", "application/json", "Origin", "http://example.com"}, 201},
		{"bearer from anywhere", []string{"Authorization", "Bearer " + token, "Origin", "https://evil.example"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := request(t, app, "POST", "/api/v1/assets", strings.Replace(form, "X1", "X-"+strings.ReplaceAll(tt.name, " ", "-"), 1), tt.headers...)
			if tt.want == 0 && (res.StatusCode == 403 || res.StatusCode == 401) || tt.want != 0 && res.StatusCode != tt.want {
				t.Errorf("status %d (want %d): %s", res.StatusCode, tt.want, body)
			}
			if tt.want == 403 && !strings.Contains(body, "CSRF") {
				t.Errorf("403 does not say why: %s", body)
			}
		})
	}
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM assets WHERE code LIKE 'X-%'").Scan(&n); err != nil || n != 2 {
		t.Errorf("assets created: %d (%v), want 2 (same origin and bearer)", n, err)
	}
	if res, body := request(t, app, "POST", "/api/v1/login", `{"username":"csrf-analyst","password":"Sec-test-2026"}`,
		"Content-Type", "application/json", "Origin", "https://evil.example"); res.StatusCode != 403 {
		t.Errorf("cross-site sign-in = %d: %s", res.StatusCode, body)
	}
}

// TestSessionLifetime: a sign-in ends after the idle timeout and at its absolute end; a named
// token for GIS tools has no idle timeout; the cookie is Secure only over HTTPS, and
// X-Forwarded-Proto counts only from a trusted proxy.
func TestSessionLifetime(t *testing.T) {
	idle := 30 * time.Minute
	app, pool := fixtureWith(t, config.Config{MaxUploadMB: 1, AnonymousRead: false, SessionMax: 12 * time.Hour}, func(p *pgxpool.Pool) *auth.Service {
		return auth.NewService(p, auth.WithSessionIdle(idle))
	})
	users := auth.NewService(pool)
	u := addUser(t, pool, "sess-planner", auth.Planner)
	ctx := context.Background()
	cookie, token, res := cookieLogin(t, app, "sess-planner", "X-Forwarded-Proto", "https")
	for _, c := range res.Cookies() {
		if c.Name == "onemap_token" && (c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode) {
			t.Errorf("cookie over plain HTTP from an untrusted proxy: Secure %v HttpOnly %v SameSite %v", c.Secure, c.HttpOnly, c.SameSite)
		}
	}
	named, err := users.IssueToken(ctx, u.ID, "QGIS", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	me := func(headers ...string) int {
		res, _ := request(t, app, "GET", "/api/v1/me", "", headers...)
		return res.StatusCode
	}
	if me("Cookie", cookie) != 200 || me("Authorization", "Bearer "+token) != 200 {
		t.Fatal("a fresh session does not work")
	}
	// 31 minutes without a request.
	if _, err := pool.Exec(ctx, `UPDATE tokens SET last_used_at = now() - interval '31 minutes'`); err != nil {
		t.Fatal(err)
	}
	if st := me("Cookie", cookie); st != 401 {
		t.Errorf("idle session by cookie = %d, want 401", st)
	}
	if st := me("Authorization", "Bearer "+token); st != 401 {
		t.Errorf("idle session by bearer = %d, want 401", st)
	}
	if st := me("Authorization", "Bearer "+named); st != 200 {
		t.Errorf("named token after 31 idle minutes = %d, want 200", st)
	}
	// A session in use stays alive until its absolute end.
	cookie, _, _ = cookieLogin(t, app, "sess-planner")
	if _, err := pool.Exec(ctx, `UPDATE tokens SET last_used_at = now(), expires_at = now() - interval '1 second' WHERE kind = 'session'`); err != nil {
		t.Fatal(err)
	}
	if st := me("Cookie", cookie); st != 401 {
		t.Errorf("session past its absolute end = %d, want 401", st)
	}
	// Behind a trusted proxy that says HTTPS, the cookie is Secure.
	proxied, pool2 := fixtureWith(t, config.Config{MaxUploadMB: 1, SessionMax: time.Hour, TrustedProxies: []string{"0.0.0.0"}}, nil)
	addUser(t, pool2, "sess-proxied", auth.Planner)
	_, _, res = cookieLogin(t, proxied, "sess-proxied", "X-Forwarded-Proto", "https")
	secure := false
	for _, c := range res.Cookies() {
		secure = secure || (c.Name == "onemap_token" && c.Secure)
	}
	if !secure {
		t.Error("cookie behind a trusted HTTPS proxy is not Secure")
	}
}

// TestBasicTokenAndChallenge: a token works as the password of HTTP Basic (any user name); every
// 401 names the schemes, Basic only for clients that are not a page's script.
func TestBasicTokenAndChallenge(t *testing.T) {
	app, pool := fixtureWith(t, config.Config{MaxUploadMB: 1, SessionMax: time.Hour}, nil)
	users := auth.NewService(pool)
	u := addUser(t, pool, "basic-leader", auth.Leader)
	tok, err := users.IssueToken(context.Background(), u.ID, "ArcGIS", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	basic := func(user, pass string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}
	if res, body := request(t, app, "GET", "/ogc/collections/land/items?limit=1", "", "Authorization", basic("any name", tok)); res.StatusCode != 200 {
		t.Errorf("Basic with token = %d: %s", res.StatusCode, body)
	}
	for _, tt := range []struct {
		name    string
		headers []string
		basic   bool
	}{
		{"anonymous", nil, true},
		{"wrong Basic password", []string{"Authorization", basic("x", "om_wrong")}, true},
		{"garbled Basic", []string{"Authorization", "Basic %%%"}, true},
		{"unknown scheme", []string{"Authorization", "Digest abc"}, true},
		{"wrong bearer", []string{"Authorization", "Bearer om_wrong"}, true},
		{"the UI's fetch", []string{"Sec-Fetch-Mode", "cors"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := request(t, app, "GET", "/ogc/collections/land/items?limit=1", "", tt.headers...)
			h := res.Header.Get("WWW-Authenticate")
			if res.StatusCode != 401 || !strings.Contains(h, "Bearer") || strings.Contains(h, "Basic") != tt.basic {
				t.Errorf("status %d, WWW-Authenticate %q (want Basic offered: %v): %s", res.StatusCode, h, tt.basic, body)
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
			}
		})
	}
}

// TestCORSAndHeaders: only allowlisted origins may read across sites (preflight answered, GET
// and HEAD only); every answer carries the browser protections.
func TestCORSAndHeaders(t *testing.T) {
	const site = "https://gis.example.gov.cn"
	app, _ := fixtureWith(t, config.Config{MaxUploadMB: 1, AnonymousRead: true, CORSOrigins: []string{site}}, nil)
	closed, _ := fixtureWith(t, config.Config{MaxUploadMB: 1, AnonymousRead: true}, nil)
	preflight := []string{"Origin", site, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"}
	for _, path := range []string{"/ogc/collections/land/items", "/api/v1/assets", "/tiles/onemap.json"} {
		res, _ := request(t, app, "OPTIONS", path, "", preflight...)
		if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Origin") != site ||
			!strings.Contains(strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")), "authorization") ||
			strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("preflight %s: %d %v", path, res.StatusCode, res.Header)
		}
		res, _ = request(t, app, "GET", path, "", "Origin", site)
		if res.Header.Get("Access-Control-Allow-Origin") != site {
			t.Errorf("GET %s from %s: no Access-Control-Allow-Origin", path, site)
		}
		for _, a := range []*fiber.App{app, closed} {
			res, _ = request(t, a, "GET", path, "", "Origin", "https://evil.example")
			if v := res.Header.Get("Access-Control-Allow-Origin"); v != "" {
				t.Errorf("GET %s from another origin: Access-Control-Allow-Origin %q", path, v)
			}
		}
		res, _ = request(t, closed, "GET", path, "", "Origin", site)
		if v := res.Header.Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("no allowlist: GET %s: Access-Control-Allow-Origin %q", path, v)
		}
	}
	for _, path := range []string{"/", "/api/v1/assets", "/nothing/here", "/ogc/collections/nope"} {
		res, _ := request(t, app, "GET", path, "")
		csp := res.Header.Get("Content-Security-Policy")
		script := ""
		for _, d := range strings.Split(csp, ";") {
			if strings.HasPrefix(strings.TrimSpace(d), "script-src") {
				script = d
			}
		}
		if script == "" || strings.Contains(script, "unsafe") || !strings.Contains(csp, "frame-ancestors 'self' "+site) ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Frame-Options") == "" ||
			res.Header.Get("Referrer-Policy") == "" {
			t.Errorf("GET %s (%d) headers: %v", path, res.StatusCode, res.Header)
		}
	}
}

// TestMetricsSurviveOddMethods is the reported repro: each method on a route and on an unknown
// path, then /metrics must still answer (its labels were read from reused request buffers).
func TestMetricsSurviveOddMethods(t *testing.T) {
	app, _ := fixtureWith(t, config.Config{MaxUploadMB: 1, AnonymousRead: true, MetricsToken: "mt"}, nil)
	for round := 0; round < 3; round++ {
		for _, m := range []string{"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS", "PROPFIND", "GETE"} {
			for _, p := range []string{"/api/v1/assets/1", "/x"} {
				request(t, app, m, p, "")
			}
		}
	}
	res, body := request(t, app, "GET", "/metrics", "", "Authorization", "Bearer mt")
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(l, "onemap_http_request_duration_seconds_count") {
			lines = append(lines, l)
		}
	}
	if res.StatusCode != 200 || len(lines) == 0 || strings.Contains(body, `method="GETE"`) || strings.Contains(body, `method="PROPFIND"`) {
		t.Errorf("/metrics = %d:\n%s", res.StatusCode, strings.Join(lines, "\n"))
	}
	if res, _ := request(t, app, "GET", "/metrics", ""); res.StatusCode != 401 {
		t.Errorf("/metrics without the token = %d, want 401", res.StatusCode)
	}
}

// TestLinksFromBaseURL: OGC links come from ONEMAP_BASE_URL, whatever Host or X-Forwarded-Host
// says; without it a forged X-Forwarded-Host from an untrusted client is ignored.
func TestLinksFromBaseURL(t *testing.T) {
	app, _ := fixtureWith(t, config.Config{MaxUploadMB: 1, AnonymousRead: true, BaseURL: "https://onemap.example.gov.cn/"}, nil)
	_, body := request(t, app, "GET", "/ogc/collections?f=json", "", "X-Forwarded-Host", "evil.example", "Host", "evil2.example")
	if !strings.Contains(body, `"https://onemap.example.gov.cn/ogc/collections`) || strings.Contains(body, "evil") {
		t.Errorf("links not from the base URL:\n%.600s", body)
	}
	plain, _ := fixtureWith(t, config.Config{MaxUploadMB: 1, AnonymousRead: true}, nil)
	_, body = request(t, plain, "GET", "/ogc/collections?f=json", "", "X-Forwarded-Host", "evil.example")
	if strings.Contains(body, "evil") {
		t.Errorf("an untrusted X-Forwarded-Host reached the links:\n%.600s", body)
	}
}

// TestCompressedBodyRefused: a gzip request body would be inflated past every size check when
// read, so request bodies are taken uncompressed only (415 naming Content-Encoding).
func TestCompressedBodyRefused(t *testing.T) {
	app, _ := fixtureWith(t, config.Config{MaxUploadMB: 1, AnonymousRead: true}, nil)
	for _, path := range []string{"/api/v1/login", "/api/v1/assets", "/api/v1/imports"} {
		res, body := request(t, app, "POST", path, "\x1f\x8b\x08\x00", "Content-Type", "application/json", "Content-Encoding", "gzip")
		if res.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(body, "Content-Encoding") {
			t.Errorf("POST %s gzip: %d %s", path, res.StatusCode, body)
		}
	}
}
