// Package ogc serves OneMap's collections through the OGC API standards under /ogc: Features
// Part 1 (Core, GeoJSON, OpenAPI 3.0), Part 2 (CRS by reference: CRS84, EPSG:4490, EPSG:4326,
// EPSG:3857), Part 3 (queryables and CQL2 filters, see package cql2) and, when a TileSource is
// wired, OGC API – Tiles (WebMercatorQuad, Mapbox Vector Tiles). The collections are the five
// asset kinds plus zones and regions, with the property names the rest of the product uses.
// When a Writer and an Editor are wired, the asset collections also take Part 4 writes
// (transactions.go) through the asset service; zones and regions stay read-only.
package ogc

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// Prefix is where the API is mounted.
const Prefix = "/ogc"

// TileSource renders one Mapbox Vector Tile of a tile layer (land, mine, forest, water,
// building, zone, region, or onemap for all of them) in WebMercatorQuad; x is the column and y
// the row. An empty tile is a nil or empty slice.
type TileSource interface {
	Tile(ctx context.Context, layer string, z, x, y int) ([]byte, error)
}

// Options are the Server's optional collaborators.
type Options struct {
	// Tiles enables the OGC API – Tiles endpoints; nil leaves them out (and undeclared).
	Tiles TileSource
	// Assets and Editor enable OGC API – Features Part 4 on the asset collections (POST, PUT,
	// PATCH, DELETE); either nil leaves the routes out (and undeclared).
	Assets Writer
	Editor Editor
}

// Server is the OGC API. Build it with New and mount it with Register.
type Server struct {
	store  *store
	tiles  TileSource
	writer Writer
	editor Editor
	colls  []*collection

	mu       sync.Mutex
	extents  map[string]extent
	extentAt time.Time
}

// New returns the OGC API over db (a *pgxpool.Pool).
func New(db DB, opts Options) *Server {
	return &Server{store: &store{db: db, counts: newCountCache()}, tiles: opts.Tiles, colls: catalog(),
		writer: opts.Assets, editor: opts.Editor}
}

// Register adds the /ogc routes to r: GET and HEAD, and the Part 4 writes when wired.
func (s *Server) Register(r fiber.Router) {
	g := r.Group(Prefix)
	g.Get("/", s.landing)
	g.Get("/conformance", s.conformance)
	g.Get("/api", s.api)
	g.Get("/collections", s.collectionsList)
	g.Get("/collections/:collectionId", s.collectionDoc)
	g.Get("/collections/:collectionId/queryables", s.queryables)
	g.Get("/collections/:collectionId/schema", s.schema)
	g.Get("/collections/:collectionId/items", s.items)
	g.Get("/collections/:collectionId/items/:featureId", s.item)
	if s.editable() {
		s.registerEdits(g)
	}
	if s.tiles != nil {
		s.registerTiles(g)
	}
}

// base is the absolute URL of the API root for links (clients such as GDAL need absolute ones).
func (s *Server) base(c *fiber.Ctx) string { return httpx.Base(c) + Prefix }

// collection finds the collection named in the path; 404 when there is none.
func (s *Server) collection(c *fiber.Ctx) (*collection, error) {
	id := c.Params("collectionId")
	for _, coll := range s.colls {
		if coll.ID == id {
			return coll, nil
		}
	}
	return nil, fmt.Errorf("collection %q (collections: %s): %w", id, s.collectionIDs(), problem.ErrNotFound)
}

func (s *Server) collectionIDs() string {
	ids := make([]string, len(s.colls))
	for i, c := range s.colls {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

// link is a web link as OGC APIs write them.
type link struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// send writes v as JSON with the given media type, or as the HTML page when asked for.
func (s *Server) send(c *fiber.Ctx, media, title string, v any) error {
	html, err := wantHTML(c, query(c))
	if err != nil {
		return err
	}
	body := mustJSON(v)
	if html {
		return s.renderHTML(c, title, body)
	}
	c.Set(fiber.HeaderContentType, media)
	return c.Send(body)
}
