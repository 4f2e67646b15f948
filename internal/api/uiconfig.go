package api

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/problem"
	"github.com/onemap/onemap/tiles"
)

// uiConfig is the part of the server's settings the browser UI needs: which basemaps it may offer,
// the city it serves and the data version. The Tianditu key is a browser key (Tianditu binds it
// to the site's domain), so handing it to the page is how it is meant to be used; it is never
// written into the UI's files.
type uiConfig struct {
	TiandituKey string `json:"tianditu_key"`
	// TiandituURL is the WMTS endpoint template ({s} subdomain 0–7, {layer}), set with the key.
	TiandituURL string `json:"tianditu_url,omitempty"`
	BasemapURL  string `json:"basemap_url"`
	// City is the city (or province) the deployment serves (onemap init), null before it is set.
	City *assets.City `json:"city"`
	// DataVersion is the data version tile URLs carry (?v=); /api/v1/events announces new ones.
	DataVersion int64 `json:"data_version,omitempty"`
}

// uiConfigHandler answers GET /api/v1/config; places gives the city, ts (nil without tiles) the
// data version.
func uiConfigHandler(cfg config.Config, places *assets.Service, ts *tiles.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body := uiConfig{TiandituKey: cfg.TiandituKey, BasemapURL: cfg.BasemapURL}
		if cfg.TiandituKey != "" {
			body.TiandituURL = cfg.TiandituTemplate()
		}
		if places != nil {
			city, err := places.City(c.UserContext())
			switch {
			case err == nil:
				body.City = &city
			case !errors.Is(err, problem.ErrNotFound):
				return err
			}
		}
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
