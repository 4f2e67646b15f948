package api

import (
	"bytes"
	"os"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/ledger"
	"github.com/onemap/onemap/internal/problem"
)

// targetsUploadMax bounds an imported targets workbook (a table of a few dozen rows).
const targetsUploadMax = 8 << 20

// mountBoard adds the monthly 榜单 in five groups (GET /leaderboard with group or format: the
// county ranking without them is assetRoutes'), its trend, and the targets. A 榜单 is a city-wide
// publication: every reader sees the whole of it, whatever their region scope.
func (h *ledgerRoutes) mountBoard(r fiber.Router) {
	r.Get("/leaderboard", h.board)
	r.Get("/leaderboard/trend", h.trend)
	r.Get("/targets", h.targets)
	r.Put("/targets", require(auth.Admin), h.setTargets)
	r.Post("/targets/import", require(auth.Admin), h.importTargets)
}

// board answers one group's 榜单 (group=county …) or all five (group=all or none), as JSON or
// format=xlsx (one sheet per group).
func (h *ledgerRoutes) board(c *fiber.Ctx) error {
	month, err := monthParam(c, "month", time.Now().In(china()))
	if err != nil {
		return err
	}
	group := httpx.Query(c, "group")
	if group != "" && group != "all" && !ledger.ValidGroup(group) {
		return problem.Invalid("group", "%q is not county, district, city, zone, enterprise or all", group)
	}
	format := httpx.Query(c, "format")
	if format != "" && format != "json" && format != "xlsx" {
		return problem.Invalid("format", "%q is not json or xlsx", format)
	}
	var boards []ledger.Board
	if group == "" || group == "all" {
		boards, err = h.svc.Boards(c.UserContext(), month)
	} else {
		var b ledger.Board
		b, err = h.svc.Board(c.UserContext(), month, group)
		boards = []ledger.Board{b}
	}
	if err != nil {
		return err
	}
	switch {
	case format == "xlsx":
		return h.sendBoardsXLSX(c, month, group, boards)
	case len(boards) == 1:
		return c.JSON(boards[0])
	}
	return c.JSON(fiber.Map{"month": month.Format("2006-01"), "groups": boards})
}

// sendBoardsXLSX answers the boards as a workbook to download.
func (h *ledgerRoutes) sendBoardsXLSX(c *fiber.Ctx, month time.Time, group string, boards []ledger.Board) error {
	var buf bytes.Buffer
	if err := ledger.WriteBoardsXLSX(&buf, boards); err != nil {
		return err
	}
	if group == "" {
		group = "all"
	}
	rows := 0
	for _, b := range boards {
		rows += len(b.Rows)
	}
	name := "leaderboard-" + month.Format("2006-01") + "-" + group + ".xlsx"
	return sendDownload(c, h.audit, download{what: "leaderboard", format: "xlsx", name: name, rows: rows, body: buf.Bytes()})
}

// trend answers a group's monthly approved 经济效益 for months (12) months ending with to.
func (h *ledgerRoutes) trend(c *fiber.Ctx) error {
	to, err := monthParam(c, "to", time.Now().In(china()))
	if err != nil {
		return err
	}
	n, err := httpx.Int(c, "months", 12, 1, 60)
	if err != nil {
		return err
	}
	group := httpx.Query(c, "group")
	if group == "" {
		group = "county"
	}
	if !ledger.ValidGroup(group) {
		return problem.Invalid("group", "%q is not county, district, city, zone or enterprise", group)
	}
	t, err := h.svc.Trend(c.UserContext(), group, to, n)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

// monthParam reads a "YYYY-MM" query parameter; def when absent.
func monthParam(c *fiber.Ctx, name string, def time.Time) (time.Time, error) {
	v := httpx.Query(c, name)
	if v == "" {
		return ledger.MonthStart(def), nil
	}
	t, err := time.Parse("2006-01", v)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return t, problem.Invalid(name, "%q is not a month such as 2026-10", v)
	}
	return t, nil
}

// targets answers a year's targets per region and per 工作领域.
func (h *ledgerRoutes) targets(c *fiber.Ctx) error {
	year, err := httpx.Int(c, "year", time.Now().In(china()).Year(), 2000, 2100)
	if err != nil {
		return err
	}
	t, err := h.svc.Targets(c.UserContext(), year)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

// setTargets replaces a year's targets (the year from the body, else ?year=).
func (h *ledgerRoutes) setTargets(c *fiber.Ctx) error {
	year, err := httpx.Int(c, "year", time.Now().In(china()).Year(), 2000, 2100)
	if err != nil {
		return err
	}
	t := ledger.Targets{Year: year}
	if err := decodeStrict(c, &t); err != nil {
		return err
	}
	out, err := h.svc.SetTargets(c.UserContext(), t)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// importTargets reads an uploaded workbook of targets (multipart file, year, dry_run); a bad
// row is a 422 carrying the whole report, and nothing is written.
func (h *ledgerRoutes) importTargets(c *fiber.Ctx) error {
	up, err := receiveUpload(c, targetsUploadMax)
	if err != nil {
		return err
	}
	defer up.remove()
	year, dry, err := targetsImportFields(up)
	if err != nil {
		return err
	}
	f, err := os.Open(up.path)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := h.svc.ImportTargets(c.UserContext(), f, year, dry)
	if err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(rep)
	}
	return c.JSON(rep)
}

// targetsImportFields reads the year and dry_run fields of a targets upload.
func targetsImportFields(up *upload) (int, bool, error) {
	if up.path == "" {
		return 0, false, problem.Invalid("file", "send the workbook as multipart/form-data field \"file\"")
	}
	year, err := strconv.Atoi(up.field("year"))
	if err != nil || year < 2000 || year > 2100 {
		return 0, false, problem.Invalid("year", "%q is not a year such as 2026", up.field("year"))
	}
	dry := false
	if v := up.field("dry_run"); v != "" {
		if dry, err = strconv.ParseBool(v); err != nil {
			return 0, false, problem.Invalid("dry_run", "%q is not true or false", v)
		}
	}
	return year, dry, nil
}

// withBenefit adds the ledger's measures to a /progress answer: the regions' 预期盘活效益 rows
// (metric "benefit") after the asset targets, and "fields" per 工作领域.
func withBenefit(c *fiber.Ctx, svc *ledger.Service, year int, ps []assets.Progress) (fiber.Map, error) {
	out := fiber.Map{"year": year, "targets": ps, "fields": []ledger.FieldProgress{}}
	if svc == nil {
		return out, nil
	}
	regions, fields, err := svc.Progress(c.UserContext(), year)
	if err != nil {
		return nil, err
	}
	out["targets"], out["fields"] = append(ps, regions...), fields
	return out, nil
}
