package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// HistorySummary is what writeHistory wrote.
type HistorySummary struct {
	Units, Projects, Reports, Events, Leases, FieldTargets int
	// RemovedProjects counts the projects of an earlier demo load that --replace removed.
	RemovedProjects int64
	Elapsed         time.Duration
}

// leaseNote marks the lease terms the demo wrote, so that --replace finds them.
const leaseNote = "演示租约（onemap demo）"

// writeHistory writes h inside tx: the added units, then the projects, their members, reports
// and events, the lease terms and the 工作领域 targets, all by COPY with ids taken from the
// tables' sequences beforehand. Assets are found by kind and code among the live ones.
func writeHistory(ctx context.Context, tx pgx.Tx, h *History) (HistorySummary, error) {
	start := time.Now()
	s := HistorySummary{Units: len(h.Units), Leases: len(h.Leases), FieldTargets: len(h.Fields)}
	if err := writeUnits(ctx, tx, h.Units); err != nil {
		return s, err
	}
	ids, err := assetIDs(ctx, tx, h)
	if err != nil {
		return s, err
	}
	if s.Projects, s.Reports, s.Events, err = writeProjects(ctx, tx, h.Projects, ids); err != nil {
		return s, err
	}
	if err := writeLeases(ctx, tx, h.Leases, ids); err != nil {
		return s, err
	}
	if err := writeFieldTargets(ctx, tx, h.Fields); err != nil {
		return s, err
	}
	if _, err := tx.Exec(ctx, "ANALYZE units, projects, project_assets, project_reports, asset_leases"); err != nil {
		return s, fmt.Errorf("demo: analyze the ledger: %w", err)
	}
	s.Elapsed = time.Since(start)
	return s, nil
}

const cityRegion = "SELECT code FROM regions WHERE code = $1 AND level = 'city'"

// hasCityRegion reports whether the database holds the demo city's own region.
func hasCityRegion(ctx context.Context, tx pgx.Tx) (bool, error) {
	var code string
	err := tx.QueryRow(ctx, cityRegion, Place.Code).Scan(&code)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("demo: city region: %w", err)
	}
	return true, nil
}

const upsertUnits = `
INSERT INTO units (code, name, grp, sort, region_code)
SELECT u.code, u.name, u.grp, u.sort, (SELECT code FROM regions WHERE code = $5 AND level = 'city')
FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS u(code, name, grp, sort)
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, grp = EXCLUDED.grp, sort = EXCLUDED.sort,
    region_code = EXCLUDED.region_code`

// writeUnits adds the departments and enterprises, answering to the city's region when the
// database holds it.
func writeUnits(ctx context.Context, tx pgx.Tx, us []Unit) error {
	var codes, names, groups []string
	var sorts []int32
	for _, u := range us {
		codes, names, groups, sorts = append(codes, u.Code), append(names, u.Name), append(groups, u.Group), append(sorts, int32(u.Sort))
	}
	if _, err := tx.Exec(ctx, upsertUnits, codes, names, groups, sorts, Place.Code); err != nil {
		return fmt.Errorf("demo: units: %w", err)
	}
	return nil
}

const liveAssetIDs = `
SELECT a.kind, a.code, a.id FROM unnest($1::text[], $2::text[]) AS r(kind, code)
JOIN assets a ON a.kind = r.kind AND a.code = r.code AND a.deleted_at IS NULL`

// assetIDs finds the ids of the live assets the projects and leases name.
func assetIDs(ctx context.Context, tx pgx.Tx, h *History) (map[AssetRef]int64, error) {
	var kinds, codes []string
	add := func(a AssetRef) { kinds, codes = append(kinds, a.Kind), append(codes, a.Code) }
	for _, p := range h.Projects {
		for _, a := range p.Assets {
			add(a)
		}
	}
	for _, l := range h.Leases {
		add(l.Asset)
	}
	rows, err := tx.Query(ctx, liveAssetIDs, kinds, codes)
	if err != nil {
		return nil, fmt.Errorf("demo: asset ids: %w", err)
	}
	ids := map[AssetRef]int64{}
	var a AssetRef
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&a.Kind, &a.Code, &id}, func() error { ids[a] = id; return nil })
	if err != nil {
		return nil, fmt.Errorf("demo: asset ids: %w", err)
	}
	if len(ids) < len(codes)/2 {
		return nil, fmt.Errorf("demo: only %d of the %d assets the history names are in the database", len(ids), len(codes))
	}
	return ids, nil
}

const nextIDs = "SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)"

// reserveIDs takes n ids from table's sequence.
func reserveIDs(ctx context.Context, tx pgx.Tx, table string, n int) ([]int64, error) {
	rows, err := tx.Query(ctx, nextIDs, table, n)
	if err != nil {
		return nil, fmt.Errorf("demo: %s ids: %w", table, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("demo: %s ids: %w", table, err)
	}
	return ids, nil
}

// copyRows copies rows into table's columns.
func copyRows(ctx context.Context, tx pgx.Tx, table string, cols []string, rows [][]any) error {
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("demo: copy %s: %w", table, err)
	}
	return nil
}

var (
	projectCols = []string{"id", "code", "name", "year", "unit_code", "field", "mode", "instrument", "holder",
		"responsible_unit", "responsible_person", "planned_start", "planned_end", "expected_benefit", "description",
		"status", "version", "created_at", "updated_at"}
	memberCols = []string{"project_id", "asset_id", "active", "added_at"}
	reportCols = []string{"id", "project_id", "month", "stage", "quantity", "quantity_unit", "economic_benefit",
		"social_benefit", "treasury_income", "fiscal_available", "typical_case", "state", "return_reason",
		"submitted_at", "reviewed_at", "version", "created_at", "updated_at"}
	eventCols = []string{"project_id", "report_id", "action", "actor", "at", "before", "after", "note"}
)

// ledgerRows are the rows of the project tables, built before they are copied.
type ledgerRows struct {
	projects, members, reports, events [][]any
}

// writeProjects copies the projects with their members, reports and events, returning how
// many projects, reports and events it wrote.
func writeProjects(ctx context.Context, tx pgx.Tx, ps []Project, assetID map[AssetRef]int64) (int, int, int, error) {
	pids, err := reserveIDs(ctx, tx, "projects", len(ps))
	if err != nil {
		return 0, 0, 0, err
	}
	nrep := 0
	for _, p := range ps {
		nrep += len(p.Reports)
	}
	rids, err := reserveIDs(ctx, tx, "project_reports", nrep)
	if err != nil {
		return 0, 0, 0, err
	}
	var lr ledgerRows
	for i := range ps {
		rids = lr.add(&ps[i], pids[i], rids, assetID)
	}
	for _, c := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"projects", projectCols, lr.projects}, {"project_assets", memberCols, lr.members},
		{"project_reports", reportCols, lr.reports}, {"project_events", eventCols, lr.events},
	} {
		if err := copyRows(ctx, tx, c.table, c.cols, c.rows); err != nil {
			return 0, 0, 0, err
		}
	}
	return len(ps), nrep, len(lr.events), nil
}

// add appends project p (id pid) and its members, reports (ids from rids) and events; it
// returns the report ids left.
func (lr *ledgerRows) add(p *Project, pid int64, rids []int64, assetID map[AssetRef]int64) []int64 {
	updated := p.CreatedAt
	lr.events = append(lr.events, []any{pid, nil, "create", HistoryActor, p.CreatedAt, nil, jsonOf(projectJSON(p)), "演示数据：项目入库"})
	for _, a := range p.Assets {
		if id, ok := assetID[a]; ok {
			lr.members = append(lr.members, []any{pid, id, p.Status == "active", p.CreatedAt})
		}
	}
	for i := range p.Reports {
		rep := &p.Reports[i]
		lr.reports = append(lr.reports, reportRow(rids[i], pid, rep))
		lr.addEvents(pid, rids[i], rep)
		updated = rep.Events[len(rep.Events)-1].At
	}
	version := 1
	if p.Status == "closed" {
		version++
		updated = updated.Add(72 * time.Hour)
		lr.events = append(lr.events, []any{pid, nil, "update", HistoryActor, updated,
			jsonOf(map[string]string{"status": "active"}), jsonOf(map[string]string{"status": "closed"}), "盘活完成，项目关闭"})
	}
	lr.projects = append(lr.projects, []any{pid, p.Code, p.Name, p.Year, p.UnitCode, p.Field, p.Mode, p.Instrument,
		p.Holder, p.ResponsibleUnit, p.ResponsiblePerson, p.PlannedStart, p.PlannedEnd, p.ExpectedBenefit,
		p.Description, p.Status, version, p.CreatedAt, updated})
	return rids[len(p.Reports):]
}

func (lr *ledgerRows) addEvents(pid, rid int64, rep *Report) {
	month := rep.Month.Format("2006-01")
	var before []byte
	for _, e := range rep.Events {
		after := stateJSON(month, e.State)
		var b any
		if before != nil {
			b = before
		}
		lr.events = append(lr.events, []any{pid, rid, e.Action, HistoryActor, e.At, b, after, e.Note})
		before = after
	}
}

// stateJSON is a report event's before or after: {"month":"2025-03","state":"approved"}
// (month and state are plain ASCII codes; written by hand, as this runs a hundred thousand times).
func stateJSON(month, state string) []byte {
	return []byte(`{"month":"` + month + `","state":"` + state + `"}`)
}

func reportRow(id, pid int64, rep *Report) []any {
	last := rep.Events[len(rep.Events)-1].At
	return []any{id, pid, rep.Month, rep.Stage, rep.Quantity, rep.QuantityUnit, rep.EconomicBenefit,
		rep.SocialBenefit, rep.TreasuryIncome, rep.FiscalAvailable, rep.TypicalCase, rep.State, rep.ReturnReason,
		rep.SubmittedAt, rep.ReviewedAt, len(rep.Events), rep.CreatedAt, last}
}

// projectJSON is what a project's create event records.
func projectJSON(p *Project) map[string]any {
	return map[string]any{
		"code": p.Code, "name": p.Name, "year": p.Year, "unit_code": p.UnitCode, "field": p.Field, "mode": p.Mode,
		"instrument": p.Instrument, "expected_benefit": p.ExpectedBenefit, "asset_count": len(p.Assets),
	}
}

// jsonOf encodes v for a jsonb column (maps of strings and numbers: cannot fail).
func jsonOf(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

var leaseCols = []string{"asset_id", "kind", "tenant", "start_date", "end_date", "annual_rent", "rent_received", "note", "created_at"}

// writeLeases copies the lease terms of the assets found.
func writeLeases(ctx context.Context, tx pgx.Tx, ls []Lease, assetID map[AssetRef]int64) error {
	rows := make([][]any, 0, len(ls))
	for _, l := range ls {
		if id, ok := assetID[l.Asset]; ok {
			rows = append(rows, []any{id, l.Kind, l.Tenant, l.Start, l.End, l.AnnualRent, l.RentReceived, leaseNote, l.Start})
		}
	}
	return copyRows(ctx, tx, "asset_leases", leaseCols, rows)
}

const upsertFieldTargets = `
INSERT INTO field_targets (year, field, lead_unit, partners, tasks, target)
SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[])
ON CONFLICT (year, field) DO UPDATE SET lead_unit = EXCLUDED.lead_unit, partners = EXCLUDED.partners,
    tasks = EXCLUDED.tasks, target = EXCLUDED.target`

// writeFieldTargets sets the 工作领域 targets.
func writeFieldTargets(ctx context.Context, tx pgx.Tx, fs []FieldTarget) error {
	var years []int32
	var fields, leads, partners, tasks []string
	var targets []float64
	for _, f := range fs {
		years, fields, leads = append(years, int32(f.Year)), append(fields, f.Field), append(leads, f.LeadUnit)
		partners, tasks, targets = append(partners, f.Partners), append(tasks, f.Tasks), append(targets, f.Target)
	}
	if _, err := tx.Exec(ctx, upsertFieldTargets, years, fields, leads, partners, tasks, targets); err != nil {
		return fmt.Errorf("demo: field targets: %w", err)
	}
	return nil
}
