package ledger

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// boardHeader is the plans' two-row header: each cell's range (merged when it spans more than
// one cell) and text. Columns: A 排名, B 单位, C 项目数, D–E 实物总量 (数量, 单位), F–G 盘活收益
// (经济效益, 社会效益), H 入库收益, I 本级可用财力, J 典型案例说明.
var boardHeader = []struct{ from, to, text string }{
	{"A3", "A4", "排名"},
	{"B3", "B4", "单位"},
	{"C3", "C4", "本月盘活的项目总数"},
	{"D3", "E3", "本月盘活项目实物总量"},
	{"D4", "D4", "数量"},
	{"E4", "E4", "单位"},
	{"F3", "G3", "本月形成盘活收益"},
	{"F4", "F4", "经济效益（万元）"},
	{"G4", "G4", "社会效益"},
	{"H3", "H4", "入库收益（万元）"},
	{"I3", "I4", "其中：形成本级可用财力（万元）"},
	{"J3", "J4", "典型案例说明"},
}

// boardWidths are the columns' widths (characters).
var boardWidths = []float64{6, 18, 12, 12, 8, 14, 30, 14, 18, 40}

// WriteBoardsXLSX writes one sheet per board (named for its group: 县市组 …) laid out as the
// plans' table: the title across row 1, 制表时间 and 单位：万元 on row 2, the two-row header with
// its merged cells on rows 3–4, then one row per unit.
func WriteBoardsXLSX(w io.Writer, boards []Board) error {
	x := excelize.NewFile()
	defer func() { _ = x.Close() }() // its temporary files only
	st, err := newBoardStyles(x)
	if err != nil {
		return err
	}
	for i, b := range boards {
		if err := boardSheet(x, i, b, st); err != nil {
			return fmt.Errorf("ledger: board xlsx: %w", err)
		}
	}
	return x.Write(w)
}

// boardStyles are the cell styles of a 榜单 sheet.
type boardStyles struct{ title, header, text, money int }

func newBoardStyles(x *excelize.File) (boardStyles, error) {
	border := []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
		{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	var s boardStyles
	var errs [4]error
	s.title, errs[0] = x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: center})
	s.header, errs[1] = x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: center, Border: border})
	s.text, errs[2] = x.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border})
	s.money, errs[3] = x.NewStyle(&excelize.Style{NumFmt: 2, Alignment: &excelize.Alignment{Vertical: "center"}, Border: border})
	for _, err := range errs {
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// boardSheet writes board b on the i-th sheet.
func boardSheet(x *excelize.File, i int, b Board, st boardStyles) error {
	name := b.GroupName
	if i == 0 {
		if err := x.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := x.NewSheet(name); err != nil {
		return err
	}
	if err := boardHead(x, name, b, st); err != nil {
		return err
	}
	for j, r := range b.Rows {
		if err := boardRow(x, name, 5+j, r, st); err != nil {
			return err
		}
	}
	for c, wd := range boardWidths {
		col, _ := excelize.ColumnNumberToName(c + 1) // c+1 is always a valid column
		if err := x.SetColWidth(name, col, col, wd); err != nil {
			return err
		}
	}
	return x.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
}

// headCell is a cell of a sheet's head, merged over from:to when they differ.
type headCell struct {
	from, to string
	value    any
	style    int
}

// boardHead writes rows 1–4: title, date and unit line, the merged two-row header.
func boardHead(x *excelize.File, sheet string, b Board, st boardStyles) error {
	cells := []headCell{
		{"A1", "J1", b.Title, st.title},
		{"A2", "E2", "制表时间：" + b.MadeAt.In(chinaTime).Format("2006年01月02日"), 0},
		{"I2", "J2", "单位：万元", 0},
	}
	for _, h := range boardHeader {
		cells = append(cells, headCell{h.from, h.to, h.text, st.header})
	}
	for _, c := range cells {
		if err := x.SetCellValue(sheet, c.from, c.value); err != nil {
			return err
		}
		if c.from != c.to {
			if err := x.MergeCell(sheet, c.from, c.to); err != nil {
				return err
			}
		}
		if err := x.SetCellStyle(sheet, c.from, c.to, c.style); err != nil {
			return err
		}
	}
	return x.SetRowHeight(sheet, 1, 30)
}

// boardRow writes one unit's line on row n. One unit of measure gives a number and its unit;
// several are listed in both cells, joined with "；".
func boardRow(x *excelize.File, sheet string, n int, r BoardRow, st boardStyles) error {
	var qty any = 0.0
	unit := ""
	if len(r.Quantities) == 1 {
		qty, unit = r.Quantities[0].Quantity, r.Quantities[0].Unit
	} else if len(r.Quantities) > 1 {
		qs, us := make([]string, len(r.Quantities)), make([]string, len(r.Quantities))
		for i, q := range r.Quantities {
			qs[i], us[i] = fmt.Sprintf("%.2f", q.Quantity), q.Unit
		}
		qty, unit = strings.Join(qs, "；"), strings.Join(us, "；")
	}
	values := []any{r.Rank, r.UnitName, r.Projects, qty, unit, r.EconomicBenefit, r.SocialBenefit,
		r.TreasuryIncome, r.FiscalAvailable, strings.Join(r.TypicalCases, "\n")}
	cell := fmt.Sprintf("A%d", n)
	if err := x.SetSheetRow(sheet, cell, &values); err != nil {
		return err
	}
	if err := x.SetCellStyle(sheet, cell, fmt.Sprintf("J%d", n), st.text); err != nil {
		return err
	}
	if err := x.SetCellStyle(sheet, fmt.Sprintf("F%d", n), fmt.Sprintf("F%d", n), st.money); err != nil {
		return err
	}
	return x.SetCellStyle(sheet, fmt.Sprintf("H%d", n), fmt.Sprintf("I%d", n), st.money)
}
