package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/ledger"
)

// ledgerRoutes serve the reform's ledger: units, projects and their reports, the 榜单, targets
// and progress, lease terms and warnings. Each part mounts its own routes (ledger_*.go). Its
// workbooks and lease changes go to the audit trail (project and report changes to
// project_events).
type ledgerRoutes struct {
	svc   *ledger.Service
	audit *audit.Service
}

func (h *ledgerRoutes) mount(r fiber.Router) {
	h.mountProjects(r)
	h.mountReports(r)
	h.mountBoard(r)
	h.mountWarnings(r)
}
