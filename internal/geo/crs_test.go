package geo

import (
	"errors"
	"testing"
)

func TestZoneEPSGRoundTrip(t *testing.T) {
	tests := []struct {
		code int
		want GKZone
		cm   float64
	}{
		{4491, GKZone{6, 13, true}, 75},
		{4501, GKZone{6, 23, true}, 135},
		{4502, GKZone{6, 13, false}, 75},
		{4512, GKZone{6, 23, false}, 135},
		{4513, GKZone{3, 25, true}, 75},
		{4526, GKZone{3, 38, true}, 114},
		{4533, GKZone{3, 45, true}, 135},
		{4534, GKZone{3, 25, false}, 75},
		{4545, GKZone{3, 36, false}, 108},
		{4554, GKZone{3, 45, false}, 135},
	}
	for _, tt := range tests {
		z, ok := ZoneFromEPSG(tt.code)
		if !ok || z != tt.want {
			t.Errorf("ZoneFromEPSG(%d) = %+v, %v; want %+v", tt.code, z, ok, tt.want)
		}
		if got := tt.want.EPSG(); got != tt.code {
			t.Errorf("%+v.EPSG() = %d, want %d", tt.want, got, tt.code)
		}
		if got := tt.want.CentralMeridian(); got != tt.cm {
			t.Errorf("%+v.CentralMeridian() = %g, want %g", tt.want, got, tt.cm)
		}
	}
	for _, code := range []int{4490, 4490 + 65, 3857} {
		if _, ok := ZoneFromEPSG(code); ok {
			t.Errorf("ZoneFromEPSG(%d) found a zone", code)
		}
	}
}

func TestParseSRS(t *testing.T) {
	tests := []struct {
		in      string
		srid    int
		wantErr error
	}{
		{"EPSG:4526", 4526, nil},
		{"epsg:4490", 4490, nil},
		{"4326", 4326, nil},
		{"urn:ogc:def:crs:EPSG::4545", 4545, nil},
		{"EPSG:2364", 0, ErrUnsupportedDatum}, // Xi'an 1980 3° zone 40
		{"EPSG:2415", 0, ErrUnsupportedDatum}, // Beijing 1954 3° zone 39
		{"EPSG:4214", 0, ErrUnsupportedDatum},
		{"EPSG:3857", 0, nil},
		{"zone 38", 0, nil},
	}
	for _, tt := range tests {
		c, err := ParseSRS(tt.in)
		switch {
		case tt.srid != 0 && (err != nil || c.SRID != tt.srid):
			t.Errorf("ParseSRS(%q) = %d, %v; want %d", tt.in, c.SRID, err, tt.srid)
		case tt.srid == 0 && err == nil:
			t.Errorf("ParseSRS(%q) = %d, want an error", tt.in, c.SRID)
		case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
			t.Errorf("ParseSRS(%q) err = %v, want %v", tt.in, err, tt.wantErr)
		}
	}
}

func TestZoneFromEasting(t *testing.T) {
	tests := []struct {
		e    float64
		want int // EPSG, 0 for none
	}{
		{38512345.67, 4526},
		{39400000, 4527},
		{19600000, 4497}, // 6° zone 19
		{512345.67, 0},   // no prefix
		{24500000, 0},    // zone 24: neither a 3° nor a 6° zone of China
		{38050000, 0},    // too far west of the central meridian
		{123456789, 0},
	}
	for _, tt := range tests {
		z, ok := ZoneFromEasting(tt.e)
		got := 0
		if ok {
			got = z.EPSG()
		}
		if got != tt.want {
			t.Errorf("ZoneFromEasting(%g) = %d, want %d", tt.e, got, tt.want)
		}
	}
}

func TestGuess(t *testing.T) {
	tests := []struct {
		name string
		b    Bounds
		srid int
	}{
		{"lon/lat in Xianning", Bounds{113.8, 29.0, 114.9, 30.2}, 4490},
		{"prefixed 3° zone 38", Bounds{38400000, 3250000, 38600000, 3350000}, 4526},
		{"prefixed 6° zone 19", Bounds{19400000, 3250000, 19600000, 3350000}, 4497},
		{"two zones", Bounds{37600000, 3250000, 38600000, 3350000}, 0},
		{"no prefix", Bounds{400000, 3250000, 600000, 3350000}, 0},
		{"swapped axes", Bounds{3250000, 38400000, 3350000, 38600000}, 0},
		{"Paris", Bounds{2.2, 48.8, 2.4, 48.9}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Guess(tt.b)
			if tt.srid == 0 {
				if err == nil {
					t.Fatalf("Guess = %d, want an error", c.SRID)
				}
				return
			}
			if err != nil || c.SRID != tt.srid {
				t.Fatalf("Guess = %d, %v; want %d", c.SRID, err, tt.srid)
			}
		})
	}
}

func TestZoneForLon(t *testing.T) {
	for lon, want := range map[float64]int{114.3: 4526, 112.4: 4525, 73: 4513, 136: 4533} {
		if got := ZoneForLon(lon).EPSG(); got != want {
			t.Errorf("ZoneForLon(%g) = %d, want %d", lon, got, want)
		}
	}
}
