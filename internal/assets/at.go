package assets

import (
	"strings"
	"time"

	"github.com/onemap/onemap/internal/problem"
)

// chinaTime is China Standard Time (UTC+8, no daylight saving), in which a date names a day.
var chinaTime = time.FixedZone("CST", 8*3600)

// ParseTime reads a point in time of the history (the at, from and to parameters, named by name):
// an RFC 3339 time, or a date 2006-01-02, which means the end of that day in China Standard Time
// (its last microsecond): the map as that day's changes left it. A bad value is a 400 naming
// the parameter.
func ParseTime(name, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, chinaTime)
	if err != nil {
		return time.Time{}, problem.Invalid(name, "%q is neither a date (2006-01-02) nor an RFC 3339 time", s)
	}
	return d.AddDate(0, 0, 1).Add(-time.Microsecond), nil
}

// Span is the interval of a list of changes: the state at From against the state at To.
type Span struct {
	From, To time.Time
}

// NewSpan checks that to is not before from (a 400 naming "to").
func NewSpan(from, to time.Time) (Span, error) {
	if to.Before(from) {
		return Span{}, problem.Invalid("to", "is before from")
	}
	return Span{From: from, To: to}, nil
}

// Difference is one asset whose stage, mode or outline differs between the two ends of a Span, or
// that came or went within it (Kind "created" or "retired": by a split, merge or delete).
type Difference struct {
	ID             int64       `json:"id"`
	Code           string      `json:"code"`
	Name           string      `json:"name"`
	Kind           Kind        `json:"kind"`
	RegionCode     *string     `json:"region_code"`
	ZoneCode       *string     `json:"zone_code"`
	AreaMu         float64     `json:"area_mu"`
	Change         string      `json:"change"`
	Stage          *FromTo     `json:"stage"`
	Mode           *FromTo     `json:"mode"`
	OutlineChanged bool        `json:"outline_changed"`
	ChangedAt      time.Time   `json:"changed_at"`
	Center         *[2]float64 `json:"center"`
}

// FromTo is a value at the start and at the end of a span (nil pointers: the asset did not exist).
type FromTo struct {
	From *string `json:"from"`
	To   *string `json:"to"`
}

// ChangeFilter narrows a list of changes: by region, zone and kind (empty: all), one page.
type ChangeFilter struct {
	Span
	Regions []string
	Zones   []string
	Kinds   []string
	Limit   int
	Offset  int
}

// Changes is one page of changes with the count of all of them.
type Changes struct {
	From   time.Time    `json:"from"`
	To     time.Time    `json:"to"`
	Total  int64        `json:"total"`
	Limit  int          `json:"limit"`
	Offset int          `json:"offset"`
	Items  []Difference `json:"items"`
}
