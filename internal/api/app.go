// Package api is OneMap's HTTP application: Fiber routing, middleware, /api/v1, tiles, health and
// metrics, and the embedded UI. Handlers parse typed parameters, call one service and render.
package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/imports"
	"github.com/onemap/onemap/internal/problem"
	"github.com/onemap/onemap/static"
	"github.com/onemap/onemap/tiles"
)

// Deps are what the application is built from; cmd/onemap wires them.
type Deps struct {
	Config  config.Config
	Pool    *pgxpool.Pool
	Log     *slog.Logger
	Metrics *Metrics
	Assets  *assets.Service
	Auth    *auth.Service
	Imports *imports.Service
	Exports *exports.Service
	// Base is the server's lifetime context; request contexts derive from it.
	Base context.Context
	// Mounts add routes owned by other HTTP packages (e.g. ogc) to the app.
	Mounts []func(fiber.Router)
	// Tiles serves /tiles (vector tiles and TileJSON); nil leaves the routes out.
	Tiles *tiles.Service
}

// New builds the Fiber application with every route.
func New(d Deps) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "OneMap",
		ErrorHandler:          httpx.ErrorHandler(d.Log),
		DisableStartupMessage: true,
		BodyLimit:             max(d.Config.MaxUploadMB, 1) << 20,
		// Bodies are streamed, never read whole before a handler asks: limitBody bounds them.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		ReadTimeout:                  d.Config.RequestTimeout + 5*time.Second,
		// Drawn polygons and CQL2 filters travel in the URL: allow long request lines.
		ReadBufferSize: 64 << 10,
	})
	app.Use(recover.New())
	app.Use(accessLog(d.Log))       // outermost: sees the status after errors are rendered
	app.Use(d.Metrics.Middleware()) // renders errors, so both record the status the client gets
	app.Use(httpx.Timeout(d.Base, d.Config.RequestTimeout))
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	app.Use(limitBody) // before any handler reads a body: 1 MB, uploads streamed (body.go)
	h := &health{pool: d.Pool}
	app.Get("/healthz", h.live)
	app.Get("/readyz", h.ready)
	app.Get("/metrics", d.Metrics.Handler())
	app.Use(authenticate(d.Auth))
	v1 := app.Group("/api/v1")
	v1.Get("/config", uiConfigHandler(d.Config))
	(&authRoutes{svc: d.Auth}).mount(v1)
	(&editRoutes{svc: d.Assets}).mount(v1)
	(&assetRoutes{svc: d.Assets}).mount(v1, readAccess(d.Config.AnonymousRead))
	(&importRoutes{svc: d.Imports, base: d.Base, maxUpload: int64(max(d.Config.MaxUploadMB, 1)) << 20}).mount(v1)
	(&exportRoutes{svc: d.Exports}).mount(v1)
	if d.Tiles != nil {
		mountTiles(app, d.Tiles, d.Metrics, readAccess(d.Config.AnonymousRead))
	}
	for _, m := range d.Mounts {
		m(app)
	}
	// The UI comes last: any route above wins over a file of the same name.
	app.Get("/*", newSite(static.FS, d.Log).serve)
	app.Use(func(c *fiber.Ctx) error {
		return &problem.Error{Status: fiber.StatusNotFound, Title: "Not Found", Detail: "no route for " + c.Method() + " " + c.Path()}
	})
	return app
}
