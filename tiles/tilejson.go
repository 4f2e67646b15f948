package tiles

import (
	"context"
	"fmt"
	"math"
	"strconv"
)

// MaxDataZoom is the zoom TileJSON advertises as maxzoom: tiles deeper than this add no detail
// (4096 units span 4 cm at zoom 18), so clients overzoom them.
const MaxDataZoom = 18

// TileJSON is a TileJSON 3.0.0 document.
type TileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Version      string        `json:"version"`
	Attribution  string        `json:"attribution"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"`
	VectorLayers []VectorLayer `json:"vector_layers"`
	// DataVersion is the data version the tile URL carries (an extension field of OneMap's).
	DataVersion int64 `json:"data_version"`
}

// VectorLayer describes one MVT layer: its fields map property names to "String" or "Number".
type VectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// descriptions say what each MVT layer holds.
func description(l Layer) string {
	switch l {
	case Land:
		return fmt.Sprintf("土地 land parcels from zoom %d (id, kind, stage, mode, land_status, area_mu; every field from zoom %d); "+
			"below, 8-pixel grid cells summing the parcels (count, area_mu, cover, dominant stage and mode, region_code, zone_code)",
			ParcelMinZoom, DetailMinZoom)
	case Mine:
		return "矿产 mining and exploration rights"
	case Forest:
		return "林场 state forest farms"
	case Water:
		return "水域 lakes, reservoirs and river sections"
	case Building:
		return "闲置房产 idle buildings"
	case Zone:
		return "园区 development zones"
	case Region:
		return "行政区 counties and districts"
	}
	return "OneMap: every layer in one tile"
}

// TileJSON describes layer l for clients; baseURL is the server's scheme://host, and the filter
// carries into the tile URL.
func (s *Service) TileJSON(ctx context.Context, l Layer, baseURL string, f Filter) (TileJSON, error) {
	b, err := s.Bounds(ctx)
	if err != nil {
		return TileJSON{}, err
	}
	v, err := s.Version(ctx)
	if err != nil {
		return TileJSON{}, err
	}
	// The data version makes the URL immutable: tiles under it are cached for good.
	url := baseURL + "/tiles/" + string(l) + "/{z}/{x}/{y}.mvt?"
	if q := f.Query(); q != "" {
		url += q + "&"
	}
	url += "v=" + strconv.FormatInt(v, 10)
	tj := TileJSON{
		TileJSON: "3.0.0", Name: "OneMap " + string(l), Description: description(l), Version: "1.0.0",
		DataVersion: v,
		Attribution: "OneMap 国有三资一张图", Scheme: "xyz", Tiles: []string{url},
		MinZoom: 0, MaxZoom: MaxDataZoom, Bounds: b, Center: center(b),
	}
	for _, p := range Parts(l) {
		fields := map[string]string{}
		for _, fl := range Fields(p) {
			fields[fl.Name] = fl.Type
		}
		tj.VectorLayers = append(tj.VectorLayers, VectorLayer{
			ID: string(p), Description: description(p), MinZoom: 0, MaxZoom: MaxDataZoom, Fields: fields,
		})
	}
	return tj, nil
}

// center is the middle of b at the zoom that shows b whole on a screen about 1000 pixels wide.
func center(b [4]float64) [3]float64 {
	w := max(b[2]-b[0], b[3]-b[1], 1e-6)
	z := math.Floor(math.Log2(360 * 4 / w))
	return [3]float64{(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, min(max(z, 0), MaxDataZoom)}
}
