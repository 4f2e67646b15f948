package ogc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/problem"
)

// readOnlyProps are the properties the server keeps (the code and kind identify the asset,
// region, zone and areas follow from the geometry, updated_at from the write): a PUT or PATCH
// carrying them, as a client sending back what it read does, leaves them as they are.
var readOnlyProps = []string{"code", "kind", "region_code", "region_name", "zone_code", "zone_name", "area_m2", "area_mu", "updated_at"}

// editBody is a Part 4 request body: a GeoJSON Feature whose properties are named as GET answers
// them (the asset API's names, a kind's facts as properties of their own).
type editBody struct {
	props map[string]json.RawMessage
	// geom is the geometry in EPSG:4490 lon/lat; hasGeom says whether the body had one.
	geom    orb.Geometry
	hasGeom bool
}

// featureBody is the JSON of a Feature; PATCH may leave out its type and either member.
type featureBody struct {
	Type       string                     `json:"type"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// toCGCS2000 transforms a geometry given in an EPSG code's lon/lat or metres to EPSG:4490.
type toCGCS2000 func(ctx context.Context, g orb.Geometry, srid int) (orb.Geometry, error)

// readFeature reads the body as a Feature (type required unless partial), its geometry in the
// CRS the Content-Crs header names (CRS84 when absent; EPSG:4490 and EPSG:4326 lat/lon,
// EPSG:3857 metres).
func readFeature(c *fiber.Ctx, partial bool, transform toCGCS2000) (editBody, error) {
	var f featureBody
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	if err := dec.Decode(&f); err != nil {
		return editBody{}, problem.Invalid("body", "is not a GeoJSON Feature: %v", err)
	}
	if f.Type != "Feature" && (f.Type != "" || !partial) {
		return editBody{}, problem.Invalid("type", "must be \"Feature\"")
	}
	b := editBody{props: f.Properties}
	if b.props == nil {
		b.props = map[string]json.RawMessage{}
	}
	if len(f.Geometry) == 0 {
		return b, nil
	}
	if string(f.Geometry) == "null" {
		return editBody{}, problem.Unprocessable("geometry", "cannot be null: an asset has a shape")
	}
	g, err := geojson.UnmarshalGeometry(f.Geometry)
	if err != nil || g.Geometry() == nil {
		return editBody{}, problem.Invalid("geometry", "is not a GeoJSON geometry")
	}
	// Part 2 writes the header as <uri>, as responses carry it; a bare URI or code is read too.
	crs, err := parseCRS("Content-Crs", strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(c.Get("Content-Crs")), "<"), ">"))
	if err != nil {
		return editBody{}, err
	}
	b.geom, b.hasGeom = g.Geometry(), true
	if crs.LatLon {
		b.geom = project.Geometry(b.geom, func(p orb.Point) orb.Point { return orb.Point{p[1], p[0]} })
	}
	if crs.SRID == 3857 {
		b.geom, err = transform(c.UserContext(), b.geom, 3857)
	}
	return b, err
}

// take removes a string property (note, overlap_reason) from the body.
func (b editBody) take(name string) (string, error) {
	raw, ok := b.props[name]
	delete(b.props, name)
	var s string
	if ok && string(raw) != "null" && json.Unmarshal(raw, &s) != nil {
		return "", problem.Unprocessable(name, "must be a string")
	}
	return s, nil
}

// facts takes the kind's facts out of the body: each as a property of its own (as GET writes
// them), or in an object "facts" (as the asset API takes them). A null fact is left as it is:
// facts are merged, never removed.
func (b editBody) facts(k assets.Kind) (map[string]any, error) {
	out := map[string]any{}
	if raw, ok := b.props["facts"]; ok {
		delete(b.props, "facts")
		if string(raw) != "null" && json.Unmarshal(raw, &out) != nil {
			return nil, problem.Unprocessable("facts", "must be an object")
		}
	}
	for name := range assets.FactSchemas[k] {
		raw, ok := b.props[name]
		delete(b.props, name)
		if !ok || string(raw) == "null" {
			continue
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, problem.Unprocessable(name, "cannot be read: %v", err)
		}
		out[name] = v
	}
	return out, nil
}

// dropReadOnly removes the properties the server keeps.
func (b editBody) dropReadOnly() {
	for _, n := range readOnlyProps {
		delete(b.props, n)
	}
}

// change builds the asset service's Change: a PATCH sets the properties sent (null clears), a
// PUT (replace) sets every editable property of the collection, those absent to null.
func (b editBody) change(coll *collection, replace bool) (assets.Change, error) {
	k := assets.Kind(coll.Kind)
	var ch assets.Change
	var err error
	if ch.Note, err = b.take("note"); err != nil {
		return ch, err
	}
	if ch.OverlapReason, err = b.take("overlap_reason"); err != nil {
		return ch, err
	}
	if ch.Facts, err = b.facts(k); err != nil {
		return ch, err
	}
	b.dropReadOnly()
	if replace {
		for _, p := range coll.Props {
			_, fact := assets.FactSchemas[k][p.Name]
			if _, ok := b.props[p.Name]; !ok && !fact && !slices.Contains(readOnlyProps, p.Name) {
				b.props[p.Name] = json.RawMessage("null")
			}
		}
	}
	ch.Fields, ch.Geometry = b.props, b.geom
	return ch, nil
}

// newAsset builds the asset service's NewAsset of the collection's kind from the properties the
// asset API's POST takes (facts also as properties of their own); the note comes back apart.
func (b editBody) newAsset(coll *collection) (assets.NewAsset, string, error) {
	facts, err := b.facts(assets.Kind(coll.Kind))
	if err != nil {
		return assets.NewAsset{}, "", err
	}
	for _, n := range []string{"region_name", "zone_name", "area_m2", "area_mu", "updated_at"} {
		delete(b.props, n) // computed by the server
	}
	var p assets.NewAssetProps
	if err := decodeStrict(b.props, &p, coll.ID); err != nil {
		return assets.NewAsset{}, "", err
	}
	if p.Kind != "" && string(p.Kind) != coll.Kind {
		return assets.NewAsset{}, "", problem.Unprocessable("kind", "is %s in collection %s", coll.Kind, coll.ID)
	}
	p.Kind, p.Facts = assets.Kind(coll.Kind), facts
	return p.NewAsset(b.geom), p.Note, nil
}

// decodeStrict decodes the properties into dst, naming the property an error is about.
func decodeStrict(props map[string]json.RawMessage, dst any, collID string) error {
	raw, err := json.Marshal(props)
	if err != nil {
		return problem.Unprocessable("properties", "cannot be read: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err = dec.Decode(dst)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		// An embedded struct's field comes as createProps.name: the property is the last part.
		return problem.Unprocessable(te.Field[strings.LastIndex(te.Field, ".")+1:], "must be %s", te.Type.String())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return problem.Unprocessable(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), "is not a property of %s", collID)
	}
	return problem.Unprocessable("properties", "%v", err)
}
