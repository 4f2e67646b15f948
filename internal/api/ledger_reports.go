package api

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/ledger"
	"github.com/onemap/onemap/internal/problem"
)

// mountReports adds the monthly reports: a project's reports, saving and submitting them
// (reporters of the project's unit, analysts, admins), approving and returning them
// (reviewers, admins), the lists across projects, the missing list and the month's XLSX.
func (h *ledgerRoutes) mountReports(r fiber.Router) {
	read := require(auth.Roles...)
	fill := require(auth.Analyst, auth.Reporter)
	review := require(auth.Reviewer)
	r.Get("/projects/:id/reports", read, h.projectReports)
	r.Put("/projects/:id/reports/:month", fill, h.saveReport)
	r.Post("/projects/:id/reports/:month/submit", fill, h.submitReport)
	r.Post("/projects/:id/reports/:month/approve", review, h.approveReport)
	r.Post("/projects/:id/reports/:month/return", review, h.returnReport)
	r.Get("/reports", read, h.listReports)
	r.Get("/reports/missing", read, h.missingReports)
	r.Get("/reports/export.xlsx", read, h.exportReports)
}

// reportActor is the signed-in user as the ledger checks them: role, region and unit.
func reportActor(c *fiber.Ctx) ledger.Actor {
	u := currentUser(c)
	return ledger.Actor{Name: u.Username, UserID: u.ID, Role: u.Role, Region: u.RegionCode, Unit: u.UnitCode}
}

// reportVersion is the version a change names: If-Match, else the body's "version" (0: none).
func reportVersion(c *fiber.Ctx) (int, error) {
	if c.Get(fiber.HeaderIfMatch) != "" {
		return version(c, nil)
	}
	if len(c.Body()) == 0 {
		return 0, nil
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(c.Body(), &body); err != nil {
		return 0, problem.Invalid("body", "is not a JSON object: %v", err)
	}
	if _, ok := body["version"]; !ok {
		return 0, nil
	}
	return version(c, body)
}

func (h *ledgerRoutes) projectReports(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	list, err := h.svc.ProjectReports(c.UserContext(), reportActor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"reports": list})
}

func (h *ledgerRoutes) saveReport(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	var in ledger.ReportInput
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	if m := c.Get(fiber.HeaderIfMatch); m != "" {
		if in.Version, err = version(c, nil); err != nil {
			return err
		}
	}
	rep, err := h.svc.SaveReport(c.UserContext(), reportActor(c), id, c.Params("month"), in)
	if err != nil {
		return err
	}
	return sendReport(c, rep)
}

// sendReport answers with a report and its version as the ETag.
func sendReport(c *fiber.Ctx, r ledger.Report) error {
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(r.Version)+`"`)
	return c.JSON(r)
}

func (h *ledgerRoutes) submitReport(c *fiber.Ctx) error {
	return h.reportStep(c, func(a ledger.Actor, id int64, month string, v int) (ledger.Report, error) {
		return h.svc.SubmitReport(c.UserContext(), a, id, month, v)
	})
}

func (h *ledgerRoutes) approveReport(c *fiber.Ctx) error {
	return h.reportStep(c, func(a ledger.Actor, id int64, month string, v int) (ledger.Report, error) {
		return h.svc.ApproveReport(c.UserContext(), a, id, month, v)
	})
}

func (h *ledgerRoutes) returnReport(c *fiber.Ctx) error {
	var in struct {
		Reason  string `json:"reason"`
		Version int    `json:"version"`
	}
	if err := decodeStrict(c, &in); err != nil {
		return err
	}
	return h.reportStep(c, func(a ledger.Actor, id int64, month string, v int) (ledger.Report, error) {
		return h.svc.ReturnReport(c.UserContext(), a, id, month, v, in.Reason)
	})
}

// reportStep parses a transition's project, month and version, and runs it.
func (h *ledgerRoutes) reportStep(c *fiber.Ctx, step func(a ledger.Actor, id int64, month string, v int) (ledger.Report, error)) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	v, err := reportVersion(c)
	if err != nil {
		return err
	}
	rep, err := step(reportActor(c), id, c.Params("month"), v)
	if err != nil {
		return err
	}
	return sendReport(c, rep)
}

func (h *ledgerRoutes) listReports(c *fiber.Ctx) error {
	f := ledger.ReportFilter{Month: c.Query("month"), State: c.Query("state"), Group: c.Query("group"), Unit: c.Query("unit")}
	list, err := h.svc.Reports(c.UserContext(), reportActor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"reports": list})
}

func (h *ledgerRoutes) missingReports(c *fiber.Ctx) error {
	m, err := h.svc.MissingReports(c.UserContext(), reportActor(c), c.Query("month"))
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *ledgerRoutes) exportReports(c *fiber.Ctx) error {
	month := c.Query("month")
	var buf bytes.Buffer
	n, err := h.svc.ExportReports(c.UserContext(), reportActor(c), month, &buf)
	if err != nil {
		return err
	}
	return sendDownload(c, h.audit, download{what: "reports", format: "xlsx", name: "reports-" + month + ".xlsx", rows: n, body: buf.Bytes()})
}
