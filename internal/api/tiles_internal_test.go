package api

import "testing"

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                         false,
		"gzip":                     true,
		"gzip, deflate, br, zstd":  true,
		"br;q=1.0, gzip;q=0.8":     true,
		"deflate, gzip;q=0":        false,
		"gzip; q=0.000":            false,
		"gzip;q=0.5":               true,
		"*":                        true,
		"identity":                 false,
		"br":                       false,
		"x-gzip-not, GZIP;Q=0.001": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestETagMatches(t *testing.T) {
	const etag = `W/"00ff"`
	for header, want := range map[string]bool{
		"":                 false,
		`W/"00ff"`:         true,
		`"00ff"`:           true,
		`"1234", W/"00ff"`: true,
		"*":                true,
		`"00fe"`:           false,
	} {
		if got := etagMatches(header, etag); got != want {
			t.Errorf("etagMatches(%q) = %v, want %v", header, got, want)
		}
	}
}
