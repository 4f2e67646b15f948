package main

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/config"
)

// mounts wires the route groups owned by each HTTP package.
func mounts(_ context.Context, _ *Main, _ config.Config, _ *pgxpool.Pool, _ *slog.Logger) []func(fiber.Router) {
	return nil
}
