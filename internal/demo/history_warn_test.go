package demo

import (
	"testing"
	"time"

	"github.com/onemap/onemap/internal/assets"
)

// bands counts the dates falling 0–30, 30–60 and 60–90 days after from.
func bands(from time.Time, dates []time.Time) [3]int {
	var out [3]int
	for _, d := range dates {
		days := int(d.Sub(from).Hours() / 24)
		if days >= 0 && days < 90 {
			out[days/30]++
		}
	}
	return out
}

// warningDates are the dates the warnings of each dated kind fire on, for the assets and
// history of a city.
func warningDates(all []assets.NewAsset, h *History) map[string][]time.Time {
	out := map[string][]time.Time{}
	for _, a := range all {
		switch {
		case a.Land != nil && a.Land.AgreedStart != nil && a.Land.ActualStart == nil:
			out["land_fee_due"] = append(out["land_fee_due"], a.Land.AgreedStart.AddDate(1, 0, 0))
			out["land_recovery"] = append(out["land_recovery"], a.Land.AgreedStart.AddDate(2, 0, 0))
		case a.Kind == assets.Mine:
			to, _ := time.Parse(time.DateOnly, a.Facts["valid_to"].(string))
			out["licence_expiring"] = append(out["licence_expiring"], to)
		}
	}
	for _, l := range h.Leases {
		out[l.Kind+"_expiring"] = append(out[l.Kind+"_expiring"], l.End)
	}
	for _, p := range h.Projects {
		if p.Instrument == "concession" {
			out["concession_project"] = append(out["concession_project"], p.PlannedEnd)
		}
	}
	return out
}

func TestDatedWarningsHaveMembers(t *testing.T) {
	h, all := history(t, 1, DefaultParcels)
	dates := warningDates(all, h)
	for _, kind := range []string{"land_fee_due", "land_recovery", "licence_expiring", "lease_expiring"} {
		fromAsOf, fromReview := bands(asOf, dates[kind]), bands(reviewDay, dates[kind])
		t.Logf("%s: 0–30/30–60/60–90 days after asOf %v, after %s %v", kind, fromAsOf, reviewDay.Format(time.DateOnly), fromReview)
		if fromAsOf[1] == 0 || fromAsOf[2] == 0 || fromReview[0] == 0 || fromReview[1] == 0 || fromReview[2] == 0 {
			t.Errorf("%s: a 30-day band 30–90 days after asOf or 0–90 after %s is empty", kind, reviewDay.Format(time.DateOnly))
		}
	}
	// Concessions as lease terms and as projects' planned ends: some of each within the window.
	for _, kind := range []string{"concession_expiring", "concession_project"} {
		if b := bands(reviewDay, dates[kind]); b[0]+b[1]+b[2] == 0 {
			t.Errorf("%s: nothing within 90 days of %s", kind, reviewDay.Format(time.DateOnly))
		}
	}
}

func TestUndatedWarningsHaveMembers(t *testing.T) {
	h, all := history(t, 1, 2000)
	inProject := map[AssetRef]bool{}
	for _, p := range h.Projects {
		for _, a := range p.Assets {
			inProject[a] = true
		}
	}
	idleFree, vacant := 0, 0
	for _, a := range all {
		if a.Stage == "idle" && !inProject[AssetRef{string(a.Kind), a.Code}] {
			idleFree++
		}
		if since, ok := a.Facts["idle_since"].(string); ok && since < asOf.AddDate(-1, 0, 0).Format(time.DateOnly) {
			vacant++
		}
	}
	missing := 0
	for _, p := range h.Projects {
		if p.Status == "active" && (len(p.Reports) == 0 || p.Reports[len(p.Reports)-1].Month.Before(Months()[historyMonths-1])) {
			missing++
		}
	}
	t.Logf("%d idle assets in no project, %d buildings vacant over a year, %d active projects without a report for the last month", idleFree, vacant, missing)
	if idleFree == 0 || vacant == 0 || missing == 0 {
		t.Error("a warning kind without members")
	}
}
