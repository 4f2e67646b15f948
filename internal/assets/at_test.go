package assets

import (
	"errors"
	"testing"
	"time"

	"github.com/onemap/onemap/internal/problem"
)

// TestParseTime: a date is the end of that day in China Standard Time; RFC 3339 is itself;
// anything else is a 400 naming the parameter.
func TestParseTime(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-30":                "2026-11-30T15:59:59.999999Z",
		"2026-11-30T08:00:00+08:00": "2026-11-30T00:00:00Z",
		"2026-11-30T10:11:12.5Z":    "2026-11-30T10:11:12.5Z",
	} {
		got, err := ParseTime("at", in)
		if err != nil || got.UTC().Format(time.RFC3339Nano) != want {
			t.Errorf("ParseTime(%q) = %s, %v; want %s", in, got.UTC().Format(time.RFC3339Nano), err, want)
		}
	}
	for _, bad := range []string{"", "2026-13-01", "30/11/2026", "yesterday", "2026-11-30 10:00"} {
		var pe *problem.Error
		if _, err := ParseTime("from", bad); !errors.As(err, &pe) || pe.Status != 400 || len(pe.Params) == 0 || pe.Params[0].Name != "from" {
			t.Errorf("ParseTime(%q) = %v, want a 400 naming from", bad, err)
		}
	}
	if _, err := NewSpan(time.Unix(10, 0), time.Unix(5, 0)); err == nil {
		t.Error("a span ending before it starts is accepted")
	}
}
