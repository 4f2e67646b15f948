package ledger

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// hook is a real local HTTP server that fails its first request (500) and accepts the rest.
type hook struct {
	mu     sync.Mutex
	bodies []map[string]any
	events []string
	at     []time.Time
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.bodies = append(h.bodies, m)
	h.events = append(h.events, r.Header.Get("X-OneMap-Event"))
	h.at = append(h.at, time.Now())
	if len(h.bodies) == 1 {
		http.Error(w, "busy", http.StatusInternalServerError)
	}
}

func (h *hook) hits() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.bodies)
}

func TestWebhookRetriesThenDeliversOnce(t *testing.T) {
	f := newFixture(t)
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	id := f.asset("R-1", "building", nil)
	f.exec(`INSERT INTO asset_leases (asset_id, tenant, start_date, end_date) VALUES ($1, '甲', '2020-01-01', $2)`, id, day(0, 30))
	f.svc.now = time.Now // deliveries are timed against the warning's creation
	f.evaluate()
	wh := f.svc.Webhook(srv.URL, slog.New(slog.DiscardHandler))
	clock := time.Now()
	wh.svc.now = func() time.Time { return clock }
	step := func(want int) {
		t.Helper()
		if n, err := wh.DeliverDue(f.ctx); err != nil || n != want {
			t.Fatalf("DeliverDue = %d, %v; want %d", n, err, want)
		}
	}
	step(0) // the server answers 500
	step(0) // not due again for a second: no request
	if h.hits() != 1 {
		t.Fatalf("%d requests before the retry is due, want 1", h.hits())
	}
	clock = clock.Add(time.Second)
	step(1)
	clock = clock.Add(10 * time.Minute)
	step(0)
	if h.hits() != 2 {
		t.Fatalf("%d requests, want 2 (one failure, one delivery, no repeat)", h.hits())
	}
	got := h.bodies[1]
	if got["kind"] != "lease_expiring" || got["asset_id"] != float64(id) || got["project_id"] != nil ||
		got["region_code"] != "421202" || got["fires_on"] != day(0, 30) || h.events[1] != "warning" {
		t.Errorf("payload %v, event %q", got, h.events[1])
	}
	if title, _ := got["title"].(string); title == "" || got["detail"].(map[string]any)["tenant"] != "甲" || got["id"] == nil {
		t.Errorf("payload %v: want id, title and detail", got)
	}
	var attempts int
	var lastError string
	if err := f.pool.QueryRow(f.ctx, `SELECT attempts, last_error FROM webhook_deliveries WHERE delivered_at IS NOT NULL`).
		Scan(&attempts, &lastError); err != nil || attempts != 2 || lastError != "" {
		t.Errorf("delivery attempts %d, error %q, %v", attempts, lastError, err)
	}
}

func TestWebhookRunBacksOffInRealTime(t *testing.T) {
	f := newFixture(t)
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	f.asset("I-1", "building", map[string]any{"stage": "idle"})
	f.svc.now = time.Now
	f.evaluate()
	wh := f.svc.Webhook(srv.URL, slog.New(slog.DiscardHandler))
	wh.Poll = 50 * time.Millisecond
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	go wh.Run(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for h.hits() < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // room for a wrongful repeat
	if h.hits() != 2 {
		t.Fatalf("%d requests, want 2", h.hits())
	}
	if gap := h.at[1].Sub(h.at[0]); gap < 900*time.Millisecond || gap > 2*time.Second {
		t.Errorf("retried after %s, want about 1 s", gap)
	}
}

func TestWebhookGivesUpAfterADay(t *testing.T) {
	f := newFixture(t)
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	f.asset("I-1", "building", map[string]any{"stage": "idle"})
	f.evaluate()
	f.exec(`UPDATE warnings SET created_at = now() - interval '25 hours'`)
	wh := f.svc.Webhook(srv.URL, slog.New(slog.DiscardHandler))
	wh.svc.now = time.Now
	if n, err := wh.DeliverDue(f.ctx); err != nil || n != 0 || h.hits() != 0 {
		t.Fatalf("DeliverDue = %d, %v with %d requests; want none for a day-old warning", n, err, h.hits())
	}
	var pending int
	if err := f.pool.QueryRow(f.ctx, `SELECT count(*) FROM webhook_deliveries WHERE next_at < 'infinity'`).Scan(&pending); err != nil || pending != 0 {
		t.Errorf("%d deliveries still scheduled, %v", pending, err)
	}
}

func TestRetryAfterDoublesUpToFiveMinutes(t *testing.T) {
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i, w := range want {
		if got := retryAfter(i + 1); got != w {
			t.Errorf("retryAfter(%d) = %s, want %s", i+1, got, w)
		}
	}
	for _, n := range []int{10, 11, 40, 1000} {
		if got := retryAfter(n); got != 5*time.Minute {
			t.Errorf("retryAfter(%d) = %s, want 5m", n, got)
		}
	}
}
