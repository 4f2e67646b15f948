package main

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/ogc"
	"github.com/onemap/onemap/tiles"
)

// mounts wires the route groups owned by each HTTP package.
func mounts(pool *pgxpool.Pool, tileSvc *tiles.Service) []func(fiber.Router) {
	return []func(fiber.Router){
		// OGC API – Features and Tiles under /ogc, the tiles drawn by the same tile service.
		ogc.New(pool, ogc.Options{Tiles: ogcTiles{tileSvc}}).Register,
	}
}

// ogcTiles serves OGC API – Tiles from the tile service (unfiltered tiles of one layer).
type ogcTiles struct{ svc *tiles.Service }

// Tile returns the MVT bytes of one tile; empty bytes for an empty tile.
func (o ogcTiles) Tile(ctx context.Context, layer string, z, x, y int) ([]byte, error) {
	l, err := tiles.ParseLayer(layer)
	if err != nil {
		return nil, err
	}
	t, err := o.svc.Tile(ctx, l, tiles.TileID{Z: z, X: x, Y: y}, tiles.Filter{})
	if err != nil {
		return nil, err
	}
	return t.Data, nil
}
