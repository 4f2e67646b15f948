package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/tiles"
)

// uiConfig is the part of the server's settings the browser UI needs: which basemaps it may offer.
// The Tianditu key is a browser key (Tianditu binds it to the site's domain), so handing it to the
// page is how it is meant to be used; it is never written into the UI's files.
type uiConfig struct {
	TiandituKey string `json:"tianditu_key"`
	BasemapURL  string `json:"basemap_url"`
	// DataVersion is the data version tile URLs carry (?v=); /api/v1/events announces new ones.
	DataVersion int64 `json:"data_version,omitempty"`
}

// uiConfigHandler answers GET /api/v1/config; ts (nil without tiles) gives the data version.
func uiConfigHandler(cfg config.Config, ts *tiles.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body := uiConfig{TiandituKey: cfg.TiandituKey, BasemapURL: cfg.BasemapURL}
		if ts != nil {
			v, err := ts.Version(c.UserContext())
			if err != nil {
				return err
			}
			body.DataVersion = v
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.JSON(body)
	}
}
