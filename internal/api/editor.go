package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
)

// Editor admits a request that may change assets, as the /api/v1/assets writes do (an analyst,
// or an admin; 401 without a user, 403 for another role), and returns who makes the change,
// confined to their region. Routes other HTTP packages own (the OGC API's Part 4) call it.
func Editor(c *fiber.Ctx) (assets.Actor, error) {
	if err := allowed(c, auth.Analyst); err != nil {
		return assets.Actor{}, err
	}
	return actor(c), nil
}
