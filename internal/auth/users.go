package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/crypto/bcrypt"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/problem"
)

// Account is a user as administrators see it.
type Account struct {
	User
	Disabled          bool       `json:"disabled"`
	LockedUntil       *time.Time `json:"locked_until"`
	CreatedAt         time.Time  `json:"created_at"`
	PasswordChangedAt time.Time  `json:"password_changed_at"`
}

// checkUser validates the fields every saved user needs.
func checkUser(u User) error {
	if u.Username == "" {
		return problem.Unprocessable("username", "is required")
	}
	if !slices.Contains(Roles, u.Role) {
		return problem.Unprocessable("role", "%q is not one of %s", u.Role, strings.Join(Roles, ", "))
	}
	if u.Role == Reporter && u.UnitCode == nil {
		return problem.Unprocessable("unit_code", "a reporter needs the unit whose reports they fill")
	}
	return nil
}

func hashPassword(pw string) (string, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("auth: hash: %w", err)
	}
	return string(hash), nil
}

// saveUserQ inserts a user ($8: its unit), or with $7 replaces one of the same name (ending its sessions is the
// caller's job); $6 says whether the password must be changed at the next sign-in.
const saveUserQ = `INSERT INTO users (username, display_name, password_hash, role, region_code, must_change_password, unit_code)
VALUES ($1, $2, $3, $4, $5, $6, $8)
ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash,
    role = EXCLUDED.role, region_code = EXCLUDED.region_code, unit_code = EXCLUDED.unit_code, disabled_at = NULL, locked_until = NULL,
    must_change_password = EXCLUDED.must_change_password, password_changed_at = now(), failures_reset_at = now()
    WHERE $7::boolean
RETURNING id`

func (s *Service) save(ctx context.Context, u User, password string, mustChange, replace bool) (User, error) {
	hash, err := hashPassword(password)
	if err != nil {
		return u, err
	}
	err = s.pool.QueryRow(ctx, saveUserQ, u.Username, u.DisplayName, hash, u.Role, u.RegionCode, mustChange, replace, u.UnitCode).Scan(&u.ID)
	if kp := keyProblem(err, u.RegionCode, u.UnitCode); kp != nil {
		return u, kp
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return u, fmt.Errorf("user %q exists: %w", u.Username, problem.ErrConflict)
	case err != nil:
		return u, fmt.Errorf("auth: save user: %w", err)
	}
	u.MustChangePassword = mustChange
	return u, nil
}

// keyProblem names the field a saved account broke: a region or unit that does not exist
// (23503), or a reporter left without a unit (23514); nil when err is none of these.
func keyProblem(err error, region, unit *string) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return nil
	}
	switch {
	case pgErr.Code == "23503" && strings.Contains(pgErr.ConstraintName, "unit"):
		return problem.Unprocessable("unit_code", "no unit %s", orNone(unit))
	case pgErr.Code == "23503":
		return problem.Unprocessable("region_code", "no region %s", orNone(region))
	case pgErr.Code == "23514" && pgErr.ConstraintName == "users_reporter_unit":
		return problem.Unprocessable("unit_code", "a reporter needs the unit whose reports they fill")
	}
	return nil
}

func orNone(s *string) string {
	if s == nil {
		return "(none)"
	}
	return *s
}

// CreateUser adds an account an administrator set up: its password follows the policy and must
// be changed at the first sign-in. An existing name is a 409, unless replace, which resets that
// account (password, role, region; enabled, unlocked) and ends its sessions and tokens.
func (s *Service) CreateUser(ctx context.Context, by Actor, u User, password string, replace bool) (User, error) {
	if err := checkUser(u); err != nil {
		return u, err
	}
	if err := CheckPassword("password", u.Username, password); err != nil {
		return u, err
	}
	u, err := s.save(ctx, u, password, true, replace)
	if err != nil {
		return u, err
	}
	if replace {
		if _, err := s.revokeAll(ctx, u.ID, 0); err != nil {
			return u, err
		}
	}
	return u, s.record(ctx, by, audit.UserCreate, target(u.ID), map[string]any{
		"username": u.Username, "role": u.Role, "region_code": u.RegionCode, "unit_code": u.UnitCode, "replace": replace,
	})
}

// SeedDemo creates or resets the demo accounts with the shared demo password. This is the one
// documented exemption from the password policy and the first-sign-in change: the demo city's
// accounts are public knowledge by design (README) and never belong on a production server.
func (s *Service) SeedDemo(ctx context.Context, users []User, password string) error {
	for _, u := range users {
		if err := checkUser(u); err != nil {
			return err
		}
		u, err := s.save(ctx, u, password, false, true)
		if err != nil {
			return err
		}
		if err := s.record(ctx, Actor{Name: "system"}, audit.UserCreate, target(u.ID),
			map[string]any{"username": u.Username, "role": u.Role, "demo": true}); err != nil {
			return err
		}
	}
	return nil
}

func target(id int64) string { return fmt.Sprintf("user:%d", id) }

const listUsersQ = `SELECT id, username, display_name, role, region_code, unit_code, must_change_password,
    disabled_at IS NOT NULL, CASE WHEN locked_until > now() THEN locked_until END, created_at, password_changed_at
FROM users ORDER BY username`

// ListUsers returns every account.
func (s *Service) ListUsers(ctx context.Context) ([]Account, error) {
	rows, err := s.pool.Query(ctx, listUsersQ)
	if err != nil {
		return nil, fmt.Errorf("auth: list users: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanAccount)
	if err != nil {
		return nil, fmt.Errorf("auth: list users: %w", err)
	}
	return out, nil
}

func scanAccount(r pgx.CollectableRow) (Account, error) {
	var a Account
	err := r.Scan(&a.ID, &a.Username, &a.DisplayName, &a.Role, &a.RegionCode, &a.UnitCode, &a.MustChangePassword,
		&a.Disabled, &a.LockedUntil, &a.CreatedAt, &a.PasswordChangedAt)
	return a, err
}

// UserByName returns the account called username (404 when none).
func (s *Service) UserByName(ctx context.Context, username string) (Account, error) {
	return s.oneUser(ctx, `username = $1`, username)
}

// UserByID returns the account with id (404 when none).
func (s *Service) UserByID(ctx context.Context, id int64) (Account, error) {
	return s.oneUser(ctx, `id = $1`, id)
}

// oneUser reads one account; cond is one of the fixed conditions above.
func (s *Service) oneUser(ctx context.Context, cond string, arg any) (Account, error) {
	q := `SELECT id, username, display_name, role, region_code, unit_code, must_change_password,
    disabled_at IS NOT NULL, CASE WHEN locked_until > now() THEN locked_until END, created_at, password_changed_at
FROM users WHERE ` + cond
	rows, err := s.pool.Query(ctx, q, arg)
	if err != nil {
		return Account{}, fmt.Errorf("auth: user: %w", err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAccount)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("no user %v: %w", arg, problem.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("auth: user: %w", err)
	}
	return a, nil
}
