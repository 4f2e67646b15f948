package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb/geojson"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// create registers one asset from a GeoJSON Feature in EPSG:4490/4326 lon/lat.
func (h *editRoutes) create(c *fiber.Ctx) error {
	f, err := geojson.UnmarshalFeature(c.Body())
	if err != nil {
		return problem.Invalid("body", "is not a GeoJSON Feature: %v", err)
	}
	raw, err := json.Marshal(f.Properties)
	if err != nil {
		return problem.Invalid("properties", "cannot be read: %v", err)
	}
	var p assets.NewAssetProps
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return propsError(err)
	}
	created, err := h.svc.Create(c.UserContext(), actor(c), p.Note, p.NewAsset(f.Geometry))
	if err != nil {
		return err
	}
	c.Location("/api/v1/assets/" + jsonInt(created.ID))
	return c.Status(fiber.StatusCreated).JSON(created)
}

// propsError names the property a JSON decoding error is about.
func propsError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return problem.Unprocessable(te.Field, "must be %s", te.Type.String())
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		return problem.Unprocessable(strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`), "is not a property of an asset")
	}
	return problem.Unprocessable("properties", "%v", err)
}
