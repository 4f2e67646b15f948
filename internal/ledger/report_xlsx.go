package ledger

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// reportHeader is the monthly reports sheet's header row.
var reportHeader = []any{"项目编号", "项目名称", "组别", "所属单位", "月份", "盘活阶段", "实物量", "单位", "经济效益(万元)",
	"社会效益", "入库收益(万元)", "其中本级可用财力(万元)", "典型案例", "状态", "退回原因"}

// reportLabels are the Chinese names of the codes the sheet shows.
var reportLabels = map[string]string{
	"county": "县市组", "district": "城区组", "city": "市级组", "zone": "园区组", "enterprise": "国有企业组",
	"planned": "拟盘活", "in_progress": "盘活中", "done": "已盘活",
	ReportDraft: "草稿", ReportSubmitted: "已报送", ReportApproved: "已审核", ReportReturned: "已退回",
}

// reportWidths are the sheet's column widths, in characters.
var reportWidths = []float64{16, 30, 10, 18, 9, 9, 10, 8, 14, 30, 14, 20, 40, 8, 30}

// ExportReports writes month's (YYYY-MM) reports the actor sees as an XLSX sheet 月报, one row
// per report with its project and unit, headed in Chinese. It returns how many reports it wrote.
func (s *Service) ExportReports(ctx context.Context, a Actor, month string, w io.Writer) (int, error) {
	if _, err := reportMonth(month); err != nil {
		return 0, err
	}
	rows, err := s.Reports(ctx, a, ReportFilter{Month: month})
	if err != nil {
		return 0, err
	}
	x := excelize.NewFile()
	defer func() { _ = x.Close() }()
	const sheet = "月报"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return 0, fmt.Errorf("ledger: reports sheet: %w", err)
	}
	if err := reportSheet(x, sheet, rows); err != nil {
		return 0, fmt.Errorf("ledger: reports sheet: %w", err)
	}
	return len(rows), x.Write(w)
}

func reportSheet(x *excelize.File, sheet string, rows []ReportRow) error {
	if err := x.SetSheetRow(sheet, "A1", &reportHeader); err != nil {
		return err
	}
	for i, w := range reportWidths {
		col, _ := excelize.ColumnNumberToName(i + 1) // i+1 is always a valid column
		if err := x.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	for i, r := range rows {
		line := []any{r.ProjectCode, r.ProjectName, reportLabels[r.Group], r.UnitName, r.Month, reportLabels[r.Stage],
			r.Quantity, r.QuantityUnit, r.EconomicBenefit, r.SocialBenefit, r.TreasuryIncome, r.FiscalAvailable,
			r.TypicalCase, reportLabels[r.State], r.ReturnReason}
		if err := x.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &line); err != nil {
			return err
		}
	}
	return x.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}
