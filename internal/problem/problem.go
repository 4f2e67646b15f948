// Package problem holds the error values every OneMap package returns and the HTTP edge renders as
// RFC 9457 problem+json. It knows nothing of HTTP frameworks, so domain packages may use it.
package problem

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
)

// Sentinel errors; wrap them with %w. The HTTP edge maps each to one status.
var (
	ErrNotFound     = errors.New("not found")
	ErrStaleVersion = errors.New("stale version")
	ErrConflict     = errors.New("conflict")
	ErrUnauthorized = errors.New("unauthenticated")
	ErrForbidden    = errors.New("forbidden")
	ErrTooLarge     = errors.New("too large")
)

// Param names one offending input and why it is wrong.
type Param struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Error is a user-facing failure: a status, a title and the parameters at fault.
type Error struct {
	Status int     `json:"status"`
	Title  string  `json:"title"`
	Detail string  `json:"detail,omitempty"`
	Params []Param `json:"invalid_params,omitempty"`
	// RetryAfter, when set, is sent as the Retry-After header (429, 503).
	RetryAfter time.Duration `json:"-"`
	// Extensions are RFC 9457 extension members sent beside the standard ones (e.g. "overlaps").
	Extensions map[string]any `json:"-"`
}

// Error renders the problem as one line.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Title)
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	for _, p := range e.Params {
		fmt.Fprintf(&b, "; %s: %s", p.Name, p.Reason)
	}
	return b.String()
}

// Invalid is a 400 naming one bad parameter.
func Invalid(name, format string, args ...any) *Error {
	reason := fmt.Sprintf(format, args...)
	return &Error{
		Status: http.StatusBadRequest,
		Title:  "Invalid parameter",
		Detail: fmt.Sprintf("%s: %s", name, reason),
		Params: []Param{{Name: name, Reason: reason}},
	}
}

// Unprocessable is a 422: the request parsed but its content breaks a rule.
func Unprocessable(name, format string, args ...any) *Error {
	e := Invalid(name, format, args...)
	e.Status = http.StatusUnprocessableEntity
	e.Title = "Unprocessable content"
	return e
}

// TooManyRequests is a 429 telling the client when it may try again.
func TooManyRequests(detail string, retry time.Duration) *Error {
	return &Error{Status: http.StatusTooManyRequests, Title: "Too Many Requests", Detail: detail, RetryAfter: retry}
}

// Join merges several parameter problems into one 400 (or the first one's status).
func Join(errs ...*Error) *Error {
	var out *Error
	for _, e := range errs {
		if e == nil {
			continue
		}
		if out == nil {
			c := *e
			out = &c
			continue
		}
		out.Params = append(out.Params, e.Params...)
		out.Detail += "; " + e.Detail
	}
	return out
}

// Status maps any error to the HTTP status the edge should answer with.
func Status(err error) int {
	var pe *Error
	switch {
	case errors.As(err, &pe):
		return pe.Status
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrStaleVersion):
		return http.StatusPreconditionFailed
	case errors.Is(err, ErrConflict):
		return http.StatusConflict
	case errors.Is(err, ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// Forbidden is a 403 saying why the caller may not do this.
func Forbidden(format string, args ...any) *Error {
	return &Error{Status: http.StatusForbidden, Title: "Forbidden", Detail: fmt.Sprintf(format, args...)}
}

// Scrub cuts paths under the temporary directory out of a message meant for the user (a GDAL or
// file-system error names the unpacked upload), keeping each file's own name.
func Scrub(s string) string {
	tmp := filepath.Clean(os.TempDir()) + string(filepath.Separator)
	for {
		i := strings.Index(s, tmp)
		if i < 0 {
			return s
		}
		end := i + strings.IndexFunc(s[i:]+" ", func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(`:;,)'"`, r) })
		s = s[:i] + filepath.Base(s[i:end]) + s[end:]
	}
}
