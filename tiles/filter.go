package tiles

import (
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// maxFilterValues bounds each filter list, so a URL cannot ask for a thousand-way ANY.
const maxFilterValues = 64

// Filter narrows what tiles show; an empty list does not filter. Stage and mode apply to the asset
// layers; region to assets, zones (by their region) and regions; zone to assets and zones.
type Filter struct {
	Stages  []string // stage: idle, planned, in_progress, done
	Modes   []string // mode: use, sell, lease, finance, undecided
	Regions []string // region: 6-digit 行政区划代码
	Zones   []string // zone: zone codes
}

// ValidRegionCode reports whether s is a 6-digit 行政区划代码.
func ValidRegionCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ValidZoneCode reports whether s can be a zone code: 1 to 64 letters, digits, '_', '.' or '-'.
func ValidZoneCode(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 64 {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_.-", r) {
			return false
		}
	}
	return true
}

// filterParam pairs a query parameter with its validity test and where its values go.
type filterParam struct {
	name  string
	valid func(string) bool
	dst   *[]string
}

func (f *Filter) params() []filterParam {
	return []filterParam{
		{"stage", assets.ValidStage, &f.Stages},
		{"mode", assets.ValidMode, &f.Modes},
		{"region", ValidRegionCode, &f.Regions},
		{"zone", ValidZoneCode, &f.Zones},
	}
}

// ParseFilter reads the filters stage, mode, region and zone (comma lists) through query, which
// returns a query parameter's value ("" when absent). Values are copied, checked, de-duplicated
// and sorted; a bad one is a 400 naming its parameter.
func ParseFilter(query func(name string) string) (Filter, error) {
	var f Filter
	for _, p := range f.params() {
		vals, err := parseList(p.name, query(p.name), p.valid)
		if err != nil {
			return Filter{}, err
		}
		*p.dst = vals
	}
	return f, nil
}

func parseList(name, raw string, valid func(string) bool) ([]string, error) {
	var out []string
	for _, v := range strings.Split(raw, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !valid(v) {
			return nil, problem.Invalid(name, "%q is not an accepted value", v)
		}
		out = append(out, strings.Clone(v))
	}
	if len(out) > maxFilterValues {
		return nil, problem.Invalid(name, "at most %d values, got %d", maxFilterValues, len(out))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// IsZero reports whether f filters nothing.
func (f Filter) IsZero() bool {
	return len(f.Stages) == 0 && len(f.Modes) == 0 && len(f.Regions) == 0 && len(f.Zones) == 0
}

// Query renders f as a URL query string ("" when empty), in a fixed order: it keys the cache and
// carries the filters into TileJSON tile URLs.
func (f Filter) Query() string {
	v := url.Values{}
	for _, p := range f.params() {
		if len(*p.dst) > 0 {
			v.Set(p.name, strings.Join(*p.dst, ","))
		}
	}
	return v.Encode()
}

// args are the filters as SQL parameters $4..$7: NULL for an empty list.
func (f Filter) args() []any {
	return []any{orNull(f.Stages), orNull(f.Modes), orNull(f.Regions), orNull(f.Zones)}
}

func orNull(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}
