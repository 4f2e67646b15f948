package assets

import "time"

// Assessment is the idle-land verdict under 闲置土地处置办法 (国土资源部令第53号), computed from
// the land's dates and shares as of a given day.
type Assessment struct {
	// Idle is true when the land counts as idle under the rules (or an analyst's override says so).
	Idle bool `json:"idle"`
	// DaysOverdue counts days past the agreed start's first anniversary (0 when not overdue).
	DaysOverdue int `json:"days_overdue"`
	// FeeDue: one full year idle owes an idle fee of 20 % of the land price (not when the
	// government caused it).
	FeeDue bool `json:"fee_due"`
	// Recoverable: two full years idle allows recovery without compensation (same exception).
	Recoverable bool `json:"recoverable"`
	// Basis says which rule decided, in Chinese, for the side panel.
	Basis string `json:"basis"`
	// Overridden is true when an analyst's override replaced the computed status.
	Overridden bool `json:"overridden"`
}

const (
	minDevelopedShare = 1.0 / 3
	minInvestedShare  = 0.25
)

// Assess applies the idle rules to f as of today.
func Assess(f *LandFacts, today time.Time) Assessment {
	a := computed(f, today)
	if f.IdleOverride != nil {
		a.Overridden = true
		a.Idle = *f.IdleOverride == "idle"
		a.Basis = "人工认定：" + deref(f.IdleOverrideReason)
	}
	return a
}

func computed(f *LandFacts, today time.Time) Assessment {
	if f.AgreedStart == nil {
		return Assessment{Basis: "无约定动工日期，不作闲置认定"}
	}
	deadline := f.AgreedStart.AddDate(1, 0, 0)
	basis := "超过约定动工日期满一年未动工"
	if f.ActualStart != nil {
		if !underBuilt(f) {
			return Assessment{Basis: "已动工且开发面积、投资达到要求"}
		}
		// Started on too little of the land or money: idle once halted a further year.
		deadline = f.ActualStart.AddDate(1, 0, 0)
		basis = "已动工但开发面积不足1/3或投资不足25%，中止满一年"
	}
	days := int(today.Sub(deadline).Hours() / 24)
	if days <= 0 {
		return Assessment{Basis: "未满一年，尚不构成闲置"}
	}
	byGov := f.IdleCause != nil && *f.IdleCause == "government"
	a := Assessment{Idle: true, DaysOverdue: days, Basis: basis}
	if byGov {
		a.Basis += "（政府原因，不收闲置费、不无偿收回）"
		return a
	}
	a.FeeDue = true
	a.Recoverable = today.After(deadline.AddDate(1, 0, 0))
	return a
}

func underBuilt(f *LandFacts) bool {
	return (f.DevelopedShare != nil && *f.DevelopedShare < minDevelopedShare) ||
		(f.InvestedShare != nil && *f.InvestedShare < minInvestedShare)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
