package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/attachments"
	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/imports"
	"github.com/onemap/onemap/internal/ledger"
	"github.com/onemap/onemap/tiles"
)

func serveCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	if err := noArgs("serve", args); err != nil {
		return err
	}
	log := m.logger(cfg)
	pool, err := m.open(ctx, cfg)
	if err != nil {
		return err
	}
	_, tileConns := cfg.PoolSizes()
	tilePool, err := db.Open(ctx, tiles.PoolURL(cfg.DatabaseURL), db.MaxConns(tileConns))
	if err != nil {
		return err
	}
	defer tilePool.Close()
	srv, err := newServer(ctx, cfg, log, pool, tilePool)
	if err != nil {
		return err
	}
	defer srv.replicas.Close()
	srv.replicas.run(ctx)
	stale, err := srv.imports.RecoverStale(ctx)
	if err != nil {
		return err
	}
	if len(stale) > 0 {
		log.Warn("imports left running by a stopped server marked failed", "ids", stale)
	}
	go srv.tiles.Watch(ctx, log, tiles.WatchOptions{})
	versions, stopVersions := srv.tiles.Subscribe()
	defer stopVersions()
	go srv.ledger.WatchWarnings(ctx, ledger.WarningWatch{Versions: versions, Log: log})
	if cfg.WebhookURL != "" {
		go srv.ledger.Webhook(cfg.WebhookURL, log).Run(ctx)
	}
	if cfg.MetricsListen != "" {
		stop, err := serveMetrics(ctx, cfg.MetricsListen, srv.metrics, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	app, imp := srv.app, srv.imports
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	log.Info("serving", "addr", ln.Addr().String(), "url", "http://"+displayAddr(ln.Addr()))
	if m.Ready != nil {
		m.Ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	imp.Wait() // running imports roll back and record why
	return nil
}

// server is what serve runs: the HTTP app and the services that outlive one request.
type server struct {
	app     *fiber.App
	imports *imports.Service
	tiles   *tiles.Service
	metrics *api.Metrics
	ledger  *ledger.Service
	// replicas serve reads when ONEMAP_READ_DATABASE_URL names any (replicas.go).
	replicas *replicas
}

// newServer wires every service and the HTTP app over the two pools (tiles have their own).
func newServer(ctx context.Context, cfg config.Config, log *slog.Logger, pool, tilePool *pgxpool.Pool) (*server, error) {
	reads, err := openReplicas(ctx, cfg, log, pool, tilePool)
	if err != nil {
		return nil, err
	}
	as := assets.NewService(pool).WithOverlapTolerance(cfg.OverlapToleranceM2).WithReads(reads.requests)
	trail := audit.NewService(pool)
	s := &server{imports: imports.NewService(pool, as, importLimits(cfg), log), metrics: api.NewMetrics(), ledger: ledger.NewService(pool), replicas: reads}
	if reads.reads != nil {
		s.metrics.WatchReads(reads.reads)
	}
	if s.tiles, err = tiles.New(tilePool, tiles.Options{CacheMB: cfg.TileCacheMB, Reads: reads.tiles}); err != nil {
		reads.Close()
		return nil, err
	}
	s.app = api.New(api.Deps{
		Config:  cfg,
		Pool:    pool,
		Log:     log,
		Metrics: s.metrics,
		Assets:  as,
		Auth:    auth.NewService(pool, auth.WithPolicy(policy(cfg)), auth.WithAudit(trail), auth.WithSessionIdle(cfg.SessionIdle)),
		Audit:   trail,
		Imports: s.imports,
		Exports: exports.NewService(as),
		Ledger:  s.ledger,
		Base:    ctx,
		Mounts:  mounts(reads.requests, s.tiles, as),
		Tiles:   s.tiles,

		Attachments: attachments.NewService(pool), // the files of assets and projects, in the database
	})
	return s, nil
}

func displayAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && (t.IP == nil || t.IP.IsUnspecified()) {
		return fmt.Sprintf("localhost:%d", t.Port)
	}
	return a.String()
}

// serveMetrics serves only /metrics, without a token, on the operator's own address
// (ONEMAP_METRICS_LISTEN); stop closes it.
func serveMetrics(ctx context.Context, addr string, m *api.Metrics, log *slog.Logger) (stop func(), err error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.HTTPHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	log.Info("serving metrics", "addr", ln.Addr().String())
	return func() { _ = srv.Close() }, nil
}
