package main

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/api"
	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/ogc"
	"github.com/onemap/onemap/tiles"
)

// mounts wires the route groups owned by each HTTP package.
func mounts(reads ogc.DB, tileSvc *tiles.Service, as *assets.Service) []func(fiber.Router) {
	return []func(fiber.Router){
		// OGC API – Features and Tiles under /ogc, read through the read replicas (the primary
		// without them), the tiles drawn by the same tile service; Part 4
		// writes go through the asset service, admitted as /api/v1's asset writes are.
		ogc.New(reads, ogc.Options{Tiles: tiles.NewOGCSource(tileSvc), Assets: as, Editor: api.Editor}).Register,
	}
}
