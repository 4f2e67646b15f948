package api

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
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
type historyRoutes struct{ svc *assets.Service }

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

// changes answers a page of changes as JSON, or every one as CSV with format=csv.
func (h *historyRoutes) changes(c *fiber.Ctx) error {
	f, err := parseChanges(c)
	if err != nil {
		return err
	}
	res, err := h.svc.Changes(c.UserContext(), f)
	if err != nil {
		return err
	}
	if httpx.Query(c, "format") == "csv" {
		return sendChangesCSV(c, res)
	}
	return c.JSON(res)
}

// parseChanges reads from and to (both required), region, zone and kind lists, limit and
// offset; format is json (default) or csv (every match, up to maxChangesExport).
func parseChanges(c *fiber.Ctx) (assets.ChangeFilter, error) {
	var f assets.ChangeFilter
	var ends [2]time.Time
	for i, name := range []string{"from", "to"} {
		raw := httpx.Query(c, name)
		if raw == "" {
			return f, problem.Invalid(name, "is required (a date 2006-01-02 or an RFC 3339 time)")
		}
		var err error
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
	case "csv":
		f.Limit = maxChangesExport
		return f, nil
	default:
		return f, problem.Invalid("format", "is json or csv")
	}
	if f.Limit, err = httpx.Int(c, "limit", 100, 1, maxChangesPage); err != nil {
		return f, err
	}
	f.Offset, err = httpx.Int(c, "offset", 0, 0, 1<<31-1)
	return f, err
}

// sendChangesCSV writes the changes as CSV (UTF-8 with a BOM, for Excel), Chinese headers.
func sendChangesCSV(c *fiber.Ctx, res assets.Changes) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"资产ID", "资产编号", "名称", "类型", "区县", "园区", "面积(亩)", "变化", "原阶段", "新阶段", "原方式", "新方式", "界址变化", "变更时间"}) // into a buffer: cannot fail
	for _, d := range res.Items {
		_ = w.Write(changeRecord(d))
	}
	w.Flush()
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Attachment("changes-" + res.From.In(china()).Format("20060102") + "-" + res.To.In(china()).Format("20060102") + ".csv")
	return c.Send(buf.Bytes())
}

func changeRecord(d assets.Difference) []string {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	ends := func(v *assets.FromTo) (string, string) {
		if v == nil {
			return "", ""
		}
		return str(v.From), str(v.To)
	}
	sf, st := ends(d.Stage)
	mf, mt := ends(d.Mode)
	outline := ""
	if d.OutlineChanged {
		outline = "是"
	}
	return []string{
		strconv.FormatInt(d.ID, 10), d.Code, d.Name, string(d.Kind), str(d.RegionCode), str(d.ZoneCode),
		strconv.FormatFloat(d.AreaMu, 'f', 2, 64), d.Change, sf, st, mf, mt, outline,
		d.ChangedAt.In(china()).Format(time.RFC3339),
	}
}
