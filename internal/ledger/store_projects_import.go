package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// ImportReport is what an import of a 台账 did (or, in a dry run or when a row fails, would do):
// projects created, updated and left unchanged, and every row at fault.
type ImportReport struct {
	DryRun    bool          `json:"dry_run"`
	Created   int           `json:"created"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Errors    []ImportError `json:"errors"`
}

// ledgerRow is one row of an imported 台账: the cells of the columns the sheet has (by their
// index in ledgerColumns) and its assets' codes.
type ledgerRow struct {
	n     int
	cells map[int]string
	codes []string
}

// apply sets the row's columns on f, leaving the fields the sheet lacks (a description) as they are.
func (r ledgerRow) apply(f *ProjectFields) []ImportError {
	var errs []ImportError
	for i, v := range r.cells {
		if err := ledgerColumns[i].set(f, v); err != nil {
			errs = append(errs, ImportError{Row: r.n, Field: ledgerColumns[i].label, Reason: err.Error()})
		}
	}
	return errs
}

// ImportProjects reads a 台账 XLSX (the export's layout, matched by 项目编号) and creates or
// updates its projects in one transaction: when any row fails nothing is written and the
// report lists every row at fault; a dry run writes nothing either way.
func (s *Service) ImportProjects(ctx context.Context, actor Actor, r io.Reader, dryRun bool) (ImportReport, error) {
	rep := ImportReport{DryRun: dryRun, Errors: []ImportError{}}
	rows, err := readLedger(r, &rep)
	if err != nil {
		return rep, err
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		seen := map[string]int{}
		for _, row := range rows {
			code := strings.TrimSpace(row.cells[0])
			if first, dup := seen[code]; dup {
				rep.Errors = append(rep.Errors, ImportError{Row: row.n, Field: "项目编号", Reason: fmt.Sprintf("%s is also on row %d", code, first)})
				continue
			}
			seen[code] = row.n
			if err := importRow(ctx, tx, actor, row, &rep); err != nil {
				return err
			}
		}
		if dryRun || len(rep.Errors) > 0 {
			return errRollback
		}
		return nil
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	return rep, err
}

// errRollback ends a transaction that must write nothing.
var errRollback = errors.New("rollback")

// readLedger finds the header row (the first holding 项目编号) and reads each row after it.
func readLedger(r io.Reader, rep *ImportReport) ([]ledgerRow, error) {
	x, err := excelize.OpenReader(r)
	if err != nil {
		return nil, problem.Unprocessable("file", "is not an XLSX workbook: %v", err)
	}
	defer func() { _ = x.Close() }()
	cells, err := x.GetRows(x.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, problem.Unprocessable("file", "its first sheet cannot be read: %v", err)
	}
	head := slices.IndexFunc(cells, func(r []string) bool { return slices.Contains(trimAll(r), "项目编号") })
	if head < 0 {
		return nil, problem.Unprocessable("file", "no header row with 项目编号 on the first sheet")
	}
	cols, err := headerColumns(trimAll(cells[head]))
	if err != nil {
		return nil, err
	}
	var out []ledgerRow
	for i := head + 1; i < len(cells); i++ {
		if row, ok := parseRow(i+1, trimAll(cells[i]), cols, rep); ok {
			out = append(out, row)
		}
	}
	return out, nil
}

func trimAll(r []string) []string {
	out := make([]string, len(r))
	for i, v := range r {
		out[i] = strings.TrimSpace(v)
	}
	return out
}

// headerColumns maps each 台账 column to its position in the header (-1: absent); the columns
// a project cannot lack must be there.
func headerColumns(header []string) ([]int, error) {
	cols := make([]int, len(ledgerColumns))
	for i, c := range ledgerColumns {
		cols[i] = slices.Index(header, c.label)
		if cols[i] < 0 && slices.Contains([]string{"code", "name", "year", "unit_code", "field", "mode"}, c.field) {
			return nil, problem.Unprocessable("file", "the header has no column %s", c.label)
		}
	}
	return cols, nil
}

// parseRow reads one sheet row; ok is false for an empty row or one that cannot be read (its
// errors go to the report).
func parseRow(n int, cells []string, cols []int, rep *ImportReport) (ledgerRow, bool) {
	row := ledgerRow{n: n, cells: map[int]string{}}
	cell := func(i int) string {
		if cols[i] < 0 || cols[i] >= len(cells) {
			return ""
		}
		return cells[cols[i]]
	}
	if strings.Join(cells, "") == "" {
		return row, false
	}
	for i, c := range ledgerColumns {
		switch {
		case c.field == "asset_ids":
			row.codes = splitCodes(cell(i))
		case c.set != nil && cols[i] >= 0:
			row.cells[i] = cell(i)
		}
	}
	errs := row.apply(&ProjectFields{})
	rep.Errors = append(rep.Errors, errs...)
	return row, len(errs) == 0
}

func splitCodes(s string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、,，;；\n", r) }) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// importRow writes one row inside a savepoint: a row that fails is rolled back alone and
// reported, so that every failing row is found in one pass.
func importRow(ctx context.Context, tx pgx.Tx, actor Actor, row ledgerRow, rep *ImportReport) error {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return fmt.Errorf("ledger: import: %w", err)
	}
	outcome, err := writeRow(ctx, sp, actor, row)
	if err != nil {
		_ = sp.Rollback(ctx)
		return reportRow(rep, row.n, err)
	}
	if err := sp.Commit(ctx); err != nil {
		return fmt.Errorf("ledger: import: %w", err)
	}
	switch outcome {
	case "created":
		rep.Created++
	case "updated":
		rep.Updated++
	default:
		rep.Unchanged++
	}
	return nil
}

// reportRow turns a problem into the row's errors, one per parameter (named by its column); any
// other error stops the import.
func reportRow(rep *ImportReport, n int, err error) error {
	var pe *problem.Error
	if !errors.As(err, &pe) {
		return err
	}
	if len(pe.Params) == 0 {
		rep.Errors = append(rep.Errors, ImportError{Row: n, Reason: pe.Detail})
	}
	for _, p := range pe.Params {
		rep.Errors = append(rep.Errors, ImportError{Row: n, Field: columnLabel(p.Name), Reason: p.Reason})
	}
	return nil
}

func columnLabel(field string) string {
	for _, c := range ledgerColumns {
		if c.field == field {
			return c.label
		}
	}
	return field
}

// writeRow creates the row's project or updates the live one with its code: "created",
// "updated" or "unchanged".
func writeRow(ctx context.Context, tx pgx.Tx, actor Actor, row ledgerRow) (string, error) {
	var f ProjectFields
	row.apply(&f)
	ids, err := resolveAssets(ctx, tx, row.codes)
	if err != nil {
		return "", err
	}
	var id int64
	err = tx.QueryRow(ctx, `SELECT id FROM projects WHERE code = $1 AND deleted_at IS NULL`, strings.TrimSpace(f.Code)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		if f.UnitCode, err = resolveUnit(ctx, tx, f.UnitCode); err != nil {
			return "", err
		}
		_, err = createTx(ctx, tx, actor, f, ids, "import", "台账导入")
		return "created", err
	}
	if err != nil {
		return "", fmt.Errorf("ledger: import: %w", err)
	}
	return updateRow(ctx, tx, actor, id, row, ids)
}

// updateRow changes project id to the row's fields and assets unless they are what it holds.
func updateRow(ctx context.Context, tx pgx.Tx, actor Actor, id int64, row ledgerRow, ids []int64) (string, error) {
	l, err := lockProject(ctx, tx, id, nil, actor)
	if err != nil {
		return "", err
	}
	f := l.fields
	row.apply(&f)
	if f.UnitCode, err = resolveUnit(ctx, tx, f.UnitCode); err != nil {
		return "", err
	}
	if err := f.validate(); err != nil {
		return "", err
	}
	var old []int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(asset_id ORDER BY asset_id), '{}') FROM project_assets WHERE project_id = $1`, id).Scan(&old); err != nil {
		return "", fmt.Errorf("ledger: import: %w", err)
	}
	ids = uniqueIDs(ids)
	if sameFields(l.fields, f) && slices.Equal(old, ids) {
		return "unchanged", nil
	}
	if err := setMembers(ctx, tx, actor, id, ids, f.Status == "active"); err != nil {
		return "", err
	}
	return "updated", updateTx(ctx, tx, actor, id, l, f, "import", "台账导入")
}

// sameFields compares two projects' fields, the group aside (it follows the unit).
func sameFields(a, b ProjectFields) bool {
	a.Group, b.Group = "", ""
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// resolveUnit finds a unit by its code or its name.
func resolveUnit(ctx context.Context, tx pgx.Tx, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	rows, err := tx.Query(ctx, `SELECT code FROM units WHERE code = $1 OR name = $1 ORDER BY code = $1 DESC, code`, ref)
	if err != nil {
		return "", fmt.Errorf("ledger: unit: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	switch {
	case err != nil:
		return "", fmt.Errorf("ledger: unit: %w", err)
	case len(codes) == 0:
		return "", problem.Unprocessable("unit_code", "%q is no unit's code or name", ref)
	case len(codes) > 1 && codes[0] != ref:
		return "", problem.Unprocessable("unit_code", "%q names several units (%s): give the code", ref, strings.Join(codes, ", "))
	}
	return codes[0], nil
}

// resolveAssets finds the live asset of each code; an unknown or ambiguous code is refused.
func resolveAssets(ctx context.Context, tx pgx.Tx, codes []string) ([]int64, error) {
	const q = `SELECT c, coalesce(array_agg(a.id) FILTER (WHERE a.id IS NOT NULL), '{}') FROM unnest($1::text[]) c
LEFT JOIN assets a ON a.code = c AND a.deleted_at IS NULL GROUP BY c ORDER BY c`
	rows, err := tx.Query(ctx, q, codes)
	if err != nil {
		return nil, fmt.Errorf("ledger: asset codes: %w", err)
	}
	var ids, found []int64
	var bad []string
	var code string
	_, err = pgx.ForEachRow(rows, []any{&code, &found}, func() error {
		switch len(found) {
		case 1:
			ids = append(ids, found[0])
		case 0:
			bad = append(bad, code+" (no such asset)")
		default:
			bad = append(bad, code+" (several assets of different kinds)")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: asset codes: %w", err)
	}
	if len(bad) > 0 {
		return nil, problem.Unprocessable("asset_ids", "%s", strings.Join(bad, "、"))
	}
	return ids, nil
}
