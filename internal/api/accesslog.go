package api

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
)

// accessLog writes one structured line per request (health probes and scrapes at debug level).
// It wraps the metrics middleware, which renders errors, so the status logged is the one sent.
func accessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		level := slog.LevelInfo
		switch c.Path() {
		case "/healthz", "/readyz", "/metrics":
			level = slog.LevelDebug
		}
		log.Log(c.UserContext(), level, "request", "method", c.Method(), "path", c.Path(),
			"route", c.Route().Path, "status", c.Response().StatusCode(), "bytes", len(c.Response().Body()),
			"ms", float64(time.Since(start).Microseconds())/1000, "ip", c.IP())
		return err
	}
}
