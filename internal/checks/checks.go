// Package checks holds 核查: field checks made from a phone at an asset (or at a position, for
// something found that the map does not hold), with the device's position, the distance to the
// asset's geometry the database measures, a flag on checks made too far away, and photos. Its
// SQL lives in its store*.go files; it knows nothing of HTTP.
package checks

import (
	"slices"
	"strings"
	"time"

	"github.com/onemap/onemap/internal/problem"
)

// Results are the outcomes of a check: 一致, 不一致, 新发现, 无法到达.
var Results = []string{"consistent", "inconsistent", "new_find", "unreachable"}

// ResultLabels are the results' Chinese names (the export's and the UI's).
var ResultLabels = map[string]string{
	"consistent": "一致", "inconsistent": "不一致", "new_find": "新发现", "unreachable": "无法到达",
}

// FlagDistanceM is how far from its asset (metres) a check is flagged as not made on the spot
// (migrations/016_checks.sql computes the flag with the same figure).
const FlagDistanceM = 200

// MaxRadiusM bounds the "near me" search.
const MaxRadiusM = 5000

// noteMax bounds a check's note (characters).
const noteMax = 2000

// Actor is who checks, as the service scopes them: the name kept with the check, the account
// and the region they are confined to (nil: anywhere).
type Actor struct {
	Name   string
	UserID int64
	Region *string
}

// Check is one 核查 as stored.
type Check struct {
	ID         int64      `json:"id"`
	AssetID    *int64     `json:"asset_id"`
	AssetCode  *string    `json:"asset_code"`
	AssetName  *string    `json:"asset_name"`
	AssetKind  *string    `json:"asset_kind"`
	Result     string     `json:"result"`
	Note       string     `json:"note"`
	Lon        float64    `json:"lon"`
	Lat        float64    `json:"lat"`
	AccuracyM  *float64   `json:"accuracy_m"`
	TakenAt    *time.Time `json:"taken_at"`
	CreatedAt  time.Time  `json:"created_at"`
	UserID     *int64     `json:"user_id"`
	Actor      string     `json:"actor"`
	RegionCode *string    `json:"region_code"`
	DistanceM  *float64   `json:"distance_m"`
	Flagged    bool       `json:"flagged"`
	PhotoCount int        `json:"photo_count"`
}

// Photo is a picture sent with a check: its bytes (already bounded by the caller), its sniffed
// image type and when it was taken, if known.
type Photo struct {
	Content     []byte
	ContentType string
	TakenAt     *time.Time
}

// NewCheck is what the device sends. AssetID is nil for a 新发现 at a position only.
type NewCheck struct {
	AssetID   *int64     `json:"-"`
	Result    string     `json:"result"`
	Note      string     `json:"note"`
	Lon       *float64   `json:"lon"`
	Lat       *float64   `json:"lat"`
	AccuracyM *float64   `json:"accuracy_m"`
	TakenAt   *time.Time `json:"taken_at"`
	Photos    []Photo    `json:"-"`
}

// Validate names every field at fault (400 for a missing or malformed one, 422 for a rule).
func (n *NewCheck) Validate() error {
	n.Note = strings.TrimSpace(n.Note)
	var errs []*problem.Error
	switch {
	case n.Result == "":
		errs = append(errs, problem.Invalid("result", "is required: one of %s", strings.Join(Results, ", ")))
	case !slices.Contains(Results, n.Result):
		errs = append(errs, problem.Invalid("result", "%q is not one of %s", n.Result, strings.Join(Results, ", ")))
	case n.AssetID == nil && n.Result != "new_find":
		errs = append(errs, problem.Unprocessable("result", "a check without an asset is a 新发现 (new_find)"))
	}
	errs = append(errs, coordinate("lon", n.Lon, 180), coordinate("lat", n.Lat, 90))
	if n.AccuracyM != nil && !(*n.AccuracyM >= 0 && *n.AccuracyM < 1e6) {
		errs = append(errs, problem.Invalid("accuracy_m", "must be a number of metres ≥ 0"))
	}
	if len([]rune(n.Note)) > noteMax {
		errs = append(errs, problem.Invalid("note", "is longer than %d characters", noteMax))
	}
	if e := problem.Join(errs...); e != nil {
		return e
	}
	return nil
}

// coordinate checks a required longitude or latitude within ±limit degrees.
func coordinate(name string, v *float64, limit float64) *problem.Error {
	switch {
	case v == nil:
		return problem.Invalid(name, "is required (degrees, EPSG:4490)")
	case !(*v >= -limit && *v <= limit):
		return problem.Invalid(name, "%v is outside ±%v degrees", *v, limit)
	}
	return nil
}

// Filter narrows the list of checks. From and To bound when the check reached the server
// (zero: open); Flagged nil takes both.
type Filter struct {
	From, To time.Time
	Results  []string
	Flagged  *bool
	AssetID  int64
	// ID selects one check (0: any).
	ID     int64
	Limit  int
	Offset int
}

// NearAsset is an asset around the device, with its distance on the ellipsoid.
type NearAsset struct {
	ID         int64   `json:"id"`
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Kind       string  `json:"kind"`
	RegionCode *string `json:"region_code"`
	DistanceM  float64 `json:"distance_m"`
	// Lon and Lat are a point on the asset (for a marker and the way there).
	Lon float64 `json:"lon"`
	Lat float64 `json:"lat"`
}
