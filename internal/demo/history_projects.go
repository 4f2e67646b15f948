package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/onemap/onemap/internal/assets"
)

// timeline is when a project runs, as indexes into Months (end may lie past the last month):
// it starts at start, is done at done (final stage done only), and is planned to end at end.
type timeline struct {
	start, done, end int
	final            string // the stage reached by asOf: planned, in_progress or done
	anchor, closed   bool   // anchor: reports every month, all approved (so no 榜单 is empty)
	qty, realised    float64
	qunit, unitName  string
	members          []*member
}

// Labels of modes and instruments as project names and texts use them.
var (
	modeLabels      = map[string]string{"use": "用", "sell": "售", "lease": "租", "finance": "融"}
	instrumentWords = map[string]string{
		"transfer_grant": "出让", "transfer": "转让", "lease": "出租", "equity": "作价出资", "mortgage": "抵押融资",
		"abs": "资产证券化", "reits": "REITs盘活", "concession": "特许经营", "self_use": "改造利用", "other": "盘活",
	}
	finances = []string{"mortgage", "abs", "reits", "equity"}
)

// unitProjects groups a unit's chosen assets into projects: members of one project share kind,
// field, mode, stage, county and (for parcels) place, 1–8 of them.
func unitProjects(r *rand.Rand, u *unit, pool []choice) []Project {
	buckets := map[string][]choice{}
	for _, c := range pool {
		buckets[bucketKey(c)] = append(buckets[bucketKey(c)], c)
	}
	var out []Project
	for _, k := range sortedKeys(buckets) {
		b := buckets[k]
		for len(b) > 0 {
			n := min(len(b), chunk(r, b[0].m.kind))
			out = append(out, newProject(r, u, b[:n]))
			b = b[n:]
		}
	}
	return out
}

func bucketKey(c choice) string {
	m := c.m
	sub := m.ref.Code
	switch m.kind {
	case assets.Land:
		sub = m.place()
	case assets.Building:
		sub = ""
	case assets.Water:
		sub = m.tag
	}
	return strings.Join([]string{string(m.kind), c.field, m.mode, finalStage(m.stage), m.region, sub}, "|")
}

// chunk draws how many assets of a kind one project takes.
func chunk(r *rand.Rand, k assets.Kind) int {
	switch k {
	case assets.Land:
		return 1 + pick(r, []int{0, 1, 2, 3, 4, 5, 6, 7}, []float64{3, 3, 3, 2, 2, 1, 1, 1})
	case assets.Building:
		return 1 + pick(r, []int{0, 1, 2, 3}, []float64{4, 3, 2, 1})
	case assets.Water:
		return 1 + r.IntN(3)
	}
	return 1
}

// finalStage is the report stage a project of assets at stage s has reached by asOf.
func finalStage(s string) string {
	if s == "idle" {
		return "planned"
	}
	return s
}

func newProject(r *rand.Rand, u *unit, cs []choice) Project {
	first := cs[0].m
	p := Project{
		UnitCode: u.code, Field: cs[0].field, Mode: first.mode, Holder: first.holder,
		ResponsibleUnit: first.responsible, ResponsiblePerson: person(r), Status: "active",
	}
	if u.county == nil {
		p.ResponsibleUnit = u.name
	}
	expected := 0.0
	for _, c := range cs {
		p.Assets = append(p.Assets, c.m.ref)
		p.plan.members = append(p.plan.members, c.m)
		p.plan.qty += c.m.quantity
		expected += expectedBenefit(c.m)
	}
	p.plan.qunit, p.plan.unitName = first.unit, u.name
	p.ExpectedBenefit = money(expected * between(r, 1, 1.15))
	p.Instrument = instrument(r, first.kind, p.Mode, p.Field)
	p.plan.final = finalStage(first.stage)
	schedule(r, &p)
	p.Name = projectName(u, p.plan.members, p.Instrument)
	p.Description = fmt.Sprintf("涉及资产%d宗，实物量约%.2f%s，以%s方式（%s）盘活。", len(cs), p.plan.qty, p.plan.qunit,
		modeLabels[p.Mode], instrumentWords[p.Instrument])
	return p
}

// expectedBenefit is what an asset's disposal is expected to bring in, in 万元: its recorded
// revenue once under way, else by mode from its appraised value.
func expectedBenefit(m *member) float64 {
	if m.revenue > 0 {
		return m.revenue
	}
	f := map[string]float64{"sell": 1, "lease": 0.15, "finance": 0.55, "use": 0.1}[m.mode]
	return max(m.appraised*f, 0.5)
}

// instrument picks the 盘活路径 of a project of the given kind, mode and field.
func instrument(r *rand.Rand, k assets.Kind, mode, field string) string {
	switch {
	case mode == "sell" && k == assets.Land:
		return "transfer_grant"
	case mode == "sell":
		return "transfer"
	case mode == "lease" && field == "concession":
		return "concession"
	case mode == "lease":
		return "lease"
	case mode == "finance":
		return pick(r, finances, []float64{4, 1, 1, 2})
	}
	return pick(r, []string{"self_use", "other"}, []float64{3, 1})
}

// schedule sets the project's timeline, planned dates, year and creation time: done projects
// started in the first 18 months and finished by asOf; those under way run past it; planned
// ones entered the ledger in the last seven months.
func schedule(r *rand.Rand, p *Project) {
	t := &p.plan
	switch t.final {
	case "done":
		t.start = r.IntN(18)
		t.done = t.start + 3 + r.IntN(21-t.start)
		t.end = t.done
	case "in_progress":
		t.start, t.end = r.IntN(21), historyMonths+r.IntN(12)
	default:
		t.start, t.end = 17+r.IntN(7), historyMonths+6+r.IntN(12)
	}
	t.closed = t.final == "done" && r.IntN(5) == 0
	dated(r, p)
}

// dated derives the planned dates, year and creation time from the timeline.
func dated(r *rand.Rand, p *Project) {
	t := &p.plan
	p.PlannedStart = monthStart(t.start).AddDate(0, 0, r.IntN(20))
	p.PlannedEnd = monthStart(t.end).AddDate(0, 1, -1)
	if p.Instrument == "concession" && t.final != "planned" && r.IntN(3) == 0 {
		p.PlannedEnd = soon(r.IntN(warnDays)) // a concession running out soon
	}
	p.Year = 2025
	if p.PlannedStart.Year() >= 2026 {
		p.Year = 2026
	}
	p.CreatedAt = p.PlannedStart.AddDate(0, 0, -10-r.IntN(30)).Add(time.Duration(9*60+r.IntN(8*60)) * time.Minute)
}

// monthStart is the first day of the i-th month of the history (past the last month too).
func monthStart(i int) time.Time {
	return time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, i-historyMonths+1, 0)
}

// projectName says place, what and how: 咸安区横沟桥等3宗工业用地出让项目.
func projectName(u *unit, ms []*member, instr string) string {
	m := ms[0]
	county := regionName(m.region)
	how := instrumentWords[instr]
	switch {
	case m.kind == assets.Land && m.zone != "":
		return fmt.Sprintf("%s%d宗%s%s项目", m.place(), len(ms), m.tag, how)
	case m.kind == assets.Land:
		return fmt.Sprintf("%s%s%d宗%s%s项目", county, m.place(), len(ms), m.tag, how)
	case m.kind == assets.Building && len(ms) > 1:
		return fmt.Sprintf("%s%s等%d处闲置房产%s项目", county, m.name, len(ms), how)
	case m.kind == assets.Building:
		return fmt.Sprintf("%s%s%s项目", county, m.name, how)
	case m.kind == assets.Water && len(ms) > 1:
		return fmt.Sprintf("%s%s等%d处水域%s项目", county, m.name, len(ms), how)
	case m.kind == assets.Water:
		return fmt.Sprintf("%s%s%s项目", county, m.name, how)
	case u.field == "culture_tourism" && m.kind == assets.Forest:
		return fmt.Sprintf("%s森林康养%s项目", m.name, how)
	}
	return fmt.Sprintf("%s%s项目", m.name, how)
}

// regionName is a county's name by code ("" when unknown).
func regionName(code string) string {
	for _, c := range countyFacts {
		if c.code == code {
			return countyNames[c.short]
		}
	}
	return ""
}

// countyNames are the counties' full names by their short names.
var countyNames = map[string]string{"咸安": "咸安区", "嘉鱼": "嘉鱼县", "通城": "通城县", "崇阳": "崇阳县", "通山": "通山县", "赤壁": "赤壁市"}

// anchor makes the first project of each unit that is under way or done (else its first) run
// through all 24 months with every report approved, so every month's 榜单 has a row with
// figures in every group; then it numbers the projects per year and unit.
func anchor(ps []Project) {
	seen := map[string]bool{}
	for _, pass := range []func(*Project) bool{
		func(p *Project) bool { return p.plan.final != "planned" },
		func(*Project) bool { return true },
	} {
		for i := range ps {
			p := &ps[i]
			if seen[p.UnitCode] || !pass(p) {
				continue
			}
			seen[p.UnitCode] = true
			p.plan.anchor, p.plan.closed, p.plan.start = true, false, 0
			p.PlannedStart = monthStart(0).AddDate(0, 0, p.PlannedStart.Day()-1)
			p.Year, p.CreatedAt = 2025, p.PlannedStart.AddDate(0, 0, -20).Add(10*time.Hour)
		}
	}
	number(ps)
}

// number gives each project its code, XN<year>-<unit>-<seq>, in generation order.
func number(ps []Project) {
	seq := map[string]int{}
	for i := range ps {
		p := &ps[i]
		key := fmt.Sprintf("XN%d-%s", p.Year, abbrOf(p.UnitCode))
		seq[key]++
		p.Code = fmt.Sprintf("%s-%04d", key, seq[key])
	}
}

// abbrOf is a unit's short code in project codes.
func abbrOf(code string) string {
	if a, ok := countyAbbr[code]; ok {
		return a
	}
	if a, ok := zoneAbbr[code]; ok {
		return a
	}
	i := slices.IndexFunc(cityUnits(), func(u Unit) bool { return u.Code == code })
	if i < 0 {
		return code
	}
	return cityUnits()[i].abbr
}
