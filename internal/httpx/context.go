package httpx

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Timeout gives every request a UserContext with a deadline, so that a slow query is cancelled
// when the server's patience ends (Fiber v2 otherwise hands out context.Background()).
func Timeout(base context.Context, d time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(base, d)
		defer cancel()
		c.SetUserContext(ctx)
		return c.Next()
	}
}
