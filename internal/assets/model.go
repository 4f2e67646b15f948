package assets

import (
	"encoding/json"
	"time"
)

// Asset is one ledger row with its disposal status. Money is in 万元, areas in m² and 亩.
type Asset struct {
	ID                int64           `json:"id"`
	Code              string          `json:"code"`
	Kind              Kind            `json:"kind"`
	Name              string          `json:"name"`
	RegionCode        *string         `json:"region_code"`
	RegionName        *string         `json:"region_name"`
	ZoneCode          *string         `json:"zone_code"`
	ZoneName          *string         `json:"zone_name"`
	Holder            string          `json:"holder"`
	HolderType        string          `json:"holder_type"`
	BookValue         *float64        `json:"book_value"`
	AppraisedValue    *float64        `json:"appraised_value"`
	Mode              string          `json:"mode"`
	Stage             string          `json:"stage"`
	ResponsibleUnit   string          `json:"responsible_unit"`
	ResponsiblePerson string          `json:"responsible_person"`
	Revenue           float64         `json:"revenue"`
	AreaM2            float64         `json:"area_m2"`
	AreaMu            float64         `json:"area_mu"`
	Land              *LandFacts      `json:"land,omitempty"`
	Facts             json.RawMessage `json:"facts"`
	SourceCRS         *string         `json:"source_crs"`
	Version           int             `json:"version"`
	CreatedAt         time.Time       `json:"created_at"`
	UpdatedAt         time.Time       `json:"updated_at"`
	// Center is one point on the asset's surface, lon and lat in EPSG:4490 rounded to 6 decimals
	// (about 0.1 m): computed once in SQL so that every list and export shows the same figures.
	Center []float64 `json:"center,omitempty"`
	// Attachments is how many live files (权证, 合同, photos...) the asset has: 附件数.
	Attachments int64 `json:"attachments"`
	// Geometry is GeoJSON in EPSG:4490 (lon, lat), present when asked for.
	Geometry json.RawMessage `json:"geometry,omitempty"`
	// Share is set in the answers of spatial queries (a zone, a drawn area).
	*Share
	// Topology is set in the answer to a land parcel's creation or change of shape: what the
	// new outline does to its neighbours (topology.go).
	Topology *Topology `json:"topology,omitempty"`
}

// Share is the part of an asset inside the zone or area of a spatial query: 亩 (on the
// ellipsoid) and the fraction of the asset's own area (1 for a point inside).
type Share struct {
	OverlapMu    float64 `json:"overlap_mu"`
	OverlapShare float64 `json:"overlap_share"`
}

// newShare makes the Share of an asset of areaMu 亩 with overlapMu 亩 inside.
func newShare(overlapMu, areaMu float64) *Share {
	sh := &Share{OverlapMu: overlapMu, OverlapShare: 1}
	if areaMu > 0 {
		sh.OverlapShare = min(overlapMu/areaMu, 1)
	}
	return sh
}

// LandFacts are the land-only ledger fields, with the idle assessment the product computes.
type LandFacts struct {
	Status             *string    `json:"land_status"`
	ClassSystem        *string    `json:"land_class_system"`
	ClassCode          *string    `json:"land_class_code"`
	ApprovalNo         *string    `json:"approval_no"`
	ApprovalDate       *Date      `json:"approval_date"`
	SupplyMethod       *string    `json:"supply_method"`
	SupplyDate         *Date      `json:"supply_date"`
	AgreedStart        *Date      `json:"agreed_start"`
	ActualStart        *Date      `json:"actual_start"`
	DevelopedShare     *float64   `json:"developed_share"`
	InvestedShare      *float64   `json:"invested_share"`
	IdleCause          *string    `json:"idle_cause"`
	IdleOverride       *string    `json:"idle_override"`
	IdleOverrideReason *string    `json:"idle_override_reason"`
	Idle               Assessment `json:"idle_assessment"`
}

// Date is a calendar date that reads and writes as 2006-01-02.
type Date struct{ time.Time }

// MarshalJSON writes the date as "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.Format(time.DateOnly)) }

// UnmarshalJSON reads "2006-01-02".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}

// Event is one entry of an asset's append-only history.
type Event struct {
	ID     int64           `json:"id"`
	Action string          `json:"action"`
	Actor  string          `json:"actor"`
	At     time.Time       `json:"at"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
	Note   string          `json:"note"`
}
