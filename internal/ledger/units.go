package ledger

import (
	"strings"

	"github.com/onemap/onemap/internal/problem"
)

// Unit is whoever a project belongs to and whose row the monthly 榜单 shows: a region, a zone,
// a city department or a state enterprise, in one of the five Groups.
type Unit struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Group      string  `json:"group"`
	RegionCode *string `json:"region_code"`
	ZoneCode   *string `json:"zone_code"`
}

// UnitPatch is an admin's change of a unit: a new name or group (nil: unchanged).
type UnitPatch struct {
	Name  *string `json:"name"`
	Group *string `json:"group"`
}

// validate checks a new unit: a code, a name, one of the groups.
func (u *Unit) validate() error {
	u.Code, u.Name = strings.TrimSpace(u.Code), strings.TrimSpace(u.Name)
	var errs []*problem.Error
	if u.Code == "" {
		errs = append(errs, problem.Unprocessable("code", "is required"))
	}
	if u.Name == "" {
		errs = append(errs, problem.Unprocessable("name", "is required"))
	}
	if !ValidGroup(u.Group) {
		errs = append(errs, problem.Unprocessable("group", "%q is not one of %s", u.Group, strings.Join(Groups, ", ")))
	}
	if u.RegionCode != nil && *u.RegionCode == "" {
		u.RegionCode = nil
	}
	if e := problem.Join(errs...); e != nil {
		return e
	}
	return nil
}

// validate checks a unit change: at least one field, a non-empty name, a known group.
func (p *UnitPatch) validate() error {
	switch {
	case p.Name == nil && p.Group == nil:
		return problem.Invalid("body", "name at least one of name, group")
	case p.Name != nil && strings.TrimSpace(*p.Name) == "":
		return problem.Unprocessable("name", "cannot be empty")
	case p.Group != nil && !ValidGroup(*p.Group):
		return problem.Unprocessable("group", "%q is not one of %s", *p.Group, strings.Join(Groups, ", "))
	}
	return nil
}
