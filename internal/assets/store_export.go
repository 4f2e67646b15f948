package assets

import "context"

// EachWKB streams every asset matching f, in the display order of kinds (Kinds) and by id, to fn with its geometry as WKB
// in srid: 4490, or a Gauss-Krüger zone PostGIS transforms to (exports use it; the caller
// checks srid). With f.Within each asset carries its Share inside that area.
func (s *Service) EachWKB(ctx context.Context, f Filter, srid int, fn func(Asset, []byte) error) error {
	var b sqlBuilder
	if err := f.apply(&b); err != nil {
		return err
	}
	// each reads the overlap (when asked) and then the WKB as the asset's geometry: handed on apart.
	cols := selectColumns
	overlap := b.overlap()
	if overlap != "" {
		cols += ", " + overlap
	}
	cols += ", ST_AsBinary(ST_Transform(a.geom, " + b.arg(srid) + "::integer))"
	kinds := make([]string, len(Kinds))
	for i, k := range Kinds {
		kinds[i] = string(k)
	}
	order := " ORDER BY array_position(" + b.arg(kinds) + "::text[], a.kind::text), a.id"
	q := "SELECT " + cols + fromJoined + " WHERE " + joinAnd(b.conds) + order
	return s.each(ctx, q, b.args, true, overlap != "", func(a Asset) error {
		g := a.Geometry
		a.Geometry = nil
		return fn(a, g)
	})
}
