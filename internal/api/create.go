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

// newAssetProps are the properties a created asset's GeoJSON Feature may carry.
type newAssetProps struct {
	Code              string         `json:"code"`
	Kind              assets.Kind    `json:"kind"`
	Name              string         `json:"name"`
	RegionCode        string         `json:"region_code"`
	ZoneCode          string         `json:"zone_code"`
	Holder            string         `json:"holder"`
	HolderType        string         `json:"holder_type"`
	BookValue         *float64       `json:"book_value"`
	AppraisedValue    *float64       `json:"appraised_value"`
	Mode              string         `json:"mode"`
	Stage             string         `json:"stage"`
	ResponsibleUnit   string         `json:"responsible_unit"`
	ResponsiblePerson string         `json:"responsible_person"`
	Revenue           float64        `json:"revenue"`
	Facts             map[string]any `json:"facts"`
	Note              string         `json:"note"`
	OverlapReason     string         `json:"overlap_reason"`
	*assets.LandFacts
}

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
	var p newAssetProps
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return propsError(err)
	}
	a := assets.NewAsset{
		Code: p.Code, Kind: p.Kind, Name: p.Name, RegionCode: p.RegionCode, ZoneCode: p.ZoneCode,
		Holder: p.Holder, HolderType: p.HolderType, BookValue: p.BookValue, AppraisedValue: p.AppraisedValue,
		Mode: p.Mode, Stage: p.Stage, ResponsibleUnit: p.ResponsibleUnit, ResponsiblePerson: p.ResponsiblePerson,
		Revenue: p.Revenue, Land: p.LandFacts, Facts: p.Facts, Geometry: f.Geometry, SourceCRS: "EPSG:4490",
		OverlapReason: p.OverlapReason,
	}
	created, err := h.svc.Create(c.UserContext(), actor(c), p.Note, a)
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
