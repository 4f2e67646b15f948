package api

import (
	"encoding/json"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/onemap/onemap/internal/assets"
	"github.com/onemap/onemap/internal/auth"
	"github.com/onemap/onemap/internal/httpx"
	"github.com/onemap/onemap/internal/problem"
)

// splitRoutes cut a parcel in pieces and join neighbours into one; analysts within their region.
type splitRoutes struct{ svc *assets.Service }

func (h *splitRoutes) mount(r fiber.Router) {
	analyst := require(auth.Analyst)
	r.Post("/assets/merge", analyst, h.merge)
	r.Post("/assets/:id/split", analyst, h.split)
}

// splitBody is POST /assets/{id}/split: the cut (line or polygon), the codes of the pieces,
// and dry_run to answer the pieces without writing them.
type splitBody struct {
	Line    json.RawMessage `json:"line"`
	Polygon json.RawMessage `json:"polygon"`
	Codes   []string        `json:"codes"`
	Note    string          `json:"note"`
	DryRun  bool            `json:"dry_run"`
}

func (h *splitRoutes) split(c *fiber.Ctx) error {
	id, err := httpx.PathInt(c, "id")
	if err != nil {
		return err
	}
	sp, dry, err := parseSplit(c)
	if err != nil {
		return err
	}
	if dry {
		ps, err := h.svc.PreviewSplit(c.UserContext(), id, actor(c), sp)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"pieces": piecesJSON(ps)})
	}
	kids, err := h.svc.SplitAsset(c.UserContext(), id, actor(c), sp)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"children": kids})
}

// parseSplit reads the split's body: version (or If-Match), the cut, codes and note.
func parseSplit(c *fiber.Ctx) (assets.Split, bool, error) {
	var sp assets.Split
	var raw map[string]json.RawMessage
	var b splitBody
	if json.Unmarshal(c.Body(), &raw) != nil || json.Unmarshal(c.Body(), &b) != nil {
		return sp, false, problem.Invalid("body", "is not a JSON object with line (or polygon), version, codes and note")
	}
	v, err := version(c, raw)
	if err != nil {
		return sp, false, err
	}
	sp = assets.Split{Version: v, Codes: b.Codes, Note: b.Note}
	if len(b.Line) > 0 {
		l, ok := geometryOf(b.Line).(orb.LineString)
		if !ok {
			return sp, false, problem.Invalid("line", "must be a GeoJSON LineString in EPSG:4490 lon/lat")
		}
		sp.Line = l
	}
	if len(b.Polygon) > 0 {
		p, ok := geometryOf(b.Polygon).(orb.Polygon)
		if !ok {
			return sp, false, problem.Invalid("polygon", "must be a GeoJSON Polygon in EPSG:4490 lon/lat")
		}
		sp.Polygon = p
	}
	return sp, b.DryRun, nil
}

// geometryOf decodes a GeoJSON geometry; nil when it is none.
func geometryOf(raw json.RawMessage) orb.Geometry {
	g, err := geojson.UnmarshalGeometry(raw)
	if err != nil || g == nil {
		return nil
	}
	return g.Geometry()
}

// piecesJSON renders the pieces' outlines as GeoJSON.
func piecesJSON(ps []assets.Piece) []fiber.Map {
	out := make([]fiber.Map, len(ps))
	for i, p := range ps {
		out[i] = fiber.Map{"geometry": geojson.NewGeometry(p.Geometry), "area_m2": p.AreaM2}
	}
	return out
}

// mergeBody is POST /assets/merge.
type mergeBody struct {
	IDs      []int64       `json:"ids"`
	Versions map[int64]int `json:"versions"`
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	Note     string        `json:"note"`
}

func (h *splitRoutes) merge(c *fiber.Ctx) error {
	var b mergeBody
	if err := json.Unmarshal(c.Body(), &b); err != nil {
		return problem.Invalid("body", "is not a JSON object with ids (numbers), versions, code, name and note: %v", err)
	}
	a, err := h.svc.MergeAssets(c.UserContext(), actor(c), assets.Merge{IDs: b.IDs, Versions: b.Versions, Code: b.Code, Name: b.Name, Note: b.Note})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/api/v1/assets/"+strconv.FormatInt(a.ID, 10))
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(a.Version)+`"`)
	return c.Status(fiber.StatusCreated).JSON(a)
}
