package main

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/ogc"
)

// mounts wires the route groups owned by each HTTP package.
func mounts(_ context.Context, _ *Main, _ config.Config, pool *pgxpool.Pool, _ *slog.Logger) []func(fiber.Router) {
	return []func(fiber.Router){
		// OGC API – Features and Tiles under /ogc; Tiles: pass a TileSource over tiles.Service.
		ogc.New(pool, ogc.Options{}).Register,
	}
}
