package api

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/ledger"
	"github.com/onemap/onemap/internal/problem"
)

// assetRoutes serves /api/v1 reads over the asset ledger; /progress adds the reform ledger's
// benefit targets when ledger is set.
type assetRoutes struct {
	svc    *assets.Service
	ledger *ledger.Service
}

// mount adds the read routes (behind the app's read guard).
func (h *assetRoutes) mount(r fiber.Router) {
	r.Get("/assets", h.search)
	r.Get("/assets/:id", h.get)
	r.Get("/assets/:id/buffer", h.buffer)
	r.Get("/zones", h.zones)
	r.Get("/zones/:code/assets", h.inZone)
	r.Get("/regions", h.regions)
	r.Get("/stats", h.stats)
	r.Get("/leaderboard", h.leaderboard)
	r.Get("/progress", h.progress)
}

// leaderboard ranks the regions by their assets; with group or format it is the ledger's 榜单
// (ledger_board.go), mounted after.
func (h *assetRoutes) leaderboard(c *fiber.Ctx) error {
	if httpx.Query(c, "group") != "" || httpx.Query(c, "format") != "" {
		return c.Next()
	}
	month := time.Now().UTC()
	if m := httpx.Query(c, "month"); m != "" {
		t, err := time.Parse("2006-01", m)
		if err != nil {
			return problem.Invalid("month", "%q is not a month such as 2026-11", m)
		}
		month = t
	}
	level := httpx.Query(c, "level")
	if level == "" {
		level = "county"
	}
	if !assets.ValidRankLevel(level) {
		return problem.Invalid("level", "%q is not county, city or province", level)
	}
	ranks, err := h.svc.LeaderboardAt(c.UserContext(), month, level)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"month": month.Format("2006-01"), "ranks": ranks})
}

func (h *assetRoutes) progress(c *fiber.Ctx) error {
	year, err := httpx.Int(c, "year", time.Now().Year(), 2000, 2100)
	if err != nil {
		return err
	}
	ps, err := h.svc.Progress(c.UserContext(), year)
	if err != nil {
		return err
	}
	out, err := withBenefit(c, h.ledger, year, ps)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// wantGeoJSON reads format (json or geojson) and, for GeoJSON, geometry: full (the default) or
// center, one point on each asset's surface. It returns the shape to select, NoShape for JSON.
func wantGeoJSON(c *fiber.Ctx) (assets.Shape, error) {
	g := httpx.Query(c, "geometry")
	if g != "" && !assets.ValidShape(g) {
		return assets.NoShape, problem.Invalid("geometry", "%q is not full or center", g)
	}
	switch f := httpx.Query(c, "format"); f {
	case "", "json":
		if g != "" {
			return assets.NoShape, problem.Invalid("geometry", "geometry applies to format=geojson only")
		}
		return assets.NoShape, nil
	case "geojson":
		if g == "" {
			return assets.FullShape, nil
		}
		return assets.Shape(g), nil
	default:
		return assets.NoShape, problem.Invalid("format", "%q is not json or geojson", f)
	}
}

// listing is what every asset list takes: the filter, the page, the format (the geometry shape
// for GeoJSON) and the properties to keep.
type listing struct {
	filter assets.Filter
	page   assets.Page
	shape  assets.Shape
	props  map[string]bool // nil: every property
}

func parseListing(c *fiber.Ctx) (listing, error) {
	var l listing
	var err error
	if l.filter, err = parseFilter(c); err != nil {
		return l, err
	}
	if l.page, err = parsePage(c); err != nil {
		return l, err
	}
	if l.shape, err = wantGeoJSON(c); err != nil {
		return l, err
	}
	props, err := httpx.List(c, "properties", func(v string) bool { return assetFields[v] })
	if err != nil || props == nil {
		return l, err
	}
	l.props = map[string]bool{"id": true}
	for _, p := range props {
		l.props[p] = true
	}
	return l, nil
}

// assetFields are the top-level names of an asset in the lists, which properties= picks from.
var assetFields = func() map[string]bool {
	b, err := json.Marshal(assets.Asset{Land: &assets.LandFacts{}, Share: &assets.Share{}})
	var m map[string]json.RawMessage
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		panic(err) // the Asset type itself cannot be encoded: a programming error
	}
	out := map[string]bool{}
	for k := range m {
		out[k] = k != "geometry"
	}
	return out
}()

// properties renders each asset as its properties: all of them without properties=, else those
// asked for (a map list of 10,000 results with every field is ten times the size of what it
// shows). The geometry is left out.
func (l listing) properties(list []assets.Asset) ([]any, error) {
	out := make([]any, len(list))
	for i, a := range list {
		a.Geometry = nil
		if l.props == nil {
			out[i] = a
			continue
		}
		var m map[string]json.RawMessage
		b, err := json.Marshal(a)
		if err == nil {
			err = json.Unmarshal(b, &m)
		}
		if err != nil {
			return nil, fmt.Errorf("api: properties: %w", err)
		}
		for k := range m {
			if !l.props[k] {
				delete(m, k)
			}
		}
		out[i] = m
	}
	return out, nil
}

// listBody is the JSON answer of an asset list (and, with Zone, of a zone query).
type listBody struct {
	Zone   *assets.Place `json:"zone,omitempty"`
	Total  int64         `json:"total"`
	Limit  int           `json:"limit"`
	Offset int           `json:"offset"`
	Items  []any         `json:"items"`
	Totals assets.Totals `json:"totals"`
	BBox   *[4]float64   `json:"bbox,omitempty"`
}

// send answers with a page of assets as JSON or GeoJSON.
// The answer carries bbox, the extent of every match (GeoJSON's own member in a FeatureCollection).
func (l listing) send(c *fiber.Ctx, zone *assets.Place, list []assets.Asset, total int64, totals assets.Totals, bbox *[4]float64) error {
	if l.shape != assets.NoShape {
		return sendGeoJSON(c, list, l, total, totals, bbox)
	}
	items, err := l.properties(list)
	if err != nil {
		return err
	}
	return c.JSON(listBody{Zone: zone, Total: total, Limit: l.page.Limit, Offset: l.page.Offset, Items: items, Totals: totals, BBox: bbox})
}

func (h *assetRoutes) search(c *fiber.Ctx) error {
	l, err := parseListing(c)
	if err != nil {
		return err
	}
	res, err := h.svc.Search(c.UserContext(), l.filter, l.page, l.shape)
	if err != nil {
		return err
	}
	return l.send(c, nil, res.Items, res.Total, res.Totals, res.BBox)
}

func (h *assetRoutes) get(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	if httpx.Query(c, "at") != "" {
		return h.getAt(c, id)
	}
	a, ev, err := h.svc.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	var project *ledger.Ref // the asset's 盘活项目, null without a ledger or a project
	if h.ledger != nil {
		r, ok, err := h.ledger.AssetProject(c.UserContext(), id)
		if err != nil {
			return err
		}
		if ok {
			project = &r
		}
	}
	lineage, err := h.svc.LineageOf(c.UserContext(), id) // 来源/去向 by split and merge
	if err != nil {
		return err
	}
	return c.JSON(struct {
		assets.Asset
		Events  []assets.Event `json:"events"`
		Project *ledger.Ref    `json:"project"`
		Lineage assets.Lineage `json:"lineage"`
	}{a, ev, project, lineage})
}

// buffer answers the area within radius_m metres of an asset as a GeoJSON geometry.
func (h *assetRoutes) buffer(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	r, ok, err := httpx.Float(c, "radius_m")
	if err != nil {
		return err
	}
	if !ok {
		return problem.Invalid("radius_m", "is required (metres)")
	}
	g, err := h.svc.Buffer(c.UserContext(), id, r)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.Send(g)
}

func (h *assetRoutes) zones(c *fiber.Ctx) error {
	zs, err := h.svc.Zones(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(zs)
}

func (h *assetRoutes) regions(c *fiber.Ctx) error {
	rs, err := h.svc.Regions(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(rs)
}

func (h *assetRoutes) inZone(c *fiber.Ctx) error {
	l, err := parseListing(c)
	if err != nil {
		return err
	}
	res, err := h.svc.InZone(c.UserContext(), c.Params("code"), l.filter, l.page, l.shape)
	if err != nil {
		return err
	}
	return l.send(c, &res.Zone, res.Items, res.Total, res.Totals, res.BBox)
}

func (h *assetRoutes) stats(c *fiber.Ctx) error {
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	groupBy, err := httpx.List(c, "group_by", assets.ValidGroupKey)
	if err != nil {
		return err
	}
	st, err := h.svc.Stats(c.UserContext(), f, groupBy)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// feature is a GeoJSON Feature whose properties are an Asset's fields without the geometry.
type feature struct {
	Type       string          `json:"type"`
	ID         int64           `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties any             `json:"properties"`
}

// sendGeoJSON renders assets as a FeatureCollection; the geometry moves out of the properties.
func sendGeoJSON(c *fiber.Ctx, list []assets.Asset, l listing, matched int64, totals assets.Totals, bbox *[4]float64) error {
	props, err := l.properties(list)
	if err != nil {
		return err
	}
	fs := make([]feature, len(list))
	for i, a := range list {
		fs[i] = feature{Type: "Feature", ID: a.ID, Geometry: a.Geometry, Properties: props[i]}
	}
	return sendFeatures(c, fs, matched, totals, bbox)
}

func sendFeatures(c *fiber.Ctx, fs []feature, matched int64, totals any, bbox *[4]float64) error {
	c.Set(fiber.HeaderContentType, "application/geo+json")
	body := fiber.Map{
		"type": "FeatureCollection", "numberMatched": matched, "numberReturned": len(fs),
		"totals": totals, "features": fs,
	}
	if bbox != nil {
		body["bbox"] = bbox
	}
	return c.JSON(body, "application/geo+json")
}

func jsonInt(n int64) string { return strconv.FormatInt(n, 10) }
