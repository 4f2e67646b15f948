package assets

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
)

// Service reads and writes assets; every write appends to asset_events.
type Service struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{pool: pool, now: time.Now}
}

// NewAsset is what a caller supplies to create an asset; region and zone follow from the
// geometry when empty, areas are computed by the database.
type NewAsset struct {
	Code              string
	Kind              Kind
	Name              string
	RegionCode        string
	ZoneCode          string
	Holder            string
	HolderType        string
	BookValue         *float64
	AppraisedValue    *float64
	Mode              string
	Stage             string
	ResponsibleUnit   string
	ResponsiblePerson string
	Revenue           float64
	Land              *LandFacts
	Facts             map[string]any
	SourceCRS         string
	// Geometry is in EPSG:4490 (lon, lat): a Polygon, MultiPolygon or Point.
	Geometry orb.Geometry
}
