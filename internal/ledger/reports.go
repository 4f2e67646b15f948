package ledger

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/problem"
)

// ReportStages are how far a project got in a month: planned 拟盘活, in_progress 盘活中, done 已盘活.
var ReportStages = []string{"planned", "in_progress", "done"}

// Report states: a draft is submitted, then approved (locked) or returned with a reason; a
// returned report edited is a draft again.
const (
	ReportDraft     = "draft"
	ReportSubmitted = "submitted"
	ReportApproved  = "approved"
	ReportReturned  = "returned"
)

// ReportStates lists the report states.
var ReportStates = []string{ReportDraft, ReportSubmitted, ReportApproved, ReportReturned}

// Report is one project's monthly report (盘活情况). Money is in 万元.
type Report struct {
	ID              int64      `json:"id"`
	ProjectID       int64      `json:"project_id"`
	Month           string     `json:"month"`
	Stage           string     `json:"stage"`
	Quantity        float64    `json:"quantity"`
	QuantityUnit    string     `json:"quantity_unit"`
	EconomicBenefit float64    `json:"economic_benefit"`
	SocialBenefit   string     `json:"social_benefit"`
	TreasuryIncome  float64    `json:"treasury_income"`
	FiscalAvailable float64    `json:"fiscal_available"`
	TypicalCase     string     `json:"typical_case"`
	State           string     `json:"state"`
	ReturnReason    string     `json:"return_reason"`
	SubmittedAt     *time.Time `json:"submitted_at"`
	SubmittedBy     *int64     `json:"submitted_by"`
	SubmittedByName string     `json:"submitted_by_name"`
	ReviewedAt      *time.Time `json:"reviewed_at"`
	ReviewedBy      *int64     `json:"reviewed_by"`
	ReviewedByName  string     `json:"reviewed_by_name"`
	Version         int        `json:"version"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// ReportRow is a report listed across projects, with its project and unit.
type ReportRow struct {
	Report
	ProjectCode string `json:"project_code"`
	ProjectName string `json:"project_name"`
	UnitCode    string `json:"unit_code"`
	UnitName    string `json:"unit_name"`
	Group       string `json:"group"`
}

// ReportInput is a report's figures as a reporter saves them; nil fields keep the report's
// current value (a new report's defaults). Version is the version edited (0: a new report).
type ReportInput struct {
	Stage           *string  `json:"stage"`
	Quantity        *float64 `json:"quantity"`
	QuantityUnit    *string  `json:"quantity_unit"`
	EconomicBenefit *float64 `json:"economic_benefit"`
	SocialBenefit   *string  `json:"social_benefit"`
	TreasuryIncome  *float64 `json:"treasury_income"`
	FiscalAvailable *float64 `json:"fiscal_available"`
	TypicalCase     *string  `json:"typical_case"`
	Version         int      `json:"version"`
}

// ReportFilter narrows a list of reports; empty fields do not narrow.
type ReportFilter struct {
	Month, State, Group, Unit string
}

// newReport is a report's defaults before its first save.
func newReport(projectID int64, month time.Time) Report {
	return Report{ProjectID: projectID, Month: month.Format("2006-01"), Stage: "in_progress", QuantityUnit: "亩", State: ReportDraft}
}

// apply copies the fields in gives onto r.
func (in ReportInput) apply(r *Report) {
	setIf(&r.Stage, in.Stage)
	setIf(&r.Quantity, in.Quantity)
	setIf(&r.QuantityUnit, in.QuantityUnit)
	setIf(&r.EconomicBenefit, in.EconomicBenefit)
	setIf(&r.SocialBenefit, in.SocialBenefit)
	setIf(&r.TreasuryIncome, in.TreasuryIncome)
	setIf(&r.FiscalAvailable, in.FiscalAvailable)
	setIf(&r.TypicalCase, in.TypicalCase)
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// checkFigures validates a report's figures: a known stage, amounts from 0 within range, a unit
// for the quantity, texts of reasonable length, and 本级可用财力 within 入库收益.
func (r *Report) checkFigures() error {
	var errs []*problem.Error
	if !slices.Contains(ReportStages, r.Stage) {
		errs = append(errs, problem.Unprocessable("stage", "%q is not one of %s", r.Stage, strings.Join(ReportStages, ", ")))
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"quantity", r.Quantity}, {"economic_benefit", r.EconomicBenefit}, {"treasury_income", r.TreasuryIncome}, {"fiscal_available", r.FiscalAvailable}} {
		if f.v < 0 || f.v > maxMoney {
			errs = append(errs, problem.Unprocessable(f.name, "must be between 0 and %.0f", float64(maxMoney)))
		}
	}
	r.QuantityUnit = strings.TrimSpace(r.QuantityUnit)
	if r.QuantityUnit == "" || utf8.RuneCountInString(r.QuantityUnit) > 16 {
		errs = append(errs, problem.Unprocessable("quantity_unit", "name the unit of the quantity (亩, 平方米, 公里 …), at most 16 characters"))
	}
	if utf8.RuneCountInString(r.SocialBenefit) > 4000 {
		errs = append(errs, problem.Unprocessable("social_benefit", "at most 4000 characters"))
	}
	if utf8.RuneCountInString(r.TypicalCase) > 4000 {
		errs = append(errs, problem.Unprocessable("typical_case", "at most 4000 characters"))
	}
	if r.FiscalAvailable > r.TreasuryIncome {
		errs = append(errs, problem.Unprocessable("fiscal_available", "其中本级可用财力 %.2f exceeds 入库收益 %.2f", r.FiscalAvailable, r.TreasuryIncome))
	}
	if e := problem.Join(errs...); e != nil {
		return e
	}
	return nil
}

var monthPattern = regexp.MustCompile(`^\d{4}-\d{2}$`)

// reportMonth parses a month written YYYY-MM into its first day (400 naming month otherwise).
func reportMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if !monthPattern.MatchString(s) || err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, problem.Invalid("month", "%q is not a month written YYYY-MM", s)
	}
	return t, nil
}

// notTooFar refuses a report for a month more than one month after today's.
func notTooFar(month, today time.Time) error {
	next := time.Date(today.Year(), today.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	if month.After(next) {
		return problem.Unprocessable("month", "%s is more than one month ahead; reports are for this month or the next", month.Format("2006-01"))
	}
	return nil
}

// reportProject is what a report's rules need of its project.
type reportProject struct {
	id      int64
	unit    string
	year    int
	inScope bool // the project's unit lies within the actor's region (true without one)
}

// mayRead refuses a reporter another unit's project, and a region-scoped user one outside it.
func (a Actor) mayRead(p reportProject) error {
	if a.Role == auth.Reporter {
		return a.ownUnit(p)
	}
	if !p.inScope {
		return problem.Forbidden("project %d belongs to unit %s, outside your region %s", p.id, p.unit, codeOrNone(a.Region))
	}
	return nil
}

// mayFill is who fills and submits a report: the project's unit's reporter, an analyst within
// their region, an admin. A reviewer does not touch the figures.
func (a Actor) mayFill(p reportProject) error {
	switch a.Role {
	case auth.Reporter, auth.Analyst, auth.Admin:
		return a.mayRead(p)
	case auth.Reviewer:
		return problem.Forbidden("a reviewer approves or returns reports; the figures are the reporting unit's")
	}
	return problem.Forbidden("role %s may not fill reports", a.Role)
}

// mayReview is who approves and returns: a reviewer within their region, or an admin; nobody but
// an admin reviews a report they submitted themselves.
func (a Actor) mayReview(p reportProject, r Report) error {
	if a.Role != auth.Reviewer && a.Role != auth.Admin {
		return problem.Forbidden("only a reviewer approves or returns reports")
	}
	if err := a.mayRead(p); err != nil {
		return err
	}
	if a.Role != auth.Admin && r.SubmittedBy != nil && *r.SubmittedBy == a.UserID {
		return problem.Forbidden("you submitted this report: another reviewer must review it")
	}
	return nil
}

func (a Actor) ownUnit(p reportProject) error {
	if a.Unit == nil || *a.Unit != p.unit {
		return problem.Forbidden("project %d belongs to unit %s; you report for %s", p.id, p.unit, codeOrNone(a.Unit))
	}
	return nil
}

func codeOrNone(s *string) string {
	if s == nil {
		return "(none)"
	}
	return *s
}

// reportConflict is a 409 about a report's state.
func reportConflict(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, problem.ErrConflict)...)
}

// editable refuses changing the figures of a report under review or approved.
func editable(r Report) error {
	switch r.State {
	case ReportApproved:
		return reportConflict("the report of %s is approved and locked", r.Month)
	case ReportSubmitted:
		return reportConflict("the report of %s is submitted and awaits review", r.Month)
	}
	return nil
}

// checkVersion refuses a change made to another version than the report's (0 when not sent:
// only a first save may omit it).
func checkVersion(r Report, v int, required bool) error {
	if (v != 0 || required) && v != r.Version {
		return fmt.Errorf("the report of %s is at version %d, not %d: %w", r.Month, r.Version, v, problem.ErrStaleVersion)
	}
	return nil
}
