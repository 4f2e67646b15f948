package api

import (
	"bufio"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/offline"
)

// offlinePath is the newest offline package (PMTiles) of ONEMAP_PMTILES_DIR; offlineKitPath is
// the offline map kit (the viewer that opens with no server, with that package) as a zip.
const (
	offlinePath    = "/tiles/onemap.pmtiles"
	offlineKitPath = "/tiles/onemap-offline.zip"
)

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

// offlineKit streams the zip of the offline map kit with the newest package of dir, built as it
// is sent (the package may be large; it is stored in the zip as is).
func offlineKit(dir, scope string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		path, err := offline.Latest(dir)
		if err != nil {
			return err
		}
		if err := offline.KitReady(); err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, scope+", no-cache")
		c.Set(fiber.HeaderContentType, "application/zip")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="onemap-offline.zip"`)
		if c.Method() == fiber.MethodHead {
			return nil // the UI asks whether there is a package before it downloads
		}
		c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
			// Headers are sent: a failure now (the package removed meanwhile) can only cut the
			// zip short, which its missing central directory makes plain to any unzip.
			_ = offline.WriteKitZip(w, path)
			_ = w.Flush()
		})
		return nil
	}
}
