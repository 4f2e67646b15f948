package demo

import (
	"math/rand/v2"
	"slices"
	"time"
)

// The demo's ledger history (issue 11): two years of 盘活项目, their monthly reports and review,
// lease terms and targets, generated as plain values from the seed and the assets the city
// holds (no clock, no database), then written by writeHistory in the load transaction.

// HistoryActor is the actor of every project event the demo writes; --replace finds the demo's
// projects by their 'create' event naming it.
const HistoryActor = Actor

// historyMonths is how many months of reports the demo holds: the 24 ending with asOf's month.
const historyMonths = 24

// reviewDay is the day the history was first shown (2026-12-02): lease, licence and land dates
// are placed so that the warnings have members both 30–90 days after asOf and 0–90 days after
// this day.
var reviewDay = time.Date(2026, time.December, 2, 0, 0, 0, 0, time.UTC)

// streamHistory is the seed's stream for the history (after the city's own streams).
const streamHistory = streamBuildings + 1

// History is everything the demo writes into the ledger tables.
type History struct {
	Units    []Unit
	Projects []Project
	Leases   []Lease
	// Benefits are the regions' 预期盘活效益 targets (targets metric 'benefit'), per year.
	Benefits []BenefitTarget
	Fields   []FieldTarget
}

// Unit is a city department or state enterprise the demo adds to the units the regions and
// zones bring (their region is the city's region when the database holds one).
type Unit struct {
	Code, Name, Group string
	Sort              int
	abbr, field       string
}

// Project is one 盘活项目 with its member assets (by kind and code) and its reports.
type Project struct {
	Code, Name, UnitCode, Field, Mode, Instrument string
	Year                                          int
	Holder, ResponsibleUnit, ResponsiblePerson    string
	PlannedStart, PlannedEnd                      time.Time
	ExpectedBenefit                               float64
	Description                                   string
	Status                                        string
	CreatedAt                                     time.Time
	Assets                                        []AssetRef
	Reports                                       []Report
	plan                                          timeline
}

// AssetRef names an asset by its kind and code, as the assets table keys its live rows.
type AssetRef struct{ Kind, Code string }

// Report is a project's monthly report and how its review went.
type Report struct {
	Month                                            time.Time
	Stage                                            string
	Quantity                                         float64
	QuantityUnit                                     string
	EconomicBenefit, TreasuryIncome, FiscalAvailable float64
	SocialBenefit, TypicalCase                       string
	State, ReturnReason                              string
	SubmittedAt, ReviewedAt                          *time.Time
	CreatedAt                                        time.Time
	// Events are the report's transitions in order (report, submit, approve, return).
	Events []Event
}

// Event is one transition of a report.
type Event struct {
	Action string
	At     time.Time
	Note   string
	State  string
}

// Lease is a lease or concession term of an asset.
type Lease struct {
	Asset                    AssetRef
	Kind, Tenant             string
	Start, End               time.Time
	AnnualRent, RentReceived float64
}

// BenefitTarget is a region's 预期盘活效益 for a year; City marks the target of the city as a
// whole, written only when the database holds the city's region.
type BenefitTarget struct {
	RegionCode string
	City       bool
	Year       int
	Target     float64
}

// FieldTarget is a 工作领域's target for a year, with its lead unit, partners and tasks.
type FieldTarget struct {
	Year                             int
	Field, LeadUnit, Partners, Tasks string
	Target                           float64
}

// BuildHistory generates the ledger history of city from the assets r collected while they
// were written. The same seed and city give the same history.
func BuildHistory(city *City, r *Roster) *History {
	rng := rand.New(rand.NewPCG(city.Seed(), streamHistory))
	h := &History{Units: cityUnits()}
	units := unitIndex(city, h.Units)
	pools := assign(rng, r.members, units)
	for _, u := range units.order {
		h.Projects = append(h.Projects, unitProjects(rng, u, pools[u.code])...)
	}
	anchor(h.Projects)
	for i := range h.Projects {
		reports(rng, &h.Projects[i])
	}
	h.Leases = leases(rng, r.members, h.Projects)
	h.Benefits = benefitTargets(rng, city, units, h.Projects)
	h.Fields = fieldTargets(rng, h.Projects)
	return h
}

// Months returns the first day of each month of the history, oldest first.
func Months() []time.Time {
	last := time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]time.Time, historyMonths)
	for i := range out {
		out[i] = last.AddDate(0, i-historyMonths+1, 0)
	}
	return out
}

// ReportCount returns how many reports h holds.
func (h *History) ReportCount() int {
	n := 0
	for _, p := range h.Projects {
		n += len(p.Reports)
	}
	return n
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
