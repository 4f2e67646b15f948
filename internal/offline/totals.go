package offline

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
)

// Counter counts assets: assets.Service does.
type Counter interface {
	Stats(ctx context.Context, f assets.Filter, groupBy []string) (assets.Stats, error)
}

// Count is how many assets and how many 亩.
type Count struct {
	Count  int64   `json:"count"`
	AreaMu float64 `json:"area_mu"`
}

// Totals are the package's counts for the offline legend, written into its metadata at export
// time since no server is there to ask: all assets, and per 盘活阶段 and 盘活方式.
type Totals struct {
	Count
	Stage map[string]Count `json:"stage"`
	Mode  map[string]Count `json:"mode"`
}

// Names are the names of the regions and zones a package's assets lie in, by code: the tiles
// carry codes only, and the offline viewer has no server to ask for names.
type Names struct {
	Regions map[string]string `json:"regions"`
	Zones   map[string]string `json:"zones"`
}

// NameAreas names the regions and zones of the assets f selects.
func NameAreas(ctx context.Context, c Counter, f assets.Filter) (Names, error) {
	n := Names{Regions: map[string]string{}, Zones: map[string]string{}}
	for _, by := range []string{"region", "zone"} {
		st, err := c.Stats(ctx, f, []string{by})
		if err != nil {
			return n, fmt.Errorf("offline: names: %w", err)
		}
		for _, g := range st.Groups {
			if g.RegionCode != nil && g.RegionName != nil {
				n.Regions[*g.RegionCode] = *g.RegionName
			}
			if g.ZoneCode != nil && g.ZoneName != nil {
				n.Zones[*g.ZoneCode] = *g.ZoneName
			}
		}
	}
	return n, nil
}

// AreaFilter is the assets of a package: those of the region when one is given, else those
// touching bounds (minlon, minlat, maxlon, maxlat), as the package's tiles show them.
func AreaFilter(region string, bounds [4]float64) assets.Filter {
	if region != "" {
		return assets.Filter{Regions: []string{region}}
	}
	b := orb.Bound{Min: orb.Point{bounds[0], bounds[1]}, Max: orb.Point{bounds[2], bounds[3]}}
	return assets.Filter{Within: b.ToPolygon()}
}

// CountAssets counts the assets f selects, in all and by stage and by mode.
func CountAssets(ctx context.Context, c Counter, f assets.Filter) (Totals, error) {
	t := Totals{}
	for _, by := range []string{"stage", "mode"} {
		st, err := c.Stats(ctx, f, []string{by})
		if err != nil {
			return t, fmt.Errorf("offline: totals: %w", err)
		}
		groups := map[string]Count{}
		for _, g := range st.Groups {
			key := g.Stage
			if by == "mode" {
				key = g.Mode
			}
			if key != nil {
				groups[*key] = Count{g.Count, g.AreaMu}
			}
		}
		t.Count = Count{st.Totals.Count, st.Totals.AreaMu}
		if by == "stage" {
			t.Stage = groups
		} else {
			t.Mode = groups
		}
	}
	return t, nil
}
