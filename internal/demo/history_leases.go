package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/onemap/onemap/internal/assets"
)

// Shares of the lease terms: of the leased assets (mode lease, under way or done) with a term
// on record, and of the terms that end within the warning window.
const (
	shareLeased   = 0.85
	shareExpiring = 0.06
)

// leases gives most leased assets a lease term, and the waters and mines of concession projects
// (and a few other leased ones) a concession; some end within the warning window.
func leases(r *rand.Rand, ms []member, ps []Project) []Lease {
	concession := map[AssetRef]string{}
	for _, p := range ps {
		if p.Instrument != "concession" {
			continue
		}
		for _, a := range p.Assets {
			concession[a] = p.UnitCode
		}
	}
	var out []Lease
	for i := range ms {
		m := &ms[i]
		if m.mode != "lease" || (m.stage != "in_progress" && m.stage != "done") || r.Float64() >= shareLeased {
			continue
		}
		unit, isConcession := concession[m.ref]
		if !isConcession && (m.kind == assets.Water || m.kind == assets.Mine) && r.IntN(5) == 0 {
			isConcession = true
		}
		out = append(out, lease(r, m, isConcession, unit))
	}
	concessionEnding(r, out)
	return out
}

// concessionEnding makes the first concession run out within the window when none does: there
// are only a dozen or so, too few to leave to chance.
func concessionEnding(r *rand.Rand, ls []Lease) {
	first := -1
	for i := range ls {
		if ls[i].Kind != "concession" {
			continue
		}
		if days := ls[i].End.Sub(reviewDay).Hours() / 24; days >= 0 && days < warnDays {
			return
		}
		if first < 0 {
			first = i
		}
	}
	if first >= 0 {
		ls[first].End = soon(r.IntN(58))
	}
}

// lease draws one term of m: let some years before asOf for one to ten years (renewed while
// it would run out before the warning window ends), a concession for ten to thirty; a share
// of them ends within the window instead.
func lease(r *rand.Rand, m *member, concession bool, unit string) Lease {
	l := Lease{Asset: m.ref, Kind: "lease", Tenant: tenant(r, m, unit)}
	years := 1 + pick(r, []int{0, 1, 2, 4, 9}, []float64{2, 3, 3, 2, 1})
	if concession {
		l.Kind, years = "concession", 10+5*r.IntN(5)
	}
	l.Start = asOf.AddDate(0, -1-r.IntN(48), -r.IntN(28))
	l.End = l.Start.AddDate(years, 0, -1)
	for !l.End.After(reviewDay.AddDate(0, 0, warnDays)) {
		l.End = l.End.AddDate(years, 0, 0)
	}
	if r.Float64() < shareExpiring {
		l.End = soon(r.IntN(warnDays))
		l.Start = minTime(l.Start, l.End.AddDate(-1, 0, 1))
	}
	l.AnnualRent = money(max(m.appraised*between(r, 0.03, 0.08), 0.5))
	elapsed := asOf.Sub(l.Start).Hours() / 24 / 365
	l.RentReceived = round2money(l.AnnualRent * math.Max(elapsed, 0) * between(r, 0.7, 1))
	return l
}

// tenant names who holds the lease: the water group for its concessions, else a company of
// the asset's county.
func tenant(r *rand.Rand, m *member, unit string) string {
	if unit == "421200-SWJT" {
		return "咸宁水务集团有限公司"
	}
	place := "咸宁"
	for _, c := range countyFacts {
		if c.code == m.region {
			place = c.short
		}
	}
	return enterprise(r, place)
}

// warnDays is the warnings' window: what runs out within 90 days is warned of.
const warnDays = 90

// soon is the date days after reviewDay (days < warnDays): inside the window after reviewDay,
// and, up to 58 days, inside the 30–90 days after asOf too.
func soon(days int) time.Time { return reviewDay.AddDate(0, 0, days) }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
