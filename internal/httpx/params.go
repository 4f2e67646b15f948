package httpx

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/problem"
)

// Query returns a copy of the query parameter (Fiber reuses its buffers).
func Query(c *fiber.Ctx, name string) string {
	return strings.Clone(strings.TrimSpace(c.Query(name)))
}

// Int parses an optional integer query parameter within [lo, hi]; def when absent.
func Int(c *fiber.Ctx, name string, def, lo, hi int) (int, error) {
	v := Query(c, name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, problem.Invalid(name, "%q is not a whole number", v)
	}
	if n < lo || n > hi {
		return 0, problem.Invalid(name, "%d is outside %d..%d", n, lo, hi)
	}
	return n, nil
}

// Required returns a required query parameter, or a problem naming it that says what it takes
// (a format with args).
func Required(c *fiber.Ctx, name, takes string, args ...any) (string, error) {
	v := Query(c, name)
	if v == "" {
		return "", problem.Invalid(name, "is required ("+takes+")", args...)
	}
	return v, nil
}

// Page parses a page's limit (def when absent, 1..max) and offset (0 when absent, at most 2³¹-1).
func Page(c *fiber.Ctx, def, max int) (limit, offset int, err error) {
	if limit, err = Int(c, "limit", def, 1, max); err != nil {
		return 0, 0, err
	}
	offset, err = Int(c, "offset", 0, 0, 1<<31-1)
	return limit, offset, err
}

// Float parses an optional number; ok is false when the parameter is absent.
func Float(c *fiber.Ctx, name string) (v float64, ok bool, err error) {
	s := Query(c, name)
	if s == "" {
		return 0, false, nil
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, problem.Invalid(name, "%q is not a finite number", s)
	}
	return v, true, nil
}

// List splits a comma-separated parameter and checks each item with valid (nil accepts all).
func List(c *fiber.Ctx, name string, valid func(string) bool) ([]string, error) {
	s := Query(c, name)
	if s == "" {
		return nil, nil
	}
	var out []string
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if valid != nil && !valid(item) {
			return nil, problem.Invalid(name, "%q is not an accepted value", item)
		}
		out = append(out, item)
	}
	return out, nil
}

// PathInt parses a whole-number path parameter.
func PathInt(c *fiber.Ctx, name string) (int64, error) {
	s := c.Params(name)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, problem.Invalid(name, "%q is not a whole number", s)
	}
	return n, nil
}

// Time parses an optional time query parameter: RFC 3339 or a date (2006-01-02, midnight in
// loc); the zero time when absent.
func Time(c *fiber.Ctx, name string, loc *time.Location) (time.Time, error) {
	s := Query(c, name)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, problem.Invalid(name, "%q is neither a date (2006-01-02) nor an RFC 3339 time", s)
	}
	return t, nil
}
