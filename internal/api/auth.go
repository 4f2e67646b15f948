package api

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/problem"
)

const (
	userKey    = "onemap.user"
	cookieKey  = "onemap.cookie"
	cookieName = "onemap_token"
)

// credential returns the request's token and whether it came from the UI's cookie. The
// Authorization header wins: Bearer TOKEN, or Basic with the token as the password (any user
// name), which is what QGIS's and ArcGIS's built-in Basic authentication send.
func credential(c *fiber.Ctx) (token string, cookie bool) {
	h := c.Get(fiber.HeaderAuthorization)
	scheme, rest, _ := strings.Cut(h, " ")
	switch {
	case strings.EqualFold(scheme, "bearer"):
		return strings.TrimSpace(rest), false
	case strings.EqualFold(scheme, "basic"):
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
		if err != nil {
			return "", false
		}
		_, pass, _ := strings.Cut(string(raw), ":")
		return pass, false
	case h != "":
		return "", false
	}
	return c.Cookies(cookieName), true
}

// viaCookie tells whether the request's user was signed in by the session cookie.
func viaCookie(c *fiber.Ctx) bool {
	v, _ := c.Locals(cookieKey).(bool)
	return v
}

// authenticate puts the token's user in Locals. A bad Authorization header is a 401 (a GIS tool
// must learn its token is wrong); a stale cookie (a session that idled out) is dropped and the
// request goes on as anonymous, so the UI's pages still load and it can offer to sign in.
func authenticate(svc *auth.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		tok, cookie := credential(c)
		if tok == "" && c.Get(fiber.HeaderAuthorization) != "" {
			return fmt.Errorf("authorization header: send Bearer TOKEN or Basic with the token as password: %w", problem.ErrUnauthorized)
		}
		if tok == "" {
			return c.Next()
		}
		u, err := svc.Verify(c.UserContext(), tok)
		switch {
		case err == nil:
			c.Locals(userKey, u)
			c.Locals(cookieKey, cookie)
		case cookie && errors.Is(err, problem.ErrUnauthorized):
			c.ClearCookie(cookieName)
		default:
			return err
		}
		return c.Next()
	}
}

// passwordGate confines a session whose password must be changed (set by an admin, or expired)
// to reading /me, changing the password and signing out: any other API call is a 403 saying so.
func passwordGate(c *fiber.Ctx) error {
	u := currentUser(c)
	if u == nil || !u.MustChangePassword {
		return c.Next()
	}
	switch c.Path() {
	case "/api/v1/me", "/api/v1/me/password", "/api/v1/logout", "/api/v1/login", "/api/v1/config":
		return c.Next()
	}
	if strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/ogc") || strings.HasPrefix(c.Path(), "/tiles/") {
		return &problem.Error{
			Status: fiber.StatusForbidden, Title: "Password change required",
			Detail: "your password must be changed first: POST /api/v1/me/password {\"current\", \"new\"}",
		}
	}
	return c.Next()
}

// currentUser is the authenticated user, or nil.
func currentUser(c *fiber.Ctx) *auth.User {
	u, _ := c.Locals(userKey).(*auth.User)
	return u
}

// require admits users holding one of roles (admin always); 401 without a user, 403 otherwise.
func require(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := allowed(c, roles...); err != nil {
			return err
		}
		return c.Next()
	}
}

// allowed is require's check: nil when the user holds one of roles (admin always).
func allowed(c *fiber.Ctx, roles ...string) error {
	u := currentUser(c)
	if u == nil {
		return problem.ErrUnauthorized
	}
	if !u.Can(roles...) {
		return &problem.Error{Status: fiber.StatusForbidden, Title: "Forbidden", Detail: "role " + u.Role + " may not do this"}
	}
	return nil
}

type authRoutes struct {
	svc *auth.Service
	// session is the absolute lifetime of a sign-in (ONEMAP_SESSION_MAX).
	session time.Duration
}

// mountPublic adds signing in and out, which need no user.
func (h *authRoutes) mountPublic(r fiber.Router) {
	r.Post("/login", h.login)
	r.Post("/logout", h.logout)
}

func (h *authRoutes) mount(r fiber.Router) {
	r.Get("/me", require(auth.Roles...), h.me)
	r.Post("/me/password", require(auth.Roles...), h.password)
	r.Post("/tokens", require(auth.Roles...), h.token)
}

func (h *authRoutes) login(c *fiber.Ctx) error {
	var in struct{ Username, Password string }
	if err := c.BodyParser(&in); err != nil || in.Username == "" || in.Password == "" {
		return problem.Invalid("body", "send {\"username\": ..., \"password\": ...}")
	}
	ses, err := h.svc.Login(c.UserContext(), auth.Attempt{Username: in.Username, Password: in.Password, IP: c.IP()}, h.session)
	if err != nil {
		return err
	}
	// Secure whenever the browser reached us over HTTPS, directly or through a trusted proxy.
	c.Cookie(&fiber.Cookie{
		Name: cookieName, Value: ses.Token, HTTPOnly: true, SameSite: "Strict", Path: "/",
		Secure: c.Protocol() == "https", Expires: time.Now().Add(h.session),
	})
	return c.JSON(fiber.Map{
		"token": ses.Token, "user": ses.User, "expires_in": int(h.session.Seconds()),
		"must_change_password": ses.User.MustChangePassword,
	})
}

func (h *authRoutes) logout(c *fiber.Ctx) error {
	if tok, _ := credential(c); tok != "" {
		if err := h.svc.Logout(c.UserContext(), currentUser(c), c.IP(), tok); err != nil {
			return err
		}
	}
	c.ClearCookie(cookieName)
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *authRoutes) me(c *fiber.Ctx) error { return c.JSON(currentUser(c)) }

// token issues a long-lived token for GIS tools (QGIS, GDAL) of the signed-in user.
func (h *authRoutes) token(c *fiber.Ctx) error {
	var in struct {
		Name string `json:"name"`
		Days int    `json:"days"`
	}
	if err := c.BodyParser(&in); err != nil {
		return problem.Invalid("body", "send {\"name\": ..., \"days\": 1..365}")
	}
	if in.Days < 1 || in.Days > 365 {
		return problem.Invalid("days", "must lie in 1..365")
	}
	tok, err := h.svc.IssueNamed(c.UserContext(), auth.ActorOf(currentUser(c), c.IP()), in.Name, time.Duration(in.Days)*24*time.Hour)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": tok, "name": in.Name, "days": in.Days})
}

// password changes the signed-in user's own password; the user's other sessions end.
func (h *authRoutes) password(c *fiber.Ctx) error {
	var in struct{ Current, New string }
	if err := c.BodyParser(&in); err != nil {
		return problem.Invalid("body", "send {\"current\": ..., \"new\": ...}")
	}
	if in.Current == "" {
		return problem.Invalid("current", "is required")
	}
	if in.New == "" {
		return problem.Invalid("new", "is required")
	}
	if err := h.svc.ChangePassword(c.UserContext(), currentUser(c), c.IP(), in.Current, in.New); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
