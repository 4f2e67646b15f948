package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// parseFilter reads the asset filter shared by search, stats, export and the zone query.
func parseFilter(c *fiber.Ctx) (assets.Filter, error) {
	var f assets.Filter
	var err error
	kinds, err := httpx.List(c, "kind", assets.ValidKind)
	if err != nil {
		return f, err
	}
	for _, k := range kinds {
		f.Kinds = append(f.Kinds, assets.Kind(k))
	}
	lists := []struct {
		name  string
		dst   *[]string
		valid func(string) bool
	}{
		{"stage", &f.Stages, assets.ValidStage},
		{"mode", &f.Modes, assets.ValidMode},
		{"region", &f.Regions, validRegionCode},
		{"zone", &f.Zones, nil},
		{"land_status", &f.LandStatuses, assets.ValidLandStatus},
	}
	for _, l := range lists {
		if *l.dst, err = httpx.List(c, l.name, l.valid); err != nil {
			return f, err
		}
	}
	if f.MinAreaMu, err = optionalFloat(c, "min_area_mu"); err != nil {
		return f, err
	}
	if f.MaxAreaMu, err = optionalFloat(c, "max_area_mu"); err != nil {
		return f, err
	}
	f.Text = httpx.Query(c, "q")
	if f.IDs, err = parseIDs(c); err != nil {
		return f, err
	}
	switch v := httpx.Query(c, "include_done"); v {
	case "", "false":
	case "true":
		f.IncludeDone = true
	default:
		return f, problem.Invalid("include_done", "%q is not true or false", v)
	}
	if s := httpx.Query(c, "within"); s != "" {
		if f.Within, err = assets.ParseArea(s); err != nil {
			return f, err
		}
	}
	return f, parseNear(c, &f)
}

// maxIDs caps ids= (the attribute table's selection): a URL of 5,000 ids stays well inside the
// server's 64 KiB read buffer.
const maxIDs = 5000

// parseIDs reads ids=1,2,3: the assets a list, its statistics or its export keep to.
func parseIDs(c *fiber.Ctx) ([]int64, error) {
	list, err := httpx.List(c, "ids", nil)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	if len(list) > maxIDs {
		return nil, problem.Invalid("ids", "names %d assets, at most %d", len(list), maxIDs)
	}
	ids := make([]int64, len(list))
	for i, s := range list {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return nil, problem.Invalid("ids", "%q is not an asset id", s)
		}
		ids[i] = n
	}
	return ids, nil
}

func validRegionCode(s string) bool {
	_, err := strconv.Atoi(s)
	return len(s) == 6 && err == nil
}

func optionalFloat(c *fiber.Ctx, name string) (*float64, error) {
	v, ok, err := httpx.Float(c, name)
	if err != nil || !ok {
		return nil, err
	}
	if v < 0 {
		return nil, problem.Invalid(name, "must not be negative")
	}
	return &v, nil
}

// parseNear reads near=lon,lat with radius_m (metres, 1..100000).
func parseNear(c *fiber.Ctx, f *assets.Filter) error {
	r, hasR, err := httpx.Float(c, "radius_m")
	if err != nil {
		return err
	}
	var radius *float64
	if hasR {
		radius = &r
	}
	f.Near, f.RadiusM, err = assets.ParseNear(httpx.Query(c, "near"), radius)
	return err
}

// parsePage reads limit (1..10000, default 100), offset and sort.
func parsePage(c *fiber.Ctx) (assets.Page, error) {
	var p assets.Page
	var err error
	if p.Limit, p.Offset, err = httpx.Page(c, 100, 10_000); err != nil {
		return p, err
	}
	p.Sort = httpx.Query(c, "sort")
	if p.Sort != "" && !assets.ValidSort(p.Sort) {
		return p, problem.Invalid("sort", "%q is not one of %s (prefix - for descending)", p.Sort, strings.Join(assets.SortColumns, ", "))
	}
	return p, nil
}
