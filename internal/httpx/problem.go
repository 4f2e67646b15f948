// Package httpx is OneMap's HTTP edge kit for Fiber: RFC 9457 problem+json rendering, typed
// parameter parsing and the context/timeout middleware.
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// ProblemType is the `type` member of every problem; the status says the rest.
const ProblemType = "about:blank"

type body struct {
	Type     string          `json:"type"`
	Title    string          `json:"title"`
	Status   int             `json:"status"`
	Detail   string          `json:"detail,omitempty"`
	Instance string          `json:"instance,omitempty"`
	Params   []problem.Param `json:"invalid_params,omitempty"`
	retry    time.Duration
	ext      map[string]any
}

// MarshalJSON writes the standard members and, beside them, the problem's extension members
// (a standard member's name is never overwritten).
func (b body) MarshalJSON() ([]byte, error) {
	type plain body
	std, err := json.Marshal(plain(b))
	if err != nil || len(b.ext) == 0 {
		return std, err
	}
	all := map[string]any{}
	for k, v := range b.ext {
		all[k] = v
	}
	var members map[string]any
	if err := json.Unmarshal(std, &members); err != nil {
		return nil, err
	}
	for k, v := range members {
		all[k] = v
	}
	return json.Marshal(all)
}

// retryAfter is the Retry-After of a 503: seconds before the database is worth another try.
const retryAfter = "5"

// ErrorHandler is the one place an error becomes an HTTP answer. Errors that reach PostgreSQL's
// or GEOS's own words are logged; the answer says what is wrong in the user's terms. When mon
// is set, an unavailable database is logged by it once per outage, not once per request.
func ErrorHandler(log *slog.Logger, mon *db.Monitor) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		b := toBody(err)
		b.Instance = c.OriginalURL()
		switch {
		case b.Status == http.StatusServiceUnavailable && db.IsUnavailable(err):
			c.Set(fiber.HeaderRetryAfter, retryAfter)
			if mon != nil {
				mon.Down(err)
			} else {
				log.Error("database unavailable", "path", c.Path(), "err", err)
			}
		case b.Status >= 500:
			log.Error("request failed", "path", c.Path(), "status", b.Status, "err", err)
		case db.UserProblem(err) != nil:
			log.Info("request refused by the database", "path", c.Path(), "status", b.Status, "err", err)
		}
		if b.Status == http.StatusUnauthorized {
			c.Set(fiber.HeaderWWWAuthenticate, challenge(c))
		}
		if b.retry > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(b.retry.Seconds()))))
		}
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.Status(b.Status).JSON(b, "application/problem+json")
	}
}

func toBody(err error) body {
	var fe *fiber.Error
	var pe *problem.Error
	switch {
	case errors.As(err, &pe):
		return body{Type: ProblemType, Title: pe.Title, Status: pe.Status, Detail: scrub(pe.Detail), Params: scrubParams(pe.Params), retry: pe.RetryAfter, ext: pe.Extensions}
	case errors.As(err, &fe):
		return body{Type: ProblemType, Title: http.StatusText(fe.Code), Status: fe.Code, Detail: fe.Message}
	case db.UserProblem(err) != nil:
		pe = db.UserProblem(err)
		return body{Type: ProblemType, Title: pe.Title, Status: pe.Status, Detail: pe.Detail, Params: pe.Params}
	case db.IsUnavailable(err):
		return body{
			Type: ProblemType, Title: "Service Unavailable", Status: http.StatusServiceUnavailable,
			Detail: "the database cannot be reached; retry shortly",
		}
	case db.IsBusy(err):
		return body{
			Type: ProblemType, Title: "Service Unavailable", Status: http.StatusServiceUnavailable,
			Detail: "the database is too busy to answer in time; retry shortly", retry: 2 * time.Second,
		}
	case errors.Is(err, context.DeadlineExceeded):
		return body{
			Type: ProblemType, Title: "Gateway Timeout", Status: http.StatusGatewayTimeout,
			Detail: "the request took longer than the server allows",
		}
	}
	st := problem.Status(err)
	detail := scrub(err.Error())
	if st == http.StatusInternalServerError {
		detail = "internal error; see the server log"
	}
	return body{Type: ProblemType, Title: http.StatusText(st), Status: st, Detail: detail}
}

// challenge names the schemes a client may authenticate with. GIS tools (QGIS, ArcGIS, GDAL)
// answer Basic with a token as the password. A browser script's own request (fetch: Sec-Fetch-Mode
// other than navigate, or X-Requested-With) is offered Bearer only, so that the browser does not
// pop up its own password dialog over the UI's sign-in form.
func challenge(c *fiber.Ctx) string {
	const bearer = `Bearer realm="OneMap"`
	mode := c.Get("Sec-Fetch-Mode")
	if (mode != "" && mode != "navigate") || c.Get(fiber.HeaderXRequestedWith) != "" {
		return bearer
	}
	return bearer + `, Basic realm="OneMap", charset="UTF-8"`
}

func scrub(s string) string { return problem.Scrub(s) }

func scrubParams(ps []problem.Param) []problem.Param {
	out := make([]problem.Param, len(ps))
	for i, p := range ps {
		out[i] = problem.Param{Name: p.Name, Reason: scrub(p.Reason)}
	}
	return out
}
