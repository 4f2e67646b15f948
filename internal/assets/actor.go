package assets

import (
	"strings"

	"github.com/onemap/onemap/internal/problem"
)

// Actor is who makes a change: the name the history records, the account (0: none, e.g. the
// command line) and the region the account is confined to (nil: anywhere). The Service checks
// the region against where the asset lies, never against what the request says.
type Actor struct {
	Name   string
	UserID int64
	Region *string
}

// scope refuses a change to an asset lying in region (nil: in no region) by an actor confined
// to another one.
func (a Actor) scope(region *string) error {
	if a.Region == nil || (region != nil && RegionWithin(*region, *a.Region)) {
		return nil
	}
	where := "outside every region"
	if region != nil {
		where = "in region " + *region
	}
	return problem.Forbidden("this asset lies %s, outside your region %s", where, *a.Region)
}

// RegionWithin tells whether region lies within scope by their 行政区划代码: the same code, a
// county of the province or city scope names (by the prefix its code carries: regionPrefix), or a
// township of the county scope names. A user scoped to a city may so act in each of its counties.
func RegionWithin(region, scope string) bool {
	if region == scope {
		return true
	}
	prefix := regionPrefix(scope)
	if prefix == "" && len(scope) == 6 && len(region) == 9 {
		prefix = scope // a county over its townships
	}
	return prefix != "" && len(region) > len(prefix) && strings.HasPrefix(region, prefix)
}

// arealKinds must be (Multi)Polygons with an area: a parcel, a forest farm or a lake is a
// surface; a mine or a building may be recorded as a point.
func arealKind(k Kind) bool { return k == Land || k == Forest || k == Water }

// scopeNew refuses a new asset whose geometry lies outside the actor's region, or that names
// another region than the actor's.
func (a Actor) scopeNew(geomRegion *string, named string) error {
	if err := a.scope(geomRegion); err != nil {
		return err
	}
	if a.Region != nil && named != "" && !RegionWithin(named, *a.Region) {
		return problem.Forbidden("region_code %s is outside your region %s", named, *a.Region)
	}
	return nil
}
