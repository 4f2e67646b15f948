package ledger

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// The watch evaluates after a data version (debounced), after a project event (polled) and after
// a lease write (poked), and each change reaches the subscribers.
func TestWatchEvaluatesOnChanges(t *testing.T) {
	f := newFixture(t)
	counts, stop := f.svc.SubscribeWarnings()
	defer stop()
	versions := make(chan int64, 1)
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	go f.svc.WatchWarnings(ctx, WarningWatch{Versions: versions, Log: slog.New(slog.DiscardHandler),
		Debounce: 50 * time.Millisecond, Poll: 100 * time.Millisecond})
	next := func(what, want string) {
		t.Helper()
		select {
		case b := <-counts:
			if !strings.Contains(string(b), want) {
				t.Errorf("%s: counts %s, want %s", what, b, want)
			}
		case <-time.After(3 * time.Second):
			t.Fatalf("%s: no evaluation within 3 s", what)
		}
	}
	id := f.asset("I-1", "building", map[string]any{"stage": "idle"})
	versions <- 2
	next("data version", `"idle_unassigned":1`)

	p := f.project("P-1", "421202", "other", nil)
	f.exec(`INSERT INTO project_assets (project_id, asset_id) VALUES ($1, $2)`, p, id)
	f.exec(`INSERT INTO project_events (project_id, action, actor) VALUES ($1, 'assets', 'test')`, p)
	next("project event", `"idle_unassigned":0`)

	end := today.AddDate(0, 1, 0).Format(time.DateOnly)
	if _, err := f.svc.AddLease(f.ctx, id, Actor{Name: "a"}, NewLease{Tenant: "乙", StartDate: "2025-01-01", EndDate: end}); err != nil {
		t.Fatal(err)
	}
	next("lease write", `"lease_expiring":1`)
}
