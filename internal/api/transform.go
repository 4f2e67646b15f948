package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// transformRoutes turn a coordinate in a CGCS2000 Gauss-Krüger zone into lon/lat (the 定位 tool).
type transformRoutes struct{ svc *assets.Service }

func (h *transformRoutes) mount(r fiber.Router) {
	r.Get("/transform", h.transform)
}

// transform answers GET /transform?x=easting&y=northing&crs=EPSG:4527 with the CGCS2000 lon/lat.
func (h *transformRoutes) transform(c *fiber.Ctx) error {
	srid, err := transformCRS(httpx.Query(c, "crs"))
	if err != nil {
		return err
	}
	var xy [2]float64
	for i, name := range []string{"x", "y"} {
		v, ok, err := httpx.Float(c, name)
		if err != nil {
			return err
		}
		if !ok {
			return problem.Invalid(name, "is required (x easting, y northing, metres)")
		}
		xy[i] = v
	}
	lon, lat, err := h.svc.Transform(c.UserContext(), xy[0], xy[1], srid)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"lon": lon, "lat": lat, "x": xy[0], "y": xy[1], "crs": "EPSG:" + strconv.Itoa(srid)})
}

// transformCRS parses crs: EPSG:4490 or a CGCS2000 Gauss-Krüger zone, EPSG:4491 to EPSG:4554.
func transformCRS(s string) (int, error) {
	if s == "" {
		return 0, problem.Invalid("crs", "is required, e.g. EPSG:4527 (CGCS2000 3° zone 39)")
	}
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(s), "EPSG:"))
	if err != nil || !assets.ValidTransformSRID(n) {
		return 0, problem.Invalid("crs", "%q is not EPSG:4490 or a CGCS2000 Gauss-Krüger zone (EPSG:4491–4554)", s)
	}
	return n, nil
}
