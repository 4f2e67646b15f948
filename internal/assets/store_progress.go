package assets

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Rank is one county's line in the monthly 盘活榜单.
type Rank struct {
	Rank         int     `json:"rank"`
	RegionCode   string  `json:"region_code"`
	RegionName   string  `json:"region_name"`
	Count        int64   `json:"count"`
	Done         int64   `json:"done"`
	DoneShare    float64 `json:"done_share"`
	DoneInMonth  int64   `json:"done_in_month"`
	Revenue      float64 `json:"revenue"`
	RevenueMonth float64 `json:"revenue_in_month"`
}

// leaderboardQuery ranks regions by the share of their assets revitalised, then by the assets
// revitalised and revenue earned within the month [$1, $2) according to the event history.
const leaderboardQuery = `
WITH moved AS (
    SELECT e.asset_id,
           bool_or(e.after->>'stage' = 'done' AND coalesce(e.before->>'stage', '') <> 'done') AS became_done,
           sum(greatest(coalesce((e.after->>'revenue')::numeric, 0) - coalesce((e.before->>'revenue')::numeric, 0), 0)) AS revenue
    FROM asset_events e WHERE e.at >= $1 AND e.at < $2 AND e.action = 'update'
    GROUP BY e.asset_id
)
SELECT r.code, r.name, count(a.id), count(a.id) FILTER (WHERE a.stage = 'done'),
       coalesce(count(a.id) FILTER (WHERE a.stage = 'done')::float8 / nullif(count(a.id), 0), 0),
       count(m.asset_id) FILTER (WHERE m.became_done), coalesce(sum(a.revenue), 0)::float8,
       coalesce(sum(m.revenue), 0)::float8
FROM regions r
LEFT JOIN assets a ON left(a.region_code, $4) = left(r.code, $4) AND a.deleted_at IS NULL
LEFT JOIN moved m ON m.asset_id = a.id
WHERE r.level = $3
GROUP BY r.code, r.name
ORDER BY 5 DESC, 6 DESC, 8 DESC, r.code`

// rankPrefix is how many leading digits of a county's code name the region of each level it
// is ranked at (a city's counties share its first 4, a province's its first 2).
var rankPrefix = map[string]int{"county": 6, "city": 4, "province": 2}

// ValidRankLevel reports whether regions may be ranked at level.
func ValidRankLevel(level string) bool { return rankPrefix[level] > 0 }

// Leaderboard ranks the counties for the month starting at month (UTC).
func (s *Service) Leaderboard(ctx context.Context, month time.Time) ([]Rank, error) {
	return s.LeaderboardAt(ctx, month, "county")
}

// LeaderboardAt ranks the regions of one level (county, city or province: a province of cities
// ranks its cities) for the month starting at month (UTC).
func (s *Service) LeaderboardAt(ctx context.Context, month time.Time, level string) ([]Rank, error) {
	start := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	rows, err := s.reads.Query(ctx, leaderboardQuery, start, start.AddDate(0, 1, 0), level, rankPrefix[level])
	if err != nil {
		return nil, fmt.Errorf("assets: leaderboard: %w", err)
	}
	i := 0
	ranks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Rank, error) {
		i++
		k := Rank{Rank: i}
		err := r.Scan(&k.RegionCode, &k.RegionName, &k.Count, &k.Done, &k.DoneShare, &k.DoneInMonth, &k.Revenue, &k.RevenueMonth)
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("assets: leaderboard: %w", err)
	}
	return ranks, nil
}

// Progress is one region's standing against one yearly target.
type Progress struct {
	RegionCode string  `json:"region_code"`
	RegionName string  `json:"region_name"`
	Year       int     `json:"year"`
	Metric     string  `json:"metric"`
	Target     float64 `json:"target"`
	Actual     float64 `json:"actual"`
	// Ratio is Actual/Target (1 = target met).
	Ratio float64 `json:"ratio"`
}

// progressQuery measures each target over everything within its region (a city's target sums
// its counties, adding numerators and denominators rather than averaging shares):
// approved_unsupplied_share and idle_share are the shares (by area) of such land already
// revitalised; revenue in 万元; done_count in assets. The ledger
// measures benefit (预期盘活效益) targets from the approved reports (internal/ledger).
const progressQuery = `
WITH m AS (
    SELECT a.region_code,
        sum(a.area_mu) FILTER (WHERE a.land_status = 'approved_unsupplied' AND a.stage = 'done') AS au_done,
        sum(a.area_mu) FILTER (WHERE a.land_status = 'approved_unsupplied') AS au_all,
        sum(a.area_mu) FILTER (WHERE a.land_status = 'idle' AND a.stage = 'done') AS idle_done,
        sum(a.area_mu) FILTER (WHERE a.land_status = 'idle') AS idle_all,
        coalesce(sum(a.revenue), 0)::float8 AS revenue,
        count(*) FILTER (WHERE a.stage = 'done')::float8 AS done_count
    FROM assets a WHERE a.deleted_at IS NULL GROUP BY a.region_code
)
SELECT r.code, r.name, t.year, t.metric, t.target,
    coalesce(CASE t.metric
        WHEN 'approved_unsupplied_share' THEN sum(m.au_done) / nullif(sum(m.au_all), 0)
        WHEN 'idle_share' THEN sum(m.idle_done) / nullif(sum(m.idle_all), 0)
        WHEN 'revenue' THEN sum(m.revenue) ELSE sum(m.done_count) END, 0)::float8
FROM targets t JOIN regions r ON r.code = t.region_code
LEFT JOIN m ON region_within(m.region_code, t.region_code)
WHERE t.year = $1 AND t.metric <> 'benefit'
GROUP BY r.code, r.name, t.year, t.metric, t.target
ORDER BY r.code, t.metric`

// Progress lists every target of year with its current measure.
func (s *Service) Progress(ctx context.Context, year int) ([]Progress, error) {
	rows, err := s.reads.Query(ctx, progressQuery, year)
	if err != nil {
		return nil, fmt.Errorf("assets: progress: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Progress, error) {
		var p Progress
		err := r.Scan(&p.RegionCode, &p.RegionName, &p.Year, &p.Metric, &p.Target, &p.Actual)
		if p.Target > 0 {
			p.Ratio = p.Actual / p.Target
		}
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("assets: progress: %w", err)
	}
	return ps, nil
}
