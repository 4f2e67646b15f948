package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/bookmarks"
	"github.com/onemap/onemap/internal/httpx"
)

// bookmarkRoutes serve /api/v1/bookmarks: every signed-in user keeps saved views; an admin
// sets shared ones.
type bookmarkRoutes struct{ svc *bookmarks.Service }

func (h *bookmarkRoutes) mount(r fiber.Router) {
	anyUser := require(auth.Roles...)
	r.Get("/bookmarks", anyUser, h.list)
	r.Post("/bookmarks", anyUser, h.create)
	r.Delete("/bookmarks/:id", anyUser, h.remove)
}

// bookmarkUser is the signed-in user as bookmarks see them (require has made sure of one).
func bookmarkUser(c *fiber.Ctx) bookmarks.User {
	u := currentUser(c)
	return bookmarks.User{ID: u.ID, Name: u.Username, Admin: u.Role == auth.Admin}
}

func (h *bookmarkRoutes) list(c *fiber.Ctx) error {
	list, err := h.svc.List(c.UserContext(), bookmarkUser(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": list})
}

func (h *bookmarkRoutes) create(c *fiber.Ctx) error {
	var n bookmarks.New
	if err := decodeStrict(c, &n); err != nil {
		return err
	}
	b, err := h.svc.Create(c.UserContext(), bookmarkUser(c), n)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(b)
}

func (h *bookmarkRoutes) remove(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.UserContext(), bookmarkUser(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
