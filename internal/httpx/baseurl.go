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
// configured ONEMAP_BASE_URL when set. Without it the request's scheme and host are used (the
// forwarded ones only from trusted proxies) when the host is a plain name or address; a Host
// header that is anything else is replaced by the address the request reached, so a forged Host
// cannot plant a foreign or malformed URL in a link.
func BaseURL(configured string) fiber.Handler {
	configured = strings.TrimRight(configured, "/")
	return func(c *fiber.Ctx) error {
		base := configured
		if base == "" {
			host := c.Hostname()
			if !hostSyntax.MatchString(host) {
				host = c.Context().LocalAddr().String()
			}
			base = c.Protocol() + "://" + host
		}
		c.Locals(baseKey, base)
		return c.Next()
	}
}

// Base returns the request's base URL as set by BaseURL (or Fiber's own when it did not run).
func Base(c *fiber.Ctx) string {
	if b, ok := c.Locals(baseKey).(string); ok {
		return b
	}
	return strings.Clone(c.BaseURL())
}
