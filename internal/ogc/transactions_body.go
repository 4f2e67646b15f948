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
	if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
		return b, nil
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

// createProps are the properties a new asset may carry besides its facts, note and reason.
type createProps struct {
	Code              string   `json:"code"`
	Kind              string   `json:"kind"`
	Name              string   `json:"name"`
	RegionCode        string   `json:"region_code"`
	ZoneCode          string   `json:"zone_code"`
	Holder            string   `json:"holder"`
	HolderType        string   `json:"holder_type"`
	BookValue         *float64 `json:"book_value"`
	AppraisedValue    *float64 `json:"appraised_value"`
	Mode              string   `json:"mode"`
	Stage             string   `json:"stage"`
	ResponsibleUnit   string   `json:"responsible_unit"`
	ResponsiblePerson string   `json:"responsible_person"`
	Revenue           float64  `json:"revenue"`
}

// landCreateProps adds a land parcel's own properties.
type landCreateProps struct {
	createProps
	*assets.LandFacts
}

// newAsset builds the asset service's NewAsset of the collection's kind; the note comes back
// apart (Create takes it separately).
func (b editBody) newAsset(coll *collection) (assets.NewAsset, string, error) {
	k := assets.Kind(coll.Kind)
	note, err := b.take("note")
	if err != nil {
		return assets.NewAsset{}, "", err
	}
	a := assets.NewAsset{Kind: k, Geometry: b.geom, SourceCRS: "EPSG:4490"}
	if a.OverlapReason, err = b.take("overlap_reason"); err != nil {
		return a, "", err
	}
	if a.Facts, err = b.facts(k); err != nil {
		return a, "", err
	}
	for _, n := range []string{"region_name", "zone_name", "area_m2", "area_mu", "updated_at"} {
		delete(b.props, n) // computed by the server
	}
	p := landCreateProps{LandFacts: &assets.LandFacts{}}
	var dst any = &p.createProps
	if k == assets.Land {
		dst = &p
	}
	if err := decodeStrict(b.props, dst, coll.ID); err != nil {
		return a, "", err
	}
	if p.Kind != "" && p.Kind != coll.Kind {
		return a, "", problem.Unprocessable("kind", "is %s in collection %s", coll.Kind, coll.ID)
	}
	if k == assets.Land {
		a.Land = p.LandFacts
	}
	c := p.createProps
	a.Code, a.Name, a.RegionCode, a.ZoneCode, a.Holder, a.HolderType = c.Code, c.Name, c.RegionCode, c.ZoneCode, c.Holder, c.HolderType
	a.BookValue, a.AppraisedValue, a.Mode, a.Stage, a.Revenue = c.BookValue, c.AppraisedValue, c.Mode, c.Stage, c.Revenue
	a.ResponsibleUnit, a.ResponsiblePerson = c.ResponsibleUnit, c.ResponsiblePerson
	return a, note, nil
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
