package main

import (
	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/ogc"
	"github.com/onemap/onemap/tiles"
)

// mounts wires the route groups owned by each HTTP package.
func mounts(pool *pgxpool.Pool, tileSvc *tiles.Service) []func(fiber.Router) {
	return []func(fiber.Router){
		// OGC API – Features and Tiles under /ogc, the tiles drawn by the same tile service.
		ogc.New(pool, ogc.Options{Tiles: tiles.NewOGCSource(tileSvc)}).Register,
	}
}
