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
	"github.com/onemap/onemap/internal/attachments"
	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/bookmarks"
	"github.com/onemap/onemap/internal/checks"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/exports"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/idempotency"
	"github.com/onemap/onemap/internal/imports"
	"github.com/onemap/onemap/internal/ledger"
	"github.com/onemap/onemap/internal/mapprint"
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
	// Audit is the audit trail exports, imports and /api/v1/audit use (one on Pool when nil).
	Audit   *audit.Service
	Imports *imports.Service
	Exports *exports.Service
	// Ledger is the reform's 台账: projects, reports, the 榜单, targets, warnings (routes left out when nil).
	Ledger *ledger.Service
	// Attachments keeps the files of assets and projects (routes left out when nil).
	Attachments *attachments.Service
	// Base is the server's lifetime context; request contexts derive from it.
	Base context.Context
	// Mounts add routes owned by other HTTP packages (e.g. ogc) to the app.
	Mounts []func(fiber.Router)
	// Printer makes the 专题图 PDFs (one with the configured fonts when nil).
	Printer *mapprint.Printer
	// Tiles serves /tiles (vector tiles and TileJSON); nil leaves the routes out.
	Tiles *tiles.Service
}

// New builds the Fiber application with every route. Where a route is mounted decides who may
// call it (see guard.go): public routes first, then authentication, then the read guard, then
// everything else, each change or export adding its role check.
func New(d Deps) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "OneMap",
		ErrorHandler:          httpx.ErrorHandler(d.Log, monitor(d)),
		DisableStartupMessage: true,
		BodyLimit:             max(d.Config.MaxUploadMB, 1) << 20,
		// Bodies are streamed, never read whole before a handler asks: limitBody bounds them.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		ReadTimeout:                  d.Config.RequestTimeout + 5*time.Second,
		// Drawn polygons and CQL2 filters travel in the URL: allow long request lines.
		ReadBufferSize: 64 << 10,
		// An answer up to this size (most tiles) leaves in one write; with fasthttp's 4 kB, a
		// zoom-16 tile took two or three, and socket writes were a fifth of the server's CPU.
		WriteBufferSize: 64 << 10,
		// X-Forwarded-For/-Proto/-Host count only from the proxies named in ONEMAP_TRUSTED_PROXIES.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          d.Config.TrustedProxies,
		ProxyHeader:             fiber.HeaderXForwardedFor,
	})
	app.Use(recover.New())
	app.Use(accessLog(d.Log))       // outermost: sees the status after errors are rendered
	app.Use(d.Metrics.Middleware()) // renders errors, so both record the status the client gets
	app.Use(httpx.Timeout(d.Base, d.Config.RequestTimeout))
	app.Use(securityHeaders(d.Config))
	app.Use(httpx.BaseURL(d.Config.BaseURL))
	if cors := corsReads(d.Config.CORSOrigins); cors != nil {
		app.Use(cors) // answers preflights before any guard
	}
	app.Use(limitBody)         // before anything reads a body: 1 MB, uploads streamed (body.go)
	app.Use(httpx.CheckText()) // NUL bytes and invalid UTF-8 anywhere: 400 before any handler
	// An event stream is written as it happens: compressing it would hold events back.
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed, Next: func(c *fiber.Ctx) bool { return c.Path() == eventsPath }}))

	// Public: health, metrics (their own guard), the UI's files, signing in and out.
	h := &health{pool: d.Pool}
	app.Get("/healthz", h.live)
	app.Get("/readyz", h.ready)
	app.Get("/metrics", metricsGuard(d.Config.MetricsToken, d.Auth), d.Metrics.Handler())
	// A UI file wins over any route below (none share a name); other paths fall through.
	app.Get("/*", newSite(static.FS, d.Log).serve)
	if d.Audit == nil {
		d.Audit = audit.NewService(d.Pool)
	}
	if d.Printer == nil {
		d.Printer = mapprint.New(d.Config.PrintFont, d.Config.PrintLatinFont)
	}
	app.Use(authenticate(d.Auth), passwordGate)
	if len(d.Config.ReadDatabaseURLs) > 0 {
		app.Use(replicaReads(d.Auth, d.Tiles, d.Log)) // reads may go to replicas; writes note their position
	}
	app.Use(sameOrigin(d.Config.BaseURL))
	v1 := app.Group("/api/v1")
	if d.Tiles != nil {
		v1.Use(dataVersion(d.Tiles))
		app.Use("/ogc", dataVersion(d.Tiles)) // the OGC API's Part 4 writes (a Mount) as /api/v1's
	}
	if d.Pool != nil {
		v1.Use(idempotent(idempotency.NewService(d.Pool)))
	}
	ar := &authRoutes{svc: d.Auth, session: max(d.Config.SessionMax, time.Minute)}
	ar.mountPublic(v1)

	// Everything below needs a user unless anonymous reads are allowed.
	app.Use(readGuard(d.Config.AnonymousRead))
	v1.Get("/config", uiConfigHandler(d.Config, d.Assets, d.Tiles))
	if d.Tiles != nil {
		(&eventRoutes{tiles: d.Tiles, base: d.Base, heartbeat: 20 * time.Second, lifetime: 10 * time.Minute,
			warnings: warningFeed(d.Ledger)}).mount(v1)
	}
	ar.mount(v1)
	(&userRoutes{svc: d.Auth}).mount(v1)
	(&auditRoutes{svc: d.Audit}).mount(v1)
	if d.Pool != nil {
		(&checkRoutes{svc: checks.NewService(d.Pool), audit: d.Audit}).mount(v1) // before the asset routes: /assets/near
	}
	if d.Pool != nil {
		(&bookmarkRoutes{svc: bookmarks.NewService(d.Pool)}).mount(v1)
	}
	(&editRoutes{svc: d.Assets}).mount(v1)
	(&splitRoutes{svc: d.Assets}).mount(v1)
	(&assetRoutes{svc: d.Assets, ledger: d.Ledger}).mount(v1)
	(&historyRoutes{svc: d.Assets, audit: d.Audit}).mount(v1)
	(&cityRoutes{svc: d.Assets}).mount(v1)
	(&densityRoutes{svc: d.Assets}).mount(v1)
	(&transformRoutes{svc: d.Assets}).mount(v1)
	(&printRoutes{printer: d.Printer, audit: d.Audit}).mount(v1)
	(&importRoutes{svc: d.Imports, base: d.Base, audit: d.Audit, maxUpload: int64(max(d.Config.MaxUploadMB, 1)) << 20}).mount(v1)
	(&exportRoutes{svc: d.Exports, audit: d.Audit, assets: d.Assets}).mount(v1)
	if d.Attachments != nil {
		(&attachmentRoutes{svc: d.Attachments, audit: d.Audit, base: d.Base, maxUpload: int64(max(d.Config.AttachmentMaxMB, 1)) << 20}).mount(v1)
	}
	if d.Ledger != nil {
		(&ledgerRoutes{svc: d.Ledger, audit: d.Audit}).mount(v1)
	}
	if d.Tiles != nil {
		mountTiles(app, d.Tiles, d.Metrics, d.Config.AnonymousRead, d.Config.PMTilesDir)
	}
	for _, m := range d.Mounts {
		m(app)
	}
	app.Use(func(c *fiber.Ctx) error {
		return &problem.Error{Status: fiber.StatusNotFound, Title: "Not Found", Detail: "no route for " + c.Method() + " " + c.Path()}
	})
	return app
}

// monitor watches the database once a request finds it unavailable (nil without a pool).
func monitor(d Deps) *db.Monitor {
	if d.Pool == nil {
		return nil
	}
	return db.NewMonitor(d.Base, d.Log, d.Pool.Ping, time.Second)
}
