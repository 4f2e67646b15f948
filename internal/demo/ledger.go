package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/onemap/onemap/internal/assets"
)

// asOf is the ledger date the demo describes (台账截至 2026-10-31): every generated date is
// relative to it, never to the clock, so the same seed gives the same city on any day.
var asOf = time.Date(2026, time.October, 31, 0, 0, 0, 0, time.UTC)

// TargetYear is the year the demo's targets are set for.
const TargetYear = 2026

// plan is how assets of one sort tend to be disposed of: weights of the stages idle, planned,
// in_progress, done, and of the modes use, sell, lease, finance once a mode is chosen.
type plan struct {
	stages [4]float64
	modes  [4]float64
}

var (
	stageNames = []string{"idle", "planned", "in_progress", "done"}
	modeNames  = []string{"use", "sell", "lease", "finance"}
)

// dispose sets a's values, mode, stage and revenue consistently: a done asset has a mode other
// than undecided and revenue above zero; an idle or planned one has none yet; an idle asset
// mostly has no mode decided. done scales the weight of the done stage (the county's progress).
func dispose(r *rand.Rand, a *assets.NewAsset, p plan, done, book, appraised float64) {
	a.BookValue, a.AppraisedValue = ptr(money(book)), ptr(money(appraised))
	w := p.stages
	w[3] *= done
	a.Stage = pick(r, stageNames, w[:])
	a.Mode = pick(r, modeNames, p.modes[:])
	a.Revenue = 0
	switch a.Stage {
	case "idle":
		if r.IntN(10) < 7 {
			a.Mode = "undecided"
		}
	case "in_progress":
		if r.IntN(5) < 2 {
			a.Revenue = money(revenue(r, a.Mode, appraised) * between(r, 0.1, 0.3))
		}
	case "done":
		a.Revenue = money(revenue(r, a.Mode, appraised))
	}
}

// revenue is what a completed disposal of the given mode brings in, in 万元: a sale about the
// appraised value, a lease some years of rent, a financing a loan against it, own use the
// yearly benefit.
func revenue(r *rand.Rand, mode string, appraised float64) float64 {
	var v float64
	switch mode {
	case "sell":
		v = appraised * between(r, 0.95, 1.25)
	case "lease":
		v = appraised * between(r, 0.03, 0.08) * float64(1+r.IntN(5))
	case "finance":
		v = appraised * between(r, 0.4, 0.7)
	default:
		v = appraised * between(r, 0.05, 0.15)
	}
	return max(v, 0.5)
}

// money rounds 万元 to two decimals and keeps it above zero.
func money(v float64) float64 { return max(math.Round(v*100)/100, 0.01) }

func ptr[T any](v T) *T { return &v }

// date returns asOf moved by whole months and days (negative is earlier).
func date(months, days int) *assets.Date {
	return &assets.Date{Time: asOf.AddDate(0, months, days)}
}

// dateString formats a date for the facts of mines and buildings.
func dateString(d *assets.Date) string { return d.Format(time.DateOnly) }
