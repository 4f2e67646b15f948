package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// boardQuery sums, for every unit of group $1, the approved reports of month $2 of its projects
// (deleted projects left out): projects reporting, 实物量 per unit of measure, 经济效益, the
// 社会效益 texts joined with "；", 入库收益, 本级可用财力 and the non-empty 典型案例, texts in
// project code order. A unit with nothing approved gets zeros.
const boardQuery = `
WITH r AS (
    SELECT p.unit_code, p.code AS project_code, r.*
    FROM project_reports r JOIN projects p ON p.id = r.project_id
    WHERE r.month = $2 AND r.state = 'approved' AND p.deleted_at IS NULL
), q AS (
    SELECT unit_code, jsonb_agg(jsonb_build_object('unit', quantity_unit, 'quantity', total) ORDER BY quantity_unit) AS quantities
    FROM (SELECT unit_code, quantity_unit, sum(quantity)::float8 AS total FROM r WHERE quantity > 0 GROUP BY 1, 2) s
    GROUP BY unit_code
)
SELECT u.code, u.name, count(DISTINCT r.project_id), coalesce(q.quantities, '[]'),
       coalesce(sum(r.economic_benefit), 0)::float8,
       coalesce(string_agg(nullif(btrim(r.social_benefit), ''), '；' ORDER BY r.project_code), ''),
       coalesce(sum(r.treasury_income), 0)::float8, coalesce(sum(r.fiscal_available), 0)::float8,
       coalesce(array_agg(btrim(r.typical_case) ORDER BY r.project_code) FILTER (WHERE btrim(r.typical_case) <> ''), '{}')
FROM units u LEFT JOIN r ON r.unit_code = u.code LEFT JOIN q ON q.unit_code = u.code
WHERE u.grp = $1
GROUP BY u.code, u.name, q.quantities`

// cityQuery names the deployment's city (or province), "" before one is set.
const cityQuery = `SELECT coalesce((SELECT name FROM deployment), '')`

// Board is group's 榜单 for the month holding month: every unit of the group, ranked.
func (s *Service) Board(ctx context.Context, month time.Time, group string) (Board, error) {
	city, err := s.city(ctx)
	if err != nil {
		return Board{}, err
	}
	return s.board(ctx, city, MonthStart(month), group)
}

// city is the deployment's name ("" before one is set).
func (s *Service) city(ctx context.Context) (string, error) {
	var city string
	if err := s.pool.QueryRow(ctx, cityQuery).Scan(&city); err != nil {
		return "", fmt.Errorf("ledger: city: %w", err)
	}
	return city, nil
}

// Boards is the 榜单 of every group for the month holding month, in the order of Groups.
func (s *Service) Boards(ctx context.Context, month time.Time) ([]Board, error) {
	city, err := s.city(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Board, 0, len(Groups))
	for _, g := range Groups {
		b, err := s.board(ctx, city, MonthStart(month), g)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func (s *Service) board(ctx context.Context, city string, month time.Time, group string) (Board, error) {
	b := Board{
		Month: month.Format("2006-01"), Group: group, GroupName: GroupLabels[group],
		Title: boardTitle(city, month, group), MadeAt: s.now().In(chinaTime).Truncate(time.Second),
	}
	rows, err := s.pool.Query(ctx, boardQuery, group, month)
	if err != nil {
		return b, fmt.Errorf("ledger: board: %w", err)
	}
	b.Rows, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (BoardRow, error) {
		var w BoardRow
		err := r.Scan(&w.UnitCode, &w.UnitName, &w.Projects, &w.Quantities, &w.EconomicBenefit,
			&w.SocialBenefit, &w.TreasuryIncome, &w.FiscalAvailable, &w.TypicalCases)
		return w, err
	})
	if err != nil {
		return b, fmt.Errorf("ledger: board: %w", err)
	}
	rank(b.Rows)
	return b, nil
}

// trendQuery is, per unit of group $1 and month in [$2, $3], the approved 经济效益 of its projects.
const trendQuery = `
SELECT u.code, u.name, to_char(m.month, 'YYYY-MM'), coalesce(sum(r.economic_benefit), 0)::float8
FROM units u
CROSS JOIN generate_series($2::date, $3::date, interval '1 month') m (month)
LEFT JOIN projects p ON p.unit_code = u.code AND p.deleted_at IS NULL
LEFT JOIN project_reports r ON r.project_id = p.id AND r.month = m.month AND r.state = 'approved'
WHERE u.grp = $1
GROUP BY u.code, u.name, m.month
ORDER BY u.code, m.month`

// Trend is group's approved 经济效益 for the n months ending with to's month, per unit (the
// largest over the span first) and in total.
func (s *Service) Trend(ctx context.Context, group string, to time.Time, n int) (Trend, error) {
	t := Trend{Group: group, Months: trendMonths(to, n), Total: make([]float64, n)}
	first := MonthStart(to).AddDate(0, 1-n, 0)
	rows, err := s.pool.Query(ctx, trendQuery, group, first, MonthStart(to))
	if err != nil {
		return t, fmt.Errorf("ledger: trend: %w", err)
	}
	index := map[string]int{}
	for i, m := range t.Months {
		index[m] = i
	}
	var code, name, month string
	var v float64
	_, err = pgx.ForEachRow(rows, []any{&code, &name, &month, &v}, func() error {
		if len(t.Units) == 0 || t.Units[len(t.Units)-1].UnitCode != code {
			t.Units = append(t.Units, TrendUnit{UnitCode: code, UnitName: name, EconomicBenefit: make([]float64, n)})
		}
		t.Units[len(t.Units)-1].EconomicBenefit[index[month]] = v
		t.Total[index[month]] += v
		return nil
	})
	if err != nil {
		return t, fmt.Errorf("ledger: trend: %w", err)
	}
	for i := range t.Total {
		t.Total[i] = round2(t.Total[i])
	}
	sortTrend(t.Units)
	return t, nil
}
