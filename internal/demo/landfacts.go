package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/onemap/onemap/internal/assets"
)

// landFacts gives a parcel of the given status and use dates and shares that tell its story,
// so the idle rules of 国土资源部令第53号 (assets.Assess) reach a realistic mix of verdicts:
// idle land is mostly more than a year past its agreed start (some two years, some through the
// government's fault, a few not yet a year: 疑似闲置), inefficient land was built but thinly, and
// land in use was built out, apart from recent supplies still inside their first year.
func landFacts(r *rand.Rand, status string, u use) *assets.LandFacts {
	f := &assets.LandFacts{Status: ptr(status)}
	switch status {
	case "approved_unsupplied":
		approve(r, f, date(-10-r.IntN(190), -r.IntN(28)))
	case "reserve":
		if r.IntN(5) < 3 {
			approve(r, f, date(-6-r.IntN(150), -r.IntN(28)))
		}
	case "idle":
		idleStory(r, f, u)
	case "inefficient":
		inefficientStory(r, f, u)
	default:
		inUseStory(r, f, u)
	}
	classify(r, f, u)
	return f
}

func approve(r *rand.Rand, f *assets.LandFacts, d *assets.Date) {
	f.ApprovalDate = d
	f.ApprovalNo = ptr(fmt.Sprintf("鄂政土批〔%d〕%d号", d.Year(), 1+r.IntN(420)))
}

// supply records a supply on d with the agreed start some months later and the approval
// before it (old supplies sometimes predate the approval records).
func supply(r *rand.Rand, f *assets.LandFacts, u use, d *assets.Date) {
	f.SupplyDate = d
	f.SupplyMethod = ptr(pick(r, u.supplyMethods, u.supplyWeights))
	f.AgreedStart = &assets.Date{Time: d.AddDate(0, 3+r.IntN(4), r.IntN(28))}
	if r.IntN(5) != 0 {
		approve(r, f, &assets.Date{Time: d.AddDate(0, -3-r.IntN(34), -r.IntN(28))})
	}
}

func idleStory(r *rand.Rand, f *assets.LandFacts, u use) {
	switch n := r.IntN(100); {
	case n < 8: // 疑似闲置: agreed start passed, but not yet a full year ago
		agreed := date(-2-r.IntN(9), -r.IntN(28))
		supply(r, f, u, &assets.Date{Time: agreed.AddDate(0, -4, 0)})
		f.AgreedStart = agreed
	case n < 55: // never started, one to eight years past the deadline
		agreed := date(-13-r.IntN(84), -r.IntN(28))
		supply(r, f, u, &assets.Date{Time: agreed.AddDate(0, -3-r.IntN(9), 0)})
		f.AgreedStart = agreed
	default: // started on too little and halted more than a year ago
		actual := date(-13-r.IntN(72), -r.IntN(28))
		supply(r, f, u, &assets.Date{Time: actual.AddDate(0, -6-r.IntN(18), 0)})
		f.ActualStart = actual
		f.DevelopedShare = ptr(round2(between(r, 0.02, 0.3)))
		f.InvestedShare = ptr(round2(between(r, 0.03, 0.24)))
	}
	cause := "enterprise"
	if r.IntN(4) == 0 {
		cause = "government"
	}
	f.IdleCause = ptr(cause)
}

func inefficientStory(r *rand.Rand, f *assets.LandFacts, u use) {
	if r.IntN(10) == 0 { // under-built but halted less than a year: not idle yet
		actual := date(-1-r.IntN(10), -r.IntN(28))
		supply(r, f, u, &assets.Date{Time: actual.AddDate(0, -8-r.IntN(12), 0)})
		f.ActualStart = actual
		f.DevelopedShare, f.InvestedShare = ptr(round2(between(r, 0.1, 0.3))), ptr(round2(between(r, 0.1, 0.24)))
		return
	}
	supply(r, f, u, date(-72-r.IntN(168), -r.IntN(28)))
	f.ActualStart = &assets.Date{Time: f.AgreedStart.AddDate(0, r.IntN(10), r.IntN(28))}
	f.DevelopedShare, f.InvestedShare = ptr(round2(between(r, 0.35, 0.75))), ptr(round2(between(r, 0.3, 0.8)))
}

func inUseStory(r *rand.Rand, f *assets.LandFacts, u use) {
	if r.IntN(10) == 0 { // supplied lately, still inside the first year after the agreed start
		supply(r, f, u, date(-1-r.IntN(14), -r.IntN(28)))
		return
	}
	supply(r, f, u, date(-36-r.IntN(324), -r.IntN(28)))
	f.ActualStart = &assets.Date{Time: f.AgreedStart.AddDate(0, r.IntN(6), r.IntN(28))}
	f.DevelopedShare, f.InvestedShare = ptr(round2(between(r, 0.8, 1))), ptr(round2(between(r, 0.8, 1)))
}

// classify codes the land use in the system of its day: the 2023 用地用海分类 for land approved
// or supplied from 2023, GB/T 21010-2017 (三调) before.
func classify(r *rand.Rand, f *assets.LandFacts, u use) {
	latest := 0
	for _, d := range []*assets.Date{f.ApprovalDate, f.SupplyDate} {
		if d != nil {
			latest = max(latest, d.Year())
		}
	}
	if latest >= 2023 || (latest == 0 && r.IntN(2) == 0) {
		f.ClassSystem, f.ClassCode = ptr("tdly2023"), ptr(one(r, u.tdly))
		return
	}
	f.ClassSystem, f.ClassCode = ptr("gbt21010_2017"), ptr(one(r, u.gbt))
}

func round2(v float64) float64 { return float64(int(v*100+0.5)) / 100 }
