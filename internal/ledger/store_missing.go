package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Missing is the list of projects without a submitted (or approved) report for a month, per
// unit. Reports are due by the 25th; after it the month is overdue.
type Missing struct {
	Month   string        `json:"month"`
	Due     string        `json:"due"`
	Overdue bool          `json:"overdue"`
	Count   int           `json:"count"`
	Units   []MissingUnit `json:"units"`
}

// MissingUnit is one unit's projects still to report.
type MissingUnit struct {
	UnitCode string       `json:"unit_code"`
	UnitName string       `json:"unit_name"`
	Group    string       `json:"group"`
	Projects []MissingRef `json:"projects"`
}

// MissingRef names a project still to report.
type MissingRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// reportDueDay is the day of the month a month's reports are due by.
const reportDueDay = 25

// dueState is a month's due date and whether today is past it.
func dueState(month, now time.Time) (due string, overdue bool) {
	d := time.Date(month.Year(), month.Month(), reportDueDay, 0, 0, 0, 0, time.UTC)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return d.Format(time.DateOnly), today.After(d)
}

// missingQ lists the active projects of $2's year with no submitted or approved report for
// month $1, in group and unit order.
const missingQ = `SELECT u.code, u.name, u.grp, p.id, p.code, p.name
FROM projects p JOIN units u ON u.code = p.unit_code
WHERE p.deleted_at IS NULL AND p.status = 'active' AND p.year = $2
  AND NOT EXISTS (SELECT 1 FROM project_reports r
                  WHERE r.project_id = p.id AND r.month = $1 AND r.state IN ('submitted', 'approved'))`

// MissingReports lists, per unit, the projects the actor sees that have not reported month
// (YYYY-MM) yet.
func (s *Service) MissingReports(ctx context.Context, a Actor, month string) (Missing, error) {
	m, err := reportMonth(month)
	if err != nil {
		return Missing{}, err
	}
	out := Missing{Month: month, Units: []MissingUnit{}}
	out.Due, out.Overdue = dueState(m, s.now())
	unit, region := a.scopeArgs()
	q := missingQ + reportScope(3) + ` ORDER BY ` + groupOrder + `, u.sort, u.code, p.code`
	rows, err := s.pool.Query(ctx, q, m, m.Year(), unit, region)
	if err != nil {
		return out, fmt.Errorf("ledger: missing reports: %w", err)
	}
	var u MissingUnit
	var p MissingRef
	_, err = pgx.ForEachRow(rows, []any{&u.UnitCode, &u.UnitName, &u.Group, &p.ID, &p.Code, &p.Name}, func() error {
		if n := len(out.Units); n == 0 || out.Units[n-1].UnitCode != u.UnitCode {
			out.Units = append(out.Units, MissingUnit{UnitCode: u.UnitCode, UnitName: u.UnitName, Group: u.Group})
		}
		last := &out.Units[len(out.Units)-1]
		last.Projects = append(last.Projects, p)
		out.Count++
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("ledger: missing reports: %w", err)
	}
	return out, nil
}
