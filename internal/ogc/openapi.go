package ogc

import (
	"github.com/gofiber/fiber/v2"
)

type obj = map[string]any

// api serves the OpenAPI 3.0 definition: every path and every parameter, with one items path
// per collection so that its queryables are parameters of their own (GDAL reads them there).
func (s *Server) api(c *fiber.Ctx) error {
	paths := obj{
		"/":            op("Landing page", "landing", nil, mediaJSON),
		"/conformance": op("Conformance classes", "conformance", nil, mediaJSON),
		"/api":         op("This API definition", "api", nil, mediaOpenAPI),
		"/collections": op("The collections", "collections", nil, mediaJSON),
	}
	for _, coll := range s.colls {
		s.collectionPaths(paths, coll)
	}
	if s.tiles != nil {
		s.tilePaths(paths)
	}
	return s.send(c, mediaOpenAPI, "OneMap OGC API — OpenAPI", obj{
		"openapi": "3.0.3",
		"info": obj{
			"title": "OneMap OGC API", "version": "1.0.0",
			"description": s.apiDescription(),
		},
		"servers":    []obj{{"url": s.base(c)}},
		"paths":      paths,
		"components": obj{"parameters": parameters(s.collectionIDs())},
	})
}

func (s *Server) collectionPaths(paths obj, coll *collection) {
	p := "/collections/" + coll.ID
	items := op(coll.Title+": features", coll.ID+"-items", itemsParamRefs(), mediaGeoJSON)
	params := items["get"].(obj)["parameters"].([]obj)
	for _, q := range append([]property{{Name: "id", Title: "要素标识", Type: coll.IDType}}, coll.Props...) {
		params = append(params, obj{
			"name": q.Name, "in": "query", "required": false, "style": "form", "explode": false,
			"description": q.Title + "：等于该值的要素（枚举属性可用逗号分隔多个值）", "schema": obj(propSchema(q)),
		})
	}
	items["get"].(obj)["parameters"] = params
	paths[p] = op(coll.Title+": the collection", coll.ID, []obj{ref("f")}, mediaJSON)
	paths[p+"/items"] = items
	paths[p+"/items/{featureId}"] = op(coll.Title+": one feature", coll.ID+"-item",
		[]obj{ref("featureId"), ref("crs"), ref("f")}, mediaGeoJSON)
	if s.editable() && coll.Kind != "" {
		editPaths(items, paths[p+"/items/{featureId}"].(obj), coll)
	}
	paths[p+"/queryables"] = op(coll.Title+": queryables", coll.ID+"-queryables", []obj{ref("f")}, mediaJSONSchema)
	paths[p+"/schema"] = op(coll.Title+": feature schema", coll.ID+"-schema", []obj{ref("f")}, mediaJSONSchema)
}

func itemsParamRefs() []obj {
	var out []obj
	for _, name := range itemsParams() {
		out = append(out, ref(name))
	}
	return out
}

func ref(name string) obj { return obj{"$ref": "#/components/parameters/" + name} }

// op is a GET operation answering media (and HTML), 400 and 404.
func op(summary, id string, params []obj, media string) obj {
	if params == nil {
		params = []obj{ref("f")}
	}
	return obj{"get": obj{
		"summary": summary, "operationId": id, "parameters": params,
		"responses": obj{
			"200": obj{"description": summary, "content": obj{
				media: obj{"schema": obj{"type": "object"}}, mediaHTML: obj{"schema": obj{"type": "string"}},
			}},
			"400": obj{"description": "a parameter is invalid (application/problem+json names it)"},
			"404": obj{"description": "no such collection or feature"},
		},
	}}
}

func queryParam(name, desc string, schema obj) obj {
	return obj{
		"name": name, "in": "query", "required": false, "description": desc, "schema": schema,
		"style": "form", "explode": false,
	}
}

// parameters are the shared parameter definitions.
func parameters(collectionIDs string) obj {
	crsEnum := obj{"type": "string", "format": "uri", "enum": crsURIs(), "default": uriCRS84}
	return obj{
		"f":        queryParam("f", "format: json (GeoJSON for features) or html", obj{"type": "string", "enum": []string{"json", "html"}}),
		"limit":    queryParam("limit", "features per page; more than 10000 is served as 10000", obj{"type": "integer", "minimum": 1, "maximum": maxLimit, "default": defaultLimit}),
		"offset":   queryParam("offset", "features to skip (the next and prev links carry it)", obj{"type": "integer", "minimum": 0, "default": 0}),
		"bbox":     queryParam("bbox", "minx,miny,maxx,maxy in bbox-crs's axis order (lat,lon for EPSG:4326 and EPSG:4490)", obj{"type": "array", "minItems": 4, "maxItems": 6, "items": obj{"type": "number"}}),
		"bbox-crs": queryParam("bbox-crs", "CRS of bbox (default CRS84)", crsEnum),
		"crs":      queryParam("crs", "CRS of the returned geometries (default CRS84); the Content-Crs header names it", crsEnum),
		"datetime": queryParam("datetime", "instant or interval (a/b, .. for open) on updated_at (asset collections only)", obj{"type": "string"}),
		"filter":   queryParam("filter", "CQL2 filter over the queryables, e.g. stage = 'idle' AND S_INTERSECTS(geometry, BBOX(114,29,115,30))", obj{"type": "string"}),
		"filter-lang": queryParam("filter-lang", "cql2-text (default) or cql2-json; cql-text is read as cql2-text", obj{
			"type": "string",
			"enum": []string{"cql2-text", "cql2-json", "cql-text"}, "default": "cql2-text",
		}),
		"filter-crs": queryParam("filter-crs", "CRS of geometries in the filter (default CRS84)", crsEnum),
		"sortby":     queryParam("sortby", "comma-separated queryables, - for descending: -area_mu,code", obj{"type": "array", "items": obj{"type": "string"}}),
		"properties": queryParam("properties", "comma-separated properties to return (empty: none)", obj{"type": "array", "items": obj{"type": "string"}}),
		"resultType": queryParam("resultType", "hits returns numberMatched only", obj{"type": "string", "enum": []string{"results", "hits"}, "default": "results"}),
		"featureId":  obj{"name": "featureId", "in": "path", "required": true, "description": "assets: id; zones and regions: code", "schema": obj{"type": "string"}},
		"collectionId": obj{
			"name": "collectionId", "in": "path", "required": true, "description": "one of " + collectionIDs,
			"schema": obj{"type": "string"},
		},
	}
}
