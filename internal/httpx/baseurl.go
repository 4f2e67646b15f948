package httpx

import (
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const baseKey = "onemap.base"

// hostSyntax is what a Host header may hold to be used in a link: a name or an address and a port.
var hostSyntax = regexp.MustCompile(`^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$`)

// BaseURL fixes the absolute URL links are built from (GDAL and QGIS need absolute links): the
// configured ONEMAP_BASE_URL when set. Without it Base uses the request's scheme and host (the
// forwarded ones only from trusted proxies) when the host is a plain name or address; a Host
// header that is anything else is replaced by the address the request reached, so a forged Host
// cannot plant a foreign or malformed URL in a link. Only handlers that build links pay for it.
func BaseURL(configured string) fiber.Handler {
	configured = strings.TrimRight(configured, "/")
	return func(c *fiber.Ctx) error {
		c.Locals(baseKey, configured)
		return c.Next()
	}
}

// Base returns the request's base URL as BaseURL describes it.
func Base(c *fiber.Ctx) string {
	if b, ok := c.Locals(baseKey).(string); ok && b != "" {
		return b
	}
	host := c.Hostname()
	if !hostSyntax.MatchString(host) {
		host = c.Context().LocalAddr().String()
	}
	return c.Protocol() + "://" + host
}
