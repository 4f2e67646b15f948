package api

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/geo"
	"github.com/onemap/onemap/internal/problem"
)

// bodyGeometry reads an edit's "geometry" (GeoJSON; nil when absent) in the CRS "crs" names: an
// EPSG code such as "EPSG:4526" for a CGCS2000 Gauss-Krüger zone (eastings with or without the
// zone prefix, as that code has them), or 4490/4326/CRS84 lon/lat, the default. A zone's
// coordinates are transformed to EPSG:4490 by PostGIS, as imports transform theirs.
func (h *editRoutes) bodyGeometry(c *fiber.Ctx, body map[string]json.RawMessage) (orb.Geometry, error) {
	raw, ok := body["geometry"]
	if !ok {
		if _, crs := body["crs"]; crs {
			return nil, problem.Invalid("crs", "applies to a geometry: send one")
		}
		return nil, nil
	}
	g, err := geojson.UnmarshalGeometry(raw)
	if err != nil || g.Geometry() == nil {
		return nil, problem.Invalid("geometry", "is not a GeoJSON geometry")
	}
	srid, err := bodyCRS(body)
	if err != nil {
		return nil, err
	}
	return h.svc.ToCGCS2000(c.UserContext(), g.Geometry(), srid)
}

// bodyCRS reads "crs" (a string such as "EPSG:4526"); absent or CRS84 is 4490.
func bodyCRS(body map[string]json.RawMessage) (int, error) {
	raw, ok := body["crs"]
	if !ok {
		return geo.SRIDCGCS2000, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return 0, problem.Invalid("crs", "must be a string such as \"EPSG:4526\"")
	}
	if s == "" || s == "CRS84" || s == "OGC:CRS84" || s == "http://www.opengis.net/def/crs/OGC/1.3/CRS84" {
		return geo.SRIDCGCS2000, nil
	}
	crs, err := geo.ParseSRS(s)
	if err != nil {
		return 0, problem.Invalid("crs", "%v", err)
	}
	return crs.SRID, nil
}

// topologyRequest is the body of POST /assets/topology.
type topologyRequest struct {
	Geometry json.RawMessage `json:"geometry"`
	Kind     assets.Kind     `json:"kind"`
	Except   []int64         `json:"except"`
	CRS      json.RawMessage `json:"crs"`
}

// topology previews what an outline would do to the live land parcels (overlaps beyond the
// tolerance, slivers within it, gaps under a metre to neighbours), without saving anything.
func (h *editRoutes) topology(c *fiber.Ctx) error {
	var body map[string]json.RawMessage
	if err := json.Unmarshal(c.Body(), &body); err != nil {
		return problem.Invalid("body", "is not a JSON object: %v", err)
	}
	var req topologyRequest
	if err := json.Unmarshal(c.Body(), &req); err != nil {
		return propsError(err)
	}
	if req.Kind == "" {
		req.Kind = assets.Land
	}
	g, err := h.bodyGeometry(c, body)
	if err != nil {
		return err
	}
	if g == nil {
		return problem.Invalid("geometry", "is required")
	}
	t, err := h.svc.CheckTopology(c.UserContext(), req.Kind, g, req.Except)
	if err != nil {
		return err
	}
	return c.JSON(t)
}
