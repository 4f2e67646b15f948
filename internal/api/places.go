package api

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/imports"
	"github.com/onemap/onemap/internal/problem"
)

// places loads an uploaded boundary file (kind region or zone) for an admin, in one transaction,
// and answers 201 with what it changed (or, dry_run=true, would change).
func (h *importRoutes) places(c *fiber.Ctx, up *upload, kind string) error {
	u := currentUser(c)
	if u == nil || u.Role != auth.Admin {
		return &problem.Error{Status: fiber.StatusForbidden, Title: "Forbidden", Detail: "regions and zones are loaded by an admin"}
	}
	if up.path == "" {
		return problem.Invalid("file", "send the boundary file as multipart/form-data field \"file\"")
	}
	o := imports.PlaceOptions{Kind: kind, SRS: up.field("srs"), Encoding: up.field("encoding"), FileName: up.name, Actor: u.Username}
	if v := up.field("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return problem.Invalid("dry_run", "%q is not true or false", v)
		}
		o.DryRun = b
	}
	entry := importEntry(u, c.IP(), imports.Options{Kind: kind, FileName: up.name, DryRun: o.DryRun})
	rep, err := h.svc.ImportPlaces(c.UserContext(), up.path, o)
	entry.Detail["outcome"], entry.Detail["changes"] = "done", map[string]int{
		"inserted": rep.Inserted, "updated": rep.Updated, "rejected": rep.Rejected, "assets_moved": int(rep.AssetsMoved),
	}
	if err != nil {
		entry.Detail["outcome"] = "failed"
	}
	if aerr := h.audit.Record(c.UserContext(), entry); aerr != nil {
		return errors.Join(err, aerr)
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(rep)
}

// cityRoutes let an admin name the city (or province) the deployment serves.
type cityRoutes struct{ svc *assets.Service }

func (h *cityRoutes) mount(r fiber.Router) {
	r.Put("/city", require(auth.Admin), h.put)
}

func (h *cityRoutes) put(c *fiber.Ctx) error {
	var city assets.City
	if err := c.BodyParser(&city); err != nil {
		return problem.Invalid("body", `send {"name": "衡阳市", "code": "430400", "level": "city"}`)
	}
	if city.Level == "" {
		city.Level = "city"
	}
	if err := h.svc.SetCity(c.UserContext(), city); err != nil {
		return err
	}
	return c.JSON(city)
}
