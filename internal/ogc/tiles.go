package ogc

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/problem"
)

const (
	tmsID     = "WebMercatorQuad"
	tmsURI    = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
	mediaMVT  = "application/vnd.mapbox-vector-tile"
	maxZoom   = 24
	webMercMx = 20037508.3427892 // half the width of the Web Mercator square, in metres
	// scale denominator of zoom 0: 256-pixel tiles at 0.28 mm per pixel.
	scaleDenom0 = 559082264.028717
)

func tilesConformance() []string {
	return []string{
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
		"http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
		"http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
	}
}

func (s *Server) registerTiles(g fiber.Router) {
	g.Get("/tileMatrixSets", s.tileMatrixSets)
	g.Get("/tileMatrixSets/:tileMatrixSetId", s.tileMatrixSet)
	g.Get("/collections/:collectionId/tiles", s.tilesets)
	g.Get("/collections/:collectionId/tiles/:tileMatrixSetId", s.tileset)
	g.Get("/collections/:collectionId/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol", s.tile)
}

// tileMatrixSets lists the one tiling scheme served.
func (s *Server) tileMatrixSets(c *fiber.Ctx) error {
	return s.send(c, mediaJSON, "Tile matrix sets", obj{"tileMatrixSets": []obj{{
		"id": tmsID, "title": "Google Maps Compatible for the World", "uri": tmsURI,
		"links": []link{{Href: s.base(c) + "/tileMatrixSets/" + tmsID, Rel: "self", Type: mediaJSON}},
	}}})
}

// tileMatrixSet serves the WebMercatorQuad definition (OGC 2D TileMatrixSet 2.0, JSON).
func (s *Server) tileMatrixSet(c *fiber.Ctx) error {
	if c.Params("tileMatrixSetId") != tmsID {
		return fmt.Errorf("tile matrix set %q (only %s): %w", c.Params("tileMatrixSetId"), tmsID, problem.ErrNotFound)
	}
	matrices := make([]obj, 0, maxZoom+1)
	for z := 0; z <= maxZoom; z++ {
		n := 1 << z
		matrices = append(matrices, obj{
			"id": strconv.Itoa(z), "scaleDenominator": scaleDenom0 / float64(n),
			"cellSize": 2 * webMercMx / 256 / float64(n), "cornerOfOrigin": "topLeft",
			"pointOfOrigin": []float64{-webMercMx, webMercMx}, "tileWidth": 256, "tileHeight": 256,
			"matrixWidth": n, "matrixHeight": n,
		})
	}
	return s.send(c, mediaJSON, tmsID, obj{
		"id": tmsID, "title": "Google Maps Compatible for the World", "uri": tmsURI,
		"crs": uriEPSG + "3857", "orderedAxes": []string{"E", "N"},
		"wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
		"tileMatrices":      matrices,
	})
}

// tilesets lists the collection's tilesets (one, in WebMercatorQuad).
func (s *Server) tilesets(c *fiber.Ctx) error {
	coll, err := s.collection(c)
	if err != nil {
		return err
	}
	return s.send(c, mediaJSON, coll.Title+" 瓦片集", obj{
		"links":    []link{{Href: s.base(c) + "/collections/" + coll.ID + "/tiles", Rel: "self", Type: mediaJSON}},
		"tilesets": []obj{s.tilesetJSON(c, coll)},
	})
}

// tileset serves the metadata of the collection's WebMercatorQuad tileset.
func (s *Server) tileset(c *fiber.Ctx) error {
	coll, err := s.tilesetOf(c)
	if err != nil {
		return err
	}
	ts := s.tilesetJSON(c, coll)
	ts["layers"] = []obj{{
		"id": coll.Layer, "title": coll.Title, "dataType": "vector",
		"geometryType": "polygons", "propertiesSchema": obj{"type": "object", "properties": orderedProps(coll.Props)},
	}}
	return s.send(c, mediaJSON, coll.Title+" 瓦片集", ts)
}

// tilesetOf finds the collection and checks the tile matrix set named in the path.
func (s *Server) tilesetOf(c *fiber.Ctx) (*collection, error) {
	coll, err := s.collection(c)
	if err == nil && c.Params("tileMatrixSetId") != tmsID {
		err = fmt.Errorf("tile matrix set %q (only %s): %w", c.Params("tileMatrixSetId"), tmsID, problem.ErrNotFound)
	}
	return coll, err
}

func (s *Server) tilesetJSON(c *fiber.Ctx, coll *collection) obj {
	u := s.base(c) + "/collections/" + coll.ID + "/tiles/" + tmsID
	return obj{
		"title": coll.Title, "dataType": "vector", "crs": uriEPSG + "3857", "tileMatrixSetURI": tmsURI,
		"links": []link{
			{Href: u, Rel: "self", Type: mediaJSON, Title: coll.Title + " " + tmsID},
			{Href: s.base(c) + "/tileMatrixSets/" + tmsID, Rel: relOGC + "tiling-scheme", Type: mediaJSON},
			{
				Href: u + "/{tileMatrix}/{tileRow}/{tileCol}", Rel: "item", Type: mediaMVT, Templated: true,
				Title: coll.Title + " Mapbox Vector Tiles",
			},
		},
	}
}

// tile serves one vector tile: 204 when it is empty, 404 outside the matrix.
func (s *Server) tile(c *fiber.Ctx) error {
	coll, err := s.tilesetOf(c)
	if err != nil {
		return err
	}
	z, row, col, err := tileCoords(c.Params("tileMatrix"), c.Params("tileRow"), c.Params("tileCol"))
	if err != nil {
		return err
	}
	b, err := s.tiles.Tile(c.UserContext(), coll.Layer, z, col, row)
	if err != nil {
		return err
	}
	if len(b) == 0 {
		return c.SendStatus(fiber.StatusNoContent)
	}
	c.Set(fiber.HeaderContentType, mediaMVT)
	// These URLs carry no data version (see /tiles for versioned ones): caches must ask each time.
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(b)
}

// tileCoords reads tileMatrix/tileRow/tileCol; a tile outside the matrix is a 404.
func tileCoords(zs, rows, cols string) (z, row, col int, err error) {
	z, err = strconv.Atoi(zs)
	if err != nil || z < 0 || z > maxZoom {
		return 0, 0, 0, problem.Invalid("tileMatrix", "%q is not a tile matrix of %s (0..%d)", zs, tmsID, maxZoom)
	}
	n := int(math.Pow(2, float64(z)))
	row, errR := strconv.Atoi(rows)
	col, errC := strconv.Atoi(cols)
	if errR != nil || errC != nil {
		return 0, 0, 0, problem.Invalid("tileRow", "row %q and column %q must be whole numbers", rows, cols)
	}
	if row < 0 || row >= n || col < 0 || col >= n {
		return 0, 0, 0, fmt.Errorf("tile %d/%d/%d lies outside the matrix (0..%d): %w", z, row, col, n-1, problem.ErrNotFound)
	}
	return z, row, col, nil
}

// tilePaths adds the tiles endpoints to the OpenAPI paths.
func (s *Server) tilePaths(paths obj) {
	tms := obj{"name": "tileMatrixSetId", "in": "path", "required": true, "schema": obj{"type": "string", "enum": []string{tmsID}}}
	paths["/tileMatrixSets"] = op("Tile matrix sets", "tileMatrixSets", nil, mediaJSON)
	paths["/tileMatrixSets/{tileMatrixSetId}"] = op("A tile matrix set", "tileMatrixSet", []obj{tms, ref("f")}, mediaJSON)
	for _, coll := range s.colls {
		p := "/collections/" + coll.ID + "/tiles"
		paths[p] = op(coll.Title+": tilesets", coll.ID+"-tilesets", nil, mediaJSON)
		paths[p+"/{tileMatrixSetId}"] = op(coll.Title+": tileset", coll.ID+"-tileset", []obj{tms, ref("f")}, mediaJSON)
		t := op(coll.Title+": a vector tile (204 when empty)", coll.ID+"-tile", []obj{
			tms,
			pathInt("tileMatrix", "zoom level 0.."+strconv.Itoa(maxZoom)), pathInt("tileRow", "row from the top"),
			pathInt("tileCol", "column from the left"),
		}, mediaMVT)
		paths[p+"/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"] = t
	}
}

func pathInt(name, desc string) obj {
	return obj{"name": name, "in": "path", "required": true, "description": desc, "schema": obj{"type": "integer", "minimum": 0}}
}
