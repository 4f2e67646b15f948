package api

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/db"
)

type health struct{ pool *pgxpool.Pool }

// live answers as long as the process serves HTTP.
func (h *health) live(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// ready answers 200 only when the database is reachable and the schema is current.
func (h *health) ready(c *fiber.Ctx) error {
	cur, latest, err := db.SchemaStatus(c.UserContext(), h.pool)
	if err != nil {
		return fmt.Errorf("%w: %w", db.ErrUnavailable, err)
	}
	if cur != latest {
		return &fiber.Error{Code: fiber.StatusServiceUnavailable, Message: fmt.Sprintf("schema at version %d, binary expects %d: run onemap migrate", cur, latest)}
	}
	return c.JSON(fiber.Map{"status": "ready", "schema_version": cur})
}
