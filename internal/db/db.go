// Package db opens OneMap's PostgreSQL pool, runs transactions and applies the embedded migrations.
package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrUnavailable marks a failure to reach the database, which the HTTP edge reports as 503.
var ErrUnavailable = errors.New("db: database unavailable")

// Option adjusts how Open configures a pool.
type Option func(url string, cfg *pgxpool.Config)

// MaxConns caps the pool at n connections (n > 0), unless the URL sets pool_max_conns itself,
// which wins. Without either, pgx's default applies (the larger of 4 and the number of CPUs).
func MaxConns(n int32) Option {
	return func(url string, cfg *pgxpool.Config) {
		if n > 0 && !strings.Contains(url, "pool_max_conns") {
			cfg.MaxConns = n
			cfg.MinConns = min(cfg.MinConns, n)
		}
	}
}

// Open connects a pool to url and checks that the server answers.
func Open(ctx context.Context, url string, opts ...Option) (*pgxpool.Pool, error) {
	pool, err := OpenLazy(ctx, url, opts...)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return pool, nil
}

// OpenLazy is Open without the check: the pool connects when first used (a read replica that
// is down at start is only out of service, see Standby).
func OpenLazy(ctx context.Context, url string, opts ...Option) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: parse url: %w", err)
	}
	for _, o := range opts {
		o(url, cfg)
	}
	cfg.HealthCheckPeriod = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("db: open: %w", err)
	}
	return pool, nil
}

// Tx is a database transaction; packages outside the store layer name it through db so that
// only db and the store files import pgx.
type Tx = pgx.Tx

// Beginner is what InTx needs: a pool, a connection or an outer transaction.
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// InTx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func InTx(ctx context.Context, b Beginner, fn func(pgx.Tx) error) error {
	tx, err := b.Begin(ctx)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// IsBusy tells an error of a database that is reachable but could not answer this time: a
// statement cancelled by statement_timeout (57014), a lock not granted in time (55P03), or a
// transaction chosen to end a deadlock (40P01) or a serialization conflict (40001). The request
// may well succeed when sent again a moment later.
func IsBusy(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code {
	case "57014", "55P03", "40P01", "40001":
		return true
	}
	return false
}

// IsUnavailable tells whether err comes from a lost or refused database connection (as opposed
// to a bad query), which the HTTP edge answers with 503.
func IsUnavailable(err error) bool {
	if errors.Is(err, ErrUnavailable) {
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exceptions; 57P01-03: admin shutdown, crash shutdown, cannot connect
		// now; 53300: too many clients (the cluster is full; retrying later helps).
		switch pgErr.Code {
		case "57P01", "57P02", "57P03", "53300":
			return true
		}
		return pgErr.Code[:2] == "08"
	}
	// A connection cut in the middle of a query (the server or the network went away) ends in
	// an unexpected EOF or a network error rather than a PostgreSQL code. (A bare io.EOF is
	// left out: an empty request body ends in it too.)
	var ne net.Error
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne) && !ne.Timeout() {
		return true
	}
	return pgconn.SafeToRetry(err) || pgconn.Timeout(err) && !errors.Is(err, context.DeadlineExceeded)
}
