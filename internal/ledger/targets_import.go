package ledger

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/problem"
)

// The two table shapes of the plans a targets workbook may take.
const (
	// ShapeRegions is 地区 | 预期盘活效益(万元).
	ShapeRegions = "regions"
	// ShapeFields is 序号 | 工作领域 | 牵头及配合单位 | 主要任务 | 预期盘活效益(万元).
	ShapeFields = "fields"
)

// ImportError is what is wrong with one row of an imported sheet (row as Excel numbers it).
type ImportError struct {
	Row    int    `json:"row"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// TargetsImport is what an import of targets set (or, on a dry run, would set).
type TargetsImport struct {
	Year      int            `json:"year"`
	Shape     string         `json:"shape"`
	DryRun    bool           `json:"dry_run"`
	Created   int            `json:"created"`
	Updated   int            `json:"updated"`
	Unchanged int            `json:"unchanged"`
	Regions   []RegionTarget `json:"regions"`
	Fields    []FieldTarget  `json:"fields"`
	Errors    []ImportError  `json:"errors"`
}

// ImportTargets reads a workbook laid out like the plans' tables, in either shape (told by its
// header row, which may follow title rows), and sets the targets of year it lists, leaving the
// year's others alone. Any bad row leaves the report's Errors non-empty and nothing written;
// dryRun writes nothing either.
func (s *Service) ImportTargets(ctx context.Context, r io.Reader, year int, dryRun bool) (TargetsImport, error) {
	rep := TargetsImport{Year: year, DryRun: dryRun, Regions: []RegionTarget{}, Fields: []FieldTarget{}, Errors: []ImportError{}}
	if year < 2000 || year > 2100 {
		return rep, problem.Invalid("year", "%d is outside 2000..2100", year)
	}
	rows, err := readFirstTable(r)
	if err != nil {
		return rep, err
	}
	head, cols, shape := findHeader(rows)
	if shape == "" {
		return rep, problem.Unprocessable("file", "no header row with 地区 or 工作领域 and 预期盘活效益(万元) was found")
	}
	rep.Shape = shape
	regions, err := s.regionNames(ctx)
	if err != nil {
		return rep, err
	}
	p := &targetsParse{rep: &rep, cols: cols, byName: namesToCodes(regions), regions: regions}
	for i := head + 1; i < len(rows); i++ {
		p.row(i+1, rows[i])
	}
	if err := s.countChanges(ctx, &rep); err != nil || len(rep.Errors) > 0 || dryRun {
		return rep, err
	}
	return rep, s.addTargets(ctx, Targets{Year: year, Regions: rep.Regions, Fields: rep.Fields})
}

// readFirstTable is the rows of the workbook's first sheet that has any.
func readFirstTable(r io.Reader) ([][]string, error) {
	x, err := excelize.OpenReader(r)
	if err != nil {
		return nil, problem.Unprocessable("file", "is not an XLSX workbook: %v", err)
	}
	defer func() { _ = x.Close() }()
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil {
			return nil, problem.Unprocessable("file", "sheet %s cannot be read: %v", sheet, err)
		}
		if len(rows) > 0 {
			return rows, nil
		}
	}
	return nil, problem.Unprocessable("file", "the workbook is empty")
}

// targetCols are the columns (0-based; -1 when absent) of a targets table.
type targetCols struct{ region, field, units, tasks, benefit int }

// findHeader finds the header row: the first naming 预期盘活效益 and either 工作领域 (ShapeFields)
// or 地区 (ShapeRegions). It returns the row's index, its columns and the shape ("" if none).
func findHeader(rows [][]string) (int, targetCols, string) {
	for i, row := range rows {
		c := targetCols{-1, -1, -1, -1, -1}
		for j, cell := range row {
			switch h := normalize(cell); {
			case strings.HasPrefix(h, "预期盘活效益"):
				c.benefit = j
			case strings.HasPrefix(h, "工作领域"):
				c.field = j
			case strings.HasPrefix(h, "地区"):
				c.region = j
			case strings.Contains(h, "牵头"):
				c.units = j
			case strings.Contains(h, "任务"):
				c.tasks = j
			}
		}
		switch {
		case c.benefit >= 0 && c.field >= 0:
			return i, c, ShapeFields
		case c.benefit >= 0 && c.region >= 0:
			return i, c, ShapeRegions
		}
	}
	return 0, targetCols{}, ""
}

// normalize drops spaces of every kind and turns full-width brackets into ASCII ones.
func normalize(s string) string {
	s = strings.NewReplacer("（", "(", "）", ")").Replace(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// namesToCodes maps each region name to its codes (a name may be shared).
func namesToCodes(regions map[string]string) map[string][]string {
	out := map[string][]string{}
	for code, name := range regions {
		out[name] = append(out[name], code)
	}
	return out
}

// targetsParse turns a table's rows into an import report.
type targetsParse struct {
	rep     *TargetsImport
	cols    targetCols
	byName  map[string][]string
	regions map[string]string
	seen    map[string]int // region code or field → the row that set it
}

// cell is row's cell in column i, trimmed ("" beyond the row's end or for no column).
func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

func (p *targetsParse) fail(n int, field, format string, args ...any) {
	p.rep.Errors = append(p.rep.Errors, ImportError{Row: n, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// row reads data row n (Excel's number); empty rows and 合计 rows are skipped.
func (p *targetsParse) row(n int, row []string) {
	label := p.cols.region
	if p.rep.Shape == ShapeFields {
		label = p.cols.field
	}
	name := normalize(cell(row, label))
	if strings.Join(row, "") == "" || isTotal(name) {
		return
	}
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	if p.rep.Shape == ShapeFields {
		p.fieldRow(n, name, row)
		return
	}
	p.regionRow(n, name, row)
}

// isTotal tells a 合计 (总计, 小计) row.
func isTotal(label string) bool {
	return label == "合计" || label == "总计" || label == "小计" || label == "合计:" || label == "合计："
}

// amount reads row's 预期盘活效益.
func (p *targetsParse) amount(n int, row []string) (float64, bool) {
	s := strings.ReplaceAll(cell(row, p.cols.benefit), ",", "")
	if s == "" {
		p.fail(n, "预期盘活效益", "is empty")
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err == nil {
		if why := checkMoney(v); why != "" {
			err = fmt.Errorf("%s", why)
		}
	}
	if err != nil {
		p.fail(n, "预期盘活效益", "%q is not an amount in 万元", s)
		return 0, false
	}
	return round2(v), true
}

// regionRow reads a 地区 | 预期盘活效益 row: the region by name or code.
func (p *targetsParse) regionRow(n int, name string, row []string) {
	codes := p.byName[name]
	if _, ok := p.regions[name]; ok {
		codes = []string{name}
	}
	v, ok := p.amount(n, row)
	switch {
	case len(codes) == 0:
		p.fail(n, "地区", "%q is not a region (name or code)", name)
	case len(codes) > 1:
		p.fail(n, "地区", "%q names several regions (%s): give the code", name, strings.Join(codes, ", "))
	case p.seen[codes[0]] > 0:
		p.fail(n, "地区", "%q is already set on row %d", name, p.seen[codes[0]])
	case ok:
		p.seen[codes[0]] = n
		p.rep.Regions = append(p.rep.Regions, RegionTarget{RegionCode: codes[0], RegionName: p.regions[codes[0]], Benefit: v})
	}
}

// fieldRow reads a 工作领域 row. A row with no 工作领域 under one that had it (merged cells)
// continues it: its 主要任务 are added, and its amount if it has one.
func (p *targetsParse) fieldRow(n int, name string, row []string) {
	fs := p.rep.Fields
	if name == "" && len(fs) > 0 {
		last := &fs[len(fs)-1]
		if t := cell(row, p.cols.tasks); t != "" {
			last.Tasks = strings.TrimSpace(last.Tasks + "\n" + t)
		}
		if cell(row, p.cols.benefit) != "" {
			v, _ := p.amount(n, row) // a bad amount is already reported by amount
			last.Target = round2(last.Target + v)
		}
		return
	}
	field := matchField(name)
	v, ok := p.amount(n, row)
	switch {
	case field == "":
		p.fail(n, "工作领域", "%q is not a 工作领域 (%s)", name, fieldLabelList())
	case p.seen[field] > 0:
		p.fail(n, "工作领域", "%q is already set on row %d", name, p.seen[field])
	case ok:
		p.seen[field] = n
		lead, partners := splitUnits(cell(row, p.cols.units))
		p.rep.Fields = append(p.rep.Fields, FieldTarget{Field: field, Label: FieldLabels[field], LeadUnit: lead,
			Partners: partners, Tasks: cell(row, p.cols.tasks), Target: v})
	}
}

// matchField finds the 工作领域 a label names: its code, or the longest Chinese label it holds
// ("（一）自然资源领域" is natural_resources).
func matchField(label string) string {
	if FieldLabels[label] != "" {
		return label
	}
	best := ""
	for _, f := range Fields {
		if strings.Contains(label, FieldLabels[f]) && len(FieldLabels[f]) > len(FieldLabels[best]) {
			best = f
		}
	}
	return best
}

// fieldLabelList lists the 工作领域 labels for an error message.
func fieldLabelList() string {
	out := make([]string, len(Fields))
	for i, f := range Fields {
		out[i] = FieldLabels[f]
	}
	return strings.Join(out, "、")
}

// splitUnits splits 牵头及配合单位 into the lead unit (the text before "牵头", else before the
// first "、" or "，") and its partners (the rest, without "配合").
func splitUnits(s string) (lead, partners string) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "牵头"); i >= 0 {
		lead, partners = s[:i], s[i+len("牵头"):]
	} else if i := strings.IndexAny(s, "、，,；;"); i >= 0 {
		lead, partners = s[:i], s[i:]
	} else {
		lead = s
	}
	lead = strings.Trim(lead, " （(）)、，,；;")
	partners = strings.TrimSuffix(strings.Trim(partners, " （(）)、，,；;。"), "配合")
	partners = strings.TrimSuffix(strings.TrimSuffix(partners, "等单位"), "等")
	return lead, strings.Trim(partners, " 、，,；;")
}

// countChanges sorts the rows read into created, updated and unchanged against year's targets.
func (s *Service) countChanges(ctx context.Context, rep *TargetsImport) error {
	old, err := s.Targets(ctx, rep.Year)
	if err != nil {
		return err
	}
	regions := map[string]float64{}
	for _, r := range old.Regions {
		regions[r.RegionCode] = r.Benefit
	}
	fields := map[string]FieldTarget{}
	for _, f := range old.Fields {
		fields[f.Field] = f
	}
	for _, r := range rep.Regions {
		v, ok := regions[r.RegionCode]
		rep.count(ok, ok && v == r.Benefit)
	}
	for _, f := range rep.Fields {
		o, ok := fields[f.Field]
		rep.count(ok, ok && o == f)
	}
	return nil
}

func (rep *TargetsImport) count(existed, same bool) {
	switch {
	case same:
		rep.Unchanged++
	case existed:
		rep.Updated++
	default:
		rep.Created++
	}
}
