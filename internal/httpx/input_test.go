package httpx

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/onemap/onemap/internal/problem"
)

func TestCheckJSON(t *testing.T) {
	for _, tt := range []struct {
		body, param string // param "" means accepted
	}{
		{`{"name":"甲地块","n":[1,2,{"x":"y"}]}`, ""},
		{`{"name":"a\u0000b"}`, "name"},
		{`{"properties":{"code":"A","holder":"\u0000"}}`, "holder"},
		{`{"list":["ok","\u0000"]}`, "list"},
		{`{"a\u0000":1}`, "body"},
		{"{\"name\":\"\xff\"}", "body"},
		{`["\u0000"]`, "body"},
		{strings.Repeat("[", MaxJSONDepth+1) + strings.Repeat("]", MaxJSONDepth+1), "body"},
		{strings.Repeat("[", MaxJSONDepth) + strings.Repeat("]", MaxJSONDepth), ""},
		{`{"broken":`, ""},      // the handler names syntax errors
		{`{"a":"\\u0000"}`, ""}, // an escaped backslash: the text \u0000, no NUL
	} {
		err := CheckJSON([]byte(tt.body))
		var pe *problem.Error
		switch {
		case tt.param == "" && err != nil:
			t.Errorf("%.40s: %v, want accepted", tt.body, err)
		case tt.param != "" && (err == nil || !asProblem(err, &pe) || pe.Params[0].Name != tt.param || pe.Status != 400):
			t.Errorf("%.40s: %v, want a 400 naming %s", tt.body, err, tt.param)
		}
	}
}

func asProblem(err error, pe **problem.Error) bool {
	p, ok := err.(*problem.Error)
	*pe = p
	return ok
}

// FuzzCheckJSON: CheckJSON never panics, and a JSON document it accepts holds only valid UTF-8
// without NUL characters in its keys and strings.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"a":"\u0000"}`, `[[[[1]]]]`, "{\"\xff\":1}", `{"a":[{"b":"c"}]}`, `"\u0000"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := CheckJSON(b); err != nil {
			return
		}
		var v any
		if json.Unmarshal(b, &v) != nil {
			return
		}
		if !utf8.Valid(b) {
			t.Fatalf("accepted invalid UTF-8: %q", b)
		}
		if hasNUL(v) {
			t.Fatalf("accepted a NUL: %q", b)
		}
	})
}

func hasNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.IndexByte(v, 0) >= 0
	case []any:
		for _, x := range v {
			if hasNUL(x) {
				return true
			}
		}
	case map[string]any:
		for k, x := range v {
			if strings.IndexByte(k, 0) >= 0 || hasNUL(x) {
				return true
			}
		}
	}
	return false
}
