// Package auth holds OneMap's accounts, roles and bearer tokens. Passwords are bcrypt hashes;
// tokens are random and stored only as SHA-256 digests.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/onemap/onemap/internal/problem"
)

// Roles, from most to least powerful.
const (
	Admin   = "admin"   // users, everything
	Analyst = "analyst" // import, edit (optionally within one region)
	Planner = "planner" // query, export
	Leader  = "leader"  // read-only views
)

// Roles lists every role.
var Roles = []string{Admin, Analyst, Planner, Leader}

// User is an account as the API shows it.
type User struct {
	ID          int64   `json:"id"`
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	Role        string  `json:"role"`
	RegionCode  *string `json:"region_code"`
}

// Can reports whether the user may perform an action needing one of roles.
func (u *User) Can(roles ...string) bool {
	return u != nil && (u.Role == Admin || slices.Contains(roles, u.Role))
}

// CanEditRegion reports whether the user's region scope allows editing in region (nil: any).
func (u *User) CanEditRegion(region *string) bool {
	return u.RegionCode == nil || (region != nil && *region == *u.RegionCode)
}

// Service manages users and tokens.
type Service struct {
	pool *pgxpool.Pool
	// idle ends a sign-in session unused this long (named tokens for GIS tools have only their expiry).
	idle time.Duration
}

// DefaultSessionIdle is how long a sign-in session may go unused (等保 2.0 asks for an idle timeout).
const DefaultSessionIdle = 30 * time.Minute

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool) *Service { return &Service{pool: pool, idle: DefaultSessionIdle} }

// WithSessionIdle sets the idle timeout of sign-in sessions and returns s.
func (s *Service) WithSessionIdle(idle time.Duration) *Service {
	s.idle = idle
	return s
}

// CreateUser adds an account (or resets its password and role when it exists).
func (s *Service) CreateUser(ctx context.Context, u User, password string) (User, error) {
	if !slices.Contains(Roles, u.Role) {
		return u, problem.Unprocessable("role", "%q is not one of admin, analyst, planner, leader", u.Role)
	}
	if len(password) < 8 {
		return u, problem.Unprocessable("password", "must have at least 8 characters")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return u, fmt.Errorf("auth: hash: %w", err)
	}
	const q = `INSERT INTO users (username, display_name, password_hash, role, region_code) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash,
    role = EXCLUDED.role, region_code = EXCLUDED.region_code, disabled_at = NULL
RETURNING id`
	err = s.pool.QueryRow(ctx, q, u.Username, u.DisplayName, string(hash), u.Role, u.RegionCode).Scan(&u.ID)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		return u, problem.Unprocessable("region_code", "no region %v", *u.RegionCode)
	}
	if err != nil {
		return u, fmt.Errorf("auth: create user: %w", err)
	}
	return u, nil
}

// Login checks a username and password and issues a token valid for ttl.
func (s *Service) Login(ctx context.Context, username, password string, ttl time.Duration) (string, User, error) {
	var u User
	var hash string
	const q = `SELECT id, username, display_name, role, region_code, password_hash FROM users WHERE username = $1 AND disabled_at IS NULL`
	err := s.pool.QueryRow(ctx, q, username).Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.RegionCode, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		// Spend the same time as a wrong password, so names cannot be probed.
		_ = bcrypt.CompareHashAndPassword([]byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z3Ka3B8b5eY5D6ZLhCmLbC5u"), []byte(password))
		return "", u, fmt.Errorf("wrong username or password: %w", problem.ErrUnauthorized)
	}
	if err != nil {
		return "", u, fmt.Errorf("auth: login: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return "", u, fmt.Errorf("wrong username or password: %w", problem.ErrUnauthorized)
	}
	tok, err := s.issue(ctx, u.ID, "login", sessionKind, ttl)
	return tok, u, err
}

// Token kinds: a browser sign-in (idle timeout applies) or a named token for GIS tools.
const (
	sessionKind = "session"
	tokenKind   = "token"
)

// IssueToken creates a named bearer token for a user's GIS tools (QGIS, GDAL), valid for ttl.
func (s *Service) IssueToken(ctx context.Context, userID int64, name string, ttl time.Duration) (string, error) {
	return s.issue(ctx, userID, name, tokenKind, ttl)
}

func (s *Service) issue(ctx context.Context, userID int64, name, kind string, ttl time.Duration) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("auth: token: %w", err)
	}
	tok := "om_" + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(tok))
	const q = `INSERT INTO tokens (user_id, token_hash, name, kind, expires_at) VALUES ($1, $2, $3, $4, now() + $5::interval)`
	if _, err := s.pool.Exec(ctx, q, userID, sum[:], name, kind, ttl.String()); err != nil {
		return "", fmt.Errorf("auth: token: %w", err)
	}
	return tok, nil
}

// Verify returns the user a live token belongs to.
func (s *Service) Verify(ctx context.Context, token string) (*User, error) {
	sum := sha256.Sum256([]byte(token))
	var u User
	// A session past its idle time is dead; a live one is touched at most once a minute, so that
	// a map fetching tiles does not write a row per tile.
	const q = `WITH live AS (
    SELECT t.id AS token_id, t.last_used_at, u.id, u.username, u.display_name, u.role, u.region_code
    FROM tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL
      AND (t.kind = 'token' OR t.last_used_at > now() - $2::interval)
), touched AS (
    UPDATE tokens SET last_used_at = now() FROM live
    WHERE tokens.id = live.token_id AND live.last_used_at < now() - interval '1 minute'
)
SELECT id, username, display_name, role, region_code FROM live`
	err := s.pool.QueryRow(ctx, q, sum[:], s.idle.String()).Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.RegionCode)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("token unknown, expired or revoked: %w", problem.ErrUnauthorized)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: verify: %w", err)
	}
	return &u, nil
}

// Revoke ends a token.
func (s *Service) Revoke(ctx context.Context, token string) error {
	sum := sha256.Sum256([]byte(token))
	if _, err := s.pool.Exec(ctx, `UPDATE tokens SET revoked_at = now() WHERE token_hash = $1`, sum[:]); err != nil {
		return fmt.Errorf("auth: revoke: %w", err)
	}
	return nil
}
