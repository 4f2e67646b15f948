package main

import (
	"context"
	"fmt"
	"time"

	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/tiles"
)

// tilesCmd runs tile maintenance: `onemap tiles refresh` rebuilds the land overview (a running
// server does so by itself after writes; this is for bulk loads done outside it, and for scripts
// that must know the overview is current).
func tilesCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	if len(args) != 1 || args[0] != "refresh" {
		return fmt.Errorf("usage: onemap tiles refresh")
	}
	pool, err := m.open(ctx, cfg)
	if err != nil {
		return err
	}
	svc, err := tiles.New(pool, tiles.Options{})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := svc.Refresh(ctx); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "land overview rebuilt in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
