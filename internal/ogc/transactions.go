package ogc

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// OGC API – Features Part 4 (create, replace, update, delete) on the five asset collections.
// Every write goes through the asset service, as /api/v1/assets does: the same role (checked by
// Options.Editor), region scope, validation, topology check and history. Optimistic locking is
// the asset's version: GET answers it as the ETag ("N"), If-Match ("N" or W/"N") must name it
// (412 when stale); a write without If-Match applies to the current version (Part 4 makes the
// precondition optional).

// Writer is what Part 4 needs from the asset service (*assets.Service).
type Writer interface {
	Create(ctx context.Context, actor assets.Actor, note string, a assets.NewAsset) (assets.Asset, error)
	Update(ctx context.Context, id int64, actor assets.Actor, ch assets.Change) (assets.Asset, error)
	Delete(ctx context.Context, id int64, version int, actor assets.Actor, note string) error
	ToCGCS2000(ctx context.Context, g orb.Geometry, srid int) (orb.Geometry, error)
}

// Editor admits a request that may change assets (401 or 403 otherwise) and says who makes it.
type Editor func(c *fiber.Ctx) (assets.Actor, error)

const (
	confCreate = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete"
	confUpdate = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update"
)

// registerEdits adds the Part 4 routes.
func (s *Server) registerEdits(g fiber.Router) {
	g.Post("/collections/:collectionId/items", s.createItem)
	g.Put("/collections/:collectionId/items/:featureId", s.replaceItem)
	g.Patch("/collections/:collectionId/items/:featureId", s.patchItem)
	g.Delete("/collections/:collectionId/items/:featureId", s.deleteItem)
}

// editable reports whether Part 4 is wired.
func (s *Server) editable() bool { return s.writer != nil && s.editor != nil }

// editTarget admits the editor first (no collection is revealed to a caller who may not edit),
// then finds the collection, which must be an asset kind's.
func (s *Server) editTarget(c *fiber.Ctx) (*collection, assets.Actor, error) {
	who, err := s.editor(c)
	if err != nil {
		return nil, who, err
	}
	coll, err := s.collection(c)
	if err != nil {
		return nil, who, err
	}
	if coll.Kind == "" {
		return nil, who, &problem.Error{Status: fiber.StatusMethodNotAllowed, Title: "Method Not Allowed",
			Detail: "collection " + coll.ID + " is read-only: only the asset collections take changes"}
	}
	return coll, who, nil
}

// createItem serves POST /collections/{kind}/items: 201 with Location and ETag.
func (s *Server) createItem(c *fiber.Ctx) error {
	coll, who, err := s.editTarget(c)
	if err != nil {
		return err
	}
	b, err := readFeature(c, false, s.writer.ToCGCS2000)
	if err != nil {
		return err
	}
	a, note, err := b.newAsset(coll)
	if err != nil {
		return err
	}
	created, err := s.writer.Create(c.UserContext(), who, note, a)
	if err != nil {
		return err
	}
	s.store.counts.clear()
	c.Location(s.itemURL(c, coll, created.ID))
	return s.sendEdited(c.Status(fiber.StatusCreated), coll, created)
}

// replaceItem serves PUT: every editable property and the geometry are replaced.
func (s *Server) replaceItem(c *fiber.Ctx) error { return s.changeItem(c, true) }

// patchItem serves PATCH (a JSON merge patch of the feature): what the body names changes.
func (s *Server) patchItem(c *fiber.Ctx) error { return s.changeItem(c, false) }

func (s *Server) changeItem(c *fiber.Ctx, replace bool) error {
	coll, who, id, v, err := s.editFeature(c)
	if err != nil {
		return err
	}
	b, err := readFeature(c, !replace, s.writer.ToCGCS2000)
	if err != nil {
		return err
	}
	if replace && !b.hasGeom {
		return problem.Unprocessable("geometry", "is required: PUT replaces the whole feature (PATCH changes a part)")
	}
	ch, err := b.change(coll, replace)
	if err != nil {
		return err
	}
	ch.Version = v
	a, err := s.writer.Update(c.UserContext(), id, who, ch)
	if err != nil {
		return err
	}
	s.store.counts.clear()
	return s.sendEdited(c, coll, a)
}

// deleteItem serves DELETE: a soft delete (the asset can be restored through /api/v1).
func (s *Server) deleteItem(c *fiber.Ctx) error {
	_, who, id, v, err := s.editFeature(c)
	if err != nil {
		return err
	}
	if err := s.writer.Delete(c.UserContext(), id, v, who, c.Query("note")); err != nil {
		return err
	}
	s.store.counts.clear()
	return c.SendStatus(fiber.StatusNoContent)
}

// editFeature reads what a change of one feature needs: the collection, the editor, the id and
// the version the change is made on (If-Match, else the current one).
func (s *Server) editFeature(c *fiber.Ctx) (*collection, assets.Actor, int64, int, error) {
	coll, who, err := s.editTarget(c)
	if err != nil {
		return nil, who, 0, 0, err
	}
	raw, err := featureID(coll, c.Params("featureId"))
	if err != nil {
		return nil, who, 0, 0, err
	}
	id := raw.(int64)
	current, err := s.store.version(c.UserContext(), coll, id)
	if err != nil {
		return nil, who, 0, 0, err
	}
	v, err := ifMatch(c.Get(fiber.HeaderIfMatch), current)
	return coll, who, id, v, err
}

// ifMatch reads the version an If-Match names: "3" or W/"3" (the ETag GET gave), * or nothing for
// the current one. The asset service compares it with the stored version (412 when stale) after
// checking the editor's region.
func ifMatch(h string, current int) (int, error) {
	h = strings.TrimSpace(h)
	if h == "" || h == "*" {
		return current, nil
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil {
		return 0, problem.Invalid("If-Match", "%q is not an ETag of this API (a version such as \"3\")", h)
	}
	return v, nil
}

// etag is the ETag of an asset's version, as /api/v1/assets writes it.
func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

func (s *Server) itemURL(c *fiber.Ctx, coll *collection, id int64) string {
	return s.base(c) + "/collections/" + coll.ID + "/items/" + url.PathEscape(fmt.Sprint(id))
}

// sendEdited answers a write with the feature as GET now serves it (CRS84) and its ETag.
func (s *Server) sendEdited(c *fiber.Ctx, coll *collection, a assets.Asset) error {
	crs := supportedCRS()[0]
	f, err := s.store.item(c.UserContext(), coll, a.ID, crs)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, etag(a.Version))
	body := featureJSON(f, []link{
		{Href: s.itemURL(c, coll, a.ID), Rel: "self", Type: mediaGeoJSON},
		{Href: s.base(c) + "/collections/" + coll.ID, Rel: "collection", Type: mediaJSON, Title: coll.Title},
	})
	return s.sendFeatures(c, false, crs, "", body)
}

// apiDescription is the OpenAPI document's description.
func (s *Server) apiDescription() string {
	if !s.editable() {
		return "OGC API – Features Parts 1–3 and OGC API – Tiles for OneMap's state-owned assets. Read-only."
	}
	return "OGC API – Features Parts 1–4 and OGC API – Tiles for OneMap's state-owned assets. The asset " +
		"collections take creates, replaces, updates and deletes (Part 4) from analysts within their region; " +
		"bodies are GeoJSON in CRS84 unless Content-Crs names EPSG:4490, EPSG:4326 or EPSG:3857. GET answers " +
		"a feature's version as its ETag; If-Match with it makes a write fail with 412 when the feature has " +
		"changed since (without If-Match a write applies to the current version). code, kind, region, zone, " +
		"areas and updated_at are the server's: a replace or update leaves them as they are."
}

// editPaths adds the Part 4 operations of an asset collection to its items and item paths.
func editPaths(items, item obj, coll *collection) {
	body := obj{"required": true, "content": obj{
		mediaGeoJSON: obj{"schema": obj{"type": "object"}}, mediaJSON: obj{"schema": obj{"type": "object"}},
	}}
	crsHeader := obj{"name": "Content-Crs", "in": "header", "required": false,
		"description": "CRS of the body's geometry (default CRS84): " + strings.Join(crsURIs(), ", "), "schema": obj{"type": "string"}}
	ifMatchHeader := obj{"name": "If-Match", "in": "header", "required": false,
		"description": "the ETag GET answered (\"N\" or W/\"N\"): 412 when the feature changed since", "schema": obj{"type": "string"}}
	errs := obj{
		"400": obj{"description": "the body is not a GeoJSON Feature, or a header is invalid (problem+json names it)"},
		"401": obj{"description": "not signed in"},
		"403": obj{"description": "not an analyst, or the feature lies outside the analyst's region"},
		"404": obj{"description": "no such feature"},
		"409": obj{"description": "the code is taken"},
		"412": obj{"description": "If-Match names a version other than the current one"},
		"422": obj{"description": "a property or the geometry is invalid (problem+json names it)"},
	}
	write := func(summary, id string, params []obj, okCode, okDesc string, withBody bool) obj {
		resp := obj{okCode: obj{"description": okDesc}}
		for k, v := range errs {
			resp[k] = v
		}
		o := obj{"summary": summary, "operationId": id, "parameters": params, "responses": resp}
		if withBody {
			o["requestBody"] = body
		}
		return o
	}
	items["post"] = write(coll.Title+": add a feature", coll.ID+"-create", []obj{crsHeader},
		"201", "created: Location names the new feature, ETag its version", true)
	one := []obj{ref("featureId"), crsHeader, ifMatchHeader}
	item["put"] = write(coll.Title+": replace a feature (every editable property and the geometry)", coll.ID+"-replace", one, "200", "replaced: the feature and its ETag", true)
	item["patch"] = write(coll.Title+": update a feature (JSON merge patch of properties and/or geometry)", coll.ID+"-update", one, "200", "updated: the feature and its ETag", true)
	item["delete"] = write(coll.Title+": delete a feature (kept in the history, restorable)", coll.ID+"-delete",
		[]obj{ref("featureId"), ifMatchHeader}, "204", "deleted", false)
}
