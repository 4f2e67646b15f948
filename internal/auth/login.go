package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/problem"
)

// dummyHash is compared against when the user is unknown, so names cannot be probed by timing.
const dummyHash = "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z3Ka3B8b5eY5D6ZLhCmLbC5u"

// Attempt is one sign-in: credentials and the client address.
type Attempt struct {
	Username, Password, IP string
}

// Session is a successful sign-in.
type Session struct {
	Token string
	User  User
}

// account is what a sign-in reads about a user.
type account struct {
	User
	hash        string
	disabled    bool
	lockedUntil *time.Time
}

var errBadLogin = fmt.Errorf("wrong username or password: %w", problem.ErrUnauthorized)

// Login checks an attempt and issues a token valid for ttl. An address with too many recent
// failures, and a locked account, get a 429 with the time to wait, even with the right password;
// the failure that reaches Policy.MaxFailures locks the account for Policy.Lock.
func (s *Service) Login(ctx context.Context, a Attempt, ttl time.Duration) (Session, error) {
	if err := s.throttle(ctx, a); err != nil {
		return Session{}, err
	}
	acc, err := s.account(ctx, a.Username)
	if errors.Is(err, errNoUser) {
		acc = nil
	} else if err != nil {
		return Session{}, err
	}
	if acc != nil && acc.lockedUntil != nil {
		if err := s.lockedOrUnlock(ctx, a, acc); err != nil {
			return Session{}, err
		}
	}
	if !passwordMatches(acc, a.Password) {
		return Session{}, or(s.failed(ctx, a, acc), errBadLogin)
	}
	return s.succeed(ctx, a, acc, ttl)
}

func passwordMatches(acc *account, password string) bool {
	if acc == nil {
		_ = bcrypt.CompareHashAndPassword([]byte(dummyHash), []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(acc.hash), []byte(password)) == nil && !acc.disabled
}

// throttle refuses an address whose failures (over any accounts) within the window reached the
// limit, until the oldest of them leaves the window.
func (s *Service) throttle(ctx context.Context, a Attempt) error {
	const q = `SELECT count(*), extract(epoch FROM min(at) + $3::float8 * interval '1 microsecond' - now())
FROM login_attempts WHERE ip = $1 AND NOT ok AND at > now() - $3::float8 * interval '1 microsecond' HAVING count(*) >= $2`
	var n int
	var secs float64
	err := s.pool.QueryRow(ctx, q, a.IP, s.policy.IPMaxFailures, s.policy.Window.Microseconds()).Scan(&n, &secs)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("auth: throttle: %w", err)
	}
	e := audit.Entry{Actor: a.Username, Action: audit.LoginThrottled, Target: "ip:" + a.IP, IP: a.IP, Detail: map[string]any{"failures": n}}
	return or(s.audit.RecordOnce(ctx, e, s.policy.Window),
		problem.TooManyRequests("too many failed sign-ins from this address; try again later", time.Duration(secs*float64(time.Second))))
}

// or returns err when the bookkeeping of a refusal failed (a server error), else the refusal.
func or(err, refusal error) error {
	if err != nil {
		return err
	}
	return refusal
}

var errNoUser = errors.New("auth: no such user")

// account reads a user for sign-in; errNoUser when there is no such user.
func (s *Service) account(ctx context.Context, username string) (*account, error) {
	const q = `SELECT id, username, display_name, role, region_code, unit_code, password_hash, disabled_at IS NOT NULL, locked_until,
    must_change_password OR ($2::float8 > 0 AND password_changed_at < now() - $2::float8 * interval '1 microsecond')
FROM users WHERE username = $1`
	var a account
	err := s.pool.QueryRow(ctx, q, username, s.policy.PasswordMaxAge.Microseconds()).Scan(&a.ID, &a.Username, &a.DisplayName,
		&a.Role, &a.RegionCode, &a.UnitCode, &a.hash, &a.disabled, &a.lockedUntil, &a.MustChangePassword)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNoUser
	}
	if err != nil {
		return nil, fmt.Errorf("auth: login: %w", err)
	}
	return &a, nil
}

// lockedOrUnlock answers 429 while the lock lasts; once it has passed, it lifts it (once, even
// under concurrent attempts) and audits the unlock.
func (s *Service) lockedOrUnlock(ctx context.Context, a Attempt, acc *account) error {
	const q = `UPDATE users SET locked_until = NULL, failures_reset_at = now()
WHERE id = $1 AND locked_until <= now() RETURNING true`
	var unlocked bool
	err := s.pool.QueryRow(ctx, q, acc.ID).Scan(&unlocked)
	if errors.Is(err, pgx.ErrNoRows) {
		// The refusal counts as a failure of the address (so hammering a locked account gets the
		// address throttled) but not of the account, whose lock stays as it is.
		wait := time.Until(*acc.lockedUntil)
		return or(errors.Join(s.attempt(ctx, a, false),
			s.record(ctx, Actor{Name: a.Username, IP: a.IP}, audit.LoginFailed, "user:"+fmt.Sprint(acc.ID), map[string]any{"reason": "locked"})),
			problem.TooManyRequests("account locked after repeated failed sign-ins; try again later", wait))
	}
	if err != nil {
		return fmt.Errorf("auth: unlock: %w", err)
	}
	return s.record(ctx, Actor{Name: "system", IP: a.IP}, audit.LoginUnlocked, "user:"+fmt.Sprint(acc.ID),
		map[string]any{"username": acc.Username, "reason": "lock expired"})
}

// failed notes a failed attempt, audits it and locks the account when it reaches the limit.
func (s *Service) failed(ctx context.Context, a Attempt, acc *account) error {
	if err := s.attempt(ctx, a, false); err != nil {
		return err
	}
	reason, target := "unknown user", ""
	if acc != nil {
		reason, target = "wrong password", "user:"+fmt.Sprint(acc.ID)
		if acc.disabled {
			reason = "disabled"
		}
	}
	by := Actor{Name: a.Username, IP: a.IP}
	if err := s.record(ctx, by, audit.LoginFailed, target, map[string]any{"reason": reason}); err != nil || acc == nil || acc.disabled {
		return err
	}
	return s.lockIfDue(ctx, by, acc)
}

// attempt notes a sign-in attempt for lockout and throttling.
func (s *Service) attempt(ctx context.Context, a Attempt, ok bool) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO login_attempts (username, ip, ok) VALUES ($1, $2, $3)`, a.Username, a.IP, ok); err != nil {
		return fmt.Errorf("auth: login attempt: %w", err)
	}
	return nil
}

// lockQ locks an account whose failures since the window start (or its last success or unlock)
// reached $4; RETURNING names the lock's end.
const lockQ = `UPDATE users u SET locked_until = now() + $3::float8 * interval '1 microsecond'
WHERE u.id = $1 AND u.locked_until IS NULL AND (
    SELECT count(*) FROM login_attempts l WHERE l.username = $2 AND NOT l.ok
      AND l.at > greatest(now() - $5::float8 * interval '1 microsecond', u.failures_reset_at)) >= $4
RETURNING locked_until`

func (s *Service) lockIfDue(ctx context.Context, by Actor, acc *account) error {
	var until time.Time
	p := s.policy
	err := s.pool.QueryRow(ctx, lockQ, acc.ID, acc.Username, p.Lock.Microseconds(), p.MaxFailures, p.Window.Microseconds()).Scan(&until)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("auth: lock: %w", err)
	}
	return s.record(ctx, by, audit.LoginLocked, "user:"+fmt.Sprint(acc.ID),
		map[string]any{"username": acc.Username, "until": until, "failures": p.MaxFailures})
}

func (s *Service) succeed(ctx context.Context, a Attempt, acc *account, ttl time.Duration) (Session, error) {
	const q = `WITH a AS (INSERT INTO login_attempts (username, ip, ok) VALUES ($2, $3, true))
UPDATE users SET failures_reset_at = now() WHERE id = $1`
	if _, err := s.pool.Exec(ctx, q, acc.ID, acc.Username, a.IP); err != nil {
		return Session{}, fmt.Errorf("auth: login: %w", err)
	}
	tok, err := s.issue(ctx, acc.ID, "login", sessionKind, ttl)
	if err != nil {
		return Session{}, err
	}
	id := acc.ID
	err = s.record(ctx, Actor{Name: acc.Username, ID: &id, IP: a.IP}, audit.LoginOK, "user:"+fmt.Sprint(acc.ID),
		map[string]any{"must_change_password": acc.MustChangePassword})
	return Session{Token: tok, User: acc.User}, err
}
