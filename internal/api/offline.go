package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/offline"
)

// offlinePath is the newest offline package (PMTiles) of ONEMAP_PMTILES_DIR.
const offlinePath = "/tiles/onemap.pmtiles"

// offlinePackage serves the newest *.pmtiles of dir whole or by byte ranges (what PMTiles readers
// ask for), revalidated on every use (Last-Modified): a new export replaces it at once. scope is
// "public", or "private" when reads need a sign-in.
func offlinePackage(dir, scope string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		path, err := offline.Latest(dir)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, scope+", no-cache")
		c.Set(fiber.HeaderContentType, "application/vnd.pmtiles")
		return c.SendFile(path)
	}
}
