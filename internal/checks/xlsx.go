package checks

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// exportMax bounds an export (a city's checks over a campaign are a few thousand).
const exportMax = 50_000

// column is one column of the export: its Chinese header and its cell.
type column struct {
	label string
	get   func(c Check) any
}

func orEmpty[T any](p *T) any {
	if p == nil {
		return ""
	}
	return *p
}

func timeText(t *time.Time) any {
	if t == nil {
		return ""
	}
	return t.In(shanghai).Format("2006-01-02 15:04:05")
}

// shanghai is China Standard Time (UTC+8, no daylight saving), the export's clock.
var shanghai = time.FixedZone("CST", 8*3600)

var columns = []column{
	{"核查编号", func(c Check) any { return c.ID }},
	{"资产编号", func(c Check) any { return orEmpty(c.AssetCode) }},
	{"资产名称", func(c Check) any { return orEmpty(c.AssetName) }},
	{"核查结果", func(c Check) any { return ResultLabels[c.Result] }},
	{"说明", func(c Check) any { return c.Note }},
	{"经度", func(c Check) any { return c.Lon }},
	{"纬度", func(c Check) any { return c.Lat }},
	{"定位精度(米)", func(c Check) any { return orEmpty(c.AccuracyM) }},
	{"距资产(米)", func(c Check) any { return roundedDistance(c.DistanceM) }},
	{"位置存疑", func(c Check) any { return map[bool]string{true: "是", false: "否"}[c.Flagged] }},
	{"照片数", func(c Check) any { return c.PhotoCount }},
	{"核查时间(设备)", func(c Check) any { return timeText(c.TakenAt) }},
	{"提交时间", func(c Check) any { return timeText(&c.CreatedAt) }},
	{"核查人", func(c Check) any { return c.Actor }},
	{"行政区划代码", func(c Check) any { return orEmpty(c.RegionCode) }},
}

// roundedDistance is a distance to the metre, or empty without an asset.
func roundedDistance(m *float64) any {
	if m == nil {
		return ""
	}
	return float64(int64(*m + 0.5))
}

// Export writes the checks the filter selects (within the actor's region) as an .xlsx sheet 核查
// with Chinese headers, and returns how many it wrote.
func (s *Service) Export(ctx context.Context, a Actor, f Filter, w io.Writer) (int, error) {
	f.Limit, f.Offset = exportMax, 0
	list, _, err := s.List(ctx, a, f)
	if err != nil {
		return 0, err
	}
	book := excelize.NewFile()
	defer book.Close()
	const sheet = "核查"
	if err := book.SetSheetName("Sheet1", sheet); err != nil {
		return 0, fmt.Errorf("checks: export: %w", err)
	}
	sw, err := book.NewStreamWriter(sheet)
	if err != nil {
		return 0, fmt.Errorf("checks: export: %w", err)
	}
	if err := writeRows(sw, list); err != nil {
		return 0, err
	}
	if _, err := book.WriteTo(w); err != nil {
		return 0, fmt.Errorf("checks: export: %w", err)
	}
	return len(list), nil
}

func writeRows(sw *excelize.StreamWriter, list []Check) error {
	head := make([]any, len(columns))
	for i, col := range columns {
		head[i] = col.label
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("checks: export: %w", err)
	}
	for r, c := range list {
		row := make([]any, len(columns))
		for i, col := range columns {
			row[i] = col.get(c)
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2) // r+2 ≥ 2: always a valid cell
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("checks: export: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("checks: export: %w", err)
	}
	return nil
}
