package ledger

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Chinese labels of the 台账's coded columns (the contract's, ledger-contract.md); the groups'
// and 工作领域's are GroupLabels and FieldLabels.
var (
	modeLabels       = map[string]string{"use": "用", "sell": "售", "lease": "租", "finance": "融"}
	instrumentLabels = map[string]string{
		"transfer_grant": "出让", "transfer": "转让", "lease": "出租", "equity": "作价出资", "mortgage": "抵押融资",
		"abs": "ABS", "reits": "REITs", "concession": "特许经营", "self_use": "自用", "other": "其他",
	}
	statusLabels = map[string]string{"active": "进行中", "closed": "已关闭"}
)

// codeOf reads a label (or the code itself) back to its code; unknown text stays as it is, for
// validation to name.
func codeOf(labels map[string]string, v string) string {
	for code, label := range labels {
		if v == label || strings.EqualFold(v, code) {
			return code
		}
	}
	return v
}

// assetSep joins a project's asset codes in one cell.
const assetSep = "、"

// ledgerColumn is one column of the 台账: its header, its cell, and how an import reads it back
// into the row's fields (nil: computed, not read). field is the API name errors map to.
type ledgerColumn struct {
	label string
	field string
	get   func(p Project, codes string) any
	set   func(f *ProjectFields, v string) error
}

func text(dst func(*ProjectFields) *string) func(*ProjectFields, string) error {
	return func(f *ProjectFields, v string) error { *dst(f) = v; return nil }
}

func coded(labels map[string]string, dst func(*ProjectFields) *string) func(*ProjectFields, string) error {
	return func(f *ProjectFields, v string) error { *dst(f) = codeOf(labels, v); return nil }
}

func str(p *string) any {
	if p == nil {
		return ""
	}
	return *p
}

// ledgerColumns are the 台账's columns in their order.
var ledgerColumns = []ledgerColumn{
	{"项目编号", "code", func(p Project, _ string) any { return p.Code }, text(func(f *ProjectFields) *string { return &f.Code })},
	{"项目名称", "name", func(p Project, _ string) any { return p.Name }, text(func(f *ProjectFields) *string { return &f.Name })},
	{"年度", "year", func(p Project, _ string) any { return p.Year }, setYear},
	{"组别", "group", func(p Project, _ string) any { return GroupLabels[p.Group] }, coded(GroupLabels, func(f *ProjectFields) *string { return &f.Group })},
	{"所属单位", "unit_code", func(p Project, _ string) any { return p.UnitName }, text(func(f *ProjectFields) *string { return &f.UnitCode })},
	{"工作领域", "field", func(p Project, _ string) any { return FieldLabels[p.Field] }, coded(FieldLabels, func(f *ProjectFields) *string { return &f.Field })},
	{"盘活方式", "mode", func(p Project, _ string) any { return modeLabels[p.Mode] }, coded(modeLabels, func(f *ProjectFields) *string { return &f.Mode })},
	{"盘活路径", "instrument", func(p Project, _ string) any { return instrumentLabels[p.Instrument] }, coded(instrumentLabels, func(f *ProjectFields) *string { return &f.Instrument })},
	{"资产持有人", "holder", func(p Project, _ string) any { return p.Holder }, text(func(f *ProjectFields) *string { return &f.Holder })},
	{"责任单位", "responsible_unit", func(p Project, _ string) any { return p.ResponsibleUnit }, text(func(f *ProjectFields) *string { return &f.ResponsibleUnit })},
	{"责任人", "responsible_person", func(p Project, _ string) any { return p.ResponsiblePerson }, text(func(f *ProjectFields) *string { return &f.ResponsiblePerson })},
	{"计划开始", "planned_start", func(p Project, _ string) any { return str(p.PlannedStart) }, setDate(func(f *ProjectFields) **string { return &f.PlannedStart })},
	{"计划完成", "planned_end", func(p Project, _ string) any { return str(p.PlannedEnd) }, setDate(func(f *ProjectFields) **string { return &f.PlannedEnd })},
	{"预期盘活效益(万元)", "expected_benefit", func(p Project, _ string) any { return p.ExpectedBenefit }, setBenefit},
	{"资产数", "", func(p Project, _ string) any { return p.AssetCount }, nil},
	{"面积(亩)", "", func(p Project, _ string) any { return p.AreaMu }, nil},
	{"资产编号", "asset_ids", func(_ Project, codes string) any { return codes }, nil},
	{"累计经济效益(万元)", "", func(p Project, _ string) any { return p.BenefitToDate }, nil},
	{"状态", "status", func(p Project, _ string) any { return statusLabels[p.Status] }, coded(statusLabels, func(f *ProjectFields) *string { return &f.Status })},
}

func setYear(f *ProjectFields, v string) error {
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n != float64(int(n)) {
		return fmt.Errorf("%q is not a year such as 2026", v)
	}
	f.Year = int(n)
	return nil
}

func setBenefit(f *ProjectFields, v string) error {
	if v == "" {
		f.ExpectedBenefit = 0
		return nil
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
	if err != nil {
		return fmt.Errorf("%q is not an amount of 万元", v)
	}
	f.ExpectedBenefit = n
	return nil
}

// setDate reads a date as text (2026-03-01) or as the serial number a spreadsheet keeps.
func setDate(dst func(*ProjectFields) **string) func(*ProjectFields, string) error {
	return func(f *ProjectFields, v string) error {
		if v == "" {
			*dst(f) = nil
			return nil
		}
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			t, err := excelize.ExcelDateToTime(n, false)
			if err != nil {
				return fmt.Errorf("%q is not a date", v)
			}
			v = t.Format(time.DateOnly)
		}
		v = strings.ReplaceAll(strings.ReplaceAll(v, "/", "-"), ".", "-")
		*dst(f) = &v
		return nil
	}
}

// ledgerSheet is the 台账's sheet name.
const ledgerSheet = "盘活项目台账"

// ExportProjects writes the 台账 of the projects matching f that actor sees as XLSX: a title
// row naming the city (and the year filtered on), the header, one row per project with its
// assets' codes and totals. It returns how many projects it wrote (for the audit trail).
func (s *Service) ExportProjects(ctx context.Context, actor Actor, f ProjectFilter, w io.Writer) (int, error) {
	f.Limit, f.Offset = 0, 0
	list, _, err := s.Projects(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	codes, err := s.assetCodes(ctx, ids)
	if err != nil {
		return 0, err
	}
	title, err := s.ledgerTitle(ctx, f.Year)
	if err != nil {
		return 0, err
	}
	x := excelize.NewFile()
	defer func() { _ = x.Close() }()
	if err := writeLedger(x, title, list, codes); err != nil {
		return 0, fmt.Errorf("ledger: export: %w", err)
	}
	return len(list), x.Write(w)
}

// writeLedger lays the 台账 out on its sheet.
func writeLedger(x *excelize.File, title string, list []Project, codes map[int64]string) error {
	if err := x.SetSheetName("Sheet1", ledgerSheet); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(len(ledgerColumns), 1)
	if err != nil {
		return err
	}
	if err := x.MergeCell(ledgerSheet, "A1", last); err != nil {
		return err
	}
	if err := x.SetCellValue(ledgerSheet, "A1", title); err != nil {
		return err
	}
	header := make([]any, len(ledgerColumns))
	for i, c := range ledgerColumns {
		header[i] = c.label
	}
	if err := x.SetSheetRow(ledgerSheet, "A2", &header); err != nil {
		return err
	}
	for n, p := range list {
		row := make([]any, len(ledgerColumns))
		for i, c := range ledgerColumns {
			row[i] = c.get(p, codes[p.ID])
		}
		if err := x.SetSheetRow(ledgerSheet, "A"+strconv.Itoa(n+3), &row); err != nil {
			return err
		}
	}
	return x.SetColWidth(ledgerSheet, "A", "S", 14)
}
