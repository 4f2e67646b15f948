package api

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// editRoutes change assets; every change needs an analyst (or admin) within their region.
type editRoutes struct{ svc *assets.Service }

func (h *editRoutes) mount(r fiber.Router) {
	// Per route, not a Group: a Group's middleware would also catch GET /assets/:id.
	analyst := require(auth.Analyst)
	r.Post("/assets", analyst, h.create)
	r.Post("/assets/topology", analyst, h.topology)
	r.Patch("/assets/:id", analyst, h.update)
	r.Delete("/assets/:id", analyst, h.remove)
	r.Post("/assets/:id/restore", analyst, h.restore)
}

// version reads the version the editor saw: If-Match ("3" or W/"3") or the body's "version".
func version(c *fiber.Ctx, body map[string]json.RawMessage) (int, error) {
	if m := c.Get(fiber.HeaderIfMatch); m != "" {
		v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(m, "W/"), `"`))
		if err != nil {
			return 0, problem.Invalid("If-Match", "%q is not a version number", m)
		}
		return v, nil
	}
	raw, ok := body["version"]
	var v int
	if !ok || json.Unmarshal(raw, &v) != nil {
		return 0, problem.Invalid("version", "send the version you edited (body \"version\" or If-Match)")
	}
	return v, nil
}

// actor is the signed-in user as the asset service knows them: the service checks their region
// against where each asset lies.
func actor(c *fiber.Ctx) assets.Actor {
	u := currentUser(c)
	return assets.Actor{Name: u.Username, UserID: u.ID, Region: u.RegionCode}
}

func (h *editRoutes) update(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(c.Body(), &body); err != nil {
		return problem.Invalid("body", "is not a JSON object: %v", err)
	}
	ch := assets.Change{Fields: map[string]json.RawMessage{}}
	if ch.Version, err = version(c, body); err != nil {
		return err
	}
	if ch.Geometry, err = h.bodyGeometry(c, body); err != nil {
		return err
	}
	for k, v := range body {
		switch k {
		case "version", "geometry", "crs":
		case "overlap_reason":
			if json.Unmarshal(v, &ch.OverlapReason) != nil {
				return problem.Invalid("overlap_reason", "must be a string")
			}
		case "note":
			if json.Unmarshal(v, &ch.Note) != nil {
				return problem.Invalid("note", "must be a string")
			}
		case "facts":
			if json.Unmarshal(v, &ch.Facts) != nil {
				return problem.Invalid("facts", "must be an object")
			}
		default:
			ch.Fields[k] = v
		}
	}
	a, err := h.svc.Update(c.UserContext(), id, actor(c), ch)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(a.Version)+`"`)
	return c.JSON(a)
}

func (h *editRoutes) remove(c *fiber.Ctx) error  { return h.setDeleted(c, true) }
func (h *editRoutes) restore(c *fiber.Ctx) error { return h.setDeleted(c, false) }

func (h *editRoutes) setDeleted(c *fiber.Ctx, del bool) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	body := map[string]json.RawMessage{}
	if len(c.Body()) > 0 && json.Unmarshal(c.Body(), &body) != nil {
		return problem.Invalid("body", "is not a JSON object")
	}
	v, err := version(c, body)
	if err != nil {
		return err
	}
	var note string
	if raw, ok := body["note"]; ok && json.Unmarshal(raw, &note) != nil {
		return problem.Invalid("note", "must be a string")
	}
	if del {
		err = h.svc.Delete(c.UserContext(), id, v, actor(c), note)
	} else {
		err = h.svc.Restore(c.UserContext(), id, v, actor(c), note)
	}
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
