package ledger

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/db"
)

const regionTargetsQuery = `
SELECT t.region_code, r.name, t.target FROM targets t JOIN regions r ON r.code = t.region_code
WHERE t.year = $1 AND t.metric = 'benefit' ORDER BY t.region_code`

const fieldTargetsQuery = `
SELECT field, lead_unit, partners, tasks, target::float8 FROM field_targets
WHERE year = $1 ORDER BY array_position(ledger_fields(), field)`

// Targets are year's targets per region (预期盘活效益) and per 工作领域.
func (s *Service) Targets(ctx context.Context, year int) (Targets, error) {
	t := Targets{Year: year}
	rows, err := s.pool.Query(ctx, regionTargetsQuery, year)
	if err != nil {
		return t, fmt.Errorf("ledger: targets: %w", err)
	}
	if t.Regions, err = pgx.CollectRows(rows, pgx.RowToStructByPos[RegionTarget]); err != nil {
		return t, fmt.Errorf("ledger: targets: %w", err)
	}
	rows, err = s.pool.Query(ctx, fieldTargetsQuery, year)
	if err != nil {
		return t, fmt.Errorf("ledger: targets: %w", err)
	}
	t.Fields, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (FieldTarget, error) {
		var f FieldTarget
		err := r.Scan(&f.Field, &f.LeadUnit, &f.Partners, &f.Tasks, &f.Target)
		f.Label = FieldLabels[f.Field]
		return f, err
	})
	if err != nil {
		return t, fmt.Errorf("ledger: targets: %w", err)
	}
	return t, nil
}

// SetTargets replaces every target of t.Year (regions' 预期盘活效益 and 工作领域) with t's, in one
// transaction; a bad entry is a 422 naming it and nothing changes.
func (s *Service) SetTargets(ctx context.Context, t Targets) (Targets, error) {
	regions, err := s.regionNames(ctx)
	if err != nil {
		return t, err
	}
	if err := t.check(regions); err != nil {
		return t, err
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		for _, q := range []string{`DELETE FROM targets WHERE year = $1 AND metric = 'benefit'`, `DELETE FROM field_targets WHERE year = $1`} {
			if _, err := tx.Exec(ctx, q, t.Year); err != nil {
				return err
			}
		}
		return upsertTargets(ctx, tx, t)
	})
	if err != nil {
		return t, fmt.Errorf("ledger: set targets: %w", err)
	}
	return s.Targets(ctx, t.Year)
}

const upsertRegionTarget = `
INSERT INTO targets (region_code, year, metric, target) VALUES ($1, $2, 'benefit', $3)
ON CONFLICT (region_code, year, metric) DO UPDATE SET target = EXCLUDED.target`

const upsertFieldTarget = `
INSERT INTO field_targets (year, field, lead_unit, partners, tasks, target) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (year, field) DO UPDATE SET lead_unit = EXCLUDED.lead_unit, partners = EXCLUDED.partners,
    tasks = EXCLUDED.tasks, target = EXCLUDED.target`

// addTargets sets each of t's targets in one transaction, leaving the year's others as they are.
func (s *Service) addTargets(ctx context.Context, t Targets) error {
	if err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error { return upsertTargets(ctx, tx, t) }); err != nil {
		return fmt.Errorf("ledger: import targets: %w", err)
	}
	return nil
}

// upsertTargets sets each of t's targets, leaving the year's others as they are.
func upsertTargets(ctx context.Context, tx pgx.Tx, t Targets) error {
	for _, r := range t.Regions {
		if _, err := tx.Exec(ctx, upsertRegionTarget, r.RegionCode, t.Year, r.Benefit); err != nil {
			return err
		}
	}
	for _, f := range t.Fields {
		if _, err := tx.Exec(ctx, upsertFieldTarget, t.Year, f.Field, f.LeadUnit, f.Partners, f.Tasks, f.Target); err != nil {
			return err
		}
	}
	return nil
}

// regionNames maps every region's code to its name.
func (s *Service) regionNames(ctx context.Context) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT code, name FROM regions`)
	if err != nil {
		return nil, fmt.Errorf("ledger: regions: %w", err)
	}
	out := map[string]string{}
	var code, name string
	if _, err := pgx.ForEachRow(rows, []any{&code, &name}, func() error { out[code] = name; return nil }); err != nil {
		return nil, fmt.Errorf("ledger: regions: %w", err)
	}
	return out, nil
}

// benefitProgressQuery is, per benefit target of year $1, the approved 经济效益 of the year of the
// projects whose unit answers to a region within the target's
// (the region itself, and for a city everything in it: region_within).
const benefitProgressQuery = `
SELECT t.region_code, r.name, t.year, t.metric, t.target,
    coalesce((SELECT sum(pr.economic_benefit) FROM project_reports pr
              JOIN projects p ON p.id = pr.project_id AND p.deleted_at IS NULL
              JOIN units u ON u.code = p.unit_code
              WHERE pr.state = 'approved' AND pr.month >= make_date($1, 1, 1) AND pr.month < make_date($1 + 1, 1, 1)
                AND region_within(u.region_code, t.region_code)), 0)::float8
FROM targets t JOIN regions r ON r.code = t.region_code
WHERE t.year = $1 AND t.metric = 'benefit' ORDER BY t.region_code`

const fieldProgressQuery = `
SELECT f.field, f.lead_unit, f.target::float8,
    coalesce((SELECT sum(pr.economic_benefit) FROM project_reports pr
              JOIN projects p ON p.id = pr.project_id AND p.deleted_at IS NULL
              WHERE p.field = f.field AND pr.state = 'approved'
                AND pr.month >= make_date($1, 1, 1) AND pr.month < make_date($1 + 1, 1, 1)), 0)::float8
FROM field_targets f WHERE f.year = $1 ORDER BY array_position(ledger_fields(), f.field)`

// Progress measures year's benefit targets: per region (rows of metric "benefit", shaped like the
// asset targets' rows of /api/v1/progress) and per 工作领域, by the approved 经济效益 of the year.
func (s *Service) Progress(ctx context.Context, year int) ([]assets.Progress, []FieldProgress, error) {
	rows, err := s.pool.Query(ctx, benefitProgressQuery, year)
	if err != nil {
		return nil, nil, fmt.Errorf("ledger: progress: %w", err)
	}
	regions, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (assets.Progress, error) {
		var p assets.Progress
		err := r.Scan(&p.RegionCode, &p.RegionName, &p.Year, &p.Metric, &p.Target, &p.Actual)
		p.Ratio = ratio(p.Actual, p.Target)
		return p, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("ledger: progress: %w", err)
	}
	if rows, err = s.pool.Query(ctx, fieldProgressQuery, year); err != nil {
		return nil, nil, fmt.Errorf("ledger: progress: %w", err)
	}
	fields, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (FieldProgress, error) {
		var f FieldProgress
		err := r.Scan(&f.Field, &f.LeadUnit, &f.Target, &f.Actual)
		f.Label, f.Ratio = FieldLabels[f.Field], ratio(f.Actual, f.Target)
		return f, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("ledger: progress: %w", err)
	}
	return regions, fields, nil
}
