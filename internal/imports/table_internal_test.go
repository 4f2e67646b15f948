package imports

import (
	"errors"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/onemap/onemap/internal/problem"
)

func TestSniffEncoding(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("编号,名称\n")
	if err != nil {
		t.Fatal(err)
	}
	ascii := strings.Repeat("a,b\n", 10)
	tests := []struct {
		name, head, user, want string
		cut                    bool
	}{
		{"UTF-8", "编号,名称\n", "", encUTF8, false},
		{"UTF-8 wins over the user's word", "编号,名称\n", "GBK", encUTF8, false},
		{"GBK by default", gbk, "", encGBK, false},
		{"cut inside a character", "编号,名称\n编"[:len("编号,名称\n编")-1], "", encUTF8, true},
		{"ASCII head, the user's encoding", ascii, "GBK", encGBK, true},
		{"ASCII head, nothing said", ascii, "", encUTF8, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, err := sniffEncoding([]byte(tt.head), tt.cut, tt.user)
			if err != nil || got != tt.want {
				t.Errorf("sniffEncoding = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestSniffSeparator(t *testing.T) {
	for head, want := range map[string]rune{"a,b,c\n1;2": ',', "a;b;c\n": ';', "a\tb\tc,d\n": '\t', "abc": ','} {
		if got := sniffSeparator([]byte(head)); got != want {
			t.Errorf("sniffSeparator(%q) = %q, want %q", head, got, want)
		}
	}
}

func TestCheckWhole(t *testing.T) {
	path := t.TempDir() + "/big.kml"
	if err := os.WriteFile(path, make([]byte, wholeFileMax+1), 0o600); err != nil {
		t.Fatal(err)
	}
	var pe *problem.Error
	if err := checkWhole(path, FormatKML); !errors.As(err, &pe) || pe.Status != 413 || pe.Params[0].Name != "file" {
		t.Errorf("a KML over %d MB: %v, want 413 naming file", wholeFileMax>>20, err)
	}
	if err := checkWhole(path, FormatGeoJSON); err != nil {
		t.Errorf("GeoJSON is streamed, any size: %v", err)
	}
}
