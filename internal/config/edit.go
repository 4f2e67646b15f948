package config

import (
	"flag"
	"fmt"
	"strconv"
)

// The map-editing settings of issue 12 in one place.

// defaultOverlapToleranceM2 matches assets.DefaultOverlapToleranceM2 (config imports no service).
const defaultOverlapToleranceM2 = 1.0

func (c *Config) editDefaults() { c.OverlapToleranceM2 = defaultOverlapToleranceM2 }

func (c *Config) editEnv(getenv func(string) string, errs *[]error) {
	if v := getenv("ONEMAP_OVERLAP_TOLERANCE_M2"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			*errs = append(*errs, fmt.Errorf("config: ONEMAP_OVERLAP_TOLERANCE_M2=%q is not a number of square metres", v))
			return
		}
		c.OverlapToleranceM2 = f
	}
}

func (c *Config) editFlags(fs *flag.FlagSet) {
	fs.Float64Var(&c.OverlapToleranceM2, "overlap-tolerance-m2", c.OverlapToleranceM2,
		"square metres a land parcel drawn or reshaped by hand may overlap others without a reason (ONEMAP_OVERLAP_TOLERANCE_M2)")
}

func (c Config) validateEdit() []error {
	if c.OverlapToleranceM2 < 0 || c.OverlapToleranceM2 != c.OverlapToleranceM2 {
		return []error{fmt.Errorf("config: overlap-tolerance-m2 must be 0 or more, got %g", c.OverlapToleranceM2)}
	}
	return nil
}
