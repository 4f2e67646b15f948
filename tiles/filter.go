package tiles

import (
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// maxFilterValues bounds each filter list, so a URL cannot ask for a thousand-way ANY.
const maxFilterValues = 64

// maxTextRunes bounds the text filter.
const maxTextRunes = 200

// Filter narrows what tiles show; an empty list does not filter. Stage and mode apply to the asset
// layers; region to assets, zones (by their region) and regions; zone to assets and zones. Land
// status, the area range and the text apply to the assets as the list API applies them (text:
// name, code or holder); the land overview cannot tell them apart, so below ParcelMinZoom a tile
// under any of them holds no land cells (the UI marks the list's results there instead).
type Filter struct {
	Stages       []string // stage: idle, planned, in_progress, done
	Modes        []string // mode: use, sell, lease, finance, undecided
	Regions      []string // region: 6-digit 行政区划代码
	Zones        []string // zone: zone codes
	LandStatuses []string // land_status: approved_unsupplied, idle, inefficient, reserve, in_use
	MinAreaMu    *float64 // min_area_mu: 亩
	MaxAreaMu    *float64 // max_area_mu: 亩
	Text         string   // q: part of a name, code or holder
	// At (at: RFC 3339 or a date, assets.ParseTime) draws the assets as they stood then, rebuilt
	// from their history; nil is now.
	At *time.Time
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
		{"land_status", assets.ValidLandStatus, &f.LandStatuses},
	}
}

// ParseFilter reads the filters stage, mode, region, zone and land_status (comma lists),
// min_area_mu and max_area_mu (亩), q (text) and at (a past time) through query, which returns a query parameter's
// value ("" when absent). Values are copied, checked, de-duplicated and sorted; a bad one is a
// 400 naming its parameter.
func ParseFilter(query func(name string) string) (Filter, error) {
	var f Filter
	for _, p := range f.params() {
		vals, err := parseList(p.name, query(p.name), p.valid)
		if err != nil {
			return Filter{}, err
		}
		*p.dst = vals
	}
	if err := parseArea("min_area_mu", query("min_area_mu"), &f.MinAreaMu); err != nil {
		return Filter{}, err
	}
	if err := parseArea("max_area_mu", query("max_area_mu"), &f.MaxAreaMu); err != nil {
		return Filter{}, err
	}
	if raw := query("at"); raw != "" {
		t, err := assets.ParseTime("at", raw)
		if err != nil {
			return Filter{}, err
		}
		f.At = &t
	}
	f.Text = strings.Clone(strings.TrimSpace(query("q")))
	if utf8.RuneCountInString(f.Text) > maxTextRunes || !utf8.ValidString(f.Text) {
		return Filter{}, problem.Invalid("q", "at most %d characters of UTF-8", maxTextRunes)
	}
	return f, nil
}

// parseArea reads an optional, non-negative number of 亩 into dst (left nil when absent).
func parseArea(name, raw string, dst **float64) error {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return problem.Invalid(name, "%q is not a number of 亩 ≥ 0", raw)
	}
	*dst = &v
	return nil
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

// IsZero reports whether f filters nothing and asks for the present.
func (f Filter) IsZero() bool {
	return len(f.Stages) == 0 && len(f.Modes) == 0 && len(f.Regions) == 0 && len(f.Zones) == 0 && f.Overview() && f.At == nil
}

// Overview reports whether the land overview can show what f selects: f has no land status,
// area or text filter.
func (f Filter) Overview() bool {
	return len(f.LandStatuses) == 0 && f.MinAreaMu == nil && f.MaxAreaMu == nil && f.Text == ""
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
	for name, x := range map[string]*float64{"min_area_mu": f.MinAreaMu, "max_area_mu": f.MaxAreaMu} {
		if x != nil {
			v.Set(name, strconv.FormatFloat(*x, 'f', -1, 64))
		}
	}
	if f.Text != "" {
		v.Set("q", f.Text)
	}
	if f.At != nil {
		v.Set("at", f.At.UTC().Format(time.RFC3339Nano))
	}
	return v.Encode()
}

// args are the filters as SQL parameters $4..$7 (NULL for an empty list); landArgs those of
// $9..$12: land statuses, least and greatest 亩, and the text as an ILIKE pattern.
func (f Filter) args() []any {
	return []any{orNull(f.Stages), orNull(f.Modes), orNull(f.Regions), orNull(f.Zones)}
}

func (f Filter) landArgs() []any {
	var text any
	if f.Text != "" {
		text = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Text) + "%"
	}
	return []any{orNull(f.LandStatuses), f.MinAreaMu, f.MaxAreaMu, text}
}

func orNull(s []string) any {
	if len(s) == 0 {
		return nil
	}
	return s
}
