package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/problem"
)

const leaseColumns = `id, asset_id, kind, tenant, to_char(start_date, 'YYYY-MM-DD'), to_char(end_date, 'YYYY-MM-DD'),
annual_rent::float8, rent_received::float8, note, created_at`

func scanLease(r pgx.CollectableRow) (Lease, error) {
	var l Lease
	err := r.Scan(&l.ID, &l.AssetID, &l.Kind, &l.Tenant, &l.StartDate, &l.EndDate, &l.AnnualRent, &l.RentReceived,
		&l.Note, &l.CreatedAt)
	return l, err
}

const assetRegionQ = `SELECT region_code FROM assets WHERE id = $1 AND deleted_at IS NULL`

// leaseAssetRegion is the region of a live asset (nil: in none); problem.ErrNotFound when there is none.
func (s *Service) leaseAssetRegion(ctx context.Context, q pgx.Tx, id int64) (*string, error) {
	var region *string
	err := q.QueryRow(ctx, assetRegionQ, id).Scan(&region)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("asset %d: %w", id, problem.ErrNotFound)
	}
	return region, err
}

const leasesQ = `SELECT ` + leaseColumns + ` FROM asset_leases WHERE asset_id = $1 AND deleted_at IS NULL
ORDER BY end_date DESC, id DESC`

// Leases lists an asset's lease terms, the latest ending first.
func (s *Service) Leases(ctx context.Context, assetID int64) ([]Lease, error) {
	var out []Lease
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := s.leaseAssetRegion(ctx, tx, assetID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, leasesQ, assetID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanLease)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: leases: %w", err)
	}
	return out, nil
}

const addLeaseQ = `INSERT INTO asset_leases (asset_id, kind, tenant, start_date, end_date, annual_rent, rent_received, note)
VALUES ($1, $2, $3, $4, $5, round($6::numeric, 2), round($7::numeric, 2), $8) RETURNING ` + leaseColumns

// AddLease records a lease term of an asset in the actor's region, and asks for an evaluation
// of the warnings (a lease may be about to run out).
func (s *Service) AddLease(ctx context.Context, assetID int64, by Actor, l NewLease) (Lease, error) {
	if err := l.Validate(); err != nil {
		return Lease{}, err
	}
	var out Lease
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.leaseScopeOf(ctx, tx, assetID, by); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, addLeaseQ, assetID, l.Kind, l.Tenant, l.StartDate, l.EndDate, l.AnnualRent,
			l.RentReceived, l.Note)
		if err != nil {
			return err
		}
		out, err = pgx.CollectExactlyOneRow(rows, scanLease)
		return err
	})
	if err != nil {
		return Lease{}, fmt.Errorf("ledger: add lease: %w", err)
	}
	s.warn.request()
	return out, nil
}

const removeLeaseQ = `UPDATE asset_leases SET deleted_at = now() WHERE id = $1 AND asset_id = $2 AND deleted_at IS NULL
RETURNING ` + leaseColumns

// RemoveLease deletes (softly) a lease term of an asset in the actor's region and returns it as
// it was, for the audit trail.
func (s *Service) RemoveLease(ctx context.Context, assetID, leaseID int64, by Actor) (Lease, error) {
	var out Lease
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.leaseScopeOf(ctx, tx, assetID, by); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, removeLeaseQ, leaseID, assetID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectExactlyOneRow(rows, scanLease)
		if errors.Is(err, pgx.ErrNoRows) {
			err = fmt.Errorf("lease %d of asset %d: %w", leaseID, assetID, problem.ErrNotFound)
		}
		return err
	})
	if err != nil {
		return Lease{}, fmt.Errorf("ledger: remove lease: %w", err)
	}
	s.warn.request()
	return out, nil
}

// leaseScopeOf refuses when the asset is gone or lies outside the actor's region.
func (s *Service) leaseScopeOf(ctx context.Context, tx pgx.Tx, assetID int64, by Actor) error {
	region, err := s.leaseAssetRegion(ctx, tx, assetID)
	if err != nil {
		return err
	}
	return by.leaseScope(region)
}
