package api

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/tiles"
)

// Tile answers are kept by browsers and proxies by the data version in their URL (?v=N, as
// TileJSON and /api/v1/config give it): under the current version a tile never changes, so it is
// kept for good. A URL without a version is kept a minute by the browser, then revalidated by
// ETag, and not at all by shared caches (s-maxage=0): a proxy or CDN in front of several users
// would go on serving it after an edit, where the versioned URL simply changes. A URL naming
// another version gets the current data marked no-cache: it must not be stored under that URL as
// if it were that version's (an old URL would otherwise hold newer content for a year, or a new
// one older content), and the page asks again under the current version anyway.
const (
	tileCacheVersioned   = "max-age=31536000, immutable"
	tileCacheUnversioned = "max-age=60, s-maxage=0"
	tileCacheStale       = "no-cache"
)

// tileHandlers serve /tiles: vector tiles and their TileJSON.
type tileHandlers struct {
	svc     *tiles.Service
	metrics *Metrics
	// scope is "public", or "private" when reads need a sign-in (shared caches must not keep them).
	scope string
}

// cacheControl is the Cache-Control of a tile answer of the given freshness.
func (h *tileHandlers) cacheControl(f tiles.Freshness) string {
	switch f {
	case tiles.Versioned:
		return h.scope + ", " + tileCacheVersioned
	case tiles.Stale:
		return tileCacheStale
	}
	return h.scope + ", " + tileCacheUnversioned
}

func mountTiles(r fiber.Router, svc *tiles.Service, m *Metrics, anonymousRead bool, pmtilesDir string) {
	h := &tileHandlers{svc: svc, metrics: m, scope: "private"}
	if anonymousRead {
		h.scope = "public"
	}
	r.Get(offlinePath, offlinePackage(pmtilesDir, h.scope))
	r.Get(offlineKitPath, offlineKit(pmtilesDir, h.scope))
	m.ObserveTileCache(svc.CacheStats)
	r.Get("/tiles/:layer/:z/:x/:y.mvt", h.tile)
	r.Get("/tiles/:layer.json", h.tileJSON)
}

// tile answers one MVT tile: 204 when empty, 304 when the client's ETag still holds, gzip when
// the client accepts it.
func (h *tileHandlers) tile(c *fiber.Ctx) error {
	layer, err := tiles.ParseLayer(c.Params("layer"))
	if err != nil {
		return err
	}
	id, err := tiles.ParseTileID(c.Params("z"), c.Params("x"), c.Params("y"))
	if err != nil {
		return err
	}
	f, err := tiles.ParseFilter(func(name string) string { return c.Query(name) })
	if err != nil {
		return err
	}
	start := time.Now()
	// Freshness before rendering: the tile then holds data at least as new as the version.
	fresh, err := h.svc.Freshness(c.UserContext(), c.Query("v"))
	if err != nil {
		return err
	}
	t, err := h.svc.Tile(c.UserContext(), layer, id, f)
	if err != nil {
		return err
	}
	h.metrics.ObserveTile(string(layer), id.Z, time.Since(start), t.Size)
	c.Set(fiber.HeaderCacheControl, h.cacheControl(fresh))
	c.Set(fiber.HeaderETag, t.ETag)
	c.Vary(fiber.HeaderAcceptEncoding)
	switch {
	case etagMatches(c.Get(fiber.HeaderIfNoneMatch), t.ETag):
		return c.SendStatus(fiber.StatusNotModified)
	case t.Size == 0:
		return c.SendStatus(fiber.StatusNoContent)
	}
	return sendTile(c, t)
}

// sendTile writes the tile gzipped, as kept, or inflated for a client that does not accept gzip.
func sendTile(c *fiber.Ctx, t *tiles.Tile) error {
	c.Set(fiber.HeaderContentType, "application/vnd.mapbox-vector-tile")
	if !acceptsGzip(c.Get(fiber.HeaderAcceptEncoding)) {
		data, err := t.Data()
		if err != nil {
			return err
		}
		return c.Send(data)
	}
	c.Set(fiber.HeaderContentEncoding, "gzip")
	return c.Send(t.Gzip())
}

// acceptsGzip reads Accept-Encoding: gzip (or *) listed without q=0.
func acceptsGzip(header string) bool {
	for _, item := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(item), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := 1.0 // a weight that does not parse counts as none given
		if v, ok := strings.CutPrefix(strings.ReplaceAll(strings.ToLower(params), " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}

// etagMatches applies If-None-Match's weak comparison: any listed tag, or *, matches.
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == want {
			return true
		}
	}
	return false
}

// tileJSON answers the TileJSON 3.0.0 document of a layer; filters carry into its tile URL.
func (h *tileHandlers) tileJSON(c *fiber.Ctx) error {
	layer, err := tiles.ParseLayer(c.Params("layer"))
	if err != nil {
		return err
	}
	f, err := tiles.ParseFilter(func(name string) string { return c.Query(name) })
	if err != nil {
		return err
	}
	tj, err := h.svc.TileJSON(c.UserContext(), layer, httpx.Base(c), f)
	if err != nil {
		return err
	}
	// The tile URL in it carries the data version: revalidate every time (by ETag, the body's hash).
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(tj)
}
