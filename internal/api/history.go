package api

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
	"github.com/onemap/onemap/tiles"
)

// The map at a past time (issue 13 item 9): GET /api/v1/assets/{id}?at=T (in assets.go's get)
// and GET /api/v1/changes?from=&to=. Times are RFC 3339 or dates (assets.ParseTime: a date is
// the end of that day in China Standard Time).

// maxChanges bounds one page of changes, and a CSV export.
const (
	maxChangesPage   = 1000
	maxChangesExport = 100000
)

// historyRoutes serve what changed between two times.
type historyRoutes struct {
	svc   *assets.Service
	audit *audit.Service // exports are audited
}

func (h *historyRoutes) mount(r fiber.Router) {
	r.Get("/changes", h.changes)
}

// getAt answers asset id as it stood at the time in ?at, with the events up to it.
func (h *assetRoutes) getAt(c *fiber.Ctx, id int64) error {
	t, err := assets.ParseTime("at", httpx.Query(c, "at"))
	if err != nil {
		return err
	}
	a, ev, err := h.svc.GetAt(c.UserContext(), id, t)
	if err != nil {
		return err
	}
	return c.JSON(struct {
		assets.Asset
		At     time.Time      `json:"at"`
		Events []assets.Event `json:"events"`
	}{a, t, ev})
}

// changes answers a page of changes as JSON, or every one as CSV or XLSX (format=csv|xlsx).
func (h *historyRoutes) changes(c *fiber.Ctx) error {
	f, err := parseChanges(c)
	if err != nil {
		return err
	}
	res, err := h.svc.Changes(c.UserContext(), f)
	if err != nil {
		return err
	}
	d := download{what: "changes", format: httpx.Query(c, "format"), rows: len(res.Items)}
	switch d.format {
	case "csv":
		d.body = changesCSV(res)
	case "xlsx":
		if d.body, err = changesXLSX(res); err != nil {
			return err
		}
	default:
		return c.JSON(res)
	}
	d.name = changesFile(res, d.format)
	return sendDownload(c, h.audit, d)
}

// parseChanges reads from and to (both required), region, zone and kind lists, limit and
// offset; format is json (default), csv or xlsx (every match, up to maxChangesExport).
func parseChanges(c *fiber.Ctx) (assets.ChangeFilter, error) {
	var f assets.ChangeFilter
	var ends [2]time.Time
	for i, name := range []string{"from", "to"} {
		raw, err := httpx.Required(c, name, "a date 2006-01-02 or an RFC 3339 time")
		if err != nil {
			return f, err
		}
		if ends[i], err = assets.ParseTime(name, raw); err != nil {
			return f, err
		}
	}
	span, err := assets.NewSpan(ends[0], ends[1])
	if err != nil {
		return f, err
	}
	f.Span = span
	if f.Regions, err = httpx.List(c, "region", tiles.ValidRegionCode); err != nil {
		return f, err
	}
	if f.Zones, err = httpx.List(c, "zone", tiles.ValidZoneCode); err != nil {
		return f, err
	}
	if f.Kinds, err = httpx.List(c, "kind", assets.ValidKind); err != nil {
		return f, err
	}
	switch httpx.Query(c, "format") {
	case "", "json":
	case "csv", "xlsx":
		f.Limit = maxChangesExport
		return f, nil
	default:
		return f, problem.Invalid("format", "is json, csv or xlsx")
	}
	f.Limit, f.Offset, err = httpx.Page(c, 100, maxChangesPage)
	return f, err
}

// changesHeader heads the exported columns (changeRecord's).
var changesHeader = []string{"资产ID", "资产编号", "名称", "类型", "区县", "园区", "面积(亩)", "变化", "原阶段", "新阶段", "原方式", "新方式", "界址变化", "变更时间"}

// changesFile names an export of res with extension ext.
func changesFile(res assets.Changes, ext string) string {
	return "changes-" + res.From.In(china()).Format("20060102") + "-" + res.To.In(china()).Format("20060102") + "." + ext
}

// changesCSV writes the changes as CSV (UTF-8 with a BOM, for Excel), Chinese headers.
func changesCSV(res assets.Changes) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	_ = w.WriteAll(append([][]string{changesHeader}, changeRecords(res.Items)...)) // into a buffer: cannot fail
	return buf.Bytes()
}

// changesXLSX writes the changes as one sheet, 变化清单, the CSV's columns.
func changesXLSX(res assets.Changes) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "变化清单"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, rec := range append([][]string{changesHeader}, changeRecords(res.Items)...) {
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1) // column 1, row ≥ 1: always valid
		if err := sw.SetRow(cell, row); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = x.Write(&buf)
	return buf.Bytes(), err
}

func changeRecords(ds []assets.Difference) [][]string {
	out := make([][]string, len(ds))
	for i, d := range ds {
		out[i] = changeRecord(d)
	}
	return out
}

// changeWords are the Chinese words of Difference.Change.
var changeWords = map[string]string{"created": "新增", "retired": "注销", "changed": "变更"}

// changeRecord is one exported row, its words in Chinese (empty where a value does not apply).
func changeRecord(d assets.Difference) []string {
	word := func(labels map[string]string, p *string) string {
		if p == nil {
			return ""
		}
		return labels[*p]
	}
	ends := func(labels map[string]string, v *assets.FromTo) (string, string) {
		if v == nil {
			return "", ""
		}
		return word(labels, v.From), word(labels, v.To)
	}
	sf, st := ends(assets.StageLabels, d.Stage)
	mf, mt := ends(assets.ModeLabels, d.Mode)
	outline := ""
	if d.OutlineChanged {
		outline = "是"
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return []string{
		strconv.FormatInt(d.ID, 10), d.Code, d.Name, assets.KindLabels[string(d.Kind)], str(d.RegionCode), str(d.ZoneCode),
		strconv.FormatFloat(d.AreaMu, 'f', 2, 64), changeWords[d.Change], sf, st, mf, mt, outline,
		d.ChangedAt.In(china()).Format(time.RFC3339),
	}
}
