package assets

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// GroupKeys are the dimensions statistics may be grouped by.
var GroupKeys = []string{"region", "zone", "kind", "mode", "stage", "land_status", "city", "province"}

// ValidGroupKey reports whether s is a grouping dimension.
func ValidGroupKey(s string) bool { return slices.Contains(GroupKeys, s) }

// groupColumns maps a dimension to the columns it contributes (code, and name where one exists).
var groupColumns = map[string][]string{
	"region": {"a.region_code", "r.name"}, "zone": {"a.zone_code", "z.name"},
	"kind": {"a.kind"}, "mode": {"a.mode"}, "stage": {"a.stage"}, "land_status": {"a.land_status"},
	"city": {"rc.code", "rc.name"}, "province": {"rp.code", "rp.name"},
}

// rollups join, for a province of cities, the city and the province each asset's county lies
// in (by the prefix of its 行政区划代码: 6-digit codes ending 00 / 0000, or 4 / 2 digits).
var rollups = map[string]string{
	"city":     ` LEFT JOIN regions rc ON rc.level = 'city' AND rc.code IN (left(a.region_code, 4) || '00', left(a.region_code, 4))`,
	"province": ` LEFT JOIN regions rp ON rp.level = 'province' AND rp.code IN (left(a.region_code, 2) || '0000', left(a.region_code, 2))`,
}

// Group is one row of grouped statistics; only the grouped dimensions are set.
type Group struct {
	RegionCode   *string `json:"region_code,omitempty"`
	RegionName   *string `json:"region_name,omitempty"`
	CityCode     *string `json:"city_code,omitempty"`
	CityName     *string `json:"city_name,omitempty"`
	ProvinceCode *string `json:"province_code,omitempty"`
	ProvinceName *string `json:"province_name,omitempty"`
	ZoneCode     *string `json:"zone_code,omitempty"`
	ZoneName     *string `json:"zone_name,omitempty"`
	Kind         *string `json:"kind,omitempty"`
	Mode         *string `json:"mode,omitempty"`
	Stage        *string `json:"stage,omitempty"`
	LandStatus   *string `json:"land_status,omitempty"`
	Totals
}

// Stats is grouped statistics with the grand totals.
type Stats struct {
	GroupBy []string `json:"group_by"`
	Groups  []Group  `json:"groups"`
	Totals  Totals   `json:"totals"`
}

const sums = `count(*), coalesce(sum(a.area_mu), 0), coalesce(sum(a.book_value), 0)::float8,
    coalesce(sum(a.appraised_value), 0)::float8, coalesce(sum(a.revenue), 0)::float8`

// Stats groups the assets matching f by the given dimensions (validated by the caller).
func (s *Service) Stats(ctx context.Context, f Filter, groupBy []string) (Stats, error) {
	st := Stats{GroupBy: groupBy, Groups: []Group{}}
	var b sqlBuilder
	if err := f.apply(&b); err != nil {
		return st, err
	}
	var cols []string
	for _, g := range groupBy {
		cols = append(cols, groupColumns[g]...)
	}
	sel, grp := sums, ""
	if len(cols) > 0 {
		sel = strings.Join(cols, ", ") + ", " + sums
		grp = " GROUP BY " + strings.Join(cols, ", ") + " ORDER BY " + strings.Join(cols, ", ")
	}
	from := fromJoined
	for _, g := range groupBy {
		from += rollups[g]
	}
	q := "SELECT " + sel + from + " WHERE " + joinAnd(b.conds) + grp
	rows, err := s.reads.Query(ctx, q, b.args...)
	if err != nil {
		return st, fmt.Errorf("assets: stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g Group
		dest := g.dims(groupBy)
		dest = append(dest, &g.Count, &g.AreaMu, &g.BookValue, &g.AppraisedValue, &g.Revenue)
		if err := rows.Scan(dest...); err != nil {
			return st, fmt.Errorf("assets: stats scan: %w", err)
		}
		st.Groups = append(st.Groups, g)
		st.Totals.add(g.Totals)
	}
	return st, rows.Err()
}

// dims returns scan destinations for the grouped dimensions, in groupColumns order.
func (g *Group) dims(groupBy []string) []any {
	var d []any
	for _, k := range groupBy {
		switch k {
		case "region":
			d = append(d, &g.RegionCode, &g.RegionName)
		case "zone":
			d = append(d, &g.ZoneCode, &g.ZoneName)
		case "city":
			d = append(d, &g.CityCode, &g.CityName)
		case "province":
			d = append(d, &g.ProvinceCode, &g.ProvinceName)
		case "kind":
			d = append(d, &g.Kind)
		case "mode":
			d = append(d, &g.Mode)
		case "stage":
			d = append(d, &g.Stage)
		case "land_status":
			d = append(d, &g.LandStatus)
		}
	}
	return d
}

func (t *Totals) add(o Totals) {
	t.Count += o.Count
	t.AreaMu += o.AreaMu
	t.BookValue += o.BookValue
	t.AppraisedValue += o.AppraisedValue
	t.Revenue += o.Revenue
}
