package ledger

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// reportColumns are a report's columns in Report's order (scanReport), r being project_reports.
const reportColumns = `r.id, r.project_id, to_char(r.month, 'YYYY-MM'), r.stage, r.quantity::float8, r.quantity_unit,
    r.economic_benefit::float8, r.social_benefit, r.treasury_income::float8, r.fiscal_available::float8, r.typical_case,
    r.state, r.return_reason, r.submitted_at, r.submitted_by,
    coalesce((SELECT coalesce(nullif(display_name, ''), username) FROM users WHERE id = r.submitted_by), ''),
    r.reviewed_at, r.reviewed_by,
    coalesce((SELECT coalesce(nullif(display_name, ''), username) FROM users WHERE id = r.reviewed_by), ''),
    r.version, r.updated_at`

func reportFields(r *Report) []any {
	return []any{&r.ID, &r.ProjectID, &r.Month, &r.Stage, &r.Quantity, &r.QuantityUnit, &r.EconomicBenefit,
		&r.SocialBenefit, &r.TreasuryIncome, &r.FiscalAvailable, &r.TypicalCase, &r.State, &r.ReturnReason,
		&r.SubmittedAt, &r.SubmittedBy, &r.SubmittedByName, &r.ReviewedAt, &r.ReviewedBy, &r.ReviewedByName,
		&r.Version, &r.UpdatedAt}
}

func scanReport(row pgx.CollectableRow) (Report, error) {
	var r Report
	return r, row.Scan(reportFields(&r)...)
}

// reportProjectQ reads a live project for its reports, locked against concurrent changes, and
// whether its unit lies within the region $2 (any when null).
const reportProjectQ = `SELECT p.id, p.unit_code, p.year,
    $2::text IS NULL OR coalesce(region_within(u.region_code, $2), false)
FROM projects p JOIN units u ON u.code = p.unit_code
WHERE p.id = $1 AND p.deleted_at IS NULL`

func (s *Service) reportProject(ctx context.Context, q pgx.Tx, a Actor, id int64) (reportProject, error) {
	var p reportProject
	err := q.QueryRow(ctx, reportProjectQ+` FOR SHARE OF p`, id, a.Region).Scan(&p.id, &p.unit, &p.year, &p.inScope)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("no project %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("ledger: report project: %w", err)
	}
	return p, nil
}

// ProjectReports returns a project's reports, latest month first.
func (s *Service) ProjectReports(ctx context.Context, a Actor, projectID int64) ([]Report, error) {
	var out []Report
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		p, err := s.reportProject(ctx, tx, a, projectID)
		if err != nil {
			return err
		}
		if err := a.mayRead(p); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+reportColumns+` FROM project_reports r WHERE r.project_id = $1 ORDER BY r.month DESC`, projectID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanReport)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: project reports: %w", err)
	}
	return out, nil
}

// reportStep is one change to a report: given its project and the report as it is (nil when
// there is none yet), it checks the rules and writes, returning the event's action.
type reportStep func(ctx context.Context, tx pgx.Tx, p reportProject, cur *Report) (action string, id int64, err error)

// changeReport runs step on the report of projectID for month in one transaction, with the
// report row locked, and appends the event (before and after) to project_events.
func (s *Service) changeReport(ctx context.Context, a Actor, projectID int64, month string, step reportStep) (Report, error) {
	m, err := reportMonth(month)
	if err != nil {
		return Report{}, err
	}
	var after Report
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		p, err := s.reportProject(ctx, tx, a, projectID)
		if err != nil {
			return err
		}
		cur, err := lockReport(ctx, tx, projectID, m)
		if err != nil {
			return err
		}
		action, id, err := step(ctx, tx, p, cur)
		if err != nil {
			return err
		}
		if after, err = reportByID(ctx, tx, id); err != nil {
			return err
		}
		return reportEvent(ctx, tx, a, action, cur, after)
	})
	return after, err
}

func lockReport(ctx context.Context, tx pgx.Tx, projectID int64, month time.Time) (*Report, error) {
	rows, err := tx.Query(ctx, `SELECT `+reportColumns+` FROM project_reports r WHERE r.project_id = $1 AND r.month = $2 FOR UPDATE OF r`, projectID, month)
	if err != nil {
		return nil, fmt.Errorf("ledger: report: %w", err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanReport)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil //nolint:nilnil // no report yet is not an error: the first save creates it
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: report: %w", err)
	}
	return &r, nil
}

func reportByID(ctx context.Context, tx pgx.Tx, id int64) (Report, error) {
	rows, err := tx.Query(ctx, `SELECT `+reportColumns+` FROM project_reports r WHERE r.id = $1`, id)
	if err != nil {
		return Report{}, fmt.Errorf("ledger: report: %w", err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanReport)
	if err != nil {
		return r, fmt.Errorf("ledger: report: %w", err)
	}
	return r, nil
}

const reportEventQ = `INSERT INTO project_events (project_id, report_id, action, user_id, actor, before, after, note)
VALUES ($1, $2, $3, nullif($4, 0), $5, $6, $7, $8)`

// reportEvent appends a report's change to its project's history.
func reportEvent(ctx context.Context, tx pgx.Tx, a Actor, action string, before *Report, after Report) error {
	_, err := tx.Exec(ctx, reportEventQ, after.ProjectID, after.ID, action, a.UserID, a.Name, before, after, after.Month)
	if err != nil {
		return fmt.Errorf("ledger: report event: %w", err)
	}
	return nil
}

const insertReportQ = `INSERT INTO project_reports (project_id, month, stage, quantity, quantity_unit, economic_benefit,
    social_benefit, treasury_income, fiscal_available, typical_case)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`

// updateReportQ saves the figures; a returned report edited is a draft again (its reason stays
// for the reporter to read until the next review).
const updateReportQ = `UPDATE project_reports SET stage = $2, quantity = $3, quantity_unit = $4, economic_benefit = $5,
    social_benefit = $6, treasury_income = $7, fiscal_available = $8, typical_case = $9,
    state = 'draft', version = version + 1, updated_at = now()
WHERE id = $1`

// SaveReport creates or edits the report of a project for a month (YYYY-MM): a draft, or a
// returned report, which becomes a draft again. Submitted and approved reports are not edited
// (409); an edit names the version it started from (412 when stale).
func (s *Service) SaveReport(ctx context.Context, a Actor, projectID int64, month string, in ReportInput) (Report, error) {
	m, err := reportMonth(month)
	if err != nil {
		return Report{}, err
	}
	if err := notTooFar(m, s.now()); err != nil {
		return Report{}, err
	}
	return s.changeReport(ctx, a, projectID, month, func(ctx context.Context, tx pgx.Tx, p reportProject, cur *Report) (string, int64, error) {
		if err := a.mayFill(p); err != nil {
			return "", 0, err
		}
		r := newReport(projectID, m)
		if cur != nil {
			r = *cur
			if err := errors.Join(editable(r), checkVersion(r, in.Version, true)); err != nil {
				return "", 0, err
			}
		} else if in.Version != 0 {
			return "", 0, fmt.Errorf("no report of %s yet, so no version %d: %w", month, in.Version, problem.ErrStaleVersion)
		}
		in.apply(&r)
		if err := r.checkFigures(); err != nil {
			return "", 0, err
		}
		id, err := writeFigures(ctx, tx, m, r, cur == nil)
		return "report", id, err
	})
}

func writeFigures(ctx context.Context, tx pgx.Tx, month time.Time, r Report, insert bool) (int64, error) {
	var err error
	if insert {
		err = tx.QueryRow(ctx, insertReportQ, r.ProjectID, month, r.Stage, r.Quantity, r.QuantityUnit, r.EconomicBenefit,
			r.SocialBenefit, r.TreasuryIncome, r.FiscalAvailable, r.TypicalCase).Scan(&r.ID)
	} else {
		_, err = tx.Exec(ctx, updateReportQ, r.ID, r.Stage, r.Quantity, r.QuantityUnit, r.EconomicBenefit,
			r.SocialBenefit, r.TreasuryIncome, r.FiscalAvailable, r.TypicalCase)
	}
	if err != nil {
		return 0, fmt.Errorf("ledger: save report: %w", err)
	}
	return r.ID, nil
}

const submitReportQ = `UPDATE project_reports SET state = 'submitted', submitted_at = now(), submitted_by = nullif($2, 0),
    reviewed_at = NULL, reviewed_by = NULL, version = version + 1, updated_at = now()
WHERE id = $1`

// SubmitReport hands a draft (or a returned report) to the reviewers. version, when not 0, must
// be the report's.
func (s *Service) SubmitReport(ctx context.Context, a Actor, projectID int64, month string, version int) (Report, error) {
	return s.changeReport(ctx, a, projectID, month, func(ctx context.Context, tx pgx.Tx, p reportProject, cur *Report) (string, int64, error) {
		if err := a.mayFill(p); err != nil {
			return "", 0, err
		}
		if cur == nil {
			return "", 0, fmt.Errorf("no report of %s to submit: save it first: %w", month, problem.ErrNotFound)
		}
		if err := errors.Join(editable(*cur), checkVersion(*cur, version, false)); err != nil {
			return "", 0, err
		}
		_, err := tx.Exec(ctx, submitReportQ, cur.ID, a.UserID)
		return "submit", cur.ID, err
	})
}

const reviewReportQ = `UPDATE project_reports SET state = $2, return_reason = $3, reviewed_at = now(), reviewed_by = nullif($4, 0),
    version = version + 1, updated_at = now()
WHERE id = $1`

// ApproveReport approves a submitted report, which is locked from then on.
func (s *Service) ApproveReport(ctx context.Context, a Actor, projectID int64, month string, version int) (Report, error) {
	return s.review(ctx, a, projectID, month, version, ReportApproved, "")
}

// ReturnReport sends a submitted report back to its unit with a reason (422 without one).
func (s *Service) ReturnReport(ctx context.Context, a Actor, projectID int64, month string, version int, reason string) (Report, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Report{}, problem.Unprocessable("reason", "say why the report goes back")
	}
	return s.review(ctx, a, projectID, month, version, ReportReturned, reason)
}

func (s *Service) review(ctx context.Context, a Actor, projectID int64, month string, version int, state, reason string) (Report, error) {
	return s.changeReport(ctx, a, projectID, month, func(ctx context.Context, tx pgx.Tx, p reportProject, cur *Report) (string, int64, error) {
		if cur == nil {
			return "", 0, fmt.Errorf("no report of %s: %w", month, problem.ErrNotFound)
		}
		if err := a.mayReview(p, *cur); err != nil {
			return "", 0, err
		}
		if cur.State != ReportSubmitted {
			return "", 0, reportConflict("the report of %s is %s, not submitted", month, cur.State)
		}
		if err := checkVersion(*cur, version, false); err != nil {
			return "", 0, err
		}
		_, err := tx.Exec(ctx, reviewReportQ, cur.ID, state, reason, a.UserID)
		return map[string]string{ReportApproved: "approve", ReportReturned: "return"}[state], cur.ID, err
	})
}

// reportScope is the SQL narrowing reports and projects to what an actor sees: a reporter its
// unit ($n), a region-scoped user its region ($n+1); u is units, p projects.
func reportScope(n int) string {
	return fmt.Sprintf(` AND ($%d::text IS NULL OR p.unit_code = $%d) AND ($%d::text IS NULL OR coalesce(region_within(u.region_code, $%d), false))`, n, n, n+1, n+1)
}

// scopeArgs are reportScope's arguments for a: a reporter without a unit sees nothing.
func (a Actor) scopeArgs() (unit, region *string) {
	if a.Role == auth.Reporter {
		unit = a.Unit
		if unit == nil {
			none := ""
			unit = &none
		}
	}
	return unit, a.Region
}

// groupOrder sorts units in the order of Groups.
const groupOrder = `array_position(ARRAY['county', 'district', 'city', 'zone', 'enterprise'], u.grp)`

const listReportsQ = `SELECT ` + reportColumns + `, p.code, p.name, p.unit_code, u.name, u.grp
FROM project_reports r JOIN projects p ON p.id = r.project_id JOIN units u ON u.code = p.unit_code
WHERE p.deleted_at IS NULL AND ($1::date IS NULL OR r.month = $1) AND ($2::text IS NULL OR r.state = $2)
  AND ($3::text IS NULL OR u.grp = $3) AND ($4::text IS NULL OR p.unit_code = $4)`

// Reports lists the reports a filter names within what the actor sees: a reporter its unit's,
// a region-scoped user its region's. Latest month first, then in group and unit order.
func (s *Service) Reports(ctx context.Context, a Actor, f ReportFilter) ([]ReportRow, error) {
	args, err := f.args()
	if err != nil {
		return nil, err
	}
	unit, region := a.scopeArgs()
	q := listReportsQ + reportScope(5) + ` ORDER BY r.month DESC, ` + groupOrder + `, u.sort, u.code, p.code`
	rows, err := s.pool.Query(ctx, q, append(args, unit, region)...)
	if err != nil {
		return nil, fmt.Errorf("ledger: reports: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ReportRow, error) {
		var r ReportRow
		err := row.Scan(append(reportFields(&r.Report), &r.ProjectCode, &r.ProjectName, &r.UnitCode, &r.UnitName, &r.Group)...)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: reports: %w", err)
	}
	return out, nil
}

// args checks the filter and gives its query arguments ($1..$4; nil where it does not narrow).
func (f ReportFilter) args() ([]any, error) {
	var month *time.Time
	if f.Month != "" {
		m, err := reportMonth(f.Month)
		if err != nil {
			return nil, err
		}
		month = &m
	}
	if f.State != "" && !slices.Contains(ReportStates, f.State) {
		return nil, problem.Invalid("state", "%q is not one of %s", f.State, strings.Join(ReportStates, ", "))
	}
	if f.Group != "" && !slices.Contains(Groups, f.Group) {
		return nil, problem.Invalid("group", "%q is not one of %s", f.Group, strings.Join(Groups, ", "))
	}
	return []any{month, reportArg(f.State), reportArg(f.Group), reportArg(f.Unit)}, nil
}

func reportArg(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
