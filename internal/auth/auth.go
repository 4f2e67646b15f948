// Package auth holds OneMap's accounts, roles and bearer tokens. Passwords are bcrypt hashes and
// follow a policy (CheckPassword); tokens are random and stored only as SHA-256 digests. Sign-in
// failures lock an account and slow an address (Policy); every sign-in, lock and change of users
// and tokens goes to the audit trail.
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
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/problem"
)

// Roles, from most to least powerful.
const (
	Admin   = "admin"   // users, everything
	Analyst = "analyst" // import, edit (optionally within one region)
	Planner = "planner" // query, export
	Leader  = "leader"  // read-only views
	// Reviewer is the finance bureau: approves or returns monthly project reports.
	Reviewer = "reviewer"
	// Reporter fills the monthly reports of its own unit's projects (users.unit_code).
	Reporter = "reporter"
)

// Roles lists every role.
var Roles = []string{Admin, Analyst, Planner, Leader, Reviewer, Reporter}

// User is an account as the API shows it.
type User struct {
	ID          int64   `json:"id"`
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	Role        string  `json:"role"`
	RegionCode  *string `json:"region_code"`
	// UnitCode is the unit (units.code) a reporter fills the monthly reports of.
	UnitCode *string `json:"unit_code"`
	// MustChangePassword: the password was set by an admin or has expired; until it is changed
	// the session may only read /me, change the password and sign out.
	MustChangePassword bool `json:"must_change_password"`
	// TokenID is the token this request was authenticated with (0 outside requests).
	TokenID int64 `json:"-"`
	// WriteLSN is where the primary's write-ahead log stood after this token's last write (0:
	// none): its reads go to a replica only once it has replayed that far (NoteWrite).
	WriteLSN int64 `json:"-"`
}

// Can reports whether the user may perform an action needing one of roles.
func (u *User) Can(roles ...string) bool {
	return u != nil && (u.Role == Admin || slices.Contains(roles, u.Role))
}

// Actor is who performs an action, as the audit trail names them.
type Actor struct {
	Name string
	ID   *int64
	IP   string
}

// ActorOf names a signed-in user (nil: the system) acting from ip.
func ActorOf(u *User, ip string) Actor {
	if u == nil {
		return Actor{Name: "system", IP: ip}
	}
	id := u.ID
	return Actor{Name: u.Username, ID: &id, IP: ip}
}

// Policy is how sign-in failures and password age are handled.
type Policy struct {
	MaxFailures    int           // failures of one account within Window that lock it
	Lock           time.Duration // how long a lock lasts
	Window         time.Duration // the window failures are counted in
	IPMaxFailures  int           // failures from one address (any accounts) within Window before 429
	PasswordMaxAge time.Duration // 0: passwords never expire
}

// DefaultPolicy: 5 failures in 15 minutes lock an account for 15 minutes; 20 from one address
// slow it; passwords do not expire.
func DefaultPolicy() Policy {
	return Policy{MaxFailures: 5, Lock: 15 * time.Minute, Window: 15 * time.Minute, IPMaxFailures: 20}
}

// Service manages users and tokens.
type Service struct {
	pool   *pgxpool.Pool
	audit  *audit.Service
	policy Policy
	idle   time.Duration // a sign-in session unused this long ends
}

// Option configures a Service.
type Option func(*Service)

// WithPolicy sets the sign-in and password-age policy (DefaultPolicy otherwise).
func WithPolicy(p Policy) Option { return func(s *Service) { s.policy = p } }

// WithAudit sets the audit trail written to (one on the same pool otherwise).
func WithAudit(a *audit.Service) Option { return func(s *Service) { s.audit = a } }

// NewService returns a Service on pool.
func NewService(pool *pgxpool.Pool, opts ...Option) *Service {
	s := &Service{pool: pool, policy: DefaultPolicy(), idle: DefaultSessionIdle}
	for _, o := range opts {
		o(s)
	}
	if s.audit == nil {
		s.audit = audit.NewService(pool)
	}
	return s
}

// record writes one audit entry by actor.
func (s *Service) record(ctx context.Context, by Actor, action, target string, detail map[string]any) error {
	return s.audit.Record(ctx, audit.Entry{Actor: by.Name, UserID: by.ID, Action: action, Target: target, Detail: detail, IP: by.IP})
}

// Token kinds: a browser sign-in (the idle timeout applies) or a named token for GIS tools.
const (
	sessionKind = "session"
	tokenKind   = "token"
)

// DefaultSessionIdle is how long a sign-in session may go unused (等保 2.0 asks for an idle timeout).
const DefaultSessionIdle = 30 * time.Minute

// WithSessionIdle sets how long a sign-in session may go unused (DefaultSessionIdle otherwise).
func WithSessionIdle(d time.Duration) Option { return func(s *Service) { s.idle = d } }

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
	const q = `INSERT INTO tokens (user_id, token_hash, name, kind, expires_at) VALUES ($1, $2, $3, $4, now() + $5::float8 * interval '1 microsecond')`
	if _, err := s.pool.Exec(ctx, q, userID, sum[:], name, kind, ttl.Microseconds()); err != nil {
		return "", fmt.Errorf("auth: token: %w", err)
	}
	return tok, nil
}

// verifyQ finds a token's user, whether the password must be changed (set by an admin, or older
// than $2 µs when $2 > 0), and notes the token's use at most once a minute. A sign-in session
// unused for $3 µs is dead (named tokens have only their expiry).
const verifyQ = `WITH t AS (
    SELECT t.id AS tid, t.last_used_at, coalesce((t.write_lsn - '0/0'::pg_lsn)::bigint, 0) AS write_lsn, u.id, u.username, u.display_name, u.role, u.region_code, u.unit_code,
           u.must_change_password OR ($2::float8 > 0 AND u.password_changed_at < now() - $2::float8 * interval '1 microsecond') AS must
    FROM tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL
      AND (t.kind = 'token' OR coalesce(t.last_used_at, t.created_at) > now() - $3::float8 * interval '1 microsecond')),
touch AS (
    UPDATE tokens SET last_used_at = now() FROM t
    WHERE tokens.id = t.tid AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'))
SELECT tid, write_lsn, id, username, display_name, role, region_code, unit_code, must FROM t`

// Verify returns the user a live token belongs to.
func (s *Service) Verify(ctx context.Context, token string) (*User, error) {
	sum := sha256.Sum256([]byte(token))
	var u User
	err := s.pool.QueryRow(ctx, verifyQ, sum[:], s.policy.PasswordMaxAge.Microseconds(), s.idle.Microseconds()).
		Scan(&u.TokenID, &u.WriteLSN, &u.ID, &u.Username, &u.DisplayName, &u.Role, &u.RegionCode, &u.UnitCode, &u.MustChangePassword)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("token unknown, expired or revoked: %w", problem.ErrUnauthorized)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: verify: %w", err)
	}
	return &u, nil
}
