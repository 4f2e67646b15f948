package ogc

import (
	"errors"
	"math"
	"testing"

	"github.com/onemap/onemap/internal/problem"
)

// FuzzParsePaging: limit and offset are accepted only within their bounds, whatever the text.
func FuzzParsePaging(f *testing.F) {
	f.Add("10", "0")
	f.Add("-1", "2147483648")
	f.Add("99999999999999999999", "1e3")
	f.Fuzz(func(t *testing.T, limit, offset string) {
		l, o, err := parsePaging(map[string]string{"limit": limit, "offset": offset})
		if err != nil {
			var pe *problem.Error
			if !errors.As(err, &pe) || pe.Status != 400 {
				t.Fatalf("%q, %q: %v", limit, offset, err)
			}
			return
		}
		if l < 1 || l > maxLimit || o < 0 || o > maxOffset || o+l > math.MaxInt32 {
			t.Fatalf("%q, %q: accepted %d, %d", limit, offset, l, o)
		}
	})
}

// FuzzParseBBox: a bbox is accepted only as four finite numbers in order.
func FuzzParseBBox(f *testing.F) {
	f.Add("114,29,115,30")
	f.Add("NaN,0,1,1")
	f.Add("1,2,3,4,5,6")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := parseBBox(s)
		if err != nil || b == nil {
			return
		}
		for _, v := range b {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%q: accepted %v", s, b)
			}
		}
		if len(b) != 4 || b[1] > b[3] {
			t.Fatalf("%q: accepted %v", s, b)
		}
	})
}
