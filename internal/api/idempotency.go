package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/idempotency"
	"github.com/onemap/onemap/internal/problem"
)

// idempotencyHeader names the key a client sends to make a POST or PATCH safe to retry.
const idempotencyHeader = "Idempotency-Key"

// idempotent makes a signed-in user's POST or PATCH carrying an Idempotency-Key safe to retry:
// a retry with the same key and request gets the first answer (status, body, Location) without
// the work being done again; another request under the same key is a 422. Uploads (multipart)
// are served without it.
func idempotent(svc *idempotency.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := c.Get(idempotencyHeader)
		u := currentUser(c)
		if key == "" || u == nil || !replayable(c) {
			return c.Next()
		}
		if len(key) > 255 || httpx.BadText(key) != "" {
			return problem.Invalid(idempotencyHeader, "must be text of at most 255 bytes")
		}
		key = strings.Clone(key)
		ctx := c.UserContext()
		prev, replay, err := svc.Begin(ctx, u.ID, key, idempotency.Hash(c.Method(), c.Path(), c.Body()))
		if err != nil {
			return err
		}
		if replay {
			return replayed(c, prev)
		}
		return serveOnce(c, svc, u.ID, key)
	}
}

// replayable tells whether the request is one whose answer may be stored and replayed.
func replayable(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodPost && c.Method() != fiber.MethodPatch {
		return false
	}
	if strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEMultipartForm) {
		return false
	}
	// Answers that carry secrets (tokens) are not stored.
	p := c.Path()
	return !strings.HasSuffix(p, "/login") && !strings.HasSuffix(p, "/logout") && !strings.HasSuffix(p, "/tokens")
}

// serveOnce serves the key's first request and stores its answer; a server-side failure
// forgets the key so that a retry does the work.
func serveOnce(c *fiber.Ctx, svc *idempotency.Service, user int64, key string) error {
	if err := c.Next(); err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			return herr
		}
	}
	ctx := c.UserContext()
	res := c.Response()
	if res.StatusCode() >= 500 {
		return svc.Forget(ctx, user, key)
	}
	return svc.Finish(ctx, user, key, idempotency.Response{
		Status: res.StatusCode(), ContentType: string(res.Header.ContentType()),
		Location: string(res.Header.Peek(fiber.HeaderLocation)), Body: append([]byte(nil), res.Body()...),
	})
}

// replayed answers a retry with the stored answer.
func replayed(c *fiber.Ctx, r idempotency.Response) error {
	if r.Location != "" {
		c.Location(r.Location)
	}
	if r.ContentType != "" {
		c.Set(fiber.HeaderContentType, r.ContentType)
	}
	c.Set("Idempotent-Replayed", "true")
	return c.Status(r.Status).Send(r.Body)
}
