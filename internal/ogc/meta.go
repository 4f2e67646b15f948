package ogc

import (
	"bytes"
	"context"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/ogc/cql2"
)

const (
	mediaOpenAPI    = "application/vnd.oai.openapi+json;version=3.0"
	mediaJSONSchema = "application/schema+json"
	relOGC          = "http://www.opengis.net/def/rel/ogc/1.0/"
	extentTTL       = 30 * time.Second
)

// landing serves the landing page.
func (s *Server) landing(c *fiber.Ctx) error {
	b := s.base(c)
	links := []link{
		{Href: b + "?f=json", Rel: "self", Type: mediaJSON, Title: "this document"},
		{Href: b + "?f=html", Rel: "alternate", Type: mediaHTML, Title: "this document as HTML"},
		{Href: b + "/api", Rel: "service-desc", Type: mediaOpenAPI, Title: "the API definition (OpenAPI 3.0)"},
		{Href: b + "/api?f=html", Rel: "service-doc", Type: mediaHTML, Title: "the API definition as HTML"},
		{Href: b + "/conformance", Rel: "conformance", Type: mediaJSON, Title: "conformance classes"},
		{Href: b + "/conformance", Rel: relOGC + "conformance", Type: mediaJSON, Title: "conformance classes"},
		{Href: b + "/collections", Rel: "data", Type: mediaJSON, Title: "collections"},
		{Href: b + "/collections", Rel: relOGC + "data", Type: mediaJSON, Title: "collections"},
	}
	if s.tiles != nil {
		links = append(links, link{Href: b + "/tileMatrixSets", Rel: relOGC + "tiling-schemes", Type: mediaJSON, Title: "tile matrix sets"})
	}
	return s.send(c, mediaJSON, "OneMap OGC API", fiber.Map{
		"title":       "OneMap 国有\"三资\"一张图 OGC API",
		"description": "土地、矿产、林场、水域、闲置房产及园区、行政区划，按 OGC API – Features（第1、2、3部分）与 OGC API – Tiles 提供",
		"links":       links,
	})
}

// conformance lists only the classes this server passes.
func (s *Server) conformance(c *fiber.Ctx) error {
	classes := []string{
		"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
		"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
		"http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
		"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
		"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
		"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
		"http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
		"http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
		"http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
		"http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
		"http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
		"http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
		"http://www.opengis.net/spec/cql2/1.0/conf/property-property",
	}
	if s.tiles != nil {
		classes = append(classes, tilesConformance()...)
	}
	if s.editable() {
		classes = append(classes, confCreate, confUpdate)
	}
	return s.send(c, mediaJSON, "Conformance", fiber.Map{"conformsTo": classes})
}

// collectionsList serves /collections.
func (s *Server) collectionsList(c *fiber.Ctx) error {
	ext, err := s.extentsCached(c.UserContext())
	if err != nil {
		return err
	}
	b := s.base(c)
	list := make([]fiber.Map, len(s.colls))
	for i, coll := range s.colls {
		list[i] = s.collectionJSON(b, coll, ext[coll.ID])
	}
	return s.send(c, mediaJSON, "Collections", fiber.Map{
		"links": []link{
			{Href: b + "/collections?f=json", Rel: "self", Type: mediaJSON},
			{Href: b + "/collections?f=html", Rel: "alternate", Type: mediaHTML},
		},
		"crs":         crsURIs(),
		"collections": list,
	})
}

// collectionDoc serves /collections/{collectionId}.
func (s *Server) collectionDoc(c *fiber.Ctx) error {
	coll, err := s.collection(c)
	if err != nil {
		return err
	}
	ext, err := s.extentsCached(c.UserContext())
	if err != nil {
		return err
	}
	return s.send(c, mediaJSON, coll.Title, s.collectionJSON(s.base(c), coll, ext[coll.ID]))
}

func (s *Server) collectionJSON(base string, coll *collection, e extent) fiber.Map {
	u := base + "/collections/" + coll.ID
	links := []link{
		{Href: u + "?f=json", Rel: "self", Type: mediaJSON, Title: coll.Title},
		{Href: u + "?f=html", Rel: "alternate", Type: mediaHTML, Title: coll.Title},
		{Href: u + "/items?f=json", Rel: "items", Type: mediaGeoJSON, Title: coll.Title + "要素"},
		{Href: u + "/items?f=html", Rel: "items", Type: mediaHTML, Title: coll.Title + "要素（HTML）"},
		{Href: u + "/queryables", Rel: relOGC + "queryables", Type: mediaJSONSchema, Title: "可查询属性"},
		{Href: u + "/schema", Rel: "describedby", Type: mediaJSONSchema, Title: "要素结构（GeoJSON Feature 的 JSON Schema）"},
		// GDAL up to 3.6 looks for this spelling (link relations compare case-insensitively).
		{Href: u + "/schema", Rel: "describedBy", Type: mediaJSONSchema, Title: "要素结构"},
	}
	if s.tiles != nil {
		links = append(links, link{Href: u + "/tiles", Rel: relOGC + "tilesets-vector", Type: mediaJSON, Title: coll.Title + "矢量瓦片"})
	}
	return fiber.Map{
		"id": coll.ID, "title": coll.Title, "description": coll.Description, "itemType": "feature",
		"extent": e.json(), "crs": crsURIs(), "storageCrs": supportedCRS()[1].URI, "links": links,
	}
}

// extentsCached reads the extents at most every extentTTL: a full scan of a large table for
// every /collections request would dominate it.
func (s *Server) extentsCached(ctx context.Context) (map[string]extent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.extents != nil && time.Since(s.extentAt) < extentTTL {
		return s.extents, nil
	}
	ext, err := s.store.extents(ctx)
	if err != nil {
		return nil, err
	}
	s.extents, s.extentAt = ext, time.Now()
	return ext, nil
}

// queryables serves the JSON Schema of what filters may name (Part 3).
func (s *Server) queryables(c *fiber.Ctx) error {
	coll, err := s.collection(c)
	if err != nil {
		return err
	}
	props := orderedProps(coll.Props,
		namedSchema{"geometry", fiber.Map{"title": "几何", "format": "geometry-any", "x-ogc-role": "primary-geometry"}},
		namedSchema{"id", fiber.Map{"title": "要素标识", "type": jsonType(coll.IDType)["type"], "x-ogc-role": "id"}})
	return s.send(c, mediaJSONSchema, coll.Title+" 可查询属性", fiber.Map{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     s.base(c) + "/collections/" + coll.ID + "/queryables",
		"type":    "object", "title": coll.Title, "properties": props, "additionalProperties": false,
	})
}

// schema serves the JSON Schema of one GeoJSON feature of the collection, which GDAL reads to
// type its fields.
func (s *Server) schema(c *fiber.Ctx) error {
	coll, err := s.collection(c)
	if err != nil {
		return err
	}
	props := orderedProps(coll.Props)
	return s.send(c, mediaJSONSchema, coll.Title+" 要素结构", fiber.Map{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     s.base(c) + "/collections/" + coll.ID + "/schema",
		"title":   coll.Title, "type": "object", "required": []string{"type", "geometry", "properties"},
		"properties": fiber.Map{
			"type":       fiber.Map{"type": "string", "enum": []string{"Feature"}},
			"id":         jsonType(coll.IDType),
			"geometry":   fiber.Map{"type": "object", "format": "geometry-any"},
			"properties": fiber.Map{"type": "object", "properties": props},
		},
	})
}

type namedSchema struct {
	name   string
	schema fiber.Map
}

// orderedProps writes a JSON Schema "properties" object keeping the catalogue's order (a map
// would sort it, and GDAL makes its fields in this order): first the extras, then props.
func orderedProps(props []property, extra ...namedSchema) json.RawMessage {
	for _, p := range props {
		extra = append(extra, namedSchema{p.Name, propSchema(p)})
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, n := range extra {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(mustJSON(n.name))
		b.WriteByte(':')
		b.Write(mustJSON(n.schema))
	}
	b.WriteByte('}')
	return b.Bytes()
}

func propSchema(p property) fiber.Map {
	m := jsonType(p.Type)
	m["title"] = p.Title
	if p.Enum != nil {
		m["enum"] = p.Enum
	}
	return m
}

// jsonType is the JSON Schema type (and format) of a queryable type.
func jsonType(t cql2.Type) fiber.Map {
	switch t {
	case cql2.TypeNumber:
		return fiber.Map{"type": "number"}
	case cql2.TypeInteger:
		return fiber.Map{"type": "integer"}
	case cql2.TypeBool:
		return fiber.Map{"type": "boolean"}
	case cql2.TypeDate:
		return fiber.Map{"type": "string", "format": "date"}
	case cql2.TypeTimestamp:
		return fiber.Map{"type": "string", "format": "date-time"}
	}
	return fiber.Map{"type": "string"}
}
