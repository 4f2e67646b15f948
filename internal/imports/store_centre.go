package imports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/onemap/onemap/internal/assets"
)

// keptGeometry is an existing asset's geometry and source CRS.
type keptGeometry struct {
	geom orb.Geometry
	crs  string
}

func keptKey(k assets.Kind, code string) string { return string(k) + "\x00" + code }

const selectKept = `
SELECT a.kind, a.code, ST_AsBinary(a.geom), coalesce(a.source_crs, '')
FROM unnest($1::text[], $2::text[]) AS k(kind, code)
JOIN assets a ON a.kind = k.kind AND a.code = k.code AND a.deleted_at IS NULL`

// keptGeometries reads the geometry of the existing assets that a batch's rows located only by
// an export's centre columns name: such a row keeps its asset's shape (the centre tells where
// the asset lies, not its shape); a row of a new asset becomes the point.
func (j *job) keptGeometries(ctx context.Context, tx pgx.Tx, recs []Record) (map[string]keptGeometry, error) {
	var kinds, codes []string
	for _, r := range recs {
		if !r.CentreOnly || r.Problem != "" {
			continue
		}
		m := j.mapper.asset(r, j.src.Layers[r.Layer].Name)
		if m.fieldProblem == nil && m.asset.Code != "" {
			kinds, codes = append(kinds, string(m.asset.Kind)), append(codes, m.asset.Code)
		}
	}
	if len(codes) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, selectKept, kinds, codes)
	if err != nil {
		return nil, fmt.Errorf("imports: existing geometries: %w", err)
	}
	defer rows.Close()
	out := make(map[string]keptGeometry, len(codes))
	for rows.Next() {
		var kind, code, crs string
		var b []byte
		if err := rows.Scan(&kind, &code, &b, &crs); err != nil {
			return nil, fmt.Errorf("imports: existing geometries: %w", err)
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return nil, fmt.Errorf("imports: existing geometry of %s: %w", code, err)
		}
		out[keptKey(assets.Kind(kind), code)] = keptGeometry{geom: g, crs: crs}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("imports: existing geometries: %w", err)
	}
	return out, nil
}
