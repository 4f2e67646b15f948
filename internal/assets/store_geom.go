package assets

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/onemap/onemap/internal/problem"
)

// checkGeom looks at one new geometry as PostGIS sees it: whether it is valid, where it first
// breaks (ST_IsValidDetail), its polygons repaired as imports repair them (ST_MakeValid, the
// structure method, polygons kept), their area on the ellipsoid, and the region it falls in,
// found the way the location trigger finds it (a point on its surface).
const checkGeom = `
SELECT v.valid, coalesce(v.reason, ''), ST_X(v.location), ST_Y(v.location),
    CASE WHEN ST_Dimension(f.g) = 2 THEN ST_AsBinary(f.g) END,
    CASE WHEN ST_IsEmpty(f.g) THEN 0 ELSE ST_Area(f.g::geography) END,
    CASE WHEN ST_IsEmpty(f.g) THEN NULL ELSE
        region_at(ST_PointOnSurface(f.g)) END
FROM (SELECT ST_GeomFromWKB($1, 4490) AS g) s,
LATERAL (SELECT (d).valid, (d).reason, (d).location FROM (SELECT ST_IsValidDetail(s.g) AS d) x) v,
LATERAL (SELECT CASE WHEN v.valid OR ST_Dimension(s.g) <> 2 THEN s.g
    ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(s.g, 'method=structure'), 3)) END AS g) f`

// placed is a new geometry after checkGeom.
type placed struct {
	region *string
	areaM2 float64
}

// place checks a's geometry in PostGIS, replaces an invalid polygon by its repair (or refuses
// it, saying where it breaks) and tells the region it lies in.
func place(ctx context.Context, tx pgx.Tx, a *NewAsset) (placed, error) {
	return placeGeom(ctx, tx, a.Kind, &a.Geometry)
}

// placeGeom is place for geometry *g of an asset of kind k (a new asset's or an edit's).
func placeGeom(ctx context.Context, tx pgx.Tx, k Kind, g *orb.Geometry) (placed, error) {
	in, err := wkb.Marshal(*g)
	if err != nil {
		return placed{}, problem.Unprocessable("geometry", "cannot be encoded: %v", err)
	}
	var valid bool
	var reason string
	var x, y *float64
	var repaired []byte
	var p placed
	err = tx.QueryRow(ctx, checkGeom, in).Scan(&valid, &reason, &x, &y, &repaired, &p.areaM2, &p.region)
	if err != nil {
		return p, mapWriteError(err)
	}
	if !valid {
		if err := repair(g, repaired, reason, x, y); err != nil {
			return p, err
		}
	}
	if arealKind(k) && p.areaM2 <= 0 {
		return p, problem.Unprocessable("geometry", "a %s must be a Polygon or MultiPolygon enclosing an area", k)
	}
	return p, nil
}

// repair puts a repaired polygon in place, or refuses a geometry that has none.
func repair(dst *orb.Geometry, repaired []byte, reason string, x, y *float64) error {
	where := ""
	if x != nil && y != nil {
		where = fmt.Sprintf(" at %.7f,%.7f", *x, *y)
	}
	if repaired == nil {
		return problem.Unprocessable("geometry", "is not valid (%s%s)", reason, where)
	}
	g, err := wkb.Unmarshal(repaired)
	if err != nil {
		return fmt.Errorf("assets: repaired geometry: %w", err)
	}
	if mp, ok := g.(orb.MultiPolygon); !ok || len(mp) == 0 {
		return problem.Unprocessable("geometry", "is not valid (%s%s) and nothing of it encloses an area", reason, where)
	}
	*dst = g
	return nil
}
