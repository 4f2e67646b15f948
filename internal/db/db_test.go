package db_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onemap/onemap/internal/db"
)

func testURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("ONEMAP_TEST_DATABASE_URL")
	if u == "" {
		t.Fatal("ONEMAP_TEST_DATABASE_URL is not set")
	}
	return u
}

// TestOpenSizesPool: the configured size applies, pool_max_conns in the URL wins, and nothing
// is forced up any more.
func TestOpenSizesPool(t *testing.T) {
	u := testURL(t)
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	for _, tt := range []struct {
		url  string
		opts []db.Option
		want int32
	}{
		{u, []db.Option{db.MaxConns(3)}, 3},
		{u + sep + "pool_max_conns=2", []db.Option{db.MaxConns(7)}, 2},
		{u + sep + "pool_max_conns=1", nil, 1},
	} {
		pool, err := db.Open(context.Background(), tt.url, tt.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := pool.Config().MaxConns; got != tt.want {
			t.Errorf("%s: MaxConns = %d, want %d", tt.url, got, tt.want)
		}
		pool.Close()
	}
}

func TestTooManyClientsIsUnavailable(t *testing.T) {
	if !db.IsUnavailable(&pgconn.PgError{Code: "53300", Message: "sorry, too many clients already"}) {
		t.Error("53300 is not reported as unavailable")
	}
	if db.IsUnavailable(&pgconn.PgError{Code: "22003"}) {
		t.Error("22003 is reported as unavailable")
	}
}

func TestCutConnectionIsUnavailable(t *testing.T) {
	cut := []error{fmt.Errorf("assets: search totals: %w", io.ErrUnexpectedEOF),
		&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	for _, err := range cut {
		if !db.IsUnavailable(err) {
			t.Errorf("%v: not unavailable", err)
		}
	}
	if db.IsUnavailable(errors.New("assets: bad input")) {
		t.Error("a plain error counted as unavailable")
	}
}

func TestUserProblemHidesServerText(t *testing.T) {
	pg := &pgconn.PgError{Code: "22003", Message: "numeric field overflow", ConstraintName: "", ColumnName: ""}
	p := db.UserProblem(pg)
	if p == nil || p.Status != 422 || strings.Contains(p.Error(), "numeric field overflow") {
		t.Errorf("22003 → %v", p)
	}
	fk := db.UserProblem(&pgconn.PgError{Code: "23503", ConstraintName: "assets_region_code_fkey", Detail: "Key (region_code)=(999999) is not present"})
	if fk == nil || fk.Params[0].Name != "region_code" || strings.Contains(fk.Error(), "fkey") {
		t.Errorf("23503 → %+v", fk)
	}
	if db.UserProblem(errors.New("plain")) != nil {
		t.Error("a plain error became a user problem")
	}
}

// logCount counts log records by message.
type logCount struct {
	down, up atomic.Int32
}

func (l *logCount) Enabled(context.Context, slog.Level) bool { return true }
func (l *logCount) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logCount) WithGroup(string) slog.Handler            { return l }
func (l *logCount) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "unavailable") {
		l.down.Add(1)
	} else if strings.Contains(r.Message, "back up") {
		l.up.Add(1)
	}
	return nil
}

// TestMonitorLogsTransitions: many failing requests log one line; recovery logs one more.
func TestMonitorLogsTransitions(t *testing.T) {
	var up atomic.Bool
	ping := func(context.Context) error {
		if up.Load() {
			return nil
		}
		return errors.New("connection refused")
	}
	h := &logCount{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := db.NewMonitor(ctx, slog.New(h), ping, 10*time.Millisecond)
	for range 100 {
		m.Down(errors.New("connection refused"))
	}
	time.Sleep(50 * time.Millisecond)
	up.Store(true)
	// The monitor marks itself up before it logs so: wait for both (under load they are apart).
	for deadline := time.Now().Add(2 * time.Second); (m.IsDown() || h.up.Load() == 0) && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if h.down.Load() != 1 || h.up.Load() != 1 || m.IsDown() {
		t.Errorf("logged %d down and %d up lines (down now: %v), want 1 and 1", h.down.Load(), h.up.Load(), m.IsDown())
	}
}

// A statement the server cancels for its statement_timeout is "busy" (the edge answers 503 with
// Retry-After, not 500), and neither "unavailable" nor a bad query's error is.
func TestStatementTimeoutIsBusy(t *testing.T) {
	ctx := context.Background()
	pool, err := db.Open(ctx, testURL(t), db.MaxConns(1))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SET statement_timeout = '50ms'"); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, "SELECT pg_sleep(2)")
	if !db.IsBusy(err) {
		t.Errorf("pg_sleep past statement_timeout: %v, want busy", err)
	}
	if _, err := conn.Exec(ctx, "RESET statement_timeout"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SELECT 1/0"); db.IsBusy(err) || err == nil {
		t.Errorf("division by zero: %v, want an error that is not busy", err)
	}
}
