package api

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// accessLog writes one structured line per request (health probes, scrapes and tiles answered
// well at debug level: one map view asks for dozens of tiles, and /metrics counts them by zoom
// and status; at cached rates the line cost a sixth of the throughput). It wraps the metrics
// middleware, which renders errors, so the status logged is the one sent.
func accessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		level := slog.LevelInfo
		switch {
		case c.Path() == "/healthz", c.Path() == "/readyz", c.Path() == "/metrics":
			level = slog.LevelDebug
		case strings.HasPrefix(c.Path(), "/tiles/") && c.Response().StatusCode() < 400:
			level = slog.LevelDebug
		}
		if !log.Enabled(c.UserContext(), level) {
			return err // a line not written: no values to box and format
		}
		bytes := -1 // a streamed answer (events) is still being written: reading it would wait for its end
		if !c.Response().IsBodyStream() {
			bytes = len(c.Response().Body())
		}
		log.Log(c.UserContext(), level, "request", "method", c.Method(), "path", c.Path(),
			"route", c.Route().Path, "status", c.Response().StatusCode(), "bytes", bytes,
			"ms", float64(time.Since(start).Microseconds())/1000, "ip", c.IP())
		return err
	}
}
