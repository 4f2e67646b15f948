package api

import (
	"crypto/subtle"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/config"
	"github.com/onemap/onemap/internal/problem"
)

// Access control is laid out in New by position: the routes mounted before readGuard are public
// (health, the UI's own files, signing in and out); every route mounted after it needs a signed-in
// user unless anonymous reads are allowed, and routes that change or export data add require.
// TestEveryRouteGuarded walks the router so that a new route cannot miss its guard.

// readGuard lets a request on when anonymous reads are allowed or a user signed in, else 401.
func readGuard(anonymous bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if anonymous || currentUser(c) != nil {
			return c.Next()
		}
		return problem.ErrUnauthorized
	}
}

// unsafeMethod tells whether a method may change state (CSRF applies to those).
func unsafeMethod(m string) bool {
	return m != fiber.MethodGet && m != fiber.MethodHead && m != fiber.MethodOptions
}

// sameOrigin refuses a state-changing request riding on the session cookie unless it comes from
// this site: its Origin (else Referer) must be the server's own origin (ONEMAP_BASE_URL's, or the
// request's own scheme and host). Browsers always send Origin on cross-site POSTs, so a forged
// form (even text/plain) on another site cannot use an analyst's cookie. A sign-in posted from
// another site is refused the same way. Requests with an Authorization header carry no ambient
// credential and pass.
func sameOrigin(baseURL string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !unsafeMethod(c.Method()) || !(viaCookie(c) || strings.HasSuffix(c.Path(), "/login")) {
			return c.Next()
		}
		from := c.Get(fiber.HeaderOrigin)
		if from == "" || from == "null" {
			if ref, err := url.Parse(c.Get(fiber.HeaderReferer)); err == nil && ref.Host != "" {
				from = ref.Scheme + "://" + ref.Host
			} else if viaCookie(c) {
				return csrfError("the request carries no Origin or Referer")
			} else {
				return c.Next() // a sign-in from a script or tool, not a browser page
			}
		}
		if !strings.EqualFold(from, ownOrigin(c, baseURL)) {
			return csrfError("it came from " + from)
		}
		return c.Next()
	}
}

func csrfError(why string) error {
	return &problem.Error{Status: fiber.StatusForbidden, Title: "Forbidden", Detail: "cross-site request refused (CSRF): " + why +
		"; send the token in an Authorization header, or post from this site"}
}

// ownOrigin is the origin this server answers at.
func ownOrigin(c *fiber.Ctx, baseURL string) string {
	if baseURL != "" {
		if u, err := url.Parse(baseURL); err == nil {
			return u.Scheme + "://" + u.Host
		}
	}
	return c.Protocol() + "://" + c.Hostname()
}

// securityHeaders sets the browser protections on every answer: a Content-Security-Policy with
// no inline script, nosniff, no framing by other sites (except the CORS allowlist, which may
// embed the map), and no full URLs (filters, drawn areas) in Referer to other sites.
func securityHeaders(cfg config.Config) fiber.Handler {
	csp := contentSecurityPolicy(cfg)
	return func(c *fiber.Ctx) error {
		err := c.Next()
		h := &c.Response().Header
		h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		h.Set(fiber.HeaderXFrameOptions, "SAMEORIGIN")
		h.Set(fiber.HeaderReferrerPolicy, "same-origin")
		h.Set(fiber.HeaderContentSecurityPolicy, csp)
		return err
	}
}

// contentSecurityPolicy allows the UI's own scripts, MapLibre's blob workers, and images and
// fetches from the configured basemaps only (the Tianditu hosts only with a key).
func contentSecurityPolicy(cfg config.Config) string {
	ext := strings.Join(append([]string{""}, cfg.BasemapOrigins()...), " ")
	ancestors := strings.Join(append([]string{"'self'"}, cfg.CORSOrigins...), " ")
	return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:" + ext +
		"; connect-src 'self'" + ext + "; worker-src 'self' blob:; child-src 'self' blob:; font-src 'self' data:" +
		"; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors " + ancestors
}

// corsReads lets the allowlisted origins (ONEMAP_CORS_ORIGINS; none by default) read tiles,
// TileJSON, the OGC API and the read APIs with a bearer token, preflights included. Only GET and
// HEAD are offered, so no other site can write. Nil when the list is empty.
func corsReads(origins []string) fiber.Handler {
	if len(origins) == 0 {
		return nil
	}
	return cors.New(cors.Config{
		AllowOrigins:  strings.Join(origins, ","),
		AllowMethods:  "GET,HEAD",
		AllowHeaders:  "Authorization,Accept,Accept-Encoding,If-None-Match,Content-Type",
		ExposeHeaders: "ETag,Content-Crs,Link,Content-Disposition," + DataVersionHeader,
		MaxAge:        600,
	})
}

// metricsGuard opens /metrics to the operator's token (ONEMAP_METRICS_TOKEN, as a bearer token)
// or to a signed-in admin; anyone else gets 401 or 403.
func metricsGuard(token string, svc *auth.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cred, _ := credential(c)
		if token != "" && subtle.ConstantTimeCompare([]byte(cred), []byte(token)) == 1 {
			return c.Next()
		}
		if cred == "" {
			return problem.ErrUnauthorized
		}
		u, err := svc.Verify(c.UserContext(), cred)
		if err != nil {
			return err
		}
		if u.Role != auth.Admin {
			return &problem.Error{Status: fiber.StatusForbidden, Title: "Forbidden", Detail: "metrics are for the operator (ONEMAP_METRICS_TOKEN) or an admin"}
		}
		return c.Next()
	}
}
