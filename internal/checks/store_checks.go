package checks

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/db"
	"github.com/onemap/onemap/internal/problem"
)

// create resolves where the check lies, checks the actor's scope, and writes the check and its
// photos in one transaction.
func (s *Service) create(ctx context.Context, a Actor, n NewCheck) (Check, error) {
	var id int64
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		region, err := checkRegion(ctx, tx, n)
		if err != nil {
			return err
		}
		if err := a.scope(region); err != nil {
			return err
		}
		if id, err = insertCheck(ctx, tx, a, n, region); err != nil {
			return err
		}
		return insertPhotos(ctx, tx, id, n.Photos)
	})
	if err != nil {
		return Check{}, err
	}
	list, _, err := s.list(ctx, Actor{}, Filter{ID: id, Limit: 1})
	if err != nil || len(list) == 0 {
		return Check{}, fmt.Errorf("checks: read back %d: %w", id, errors.Join(err, problem.ErrNotFound))
	}
	return list[0], nil
}

const (
	assetRegionQ = `SELECT region_code FROM assets WHERE id = $1 AND deleted_at IS NULL`
	pointRegionQ = `SELECT region_at(ST_SetSRID(ST_MakePoint($1, $2), 4490))`
)

// checkRegion is the checked asset's region, or the region at a find's position (nil: none).
func checkRegion(ctx context.Context, tx pgx.Tx, n NewCheck) (*string, error) {
	var region *string
	if n.AssetID == nil {
		err := tx.QueryRow(ctx, pointRegionQ, *n.Lon, *n.Lat).Scan(&region)
		return region, err
	}
	err := tx.QueryRow(ctx, assetRegionQ, *n.AssetID).Scan(&region)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("asset %d: %w", *n.AssetID, problem.ErrNotFound)
	}
	return region, err
}

// insertCheckQ measures the distance on the ellipsoid (geography) from the device to the asset's
// geometry: 0 inside a parcel, NULL without an asset. The flag follows from it (016_checks.sql).
const insertCheckQ = `
INSERT INTO asset_checks (asset_id, result, note, lon, lat, accuracy_m, taken_at, user_id, actor, region_code, distance_m)
VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, 0), $9, $10,
        (SELECT ST_Distance(a.geom::geography, ST_SetSRID(ST_MakePoint($4, $5), 4490)::geography)
           FROM assets a WHERE a.id = $1))
RETURNING id`

func insertCheck(ctx context.Context, tx pgx.Tx, a Actor, n NewCheck, region *string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, insertCheckQ, n.AssetID, n.Result, n.Note, *n.Lon, *n.Lat, n.AccuracyM, n.TakenAt,
		a.UserID, a.Name, region).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("checks: insert: %w", err)
	}
	return id, nil
}

const insertPhotoQ = `INSERT INTO check_photos (check_id, content, content_type, taken_at) VALUES ($1, $2, $3, $4)`

func insertPhotos(ctx context.Context, tx pgx.Tx, id int64, photos []Photo) error {
	for _, p := range photos {
		if _, err := tx.Exec(ctx, insertPhotoQ, id, p.Content, p.ContentType, p.TakenAt); err != nil {
			return fmt.Errorf("checks: photo: %w", err)
		}
	}
	return nil
}

// listQ selects checks within a scope ($1, NULL: all) newest first, with the total.
const listQ = `
SELECT c.id, c.asset_id, a.code, a.name, a.kind, c.result, c.note, c.lon, c.lat, c.accuracy_m, c.taken_at,
       c.created_at, c.user_id, c.actor, c.region_code, c.distance_m, c.flagged,
       (SELECT count(*) FROM check_photos p WHERE p.check_id = c.id)::int, count(*) OVER ()::int
  FROM asset_checks c LEFT JOIN assets a ON a.id = c.asset_id
 WHERE c.deleted_at IS NULL
   AND ($1::text IS NULL OR coalesce(region_within(c.region_code, $1), false))
   AND ($2::timestamptz IS NULL OR c.created_at >= $2)
   AND ($3::timestamptz IS NULL OR c.created_at < $3)
   AND (coalesce(cardinality($4::text[]), 0) = 0 OR c.result = ANY($4))
   AND ($5::boolean IS NULL OR c.flagged = $5)
   AND ($6::bigint = 0 OR c.asset_id = $6)
   AND ($7::bigint = 0 OR c.id = $7)
 ORDER BY c.created_at DESC, c.id DESC
 LIMIT $8 OFFSET $9`

func (s *Service) list(ctx context.Context, a Actor, f Filter) ([]Check, int, error) {
	rows, err := s.pool.Query(ctx, listQ, a.Region, timeArg(f.From), timeArg(f.To), f.Results, f.Flagged,
		f.AssetID, f.ID, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	total := 0
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Check, error) {
		var c Check
		err := r.Scan(&c.ID, &c.AssetID, &c.AssetCode, &c.AssetName, &c.AssetKind, &c.Result, &c.Note, &c.Lon, &c.Lat,
			&c.AccuracyM, &c.TakenAt, &c.CreatedAt, &c.UserID, &c.Actor, &c.RegionCode, &c.DistanceM, &c.Flagged,
			&c.PhotoCount, &total)
		return c, err
	})
	if list == nil {
		list = []Check{}
	}
	return list, total, err
}

// timeArg is nil for the zero time (an open bound).
func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

const assetExistsQ = `SELECT EXISTS (SELECT 1 FROM assets WHERE id = $1 AND deleted_at IS NULL)`

func (s *Service) assetExists(ctx context.Context, id int64) error {
	var ok bool
	if err := s.pool.QueryRow(ctx, assetExistsQ, id).Scan(&ok); err != nil {
		return fmt.Errorf("checks: asset %d: %w", id, err)
	}
	if !ok {
		return fmt.Errorf("asset %d: %w", id, problem.ErrNotFound)
	}
	return nil
}

// nearQ finds the live assets within $3 metres of the position: the index narrows by a box in
// degrees ($4, wide enough at this latitude), the ellipsoid decides and orders.
const nearQ = `
WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4490) AS g)
SELECT a.id, a.code, a.name, a.kind, a.region_code, d.m, ST_X(s.pos), ST_Y(s.pos)
  FROM assets a CROSS JOIN p
 CROSS JOIN LATERAL (SELECT ST_Distance(a.geom::geography, p.g::geography) AS m) d
 CROSS JOIN LATERAL (SELECT ST_PointOnSurface(a.geom) AS pos) s
 WHERE a.deleted_at IS NULL AND ST_DWithin(a.geom, p.g, $4) AND d.m <= $3
 ORDER BY d.m, a.id
 LIMIT $5`

func (s *Service) near(ctx context.Context, lon, lat, radius float64, limit int) ([]NearAsset, error) {
	deg := radius / (110_000 * math.Max(math.Cos(lat*math.Pi/180), 0.01))
	rows, err := s.pool.Query(ctx, nearQ, lon, lat, radius, deg, limit)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (NearAsset, error) {
		var n NearAsset
		err := r.Scan(&n.ID, &n.Code, &n.Name, &n.Kind, &n.RegionCode, &n.DistanceM, &n.Lon, &n.Lat)
		return n, err
	})
	if list == nil {
		list = []NearAsset{}
	}
	return list, err
}
