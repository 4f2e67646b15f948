package ledger

import (
	"math"
	"strings"
	"time"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// Lease is the term of an asset let to someone, as recorded.
type Lease struct {
	ID      int64 `json:"id"`
	AssetID int64 `json:"asset_id"`
	NewLease
	CreatedAt time.Time `json:"created_at"`
}

// NewLease is a lease term as an analyst enters it: a lease (出租, the default kind) or a
// concession (特许经营), with its tenant, dates and rent (万元 a year, and what has been received).
type NewLease struct {
	Kind         string  `json:"kind"`
	Tenant       string  `json:"tenant"`
	StartDate    string  `json:"start_date"`
	EndDate      string  `json:"end_date"`
	AnnualRent   float64 `json:"annual_rent"`
	RentReceived float64 `json:"rent_received"`
	Note         string  `json:"note"`
}

// maxRent bounds rents to what numeric(16, 2) holds.
const maxRent = 1e14 - 0.01

// Validate checks a new lease term and names every field at fault (422).
func (l *NewLease) Validate() error {
	var errs []*problem.Error
	bad := func(field, format string, args ...any) {
		errs = append(errs, problem.Unprocessable(field, format, args...))
	}
	l.Tenant = strings.TrimSpace(l.Tenant)
	if l.Kind == "" {
		l.Kind = "lease"
	}
	if l.Kind != "lease" && l.Kind != "concession" {
		bad("kind", "%q is not one of lease, concession", l.Kind)
	}
	if l.Tenant == "" {
		bad("tenant", "is required")
	}
	start, err1 := time.Parse(time.DateOnly, l.StartDate)
	if err1 != nil {
		bad("start_date", "%q is not a date (2006-01-02)", l.StartDate)
	}
	end, err2 := time.Parse(time.DateOnly, l.EndDate)
	if err2 != nil {
		bad("end_date", "%q is not a date (2006-01-02)", l.EndDate)
	}
	if err1 == nil && err2 == nil && end.Before(start) {
		bad("end_date", "%s is before start_date %s", l.EndDate, l.StartDate)
	}
	for name, v := range map[string]float64{"annual_rent": l.AnnualRent, "rent_received": l.RentReceived} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > maxRent {
			bad(name, "must be a number of 万元 from 0 to 99999999999999.99")
		}
	}
	if e := problem.Join(errs...); e != nil {
		return e
	}
	return nil
}

// leaseScope refuses a lease change on an asset lying in region by an actor confined elsewhere.
func (a Actor) leaseScope(region *string) error {
	if a.Region == nil || (region != nil && assets.RegionWithin(*region, *a.Region)) {
		return nil
	}
	where := "outside every region"
	if region != nil {
		where = "in region " + *region
	}
	return problem.Forbidden("this asset lies %s, outside your region %s", where, *a.Region)
}
