// Package ledger is the reform's 台账 joined to the map: units (the regions, zones, departments
// and enterprises a project belongs to, in the five groups of the 榜单), 盘活项目 and their member
// assets, monthly reports and their review, the monthly 榜单, targets and progress, lease terms
// and 预警. Its SQL lives in its store*.go files; it knows nothing of HTTP.
package ledger

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Groups are the five groups of the monthly 榜单, in the order the plans list them:
// 县市组, 城区组, 市级组, 园区组, 国有企业组.
var Groups = []string{"county", "district", "city", "zone", "enterprise"}

// Fields are the 工作领域 of the plans (migrations/012_ledger.sql ledger_fields keeps the same list).
var Fields = []string{
	"natural_resources", "water", "forestry", "zones_energy", "data", "culture_tourism",
	"party_gov_assets", "institution_assets", "enterprise_assets", "concession",
}

// Actor is who acts on the ledger, as the service checks it: their role, region scope and unit.
type Actor struct {
	Name   string
	UserID int64
	Role   string
	// Region scopes what they see and change (nil: the whole deployment).
	Region *string
	// Unit is a reporter's own unit: they fill the reports of its projects only.
	Unit *string
}

// Service reads and writes the ledger; every write appends to project_events.
type Service struct {
	pool *pgxpool.Pool
	now  func() time.Time
	warn warnState // 预警 subscribers and evaluation requests (warnwatch.go)
}

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{pool: pool, now: time.Now}
}
