package imports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/onemap/onemap/internal/assets"
)

const selectKept = `
SELECT a.kind, a.code, ST_AsBinary(a.geom), coalesce(a.source_crs, '')
FROM unnest($1::text[], $2::text[]) AS k(kind, code)
JOIN assets a ON a.kind = k.kind AND a.code = k.code AND a.deleted_at IS NULL`

// keepGeometries gives the rows located only by an export's centre columns (centre[i] for
// list[i]) the geometry and source CRS their existing asset already has: the centre is where
// the asset lies, not its shape. A new asset keeps the point.
func keepGeometries(ctx context.Context, tx pgx.Tx, list []assets.NewAsset, centre []bool) error {
	var kinds, codes []string
	at := map[string]int{}
	for i, a := range list {
		if centre[i] {
			kinds, codes = append(kinds, string(a.Kind)), append(codes, a.Code)
			at[string(a.Kind)+"\x00"+a.Code] = i
		}
	}
	if len(codes) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, selectKept, kinds, codes)
	if err != nil {
		return fmt.Errorf("imports: existing geometries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, code, crs string
		var b []byte
		if err := rows.Scan(&kind, &code, &b, &crs); err != nil {
			return fmt.Errorf("imports: existing geometries: %w", err)
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return fmt.Errorf("imports: existing geometry of %s: %w", code, err)
		}
		a := &list[at[kind+"\x00"+code]]
		a.Geometry, a.SourceCRS = g, crs
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("imports: existing geometries: %w", err)
	}
	return nil
}
