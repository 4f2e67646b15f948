package ledger

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// Modes are the 盘活方式 (用, 售, 租, 融).
var Modes = []string{"use", "sell", "lease", "finance"}

// Instruments are the 盘活路径: 出让, 转让, 出租, 作价出资, 抵押融资, ABS, REITs, 特许经营, 自用, 其他.
var Instruments = []string{"transfer_grant", "transfer", "lease", "equity", "mortgage", "abs", "reits", "concession", "self_use", "other"}

// Statuses are a project's states: active (进行中) or closed (已关闭).
var Statuses = []string{"active", "closed"}

// ProjectFields are a project's own columns, as a client sends them and the 台账 holds them. Group is
// the unit's group: read from the unit, and when sent it must agree with it.
type ProjectFields struct {
	Code              string  `json:"code"`
	Name              string  `json:"name"`
	Year              int     `json:"year"`
	Group             string  `json:"group"`
	UnitCode          string  `json:"unit_code"`
	Field             string  `json:"field"`
	Mode              string  `json:"mode"`
	Instrument        string  `json:"instrument"`
	Holder            string  `json:"holder"`
	ResponsibleUnit   string  `json:"responsible_unit"`
	ResponsiblePerson string  `json:"responsible_person"`
	PlannedStart      *string `json:"planned_start"`
	PlannedEnd        *string `json:"planned_end"`
	ExpectedBenefit   float64 `json:"expected_benefit"`
	Description       string  `json:"description"`
	Status            string  `json:"status"`
}

// Project is one line of the 台账 with its unit, version and totals: its member assets' count
// and 亩, and the 经济效益 (万元) of its approved reports so far.
type Project struct {
	ID int64 `json:"id"`
	ProjectFields
	UnitName      string    `json:"unit_name"`
	RegionCode    *string   `json:"region_code"`
	Version       int       `json:"version"`
	AssetCount    int       `json:"asset_count"`
	AreaMu        float64   `json:"area_mu"`
	BenefitToDate float64   `json:"benefit_to_date"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// DeletedAt is set on a soft-deleted project (shown to whoever restores it).
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Member is one asset of a project.
type Member struct {
	ID     int64   `json:"id"`
	Kind   string  `json:"kind"`
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	AreaMu float64 `json:"area_mu"`
	Stage  string  `json:"stage"`
}

// Event is one entry of a project's history.
type Event = assets.Event

// Detail is a project with its member assets and history.
type Detail struct {
	Project
	Assets  []Member `json:"assets"`
	History []Event  `json:"history"`
}

// Ref names a project: what an asset's panel links to.
type Ref struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// ProjectFilter narrows the project list; zero values do not filter.
type ProjectFilter struct {
	Year   int
	Group  string
	Unit   string
	Field  string
	Mode   string
	Status string
	Region string
	Q      string
	Asset  int64
	Limit  int
	Offset int
}

// normalize trims the text fields and fills the defaults (instrument other, status active).
func (f *ProjectFields) normalize() {
	for _, s := range []*string{&f.Code, &f.Name, &f.Group, &f.UnitCode, &f.Field, &f.Mode, &f.Instrument,
		&f.Holder, &f.ResponsibleUnit, &f.ResponsiblePerson, &f.Description, &f.Status} {
		*s = strings.TrimSpace(*s)
	}
	for _, d := range []**string{&f.PlannedStart, &f.PlannedEnd} {
		if *d != nil && strings.TrimSpace(**d) == "" {
			*d = nil
		}
	}
	if f.Instrument == "" {
		f.Instrument = "other"
	}
	if f.Status == "" {
		f.Status = "active"
	}
	f.ExpectedBenefit = math.Round(f.ExpectedBenefit*100) / 100
}

// validate checks every field and names each one at fault (the unit's existence and group are
// checked against the database by the caller).
func (f *ProjectFields) validate() error {
	f.normalize()
	var errs []*problem.Error
	need := func(name, v string) {
		if v == "" {
			errs = append(errs, problem.Unprocessable(name, "is required"))
		}
	}
	need("code", f.Code)
	need("name", f.Name)
	need("unit_code", f.UnitCode)
	if f.Year < 2000 || f.Year > 2100 {
		errs = append(errs, problem.Unprocessable("year", "%d is not a year between 2000 and 2100", f.Year))
	}
	errs = append(errs, oneOf("group", f.Group, Groups, true), oneOf("field", f.Field, Fields, false),
		oneOf("mode", f.Mode, Modes, false), oneOf("instrument", f.Instrument, Instruments, false),
		oneOf("status", f.Status, Statuses, false))
	errs = append(errs, f.checkDates()...)
	if f.ExpectedBenefit < 0 || math.IsNaN(f.ExpectedBenefit) || f.ExpectedBenefit >= 1e14 {
		errs = append(errs, problem.Unprocessable("expected_benefit", "%v is not an amount of 万元 ≥ 0", f.ExpectedBenefit))
	}
	if e := problem.Join(errs...); e != nil {
		return e
	}
	return nil
}

// oneOf checks that v is one of list (empty allowed when optional).
func oneOf(name, v string, list []string, optional bool) *problem.Error {
	if (optional && v == "") || slices.Contains(list, v) {
		return nil
	}
	return problem.Unprocessable(name, "%q is not one of %s", v, strings.Join(list, ", "))
}

// checkDates checks the planned dates (2006-01-02) and that the end is not before the start.
func (f *ProjectFields) checkDates() []*problem.Error {
	var errs []*problem.Error
	var start, end time.Time
	for _, d := range []struct {
		name string
		v    *string
		t    *time.Time
	}{{"planned_start", f.PlannedStart, &start}, {"planned_end", f.PlannedEnd, &end}} {
		if d.v == nil {
			continue
		}
		t, err := time.Parse(time.DateOnly, *d.v)
		if err != nil {
			errs = append(errs, problem.Unprocessable(d.name, "%q is not a date such as 2026-03-01", *d.v))
			continue
		}
		*d.t = t
	}
	if len(errs) == 0 && !start.IsZero() && !end.IsZero() && end.Before(start) {
		errs = append(errs, problem.Unprocessable("planned_end", "%s is before planned_start %s", *f.PlannedEnd, *f.PlannedStart))
	}
	return errs
}

// conflict is a 409 naming the parameter at fault.
func conflict(name, format string, args ...any) *problem.Error {
	reason := fmt.Sprintf(format, args...)
	return &problem.Error{Status: http.StatusConflict, Title: "Conflict", Detail: name + ": " + reason,
		Params: []problem.Param{{Name: name, Reason: reason}}}
}

// scope refuses an actor confined to a region a change to a project whose unit answers to a
// region outside it (or to none: the whole deployment).
func (a Actor) scope(unitRegion *string) error {
	if a.Region == nil || (unitRegion != nil && assets.RegionWithin(*unitRegion, *a.Region)) {
		return nil
	}
	where := "the whole deployment"
	if unitRegion != nil {
		where = "region " + *unitRegion
	}
	return problem.Forbidden("this project's unit answers to %s, outside your region %s", where, *a.Region)
}

// validate checks the list's filter values against their lists.
func (f *ProjectFilter) validate() error {
	errs := []*problem.Error{oneOf("group", f.Group, Groups, true), oneOf("field", f.Field, Fields, true),
		oneOf("mode", f.Mode, Modes, true), oneOf("status", f.Status, Statuses, true)}
	if e := problem.Join(errs...); e != nil {
		e.Status, e.Title = http.StatusBadRequest, "Invalid parameter" // a query parameter
		return e
	}
	return nil
}
