package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onemap/onemap/internal/problem"
)

const unitColumns = `code, name, grp, region_code, zone_code`

func scanUnit(row pgx.Row) (Unit, error) {
	var u Unit
	err := row.Scan(&u.Code, &u.Name, &u.Group, &u.RegionCode, &u.ZoneCode)
	return u, err
}

// Units lists the units, of one group when group is not empty, in the 榜单's order.
func (s *Service) Units(ctx context.Context, group string) ([]Unit, error) {
	if group != "" && !ValidGroup(group) {
		return nil, problem.Invalid("group", "%q is not one of county, district, city, zone, enterprise", group)
	}
	const q = `SELECT ` + unitColumns + ` FROM units u WHERE $1 = '' OR grp = $1 ORDER BY ` + groupOrder + `, sort, code`
	rows, err := s.pool.Query(ctx, q, group)
	if err != nil {
		return nil, fmt.Errorf("ledger: units: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Unit, error) { return scanUnit(r) })
	if err != nil {
		return nil, fmt.Errorf("ledger: units: %w", err)
	}
	return list, nil
}

// CreateUnit adds a unit (a city department or a state enterprise; regions and zones come by
// themselves). Its region defaults to none (the whole deployment).
func (s *Service) CreateUnit(ctx context.Context, u Unit) (Unit, error) {
	if err := u.validate(); err != nil {
		return u, err
	}
	const q = `INSERT INTO units (code, name, grp, region_code) VALUES ($1, $2, $3, $4) RETURNING ` + unitColumns
	out, err := scanUnit(s.pool.QueryRow(ctx, q, u.Code, u.Name, u.Group, u.RegionCode))
	return out, unitWriteError(err)
}

// PatchUnit renames a unit or moves it to another group.
func (s *Service) PatchUnit(ctx context.Context, code string, p UnitPatch) (Unit, error) {
	if err := p.validate(); err != nil {
		return Unit{}, err
	}
	const q = `UPDATE units SET name = coalesce(btrim($2), name), grp = coalesce($3, grp) WHERE code = $1 RETURNING ` + unitColumns
	out, err := scanUnit(s.pool.QueryRow(ctx, q, code, p.Name, p.Group))
	if errors.Is(err, pgx.ErrNoRows) {
		return out, fmt.Errorf("unit %s: %w", code, problem.ErrNotFound)
	}
	return out, unitWriteError(err)
}

// unitWriteError maps a taken code and an unknown region to problems naming the field.
func unitWriteError(err error) error {
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pgErr) && pgErr.Code == "23505":
		return &problem.Error{Status: 409, Title: "Conflict", Detail: "code: a unit already has this code",
			Params: []problem.Param{{Name: "code", Reason: "a unit already has this code"}}}
	case errors.As(err, &pgErr) && pgErr.Code == "23503":
		return problem.Unprocessable("region_code", "names a region that does not exist")
	}
	return fmt.Errorf("ledger: unit: %w", err)
}
