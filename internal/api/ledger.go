package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/ledger"
)

// ledgerRoutes serve the reform's ledger: units, projects and their reports, the 榜单, targets
// and progress, lease terms and warnings. Each part mounts its own routes (ledger_*.go).
type ledgerRoutes struct{ svc *ledger.Service }

func (h *ledgerRoutes) mount(r fiber.Router) {
	h.mountProjects(r)
	h.mountReports(r)
	h.mountBoard(r)
	h.mountWarnings(r)
}
