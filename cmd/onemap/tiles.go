package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/tiles"
)

const tilesUsage = `usage: onemap tiles [flags] refresh|status|export
  refresh  rebuild the land overview (a running server does so by itself after writes)
  status   print "current" when the overview matches the parcels, else "stale"
  export   --format pmtiles [--region CODE | --bbox minlon,minlat,maxlon,maxlat]
           [--minzoom 0 --maxzoom 16] -o city.pmtiles [--kit DIR]: the one map as an offline
           package; --kit also writes DIR/onemap-offline, a viewer that opens it with no server`

// tilesCmd runs tile maintenance, for bulk loads done outside a running server and for scripts
// that must know the land overview is current.
func tilesCmd(ctx context.Context, m *Main, cfg config.Config, args []string) error {
	if len(args) == 0 || (args[0] != "export" && len(args) != 1) ||
		(args[0] != "refresh" && args[0] != "status" && args[0] != "export") {
		return errors.New(tilesUsage)
	}
	pool, err := m.open(ctx, cfg)
	if err != nil {
		return err
	}
	svc, err := tiles.New(pool, tiles.Options{})
	if err != nil {
		return err
	}
	if args[0] == "export" {
		return tilesExport(ctx, m, svc, assets.NewService(pool), args[1:])
	}
	if args[0] == "status" {
		current, err := svc.Current(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, map[bool]string{true: "current", false: "stale"}[current])
		return nil
	}
	start := time.Now()
	if err := svc.Refresh(ctx); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "land overview rebuilt in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}
