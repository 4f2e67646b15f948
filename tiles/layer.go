package tiles

import (
	"slices"
	"strings"

	"github.com/onemap/onemap/internal/problem"
)

// Layer names a tile source: one MVT layer of that name, or OneMap for all of them in one tile.
type Layer string

// The tile layers. The asset kinds' names are the kinds themselves.
const (
	Land     Layer = "land"
	Mine     Layer = "mine"
	Forest   Layer = "forest"
	Water    Layer = "water"
	Building Layer = "building"
	Zone     Layer = "zone"
	Region   Layer = "region"
	OneMap   Layer = "onemap"
)

// Layers lists every layer a URL may name, the composite last.
func Layers() []Layer {
	return append(Parts(OneMap), OneMap)
}

// Parts lists the MVT layers a tile of l holds, in the order they are written.
func Parts(l Layer) []Layer {
	if l == OneMap {
		return []Layer{Land, Mine, Forest, Water, Building, Zone, Region}
	}
	return []Layer{l}
}

// ParseLayer checks a layer name from a URL. The result is the package's own constant, never a
// view of s (which may live in a reused request buffer).
func ParseLayer(s string) (Layer, error) {
	all := Layers()
	if i := slices.Index(all, Layer(s)); i >= 0 {
		return all[i], nil
	}
	names := make([]string, len(all))
	for i, l := range all {
		names[i] = string(l)
	}
	return "", problem.Invalid("layer", "%q is not one of %s", s, strings.Join(names, ", "))
}

// isSmallAsset tells the asset kinds that stay few enough to show at every zoom.
func isSmallAsset(l Layer) bool {
	return l == Mine || l == Forest || l == Water || l == Building
}

// Field is one feature property of a layer, as TileJSON describes it.
type Field struct {
	Name string
	Type string // "String" or "Number"
}

// assetFields lists the properties every asset layer carries, then those of one kind.
func assetFields(kind ...Field) []Field {
	return append([]Field{
		{"id", "Number"},
		{"code", "String"},
		{"name", "String"},
		{"kind", "String"},
		{"stage", "String"},
		{"mode", "String"},
		{"area_mu", "Number"},
		{"region_code", "String"},
		{"zone_code", "String"},
		{"holder", "String"},
	}, kind...)
}

// Fields lists the properties of the MVT layer l (not of the composite). Land features below
// ParcelMinZoom are overview cells carrying count, area_mu, cover, stage, mode, region_code and
// zone_code.
func Fields(l Layer) []Field {
	switch l {
	case Land:
		return assetFields(Field{"land_status", "String"}, Field{"land_class_code", "String"},
			Field{"count", "Number"}, Field{"cover", "Number"})
	case Mine:
		return assetFields(Field{"right_type", "String"}, Field{"mineral", "String"})
	case Forest:
		return assetFields(Field{"forest_type", "String"})
	case Water:
		return assetFields(Field{"water_type", "String"})
	case Building:
		return assetFields(Field{"use", "String"})
	case Zone:
		return []Field{
			{"code", "String"},
			{"name", "String"},
			{"type", "String"},
			{"level", "String"},
			{"region_code", "String"},
			{"area_mu", "Number"},
		}
	case Region:
		return []Field{
			{"code", "String"},
			{"name", "String"},
			{"level", "String"},
			{"parent_code", "String"},
			{"area_mu", "Number"},
		}
	}
	return nil
}
