package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/imports"
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
	as := assets.NewService(pool)
	imp := imports.NewService(pool, as, importLimits(cfg), log)
	stale, err := imp.RecoverStale(ctx)
	if err != nil {
		return err
	}
	if len(stale) > 0 {
		log.Warn("imports left running by a stopped server marked failed", "ids", stale)
	}
	_, tileConns := cfg.PoolSizes()
	tilePool, err := db.Open(ctx, tiles.PoolURL(cfg.DatabaseURL), db.MaxConns(tileConns))
	if err != nil {
		return err
	}
	defer tilePool.Close()
	tileSvc, err := tiles.New(tilePool, tiles.Options{CacheMB: cfg.TileCacheMB})
	if err != nil {
		return err
	}
	go tileSvc.Watch(ctx, log, tiles.WatchOptions{})
	app := api.New(api.Deps{
		Config:  cfg,
		Pool:    pool,
		Log:     log,
		Metrics: api.NewMetrics(),
		Assets:  as,
		Auth:    auth.NewService(pool),
		Imports: imp,
		Exports: exports.NewService(as),
		Base:    ctx,
		Mounts:  mounts(pool, tileSvc),
		Tiles:   tileSvc,
	})
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

func displayAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && (t.IP == nil || t.IP.IsUnspecified()) {
		return fmt.Sprintf("localhost:%d", t.Port)
	}
	return a.String()
}
