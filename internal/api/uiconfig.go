package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/config"
)

// uiConfig is the part of the server's settings the browser UI needs: which basemaps it may offer.
// The Tianditu key is a browser key (Tianditu binds it to the site's domain), so handing it to the
// page is how it is meant to be used; it is never written into the UI's files.
type uiConfig struct {
	TiandituKey string `json:"tianditu_key"`
	BasemapURL  string `json:"basemap_url"`
}

// uiConfigHandler answers GET /api/v1/config.
func uiConfigHandler(cfg config.Config) fiber.Handler {
	body := uiConfig{TiandituKey: cfg.TiandituKey, BasemapURL: cfg.BasemapURL}
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.JSON(body)
	}
}
