// Package dbtest gives each test a freshly migrated PostGIS database, cloned from a template and
// dropped when the test ends. No database is a test failure, never a skip.
package dbtest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/migrations"
)

var (
	counter atomic.Int64
	// templates holds, by server (host:port), how building the template there went: once per
	// test binary and server (a test may move to a server of its own, see NewStandby).
	templatesMu sync.Mutex
	templates   = map[string]error{}
)

// templateName names the template after the migrations' content, so branches with different
// schemas sharing one server never clone each other's template.
var templateName = func() string {
	h := sha256.New()
	files, _ := fs.Glob(migrations.FS, "*.sql") // a static embed pattern: cannot fail
	for _, f := range files {
		b, _ := fs.ReadFile(migrations.FS, f) // embedded file listed just above: cannot fail
		h.Write([]byte(f))
		h.Write(b)
	}
	return fmt.Sprintf("onemap_tmpl_%x", h.Sum(nil)[:6])
}()

// URL returns the server URL tests use: ONEMAP_TEST_DATABASE_URL, else ONEMAP_DATABASE_URL,
// else the private cluster of scripts/pg.sh.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("ONEMAP_TEST_DATABASE_URL")
	if u == "" {
		u = os.Getenv("ONEMAP_DATABASE_URL")
	}
	if u == "" {
		// The private cluster scripts/pg.sh starts (make db); a test that cannot reach it fails.
		u = "postgres://postgres@127.0.0.1:55432/onemap?sslmode=disable"
	}
	return u
}

// withDB returns base with its database name replaced by name.
func withDB(t testing.TB, base, name string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: parse url: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// New returns a pool on a new database migrated to the latest schema; the database is dropped
// in t.Cleanup.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	base := URL(t)
	if err := template(t, base); err != nil {
		t.Fatalf("dbtest: template: %v", err)
	}
	name := fmt.Sprintf("onemap_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, counter.Add(1))
	admin := withDB(t, base, "postgres")
	// Cloning needs the template free of sessions: take the same lock buildTemplate holds.
	exec(t, ctx, admin, "SELECT pg_advisory_lock(4490)",
		"CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+templateName,
		"SELECT pg_advisory_unlock(4490)")
	pool, err := db.Open(ctx, withDB(t, base, name))
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		exec(t, context.Background(), admin, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	return pool
}

// template builds the template database on base's server, once per test binary and server.
func template(t testing.TB, base string) error {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if err, ok := templates[u.Host]; ok {
		return err
	}
	err = buildTemplate(context.Background(), withDB(t, base, templateName), withDB(t, base, "postgres"))
	templates[u.Host] = err
	return err
}

// NewURL is New for code that opens its own pool (e.g. an end-to-end server): it returns the URL.
func NewURL(t testing.TB) string {
	t.Helper()
	pool := New(t)
	u := pool.Config().ConnString()
	pool.Close()
	return u
}

// exec runs statements in order on one connection to url.
func exec(t testing.TB, ctx context.Context, url string, stmts ...string) {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	for _, sql := range stmts {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("dbtest: %s: %v", sql, err)
		}
	}
}

// buildTemplate (re)creates the template database once per test binary. A cross-process
// advisory lock keeps parallel `go test` packages from racing on it.
func buildTemplate(ctx context.Context, tmplURL, adminURL string) error {
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(4490)"); err != nil {
		return err
	}
	defer func() { _, _ = admin.Exec(ctx, "SELECT pg_advisory_unlock(4490)") }()
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", templateName).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+templateName); err != nil && !strings.Contains(err.Error(), "already exists") {
			return err
		}
	}
	pool, err := db.Open(ctx, tmplURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	return db.Migrate(ctx, pool)
}
