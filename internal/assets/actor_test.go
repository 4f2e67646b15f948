package assets

import "testing"

func TestRegionWithin(t *testing.T) {
	for _, tt := range []struct {
		region, scope string
		want          bool
	}{
		{"421202", "421202", true},
		{"421281", "421202", false}, // a neighbouring county
		{"421202", "421200", true},  // a county of its city
		{"430405", "421200", false}, // another city's county
		{"421202", "4212", true},    // the city by its 4-digit code
		{"421202", "420000", true},  // the province
		{"421202", "42", true},
		{"430405", "42", false},
		{"421202001", "421202", true}, // a township of the county
		{"421200", "421202", false},   // the city is not within one county
		{"4212", "421202", false},
		{"42120", "421200", true}, // malformed codes never panic
		{"", "421202", false},
	} {
		if got := RegionWithin(tt.region, tt.scope); got != tt.want {
			t.Errorf("RegionWithin(%s, %s) = %v, want %v", tt.region, tt.scope, got, tt.want)
		}
	}
}
