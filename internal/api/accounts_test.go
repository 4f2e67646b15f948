package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db/dbtest"
	"github.com/onemap/onemap/internal/exports"
)

// accountsApp is an app on a fresh database whose auth service follows p.
func accountsApp(t *testing.T, p auth.Policy) (*fiber.App, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	as := assets.NewService(pool)
	app := api.New(api.Deps{
		Config: config.Config{RequestTimeout: 10 * time.Second, MaxUploadMB: 1, AnonymousRead: true},
		Pool:   pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: api.NewMetrics(),
		Assets: as, Auth: auth.NewService(pool, auth.WithPolicy(p)), Exports: exports.NewService(as), Base: context.Background(),
	})
	return app, pool
}

// do sends a JSON request and returns the response with its body read into out (when not nil).
// do sends a JSON body as token's bearer (none when empty) with more header pairs, and decodes
// the answer into out (when not nil).
func do(t *testing.T, app *fiber.App, method, path, token, body string, out any, headers ...string) *http.Response {
	t.Helper()
	resp, b := request(t, app, method, path, body, jsonAs(token, headers...)...)
	if out != nil {
		_ = json.Unmarshal([]byte(b), out) // some answers (204) have no body
	}
	return resp
}

// jsonAs is the header pairs of a JSON request sent as token's bearer (none when empty), then more.
func jsonAs(token string, more ...string) []string {
	h := []string{"Content-Type", "application/json"}
	if token != "" {
		h = append(h, "Authorization", "Bearer "+token)
	}
	return append(h, more...)
}

func signIn(t *testing.T, app *fiber.App, user, pw string) (*http.Response, string) {
	t.Helper()
	var out struct{ Token string }
	resp := do(t, app, "POST", "/api/v1/login", "", `{"username":"`+user+`","password":"`+pw+`"}`, &out)
	return resp, out.Token
}

func wantStatus(t *testing.T, what string, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d", what, resp.StatusCode, want)
	}
}

// wantRetryAfter checks a 429 and its Retry-After of 1..max seconds.
func wantRetryAfter(t *testing.T, what string, resp *http.Response, max int) {
	t.Helper()
	wantStatus(t, what, resp, 429)
	n, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || n < 1 || n > max {
		t.Fatalf("%s: Retry-After %q, want 1..%d", what, resp.Header.Get("Retry-After"), max)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("%s: content type %q", what, ct)
	}
}

// actions lists the audit trail's actions, oldest first.
func actions(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT action FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func TestLockout(t *testing.T) {
	app, pool := accountsApp(t, auth.Policy{MaxFailures: 5, Lock: 2 * time.Second, Window: time.Minute, IPMaxFailures: 1000})
	login(t, app, pool, "clerk", auth.Planner, nil)
	for i := range 5 {
		resp, _ := signIn(t, app, "clerk", "Wrong-Pass-9")
		wantStatus(t, "failure "+strconv.Itoa(i+1), resp, 401)
	}
	resp, tok := signIn(t, app, "clerk", userPassword)
	wantRetryAfter(t, "right password while locked", resp, 2)
	if tok != "" {
		t.Fatal("a locked account got a token")
	}
	resp, _ = signIn(t, app, "clerk", "Wrong-Pass-9")
	wantRetryAfter(t, "wrong password while locked", resp, 2)
	time.Sleep(2100 * time.Millisecond)
	resp, tok = signIn(t, app, "clerk", userPassword)
	wantStatus(t, "after the lock", resp, 200)
	if tok == "" {
		t.Fatal("no token after the lock")
	}
	got := actions(t, pool)
	if count(got, audit.LoginLocked) != 1 || count(got, audit.LoginUnlocked) != 1 || count(got, audit.LoginFailed) != 7 {
		t.Fatalf("audit = %v, want one lock, one unlock and 7 failures", got)
	}
	// Failures before the unlock no longer count: one more failure does not lock again.
	resp, _ = signIn(t, app, "clerk", "Wrong-Pass-9")
	wantStatus(t, "failure after unlock", resp, 401)
	resp, _ = signIn(t, app, "clerk", userPassword)
	wantStatus(t, "right password after one failure", resp, 200)
	// Locked again, an admin lifts the lock at once.
	admin := login(t, app, pool, "boss", auth.Admin, nil)
	for range 5 {
		signIn(t, app, "clerk", "Wrong-Pass-9")
	}
	var users struct{ Items []auth.Account }
	do(t, app, "GET", "/api/v1/users", admin, "", &users)
	var clerk auth.Account
	for _, u := range users.Items {
		if u.Username == "clerk" {
			clerk = u
		}
	}
	if clerk.LockedUntil == nil {
		t.Fatalf("clerk = %+v, want locked", clerk)
	}
	wantStatus(t, "admin unlock", do(t, app, "PATCH", "/api/v1/users/"+strconv.FormatInt(clerk.ID, 10), admin, `{"locked":false}`, nil), 200)
	resp, _ = signIn(t, app, "clerk", userPassword)
	wantStatus(t, "after the admin's unlock", resp, 200)
	if got := actions(t, pool); count(got, audit.LoginLocked) != 2 || count(got, audit.LoginUnlocked) != 2 {
		t.Fatalf("audit = %v, want two locks and two unlocks", got)
	}
}

func TestThrottleAddressAcrossAccounts(t *testing.T) {
	app, pool := accountsApp(t, auth.Policy{MaxFailures: 100, Lock: time.Minute, Window: time.Minute, IPMaxFailures: 3})
	login(t, app, pool, "clerk", auth.Planner, nil)
	for _, u := range []string{"alice", "bob", "nobody"} {
		resp, _ := signIn(t, app, u, "Wrong-Pass-9")
		wantStatus(t, "failure as "+u, resp, 401)
	}
	resp, _ := signIn(t, app, "clerk", userPassword)
	wantRetryAfter(t, "any account from the address", resp, 60)
	resp, _ = signIn(t, app, "alice", "Wrong-Pass-9")
	wantRetryAfter(t, "again", resp, 60)
	if got := actions(t, pool); count(got, audit.LoginThrottled) != 1 || count(got, audit.LoginFailed) != 3 {
		t.Fatalf("audit = %v, want three failures and one throttled row for two refusals", got)
	}
}

func TestFirstSignInMustChangePassword(t *testing.T) {
	app, pool := accountsApp(t, auth.DefaultPolicy())
	admin := login(t, app, pool, "boss", auth.Admin, nil)
	var created struct {
		User     auth.User
		Password *string
	}
	resp := do(t, app, "POST", "/api/v1/users", admin, `{"username":"newbie","role":"planner","display_name":"新人"}`, &created)
	wantStatus(t, "create", resp, 201)
	if created.Password == nil || !created.User.MustChangePassword {
		t.Fatalf("created = %+v, want a generated password to change", created)
	}
	var ses struct {
		Token string
		Must  bool `json:"must_change_password"`
	}
	resp = do(t, app, "POST", "/api/v1/login", "", `{"username":"newbie","password":"`+*created.Password+`"}`, &ses)
	if resp.StatusCode != 200 || !ses.Must {
		t.Fatalf("first sign-in: %d %+v", resp.StatusCode, ses)
	}
	var prob struct{ Title, Detail string }
	resp = do(t, app, "GET", "/api/v1/export?format=csv", ses.Token, "", &prob)
	if resp.StatusCode != 403 || !strings.Contains(prob.Detail, "/api/v1/me/password") {
		t.Fatalf("export before the change: %d %+v", resp.StatusCode, prob)
	}
	wantStatus(t, "/me before the change", do(t, app, "GET", "/api/v1/me", ses.Token, "", nil), 200)
	var bad struct {
		Params []struct{ Name string } `json:"invalid_params"`
	}
	for _, body := range []string{
		`{"current":"` + *created.Password + `","new":"short"}`,
		`{"current":"` + *created.Password + `","new":"newbie-Pass-1"}`,
		`{"current":"` + *created.Password + `","new":"` + *created.Password + `"}`,
	} {
		resp = do(t, app, "POST", "/api/v1/me/password", ses.Token, body, &bad)
		if resp.StatusCode != 422 || len(bad.Params) != 1 || bad.Params[0].Name != "new" {
			t.Fatalf("%s: %d %+v, want 422 naming new", body, resp.StatusCode, bad)
		}
	}
	resp = do(t, app, "POST", "/api/v1/me/password", ses.Token, `{"current":"nope","new":"Good-Pass-77"}`, &bad)
	if resp.StatusCode != 422 || bad.Params[0].Name != "current" {
		t.Fatalf("wrong current: %d %+v", resp.StatusCode, bad)
	}
	wantStatus(t, "change", do(t, app, "POST", "/api/v1/me/password", ses.Token, `{"current":"`+*created.Password+`","new":"Good-Pass-77"}`, nil), 204)
	wantStatus(t, "export after the change", do(t, app, "GET", "/api/v1/export?format=csv", ses.Token, "", nil), 200)
	var me auth.User
	do(t, app, "GET", "/api/v1/me", ses.Token, "", &me)
	if me.MustChangePassword {
		t.Fatal("still must change after the change")
	}
}

func TestPasswordExpiry(t *testing.T) {
	p := auth.DefaultPolicy()
	p.PasswordMaxAge = time.Hour
	app, pool := accountsApp(t, p)
	tok := login(t, app, pool, "clerk", auth.Planner, nil)
	if _, err := pool.Exec(context.Background(), `UPDATE users SET password_changed_at = now() - interval '2 hours'`); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "expired session", do(t, app, "GET", "/api/v1/export?format=csv", tok, "", nil), 403)
	var ses struct {
		Must bool `json:"must_change_password"`
	}
	if resp := do(t, app, "POST", "/api/v1/login", "", `{"username":"clerk","password":"`+userPassword+`"}`, &ses); resp.StatusCode != 200 || !ses.Must {
		t.Fatalf("expired sign-in: %d %+v", resp.StatusCode, ses)
	}
}

// TestResetAndDisableEndEverySession: two sessions and a named token end at once.
func TestResetAndDisableEndEverySession(t *testing.T) {
	app, pool := accountsApp(t, auth.DefaultPolicy())
	admin := login(t, app, pool, "boss", auth.Admin, nil)
	first := login(t, app, pool, "clerk", auth.Planner, nil)
	_, second := signIn(t, app, "clerk", userPassword)
	var named struct{ Token string }
	wantStatus(t, "named token", do(t, app, "POST", "/api/v1/tokens", first, `{"name":"QGIS","days":30}`, &named), 201)
	var clerk auth.Account
	if err := pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = 'clerk'`).Scan(&clerk.ID); err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/users/" + strconv.FormatInt(clerk.ID, 10)
	var toks struct{ Items []auth.Token }
	do(t, app, "GET", base+"/tokens", admin, "", &toks)
	if len(toks.Items) != 3 || toks.Items[0].Name != "QGIS" || toks.Items[0].Session || !toks.Items[1].Session {
		t.Fatalf("tokens = %+v, want QGIS and two sessions", toks.Items)
	}
	wantStatus(t, "reset", do(t, app, "POST", base+"/password", admin, `{"password":"Reset-Pass-55"}`, nil), 200)
	for i, tok := range []string{first, second, named.Token} {
		wantStatus(t, "token "+strconv.Itoa(i)+" after reset", do(t, app, "GET", "/api/v1/me", tok, "", nil), 401)
	}
	resp, tok := signIn(t, app, "clerk", "Reset-Pass-55")
	wantStatus(t, "sign-in after reset", resp, 200)
	wantStatus(t, "reset password must be changed", do(t, app, "GET", "/api/v1/export?format=csv", tok, "", nil), 403)
	wantStatus(t, "disable", do(t, app, "PATCH", base, admin, `{"disabled":true}`, nil), 200)
	wantStatus(t, "session after disable", do(t, app, "GET", "/api/v1/me", tok, "", nil), 401)
	resp, _ = signIn(t, app, "clerk", "Reset-Pass-55")
	wantStatus(t, "sign-in while disabled", resp, 401)
	wantStatus(t, "enable", do(t, app, "PATCH", base, admin, `{"disabled":false}`, nil), 200)
	_, tok = signIn(t, app, "clerk", "Reset-Pass-55")
	do(t, app, "GET", base+"/tokens", admin, "", &toks)
	if len(toks.Items) != 1 {
		t.Fatalf("tokens = %+v, want the one new session", toks.Items)
	}
	wantStatus(t, "revoke one", do(t, app, "DELETE", base+"/tokens/"+strconv.FormatInt(toks.Items[0].ID, 10), admin, "", nil), 204)
	wantStatus(t, "revoked session", do(t, app, "GET", "/api/v1/me", tok, "", nil), 401)
	wantStatus(t, "revoke it again", do(t, app, "DELETE", base+"/tokens/"+strconv.FormatInt(toks.Items[0].ID, 10), admin, "", nil), 404)
	got := actions(t, pool)
	for _, a := range []string{audit.UserPassword, audit.UserDisable, audit.UserEnable, audit.TokenIssue, audit.TokenRevoke} {
		if count(got, a) == 0 {
			t.Errorf("audit = %v lacks %s", got, a)
		}
	}
}

func TestOwnPasswordChangeEndsOtherSessions(t *testing.T) {
	app, pool := accountsApp(t, auth.DefaultPolicy())
	first := login(t, app, pool, "clerk", auth.Planner, nil)
	_, second := signIn(t, app, "clerk", userPassword)
	wantStatus(t, "change", do(t, app, "POST", "/api/v1/me/password", second, `{"current":"`+userPassword+`","new":"Other-Pass-3"}`, nil), 204)
	wantStatus(t, "other session", do(t, app, "GET", "/api/v1/me", first, "", nil), 401)
	wantStatus(t, "this session", do(t, app, "GET", "/api/v1/me", second, "", nil), 200)
}

func TestAdminRoutesNeedAdmin(t *testing.T) {
	app, pool := accountsApp(t, auth.DefaultPolicy())
	planner := login(t, app, pool, "clerk", auth.Planner, nil)
	routes := []struct{ method, path, body string }{
		{"GET", "/api/v1/users", ""},
		{"POST", "/api/v1/users", `{"username":"x","role":"leader"}`},
		{"PATCH", "/api/v1/users/1", `{"disabled":true}`},
		{"POST", "/api/v1/users/1/password", `{}`},
		{"GET", "/api/v1/users/1/tokens", ""},
		{"DELETE", "/api/v1/users/1/tokens", ""},
		{"DELETE", "/api/v1/users/1/tokens/1", ""},
		{"GET", "/api/v1/audit", ""},
		{"GET", "/api/v1/audit?format=csv", ""},
	}
	for _, r := range routes {
		wantStatus(t, "anonymous "+r.method+" "+r.path, do(t, app, r.method, r.path, "", r.body, nil), 401)
		wantStatus(t, "planner "+r.method+" "+r.path, do(t, app, r.method, r.path, planner, r.body, nil), 403)
	}
	wantStatus(t, "anonymous /me/password", do(t, app, "POST", "/api/v1/me/password", "", `{}`, nil), 401)
}

func TestUserAdminInput(t *testing.T) {
	app, pool := accountsApp(t, auth.DefaultPolicy())
	admin := login(t, app, pool, "boss", auth.Admin, nil)
	var me auth.User
	do(t, app, "GET", "/api/v1/me", admin, "", &me)
	self := "/api/v1/users/" + strconv.FormatInt(me.ID, 10)
	tests := []struct {
		method, path, body string
		status             int
		param              string
	}{
		{"POST", "/api/v1/users", `{"username":"x","role":"king","password":"Good-Pass-1"}`, 422, "role"},
		{"POST", "/api/v1/users", `{"username":"x","role":"leader","password":"weakpass"}`, 422, "password"},
		{"POST", "/api/v1/users", `{"username":"x","role":"leader","region_code":"999999","password":"Good-Pass-1"}`, 422, "region_code"},
		{"POST", "/api/v1/users", `{"username":"x","role":"leader","colour":"red"}`, 400, "colour"},
		{"POST", "/api/v1/users", `{"username":5}`, 400, "username"},
		{"POST", "/api/v1/users", `{"role":"leader","password":"Good-Pass-1"}`, 422, "username"},
		{"POST", "/api/v1/users", `{"username":"boss","role":"leader","password":"Good-Pass-1"}`, 409, ""},
		{"PATCH", "/api/v1/users/abc", `{"disabled":true}`, 400, "id"},
		{"PATCH", "/api/v1/users/99999", `{"disabled":true}`, 404, ""},
		{"PATCH", self, `{}`, 400, "body"},
		{"PATCH", self, `{"disabled":true}`, 422, "disabled"},
		{"PATCH", self, `{"role":"leader"}`, 422, "role"},
		{"PATCH", self, `{"locked":true}`, 400, "locked"},
		{"POST", self + "/password", `{"password":"short"}`, 422, "password"},
		{"GET", "/api/v1/users/99999/tokens", "", 404, ""},
		{"DELETE", "/api/v1/users/99999/tokens", "", 404, ""},
		{"DELETE", self + "/tokens/x", "", 400, "tid"},
		{"GET", "/api/v1/audit?limit=0", "", 400, "limit"},
		{"GET", "/api/v1/audit?from=yesterday", "", 400, "from"},
		{"GET", "/api/v1/audit?from=2026-02-01&to=2026-01-01", "", 400, "to"},
		{"GET", "/api/v1/audit?format=xml", "", 400, "format"},
	}
	for _, tt := range tests {
		var prob struct {
			Params []struct{ Name string } `json:"invalid_params"`
		}
		resp := do(t, app, tt.method, tt.path, admin, tt.body, &prob)
		if resp.StatusCode != tt.status || (tt.param != "" && (len(prob.Params) == 0 || prob.Params[0].Name != tt.param)) {
			t.Errorf("%s %s %s: %d %+v, want %d naming %q", tt.method, tt.path, tt.body, resp.StatusCode, prob, tt.status, tt.param)
		}
	}
}

func TestAuditAPI(t *testing.T) {
	app, pool := accountsApp(t, auth.DefaultPolicy())
	idle := "idle"
	parcels := []assets.NewAsset{
		{Code: "A", Kind: assets.Land, Name: "甲", Geometry: square(114.30, 29.80, 0.002), Land: &assets.LandFacts{Status: &idle}},
		{Code: "B", Kind: assets.Land, Name: "乙", Geometry: square(114.31, 29.80, 0.002), Land: &assets.LandFacts{Status: &idle}},
	}
	if _, err := assets.NewService(pool).Insert(context.Background(), "test", "fixture", parcels); err != nil {
		t.Fatal(err)
	}
	admin := login(t, app, pool, "boss", auth.Admin, nil)
	planner := login(t, app, pool, "clerk", auth.Planner, nil)
	wantStatus(t, "export", do(t, app, "GET", "/api/v1/export?format=csv&kind=land&stage=idle", planner, "", nil), 200)
	signIn(t, app, "clerk", "Wrong-Pass-9")
	var page audit.Page
	wantStatus(t, "search", do(t, app, "GET", "/api/v1/audit?action=export&actor=clerk", admin, "", &page), 200)
	if page.Total != 1 || page.Items[0].Detail["format"] != "csv" || page.Items[0].Detail["rows"] != float64(2) ||
		!strings.Contains(page.Items[0].Detail["filter"].(string), "stage=idle") {
		t.Fatalf("export audit = %+v", page)
	}
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	do(t, app, "GET", "/api/v1/audit?from="+today+"&to="+today+"&q=wrong+password&limit=5", admin, "", &page)
	if page.Total != 1 || page.Items[0].Action != audit.LoginFailed {
		t.Fatalf("failed sign-in audit = %+v", page)
	}
	req := httptest.NewRequest("GET", "/api/v1/audit?format=csv&action=login.ok", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := app.Test(req, 20_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		strings.Count(string(body), "\n") != 3 || !strings.Contains(string(body), "login.ok") {
		t.Fatalf("csv: %d %q", resp.StatusCode, body)
	}
	do(t, app, "GET", "/api/v1/audit?action=audit.export", admin, "", &page)
	if page.Total != 1 || page.Items[0].Detail["rows"] != float64(2) {
		t.Fatalf("the CSV export itself is audited: %+v", page)
	}
	if rep, err := audit.NewService(pool).Verify(context.Background()); err != nil || !rep.OK() {
		t.Fatalf("verify = %+v, %v", rep, err)
	}
}

// TestImportIsAudited: a finished run and a refused one each leave an import row with the file,
// kind, dry_run and outcome (recorded when the run ends, so the test waits for it).
func TestImportIsAudited(t *testing.T) {
	app, pool := importApp(t)
	tok := login(t, app, pool, "analyst1", auth.Analyst, nil)
	upload(t, app, tok, "ok.geojson", features(2), map[string]string{"kind": "land", "dry_run": "true"}, nil)
	upload(t, app, tok, "big.geojson", features(4), map[string]string{"kind": "land"}, nil)
	svc := audit.NewService(pool)
	var page audit.Page
	for range 50 {
		var err error
		if page, err = svc.Search(context.Background(), audit.Query{Actions: []string{audit.Import}, Limit: 10}); err != nil {
			t.Fatal(err)
		}
		if page.Total == 2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if page.Total != 2 {
		t.Fatalf("import audit = %+v, want 2 rows", page)
	}
	byFile := map[string]map[string]any{}
	for _, r := range page.Items {
		byFile[r.Target] = r.Detail
	}
	if d := byFile["ok.geojson"]; d["outcome"] != "done" || d["dry_run"] != true || d["kind"] != "land" || d["rows_written"] != float64(2) {
		t.Errorf("dry run audit = %v", d)
	}
	if d := byFile["big.geojson"]; d["outcome"] != "failed" || !strings.Contains(d["error"].(string), "rows") {
		t.Errorf("refused run audit = %v", d)
	}
}

func TestLogoutIsAudited(t *testing.T) {
	app, pool := accountsApp(t, auth.DefaultPolicy())
	tok := login(t, app, pool, "clerk", auth.Planner, nil)
	wantStatus(t, "logout", do(t, app, "POST", "/api/v1/logout", tok, "", nil), 204)
	wantStatus(t, "after logout", do(t, app, "GET", "/api/v1/me", tok, "", nil), 401)
	if got := actions(t, pool); count(got, audit.Logout) != 1 || count(got, audit.LoginOK) != 1 || count(got, audit.UserPassword) != 1 {
		t.Fatalf("audit = %v", got)
	}
}
