package demo

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/onemap/onemap/internal/assets"
)

// history generates a city and its history, returning every asset too.
func history(t *testing.T, seed uint64, parcels int) (*History, []assets.NewAsset) {
	t.Helper()
	c, all := generate(t, seed, parcels)
	r := NewRoster(c)
	r.Add(all)
	return BuildHistory(c, r), all
}

func historyDigest(t *testing.T, h *History) string {
	t.Helper()
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

func TestHistoryIsDeterministic(t *testing.T) {
	h1, _ := history(t, 7, 2000)
	h2, _ := history(t, 7, 2000)
	h3, _ := history(t, 8, 2000)
	if historyDigest(t, h1) != historyDigest(t, h2) {
		t.Fatal("the same seed gave different histories")
	}
	if historyDigest(t, h1) == historyDigest(t, h3) {
		t.Fatal("seeds 7 and 8 gave the same history")
	}
	t.Logf("seed 7: %d units, %d projects, %d reports, %d leases", len(h1.Units), len(h1.Projects), h1.ReportCount(), len(h1.Leases))
}

func TestHistoryFillsEveryMonthOfEveryGroup(t *testing.T) {
	c, _ := generate(t, 1, 0)
	for _, parcels := range []int{2000, DefaultParcels} {
		h, _ := history(t, 1, parcels)
		ix := unitIndex(c, h.Units)
		rows := map[string]map[time.Time]int{}
		for _, p := range h.Projects {
			g := ix.byCode[p.UnitCode].group
			if rows[g] == nil {
				rows[g] = map[time.Time]int{}
			}
			for _, rep := range p.Reports {
				if rep.State == "approved" {
					rows[g][rep.Month]++
				}
			}
		}
		for _, g := range []string{"county", "district", "city", "zone", "enterprise"} {
			for _, m := range Months() {
				if rows[g][m] == 0 {
					t.Errorf("%d parcels: group %s has no approved report in %s", parcels, g, m.Format("2006-01"))
				}
			}
		}
		seen := map[string]bool{}
		for _, p := range h.Projects {
			seen[p.UnitCode] = true
		}
		for _, u := range ix.order {
			if !seen[u.code] {
				t.Errorf("%d parcels: unit %s %s has no project", parcels, u.code, u.name)
			}
		}
	}
}

func TestHistoryProjectsAreConsistent(t *testing.T) {
	h, all := history(t, 3, 5000)
	byRef := map[AssetRef]*assets.NewAsset{}
	for i := range all {
		byRef[AssetRef{string(all[i].Kind), all[i].Code}] = &all[i]
	}
	member := map[AssetRef]string{}
	codes := map[string]bool{}
	for _, p := range h.Projects {
		if codes[p.Code] {
			t.Fatalf("project code %s repeats", p.Code)
		}
		codes[p.Code] = true
		if n := len(p.Assets); n < 1 || n > 8 {
			t.Errorf("%s has %d assets", p.Code, n)
		}
		if p.PlannedEnd.Before(p.PlannedStart) || p.Year < 2025 || p.Year > 2026 || p.ExpectedBenefit <= 0 {
			t.Errorf("%s: %s–%s, year %d, expected %.2f", p.Code, p.PlannedStart, p.PlannedEnd, p.Year, p.ExpectedBenefit)
		}
		for _, a := range p.Assets {
			if other, ok := member[a]; ok {
				t.Errorf("%s is in %s and %s", a.Code, other, p.Code)
			}
			member[a] = p.Code
			if m := byRef[a]; m == nil || m.Mode != p.Mode {
				t.Errorf("%s: asset %s missing or of another mode", p.Code, a.Code)
			}
		}
		checkReports(t, p)
	}
}

func checkReports(t *testing.T, p Project) {
	t.Helper()
	order := map[string]int{"planned": 0, "in_progress": 1, "done": 2}
	prev := 0
	for _, rep := range p.Reports {
		due := rep.Month.AddDate(0, 1, 25)
		switch {
		case order[rep.Stage] < prev:
			t.Errorf("%s %s: stage goes back to %s", p.Code, rep.Month.Format("2006-01"), rep.Stage)
		case rep.TreasuryIncome > rep.EconomicBenefit || rep.FiscalAvailable > rep.TreasuryIncome:
			t.Errorf("%s %s: income %.2f > benefit %.2f or fiscal %.2f > income", p.Code, rep.Month, rep.TreasuryIncome, rep.EconomicBenefit, rep.FiscalAvailable)
		case (rep.State == "returned") != (rep.ReturnReason != ""):
			t.Errorf("%s %s: state %s with reason %q", p.Code, rep.Month, rep.State, rep.ReturnReason)
		case rep.ReviewedAt != nil && (rep.SubmittedAt == nil || !rep.ReviewedAt.After(*rep.SubmittedAt) || rep.ReviewedAt.After(due)):
			t.Errorf("%s %s: reviewed %v, submitted %v", p.Code, rep.Month, rep.ReviewedAt, rep.SubmittedAt)
		case rep.Events[len(rep.Events)-1].State != rep.State:
			t.Errorf("%s %s: last event %+v, state %s", p.Code, rep.Month, rep.Events[len(rep.Events)-1], rep.State)
		}
		prev = order[rep.Stage]
	}
}

func TestHistoryStatesAndTargets(t *testing.T) {
	h, _ := history(t, 1, DefaultParcels)
	states := map[string]int{}
	closed := 0
	last := Months()[historyMonths-1]
	for _, p := range h.Projects {
		if p.Status == "closed" {
			closed++
		}
		for _, rep := range p.Reports {
			states[rep.State]++
			if rep.Month.Equal(last) {
				states["last "+rep.State]++
			}
		}
	}
	t.Logf("%d projects (%d closed), report states %v", len(h.Projects), closed, states)
	if closed == 0 || closed > len(h.Projects)/5 {
		t.Errorf("%d of %d projects closed: want a few", closed, len(h.Projects))
	}
	for _, s := range []string{"approved", "returned", "last submitted", "last draft"} {
		if states[s] == 0 {
			t.Errorf("no report %s", s)
		}
	}
	if float64(states["approved"]) < 0.85*float64(h.ReportCount()) {
		t.Errorf("%d of %d reports approved: want most", states["approved"], h.ReportCount())
	}
	if len(h.Fields) != 20 || len(h.Benefits) != 14 {
		t.Errorf("%d field targets, %d benefit targets", len(h.Fields), len(h.Benefits))
	}
}

func TestHistoryKeepsItsSizeInABigCity(t *testing.T) {
	small, _ := history(t, 1, DefaultParcels)
	big, _ := history(t, 1, 5*DefaultParcels)
	ratio := float64(len(big.Projects)) / float64(len(small.Projects))
	t.Logf("%d projects for %d parcels, %d for %d", len(small.Projects), DefaultParcels, len(big.Projects), 5*DefaultParcels)
	if ratio < 0.7 || ratio > 1.4 {
		t.Errorf("%d projects for %d parcels, %d for five times as many: want about as many", len(small.Projects), DefaultParcels, len(big.Projects))
	}
}
