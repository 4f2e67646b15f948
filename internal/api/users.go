package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// userRoutes serve the administration of accounts under /api/v1/users (admins only).
type userRoutes struct{ svc *auth.Service }

func (h *userRoutes) mount(r fiber.Router) {
	g := r.Group("/users", require(auth.Admin))
	g.Get("/", h.list)
	g.Post("/", h.create)
	g.Patch("/:id", h.update)
	g.Post("/:id/password", h.reset)
	g.Get("/:id/tokens", h.tokens)
	g.Delete("/:id/tokens", h.revokeAll)
	g.Delete("/:id/tokens/:tid", h.revoke)
}

// decodeStrict reads a JSON body into dst; an unknown field or a wrong type is a 400 naming it.
func decodeStrict(c *fiber.Ctx, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return problem.Invalid(te.Field, "must be a %s", te.Type)
	case errors.Is(err, io.EOF):
		return problem.Invalid("body", "a JSON object is required")
	case err != nil && strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no error type for this one: the message is its only form.
		return problem.Invalid(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "is not a field of this request")
	case err != nil:
		return problem.Invalid("body", "%v", err)
	}
	return nil
}

func (h *userRoutes) list(c *fiber.Ctx) error {
	users, err := h.svc.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": users})
}

// create adds an account whose password must be changed at the first sign-in; without a
// password one is generated and returned once.
func (h *userRoutes) create(c *fiber.Ctx) error {
	var in struct {
		Username    string  `json:"username"`
		DisplayName string  `json:"display_name"`
		Role        string  `json:"role"`
		RegionCode  *string `json:"region_code"`
		UnitCode    *string `json:"unit_code"`
		Password    string  `json:"password"`
	}
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	in.RegionCode, in.UnitCode = nonEmpty(in.RegionCode), nonEmpty(in.UnitCode)
	pw, generated, err := passwordOrNew(in.Password)
	if err != nil {
		return err
	}
	u := auth.User{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, RegionCode: in.RegionCode, UnitCode: in.UnitCode}
	u, err = h.svc.CreateUser(c.UserContext(), auth.ActorOf(currentUser(c), c.IP()), u, pw, false)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"user": u, "password": generated})
}

// nonEmpty is s, or nil when s is empty.
func nonEmpty(s *string) *string {
	if s != nil && *s == "" {
		return nil
	}
	return s
}

// passwordOrNew returns pw, or a generated password (also returned as generated) when pw is empty.
func passwordOrNew(pw string) (string, *string, error) {
	if pw != "" {
		return pw, nil, nil
	}
	gen, err := auth.GeneratePassword()
	return gen, &gen, err
}

func (h *userRoutes) update(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	var p auth.Patch
	if err := decodeStrict(c, &p); err != nil {
		return err
	}
	if p == (auth.Patch{}) {
		return problem.Invalid("body", "name at least one of role, region_code, unit_code, display_name, disabled, locked")
	}
	a, err := h.svc.UpdateUser(c.UserContext(), auth.ActorOf(currentUser(c), c.IP()), id, p)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// reset sets a new password (given, or generated and returned once) that the user must change at
// the next sign-in; every session and token of the user ends.
func (h *userRoutes) reset(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Password string `json:"password"`
	}
	if len(c.Body()) > 0 {
		if err := decodeStrict(c, &in); err != nil {
			return err
		}
	}
	pw, generated, err := passwordOrNew(in.Password)
	if err != nil {
		return err
	}
	if err := h.svc.ResetPassword(c.UserContext(), auth.ActorOf(currentUser(c), c.IP()), id, pw); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"password": generated, "must_change_password": true})
}

func (h *userRoutes) tokens(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	toks, err := h.svc.Tokens(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": toks})
}

func (h *userRoutes) revoke(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	tid, err := httpx.PathInt(c, "tid")
	if err != nil {
		return err
	}
	if err := h.svc.RevokeToken(c.UserContext(), auth.ActorOf(currentUser(c), c.IP()), id, tid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *userRoutes) revokeAll(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	n, err := h.svc.RevokeAll(c.UserContext(), auth.ActorOf(currentUser(c), c.IP()), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"revoked": n})
}
