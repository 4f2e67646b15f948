package httpx

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/problem"
)

// MaxJSONDepth is how deeply a JSON body may nest; GeoJSON needs four levels, a CQL2 filter a
// few more.
const MaxJSONDepth = 64

// CheckText refuses, before any handler runs, a request whose path, query parameters, form
// values or JSON strings hold a NUL byte or are not valid UTF-8 (400 naming the parameter):
// PostgreSQL's text type refuses both, which made each a 500 wherever a handler forgot to check.
// JSON bodies nesting deeper than MaxJSONDepth are refused too.
func CheckText() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := checkPath(c.Path()); err != nil {
			return err
		}
		if err := checkArgs(c.Context().QueryArgs()); err != nil {
			return err
		}
		if err := checkBody(c); err != nil {
			return err
		}
		return c.Next()
	}
}

// BadText says why s cannot be stored as text, or "" when it can.
func BadText(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "is not valid UTF-8 text"
	case strings.IndexByte(s, 0) >= 0:
		return "holds a NUL character"
	}
	return ""
}

func checkPath(p string) error {
	if reason := BadText(p); reason != "" {
		return problem.Invalid("path", "%s", reason)
	}
	if u, err := url.PathUnescape(p); err == nil && BadText(u) != "" {
		return problem.Invalid("path", "%s", BadText(u))
	}
	return nil
}

type visitor interface {
	VisitAll(func(k, v []byte))
}

// checkArgs checks every key and value of query or form arguments.
func checkArgs(args visitor) error {
	var bad *problem.Error
	args.VisitAll(func(k, v []byte) {
		if bad != nil {
			return
		}
		name := string(k)
		if reason := BadText(name); reason != "" {
			bad = problem.Invalid("query", "a parameter name %s", reason)
		} else if reason := BadText(string(v)); reason != "" {
			bad = problem.Invalid(name, "%s", reason)
		}
	})
	if bad != nil {
		return bad
	}
	return nil
}

// checkBody checks form bodies' values and JSON bodies' strings; uploads (multipart) are left
// to their handlers, which read them as files.
func checkBody(c *fiber.Ctx) error {
	// Uploads are never read here: their handlers stream them (a body still a stream is one).
	if c.Request().IsBodyStream() {
		return nil
	}
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	switch {
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm), strings.HasPrefix(ct, fiber.MIMEOctetStream):
		return nil
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		return checkArgs(c.Context().PostArgs())
	}
	body := c.Body()
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return nil
	}
	return CheckJSON(body)
}

// CheckJSON walks a JSON document and refuses invalid UTF-8, NUL characters (also as \u0000)
// in any key or string, and nesting deeper than MaxJSONDepth, naming the member at fault.
// Syntax errors are left to the handler's own decoding, which names them in its terms.
func CheckJSON(body []byte) error {
	if !utf8.Valid(body) {
		return problem.Invalid("body", "is not valid UTF-8 text")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	w := jsonWalk{}
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or a syntax error the handler will name
		}
		if err := w.step(tok); err != nil {
			return err
		}
	}
}

// jsonWalk tracks where a token stream is: the open containers and the member being read.
type jsonWalk struct {
	stack []jsonFrame
}

// jsonFrame is one open object or array; key is the object member being read.
type jsonFrame struct {
	object   bool
	key      string
	wantsKey bool
}

func (w *jsonWalk) name() string {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if w.stack[i].object && w.stack[i].key != "" {
			return w.stack[i].key
		}
	}
	return "body"
}

func (w *jsonWalk) step(tok json.Token) error {
	switch t := tok.(type) {
	case json.Delim:
		return w.delim(t)
	case string:
		top := w.top()
		if top != nil && top.object && top.wantsKey {
			if reason := BadText(t); reason != "" {
				return problem.Invalid("body", "a member name %s", reason)
			}
			top.key, top.wantsKey = t, false
			return nil
		}
		if reason := BadText(t); reason != "" {
			return problem.Invalid(w.name(), "%s", reason)
		}
	}
	w.valueDone()
	return nil
}

func (w *jsonWalk) delim(d json.Delim) error {
	switch d {
	case '{', '[':
		if len(w.stack) >= MaxJSONDepth {
			return problem.Invalid("body", "nests deeper than %d levels", MaxJSONDepth)
		}
		w.stack = append(w.stack, jsonFrame{object: d == '{', wantsKey: d == '{'})
	default:
		w.stack = w.stack[:len(w.stack)-1]
		w.valueDone()
	}
	return nil
}

// valueDone marks the current object member as read: the next string is a key.
func (w *jsonWalk) valueDone() {
	if top := w.top(); top != nil && top.object {
		top.wantsKey = true
	}
}

func (w *jsonWalk) top() *jsonFrame {
	if len(w.stack) == 0 {
		return nil
	}
	return &w.stack[len(w.stack)-1]
}
