package api_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/ledger"
	"github.com/onemap/onemap/tiles"
)

// ledgerApp is the fixture city's app with the ledger and tiles wired (all five assets idle).
func ledgerApp(t *testing.T) (*fiber.App, *pgxpool.Pool, *ledger.Service) {
	t.Helper()
	_, pool := fixture(t)
	if _, err := pool.Exec(context.Background(), `INSERT INTO regions (code, name, geom)
		VALUES ('421281', '赤壁市', ST_Multi(ST_MakeEnvelope(113.5, 29.5, 113.9, 29.9, 4490)))`); err != nil {
		t.Fatal(err)
	}
	ts, err := tiles.New(pool, tiles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := ledger.NewService(pool)
	app := api.New(api.Deps{
		Config: config.Config{RequestTimeout: 10 * time.Second, MaxUploadMB: 1, AnonymousRead: true},
		Pool:   pool, Log: slog.New(slog.DiscardHandler), Metrics: api.NewMetrics(),
		Assets: assets.NewService(pool), Auth: auth.NewService(pool), Base: context.Background(), Ledger: svc, Tiles: ts,
	})
	return app, pool, svc
}

type warningList struct {
	Warnings []struct {
		Kind    string
		Title   string
		AssetID int64 `json:"asset_id"`
	}
	Total  int
	Counts map[string]int
}

func TestWarningsAndLeasesOverHTTP(t *testing.T) {
	app, pool, svc := ledgerApp(t)
	xianan, chibi := "421202", "421281"
	analyst := login(t, app, pool, "analyst1", auth.Analyst, &xianan)
	other := login(t, app, pool, "analyst2", auth.Analyst, &chibi)
	planner := login(t, app, pool, "planner1", auth.Planner, nil)
	leases := "/api/v1/assets/" + assetID(t, pool, "A") + "/leases"
	end := time.Now().AddDate(0, 0, 20).Format(time.DateOnly)
	lease := `{"tenant":"咸宁某公司","start_date":"2024-01-01","end_date":"` + end + `","annual_rent":12.5}`
	for _, c := range []struct {
		token, body string
		status      int
		param       string
	}{
		{analyst, `{"tenant":"甲","start_date":"2024-01-01","end_date":"2025-01-01","annual_rent":"x"}`, 400, "annual_rent"},
		{analyst, `{"tenant":"甲","start_date":"2024-01-01","end_date":"2023-01-01"}`, 422, "end_date"},
		{analyst, `{"tenant":"","start_date":"2024-01-01","end_date":"2025-01-01"}`, 422, "tenant"},
		{analyst, `[1]`, 400, "body"},
		{other, lease, 403, ""},
		{planner, lease, 403, ""},
		{"", lease, 401, ""},
	} {
		var p struct {
			Params []struct{ Name string } `json:"invalid_params"`
		}
		st := send(t, app, "POST", leases, c.token, c.body, &p)
		if st != c.status || (c.param != "" && (len(p.Params) != 1 || p.Params[0].Name != c.param)) {
			t.Errorf("POST %s: %d %+v, want %d naming %q", c.body, st, p, c.status, c.param)
		}
	}
	var made struct{ ID int64 }
	if st := send(t, app, "POST", leases, analyst, lease, &made); st != 201 || made.ID == 0 {
		t.Fatalf("POST lease: %d %+v", st, made)
	}
	target := "lease:" + jsonNum(made.ID)
	wantLeaseAudit(t, audited(t, pool, "lease.add", target), "analyst1")
	var got struct{ Leases []struct{ Tenant string } }
	if st := send(t, app, "GET", leases, "", "", &got); st != 200 || len(got.Leases) != 1 {
		t.Errorf("GET leases: %d %+v", st, got)
	}
	if _, err := svc.EvaluateWarnings(context.Background()); err != nil {
		t.Fatal(err)
	}
	var all, scoped warningList
	if st := send(t, app, "GET", "/api/v1/warnings", planner, "", &all); st != 200 || all.Total != 6 ||
		all.Counts["lease_expiring"] != 1 || all.Counts["idle_unassigned"] != 5 || len(all.Warnings) != 6 {
		t.Errorf("warnings: %d %+v, want 5 idle and 1 lease", st, all)
	}
	if st := send(t, app, "GET", "/api/v1/warnings?kind=lease_expiring&limit=1", other, "", &scoped); st != 200 || scoped.Total != 0 {
		t.Errorf("warnings of another region: %d %+v, want none", st, scoped)
	}
	var fc struct {
		Features []struct{ Properties struct{ Kind string } }
	}
	if st := send(t, app, "GET", "/api/v1/warnings/geojson?kind=lease_expiring", "", "", &fc); st != 200 || len(fc.Features) != 1 {
		t.Errorf("geojson: %d %+v", st, fc)
	}
	for _, q := range []string{"kind=soon", "within=91", "within=x", "limit=0", "offset=-1"} {
		if st := send(t, app, "GET", "/api/v1/warnings?"+q, "", "", nil); st != 400 {
			t.Errorf("warnings?%s: %d, want 400", q, st)
		}
	}
	if st := send(t, app, "DELETE", leases+"/"+jsonNum(made.ID), other, "", nil); st != 403 {
		t.Errorf("DELETE by another region: %d, want 403", st)
	}
	if st := send(t, app, "DELETE", leases+"/"+jsonNum(made.ID), analyst, "", nil); st != 204 {
		t.Errorf("DELETE: %d, want 204", st)
	}
	if st := send(t, app, "DELETE", leases+"/"+jsonNum(made.ID), analyst, "", nil); st != 404 {
		t.Errorf("DELETE again: %d, want 404", st)
	}
	wantLeaseAudit(t, audited(t, pool, "lease.delete", target), "analyst1") // once: refusals leave no row
}

// wantLeaseAudit wants one audit row of a lease change, by actor, holding the lease term.
func wantLeaseAudit(t *testing.T, rows []auditRow, actor string) {
	t.Helper()
	if len(rows) != 1 {
		t.Fatalf("%d audit rows of the lease change, want 1", len(rows))
	}
	l, _ := rows[0].Detail["lease"].(map[string]any)
	if rows[0].Actor != actor || l["tenant"] != "咸宁某公司" || l["annual_rent"] != 12.5 || rows[0].Detail["asset_id"] == nil {
		t.Errorf("lease change audited as %+v, want by %s with the term", rows[0], actor)
	}
}

// The event stream carries "warnings" with the open counts when an evaluation changes them.
func TestEventsStreamWarnings(t *testing.T) {
	app, _, svc := ledgerApp(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	defer func() { _ = app.ShutdownWithTimeout(time.Second) }()
	req, err := http.NewRequest("GET", "http://"+ln.Addr().String()+"/api/v1/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := bufio.NewReader(res.Body)
	if typ, _ := sseEvent(t, r); typ != "version" {
		t.Fatalf("first event %q", typ)
	}
	if _, err := svc.EvaluateWarnings(context.Background()); err != nil {
		t.Fatal(err)
	}
	typ, data := sseEvent(t, r)
	if typ != "warnings" || !strings.Contains(data, `"idle_unassigned":5`) {
		t.Errorf("after an evaluation: %q %q", typ, data)
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
}
