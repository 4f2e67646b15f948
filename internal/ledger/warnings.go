package ledger

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// WarningKinds are the kinds of 预警, in the order the UI lists them.
var WarningKinds = []string{
	"land_fee_due", "land_recovery", "licence_expiring", "lease_expiring", "concession_expiring",
	"idle_unassigned", "report_missing", "building_vacant",
}

// warningLabels are the kinds' Chinese names (the contract's labels).
var warningLabels = map[string]string{
	"land_fee_due":        "闲置满一年(征收闲置费)",
	"land_recovery":       "闲置满两年(可无偿收回)",
	"licence_expiring":    "矿业权到期",
	"lease_expiring":      "租约到期",
	"concession_expiring": "特许经营到期",
	"idle_unassigned":     "闲置未入项目",
	"report_missing":      "未按期报送",
	"building_vacant":     "房产空置超一年",
}

// ValidWarningKind tells whether k is one of WarningKinds.
func ValidWarningKind(k string) bool { return slices.Contains(WarningKinds, k) }

// WarningHorizon is how many days ahead a dated warning is found: the widest window the list
// offers (the UI bands it in 30, 60 and 90 days).
const WarningHorizon = 90

// WarningEvent is what is said of a warning outside (the webhook's JSON body): its kind, its
// subject (an asset or a project), the region that scopes who sees it, the date it fires, a
// Chinese title and the detail the evaluation found.
type WarningEvent struct {
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"`
	AssetID    *int64          `json:"asset_id"`
	ProjectID  *int64          `json:"project_id"`
	RegionCode *string         `json:"region_code"`
	FiresOn    string          `json:"fires_on"`
	Title      string          `json:"title"`
	Detail     json.RawMessage `json:"detail"`
}

// Warning is one open 预警 as the list shows it: the event, the days left until it fires
// (negative: passed), when it opened and where it lies.
type Warning struct {
	WarningEvent
	Days      int       `json:"days"`
	CreatedAt time.Time `json:"created_at"`
	// BBox frames the asset, or the project's member assets (nil when there are none).
	BBox *[4]float64 `json:"bbox,omitempty"`
}

// WarningFilter narrows the list: kind, a region (and what lies within it), days ahead (0..90:
// what fires within that many days, the passed ones included), a page. Scope is the user's region.
type WarningFilter struct {
	Kind   string
	Region *string
	Within int
	Limit  int
	Offset int
	Scope  *string
}

// WarningList is a page of warnings with how many match (Total) and the counts per kind under
// the same filter without its kind.
type WarningList struct {
	Warnings []Warning        `json:"warnings"`
	Total    int64            `json:"total"`
	Counts   map[string]int64 `json:"counts"`
}

// Evaluation is what one evaluation changed: warnings opened, cleared and refreshed, and how
// many hold now.
type Evaluation struct {
	Added, Cleared, Refreshed, Open int64
	Took                            time.Duration
}

// Changed tells whether the set of open warnings (or what they say) changed.
func (e Evaluation) Changed() bool { return e.Added+e.Cleared+e.Refreshed > 0 }

// warningDetail is what a warning's detail may hold, as titles use it.
type warningDetail struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Tenant string `json:"tenant"`
	Month  string `json:"month"`
}

// finish fills the days left (as of today) and the Chinese title.
func (w *Warning) finish(today time.Time) {
	fires, err := time.Parse(time.DateOnly, w.FiresOn)
	if err == nil {
		w.Days = int(fires.Sub(dateOf(today)).Hours() / 24)
	}
	w.Title = w.title()
}

// title says what the warning is about in Chinese: its kind, subject code and name, and when.
func (w *Warning) title() string {
	var d warningDetail
	_ = json.Unmarshal(w.Detail, &d) // written by warnings.sql: a JSON object
	t := warningLabels[w.Kind] + "：" + d.Code + " " + d.Name
	switch w.Kind {
	case "idle_unassigned":
		return t
	case "report_missing":
		return t + "（" + monthText(d.Month) + "月报未报送，已逾期" + fmt.Sprint(-w.Days) + "天）"
	case "lease_expiring", "concession_expiring":
		if d.Tenant != "" {
			t += "（" + d.Tenant + "）"
		}
	}
	return t + "，" + daysText(w.Days)
}

// monthText writes a month "2026-09" as 2026年9月.
func monthText(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return fmt.Sprintf("%d年%d月", t.Year(), t.Month())
}

// daysText says how far off a date is: 还有N天, 今天, 已过N天.
func daysText(days int) string {
	switch {
	case days > 0:
		return fmt.Sprintf("还有%d天", days)
	case days == 0:
		return "今天到期"
	}
	return fmt.Sprintf("已过%d天", -days)
}

// dateOf is the calendar day of t (its own location) at midnight UTC, so days count whole.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
