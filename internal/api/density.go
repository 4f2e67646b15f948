package api

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// densityRoutes serve GET /api/v1/density: the hexagon density of idle and approved-unsupplied
// land in a box at a city zoom (issue 13 item 10).
type densityRoutes struct{ svc *assets.Service }

func (h *densityRoutes) mount(r fiber.Router) { r.Get("/density", h.density) }

// density answers ?bbox=minlon,minlat,maxlon,maxlat&zoom=Z with the asset filters (region, zone,
// stage, mode, land_status ⊆ idle, approved_unsupplied) as a GeoJSON FeatureCollection of cells.
func (h *densityRoutes) density(c *fiber.Ctx) error {
	q, err := parseDensity(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Density(c.UserContext(), q)
	if err != nil {
		return err
	}
	features := make([]fiber.Map, len(d.Cells))
	for i, cell := range d.Cells {
		features[i] = fiber.Map{"type": "Feature", "geometry": json.RawMessage(cell.Geometry), "properties": fiber.Map{
			"count": cell.Count, "area_mu": cell.AreaMu, "idle_mu": cell.IdleMu, "approved_unsupplied_mu": cell.ApprovedUnsuppliedMu,
		}}
	}
	return c.JSON(fiber.Map{"type": "FeatureCollection", "zoom": d.Zoom, "hex_side_m": d.HexSideM, "max_mu": d.MaxMu, "features": features})
}

func parseDensity(c *fiber.Ctx) (assets.DensityQuery, error) {
	var q assets.DensityQuery
	var err error
	if q.Filter, err = parseFilter(c); err != nil {
		return q, err
	}
	if _, err = httpx.Required(c, "zoom", "a whole zoom 0..%d", assets.DensityMaxZoom); err != nil {
		return q, err
	}
	if q.Zoom, err = httpx.Int(c, "zoom", 0, 0, assets.DensityMaxZoom); err != nil {
		return q, err
	}
	if q.BBox, err = parseBound(httpx.Query(c, "bbox")); err != nil {
		return q, err
	}
	return q, q.Validate()
}

// parseBound reads bbox=minlon,minlat,maxlon,maxlat.
func parseBound(s string) (orb.Bound, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return orb.Bound{}, problem.Invalid("bbox", "%q is not minlon,minlat,maxlon,maxlat", s)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return orb.Bound{}, problem.Invalid("bbox", "%q is not a number", p)
		}
		v[i] = f
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}
