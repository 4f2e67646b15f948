package problem

import (
	"os"
	"path/filepath"
	"testing"
)

func TestScrub(t *testing.T) {
	tmp := filepath.Join(os.TempDir(), "onemap-import-123", "dltb.shp")
	for in, want := range map[string]string{
		"cannot be read as shapefile: " + tmp + ": not recognized": "cannot be read as shapefile: dltb.shp: not recognized",
		"open " + tmp:                     "open dltb.shp",
		"'" + tmp + "' and '" + tmp + "'": "'dltb.shp' and 'dltb.shp'",
		"no path here":                    "no path here",
	} {
		if got := Scrub(in); got != want {
			t.Errorf("Scrub(%q) = %q, want %q", in, got, want)
		}
	}
}
