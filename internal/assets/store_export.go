package assets

import (
	"context"
	"fmt"
)

// EachWKB streams every asset matching f, in kind and id order, to fn with its geometry as WKB
// in srid: 4490, or a Gauss-Krüger zone PostGIS transforms to (exports use it; the caller
// checks srid). With f.Within each asset carries its Share inside that area.
func (s *Service) EachWKB(ctx context.Context, f Filter, srid int, fn func(Asset, []byte) error) error {
	var b sqlBuilder
	if err := f.apply(&b); err != nil {
		return err
	}
	cols := selectColumns + ", ST_AsBinary(ST_Transform(a.geom, " + b.arg(srid) + "::integer))"
	overlap := b.overlap()
	if overlap != "" {
		cols += ", " + overlap
	}
	q := "SELECT " + cols + fromJoined + " WHERE " + joinAnd(b.conds) + " ORDER BY a.kind, a.id"
	rows, err := s.pool.Query(ctx, q, b.args...)
	if err != nil {
		return fmt.Errorf("assets: export query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g []byte
		var inside float64
		extra := []any{&g}
		if overlap != "" {
			extra = append(extra, &inside)
		}
		a, err := s.scanAsset(rows, extra...)
		if err != nil {
			return fmt.Errorf("assets: export scan: %w", err)
		}
		if overlap != "" {
			a.Share = newShare(inside, a.AreaMu)
		}
		if err := fn(a, g); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("assets: export rows: %w", err)
	}
	return nil
}
