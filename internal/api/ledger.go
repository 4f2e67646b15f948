package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/ledger"
)

// ledgerRoutes serve the reform's ledger: units, projects and their reports, the 榜单, targets
// and progress, lease terms and warnings. Each part mounts its own routes (ledger_*.go). Its
// workbook exports and lease changes go to the audit trail (its project and report changes to
// project_events).
type ledgerRoutes struct {
	svc   *ledger.Service
	audit *audit.Service
}

// xlsxType is the media type of the ledger's workbooks.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sendXLSX audits a workbook export of the ledger as other exports are (what: projects, reports
// or leaderboard; rows: how many it holds), then sends it as the download name.
func (h *ledgerRoutes) sendXLSX(c *fiber.Ctx, what, name string, rows int, book []byte) error {
	e := auditEntry(c, audit.Export, "xlsx", map[string]any{
		"format": "xlsx", "ledger": what, "filter": string(c.Request().URI().QueryString()), "rows": rows, "bytes": len(book),
	})
	if err := h.audit.Record(c.UserContext(), e); err != nil {
		return err
	}
	c.Attachment(name)
	c.Set(fiber.HeaderContentType, xlsxType)
	return c.Send(book)
}

func (h *ledgerRoutes) mount(r fiber.Router) {
	h.mountProjects(r)
	h.mountReports(r)
	h.mountBoard(r)
	h.mountWarnings(r)
}
