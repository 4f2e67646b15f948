package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Texts of the reports.
var (
	socialTexts = []string{
		"新增就业岗位%d个", "带动周边商户%d家经营", "改善周边人居环境，惠及群众约%d人",
		"吸引社会投资%d万元", "增加村集体经济收入%d万元", "减少资产闲置和维护支出",
	}
	plannedTexts = []string{
		"完成资产清查和权属核实", "编制盘活实施方案", "开展资产评估和市场调查", "方案报市政府审定",
	}
	returnReasons = []string{
		"经济效益测算依据不足，请补充合同", "实物量与台账面积不一致，请核实", "入库收益缺少缴款凭证",
		"本级可用财力测算口径有误，请按财政口径重填", "社会效益表述不具体，请补充就业等量化指标",
	}
	treasuryShare = map[string][2]float64{"sell": {0.6, 0.95}, "finance": {0.3, 0.6}, "lease": {0.4, 0.8}, "use": {0, 0.3}}
)

// reports writes a project's monthly reports from its start to asOf's month (to its done month
// when closed): stages planned → in_progress → done, benefit spread over the months toward the
// realised total, and the review of each.
func reports(r *rand.Rand, p *Project) {
	t := &p.plan
	prep := 1 + r.IntN(2) // months of planning before the work starts
	if t.anchor {
		prep = 0 // planned before the history begins: figures from its first month
	}
	weights := make([]float64, max(t.end, historyMonths-1)+1)
	total := 0.0
	for i := t.start; i < len(weights); i++ {
		weights[i] = monthWeight(r, t, i, prep)
		total += weights[i]
	}
	switch t.final {
	case "done":
		t.realised = p.ExpectedBenefit * between(r, 0.85, 1.05)
	case "in_progress":
		t.realised = p.ExpectedBenefit * between(r, 0.8, 1)
	}
	last := historyMonths - 1
	if t.closed {
		last, p.Status = t.done, "closed"
	}
	quiet := false // stopped reporting in the last two months
	for i := t.start; i <= last; i++ {
		state := reportState(r, t, i, &quiet)
		if state == "" {
			continue
		}
		rep := Report{Month: monthStart(i), Stage: stageAt(t, i, prep), QuantityUnit: t.qunit}
		if total > 0 {
			rep.EconomicBenefit = round2money(t.realised * weights[i] / total)
			if rep.Stage != "planned" && (rep.Stage != "done" || i == t.done) {
				rep.Quantity = round2money(t.qty * weights[i] / total)
			}
		}
		figures(r, p, &rep, i)
		review(r, &rep, state)
		p.Reports = append(p.Reports, rep)
	}
}

// monthWeight is month i's share of the benefit: none while planned, about one a month under
// way, three in the month it is done, a little (rent, instalments) after.
func monthWeight(r *rand.Rand, t *timeline, i, prep int) float64 {
	switch stageAt(t, i, prep) {
	case "planned":
		return 0
	case "done":
		if i == t.done {
			return 3
		}
		return between(r, 0.1, 0.3)
	}
	return between(r, 0.5, 1.5)
}

// stageAt is the stage the project reports in month i.
func stageAt(t *timeline, i, prep int) string {
	switch {
	case t.final == "planned" || i < t.start+prep:
		return "planned"
	case t.final == "done" && i >= t.done:
		return "done"
	}
	return "in_progress"
}

// reportState draws how month i's report stands: "" when there is none. Anchors are always
// approved; a few older reports stayed returned; in the last two months some are missing
// (a project that stopped reporting stays quiet), some await review, some were returned.
func reportState(r *rand.Rand, t *timeline, i int, quiet *bool) string {
	u := r.Float64()
	switch {
	case t.anchor:
		return "approved"
	case *quiet:
		return ""
	case i == historyMonths-2 && u < 0.07, i == historyMonths-1 && u < 0.12:
		*quiet = true
		return ""
	case i == historyMonths-1 && u < 0.30:
		return "submitted"
	case i == historyMonths-1 && u < 0.34, i >= historyMonths-4 && u < 0.03:
		return "returned"
	case i == historyMonths-1 && u < 0.36:
		return "draft"
	case u < 0.06:
		return "resubmitted" // returned once, fixed, then approved
	}
	return "approved"
}

// figures fills the income and the texts of a report.
func figures(r *rand.Rand, p *Project, rep *Report, i int) {
	sh := treasuryShare[p.Mode]
	rep.TreasuryIncome = round2money(rep.EconomicBenefit * between(r, sh[0], sh[1]))
	rep.FiscalAvailable = round2money(rep.TreasuryIncome * between(r, 0.3, 0.8))
	if rep.Stage == "planned" {
		rep.SocialBenefit = one(r, plannedTexts)
		return
	}
	s := one(r, socialTexts)
	rep.SocialBenefit = s
	if s != socialTexts[len(socialTexts)-1] {
		rep.SocialBenefit = fmt.Sprintf(s, 3+r.IntN(60))
	}
	if (i == p.plan.done && p.plan.final == "done" && r.IntN(2) == 0) || r.IntN(40) == 0 {
		rep.TypicalCase = fmt.Sprintf("%s采取%s方式，%s，累计形成收益%.2f万元，可复制推广。",
			p.Name, instrumentWords[p.Instrument], typicalHow[p.Mode], p.plan.realised)
	}
}

var typicalHow = map[string]string{
	"sell": "公开挂牌交易实现资产价值", "lease": "引入市场主体长期租赁运营",
	"finance": "以资产为基础盘活融资", "use": "调剂整合实现资产再利用",
}

// review sets the state, dates and events of a report of month rep.Month (one per state
// change): filled a day or two before it is submitted (the 2nd to the 20th of the next month), reviewed a few days after,
// always by the 25th.
func review(r *rand.Rand, rep *Report, state string) {
	next := rep.Month.AddDate(0, 1, 0)
	at := func(day, minute int) time.Time {
		return next.AddDate(0, 0, day-1).Add(time.Duration(minute) * time.Minute)
	}
	submit := at(2+r.IntN(12), 9*60+r.IntN(8*60))
	rep.CreatedAt = submit.Add(-time.Duration(20+r.IntN(30)) * time.Hour)
	rep.State = state
	if state == "draft" {
		rep.Events = []Event{{Action: "report", At: rep.CreatedAt, State: "draft"}}
		return
	}
	// A report submitted as first filled has no event of its own for the filling: the submit
	// event stands for both (a third fewer rows to write; returned reports keep their edit).
	rep.Events = []Event{{Action: "submit", At: submit, State: "submitted"}}
	rep.SubmittedAt = &submit
	if state == "submitted" {
		return
	}
	reviewed := submit.Add(time.Duration(20+r.IntN(72)) * time.Hour)
	if state == "resubmitted" {
		reason := one(r, returnReasons)
		rep.Events = append(rep.Events, Event{Action: "return", At: reviewed, State: "returned", Note: reason},
			Event{Action: "report", At: reviewed.Add(20 * time.Hour), State: "draft"})
		resubmit := reviewed.Add(26 * time.Hour)
		rep.Events = append(rep.Events, Event{Action: "submit", At: resubmit, State: "submitted"})
		rep.SubmittedAt, state, rep.State = &resubmit, "approved", "approved"
		reviewed = resubmit.Add(time.Duration(4+r.IntN(40)) * time.Hour)
	}
	rep.ReviewedAt = &reviewed
	if state == "returned" {
		rep.ReturnReason = one(r, returnReasons)
		rep.Events = append(rep.Events, Event{Action: "return", At: reviewed, State: "returned", Note: rep.ReturnReason})
		return
	}
	rep.Events = append(rep.Events, Event{Action: "approve", At: reviewed, State: "approved"})
}
