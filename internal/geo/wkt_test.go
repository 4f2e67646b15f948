package geo

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// The .prj files under testdata/prj are gdalsrsinfo's ESRI, WKT1 and WKT2 output for each code.
func TestFromWKT(t *testing.T) {
	tests := []struct {
		file    string
		srid    int
		wantErr error
	}{
		{"esri_4526.prj", 4526, nil},
		{"esri_4545.prj", 4545, nil},
		{"esri_4497.prj", 4497, nil},
		{"esri_4490.prj", 4490, nil},
		{"esri_4326.prj", 4326, nil},
		{"wkt1_4526.prj", 4526, nil},
		{"wkt2_4526.prj", 4526, nil},
		{"wkt1_4513.prj", 4513, nil},
		{"wkt2_4513.prj", 4513, nil},
		{"esri_2364.prj", 0, ErrUnsupportedDatum},
		{"esri_4214.prj", 0, ErrUnsupportedDatum},
		{"wkt1_32650.prj", 0, ErrUnknownCRS},
		{"wkt2_32650.prj", 0, ErrUnknownCRS},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "prj", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			c, err := FromWKT(string(b))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("FromWKT = %d, %v; want %v", c.SRID, err, tt.wantErr)
				}
				return
			}
			if err != nil || c.SRID != tt.srid {
				t.Fatalf("FromWKT = %d, %v; want %d", c.SRID, err, tt.srid)
			}
		})
	}
}
