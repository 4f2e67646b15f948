package assets

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/db"
)

// Service reads and writes assets; every write appends to asset_events.
type Service struct {
	pool *pgxpool.Pool
	// reads answers the lists, statistics and exports: the pool, or read replicas (WithReads).
	reads db.Querier
	now   func() time.Time
	// overlapM2 is how much a land parcel drawn or reshaped by hand may overlap live parcels
	// before the edit needs a reason (WithOverlapTolerance).
	overlapM2 float64
}

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{pool: pool, reads: pool, now: time.Now, overlapM2: DefaultOverlapToleranceM2}
}

// WithReads sends the lists, statistics and exports through reads (read replicas; at wiring,
// before serving). Writes, and the reads a write makes, stay on the pool. It returns s.
func (s *Service) WithReads(reads db.Querier) *Service {
	s.reads = reads
	return s
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
	// OverlapReason confirms a land parcel overlapping live parcels (Create only; see Change).
	OverlapReason string
	// Geometry is in EPSG:4490 (lon, lat): a Polygon, MultiPolygon or Point.
	Geometry orb.Geometry
}
