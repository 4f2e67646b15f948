package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/problem"
)

// Patch is an administrator's change to an account; nil fields stay as they are. RegionCode ""
// removes the region scope, UnitCode "" the unit (a reporter must keep one); Locked false lifts a
// sign-in lock.
type Patch struct {
	Role        *string `json:"role"`
	RegionCode  *string `json:"region_code"`
	UnitCode    *string `json:"unit_code"`
	DisplayName *string `json:"display_name"`
	Disabled    *bool   `json:"disabled"`
	Locked      *bool   `json:"locked"`
}

// check validates p for the account id changed by actor, who may not lock themselves out.
func (p Patch) check(by Actor, id int64) error {
	if p.Role != nil && !slices.Contains(Roles, *p.Role) {
		return problem.Invalid("role", "%q is not one of %s", *p.Role, strings.Join(Roles, ", "))
	}
	if p.Locked != nil && *p.Locked {
		return problem.Invalid("locked", "only false (unlock) may be set; accounts lock by failed sign-ins")
	}
	self := by.ID != nil && *by.ID == id
	if self && p.Disabled != nil && *p.Disabled {
		return problem.Unprocessable("disabled", "you may not disable your own account")
	}
	if self && p.Role != nil && *p.Role != Admin {
		return problem.Unprocessable("role", "you may not take the admin role from your own account")
	}
	return nil
}

// updateQ applies a Patch: $2..$4 and $7 (unit) when not null; $5 disables (true) or enables
// (false); $6 unlocks.
const updateQ = `UPDATE users SET
    role = coalesce($2, role),
    region_code = CASE WHEN $3::text IS NULL THEN region_code ELSE nullif($3, '') END,
    display_name = coalesce($4, display_name),
    unit_code = CASE WHEN $7::text IS NULL THEN unit_code ELSE nullif($7, '') END,
    disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at WHEN $5 THEN coalesce(disabled_at, now()) END,
    locked_until = CASE WHEN $6::boolean OR $5 = false THEN NULL ELSE locked_until END,
    failures_reset_at = CASE WHEN $6::boolean OR $5 = false THEN now() ELSE failures_reset_at END
WHERE id = $1`

// UpdateUser changes an account's role, region, display name, disabled state or lock. Disabling
// ends every session and token of the user at once.
func (s *Service) UpdateUser(ctx context.Context, by Actor, id int64, p Patch) (Account, error) {
	if err := p.check(by, id); err != nil {
		return Account{}, err
	}
	unlock := p.Locked != nil && !*p.Locked
	tag, err := s.pool.Exec(ctx, updateQ, id, p.Role, p.RegionCode, p.DisplayName, p.Disabled, unlock, p.UnitCode)
	if kp := keyProblem(err, p.RegionCode, p.UnitCode); kp != nil {
		return Account{}, kp
	}
	switch {
	case err != nil:
		return Account{}, fmt.Errorf("auth: update user: %w", err)
	case tag.RowsAffected() == 0:
		return Account{}, fmt.Errorf("no user %d: %w", id, problem.ErrNotFound)
	}
	if p.Disabled != nil && *p.Disabled {
		if _, err := s.revokeAll(ctx, id, 0); err != nil {
			return Account{}, err
		}
	}
	if err := s.recordPatch(ctx, by, id, p); err != nil {
		return Account{}, err
	}
	return s.UserByID(ctx, id)
}

// recordPatch audits a patch: enabling and disabling, unlocking, and other changes each apart.
func (s *Service) recordPatch(ctx context.Context, by Actor, id int64, p Patch) error {
	var errs []error
	if p.Disabled != nil {
		action := audit.UserEnable
		if *p.Disabled {
			action = audit.UserDisable
		}
		errs = append(errs, s.record(ctx, by, action, target(id), nil))
	}
	if p.Locked != nil {
		errs = append(errs, s.record(ctx, by, audit.LoginUnlocked, target(id), map[string]any{"reason": "admin"}))
	}
	if p.Role != nil || p.RegionCode != nil || p.DisplayName != nil || p.UnitCode != nil {
		d := map[string]any{}
		for k, v := range map[string]*string{"role": p.Role, "region_code": p.RegionCode, "display_name": p.DisplayName, "unit_code": p.UnitCode} {
			if v != nil {
				d[k] = *v
			}
		}
		errs = append(errs, s.record(ctx, by, audit.UserUpdate, target(id), d))
	}
	return errors.Join(errs...)
}

const setPasswordQ = `UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = now(),
    locked_until = NULL, failures_reset_at = now()
WHERE id = $1 RETURNING username`

// ResetPassword sets a password an administrator chose (or generated), which the user must change
// at the next sign-in, and ends every session and token of the user at once.
func (s *Service) ResetPassword(ctx context.Context, by Actor, id int64, password string) error {
	a, err := s.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if err := CheckPassword("password", a.Username, password); err != nil {
		return err
	}
	if err := s.setPassword(ctx, id, password, true); err != nil {
		return err
	}
	n, err := s.revokeAll(ctx, id, 0)
	if err != nil {
		return err
	}
	return s.record(ctx, by, audit.UserPassword, target(id), map[string]any{"reset": true, "revoked": n})
}

func (s *Service) setPassword(ctx context.Context, id int64, password string, mustChange bool) error {
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	var name string
	err = s.pool.QueryRow(ctx, setPasswordQ, id, hash, mustChange).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("no user %d: %w", id, problem.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("auth: set password: %w", err)
	}
	return nil
}

// ChangePassword is a user changing their own password: current must be right, next must follow
// the policy and differ. Every other session and token of the user ends; the one in use stays.
func (s *Service) ChangePassword(ctx context.Context, u *User, ip, current, next string) error {
	acc, err := s.account(ctx, u.Username)
	if err != nil {
		return err
	}
	if !passwordMatches(acc, current) {
		return problem.Unprocessable("current", "is not your current password")
	}
	if current == next {
		return problem.Unprocessable("new", "must differ from the current password")
	}
	if err := CheckPassword("new", u.Username, next); err != nil {
		return err
	}
	if err := s.setPassword(ctx, u.ID, next, false); err != nil {
		return err
	}
	n, err := s.revokeAll(ctx, u.ID, u.TokenID)
	if err != nil {
		return err
	}
	return s.record(ctx, ActorOf(u, ip), audit.UserPassword, target(u.ID), map[string]any{"self": true, "revoked": n})
}
