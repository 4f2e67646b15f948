package config

import (
	"io"
	"strings"
	"testing"
)

func TestOverlapTolerance(t *testing.T) {
	d, _, err := Load("t", nil, env(nil), io.Discard)
	if err != nil || d.OverlapToleranceM2 != 1 {
		t.Errorf("default = %g, %v; want 1 m²", d.OverlapToleranceM2, err)
	}
	c, _, err := Load("t", nil, env(map[string]string{"ONEMAP_OVERLAP_TOLERANCE_M2": "2.5"}), io.Discard)
	if err != nil || c.OverlapToleranceM2 != 2.5 {
		t.Errorf("env = %g, %v; want 2.5", c.OverlapToleranceM2, err)
	}
	c, _, err = Load("t", []string{"-overlap-tolerance-m2", "0"}, env(map[string]string{"ONEMAP_OVERLAP_TOLERANCE_M2": "2.5"}), io.Discard)
	if err != nil || c.OverlapToleranceM2 != 0 {
		t.Errorf("flag over env = %g, %v; want 0", c.OverlapToleranceM2, err)
	}
	for _, bad := range []map[string]string{{"ONEMAP_OVERLAP_TOLERANCE_M2": "one"}, {"ONEMAP_OVERLAP_TOLERANCE_M2": "-1"}} {
		if _, _, err := Load("t", nil, env(bad), io.Discard); err == nil || !strings.Contains(strings.ToLower(err.Error()), "overlap") {
			t.Errorf("%v: err = %v, want one naming the overlap tolerance", bad, err)
		}
	}
}
