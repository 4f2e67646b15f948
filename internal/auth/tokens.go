package auth

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onemap/onemap/internal/audit"
	"github.com/onemap/onemap/internal/problem"
)

// Token is a live session or named token of a user, as administrators see it.
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Session    bool       `json:"session"` // a sign-in of the UI rather than a named token
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// Tokens lists a user's live sessions and tokens, newest first (404 for an unknown user).
func (s *Service) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	if _, err := s.UserByID(ctx, userID); err != nil {
		return nil, err
	}
	const q = `SELECT id, name, kind = 'session', created_at, expires_at, last_used_at FROM tokens
WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY id DESC`
	rows, err := s.pool.Query(ctx, q, userID)
	if err != nil {
		return nil, fmt.Errorf("auth: tokens: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Token, error) {
		var t Token
		return t, r.Scan(&t.ID, &t.Name, &t.Session, &t.CreatedAt, &t.ExpiresAt, &t.LastUsedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("auth: tokens: %w", err)
	}
	return out, nil
}

// IssueNamed issues a long-lived named token for the user by acts as, and audits it.
func (s *Service) IssueNamed(ctx context.Context, by Actor, name string, ttl time.Duration) (string, error) {
	tok, err := s.IssueToken(ctx, *by.ID, name, ttl)
	if err != nil {
		return "", err
	}
	return tok, s.record(ctx, by, audit.TokenIssue, target(*by.ID), map[string]any{"name": name, "days": int(ttl.Hours() / 24)})
}

// RevokeToken ends one live token of a user (404 when the user has no such live token).
func (s *Service) RevokeToken(ctx context.Context, by Actor, userID, tokenID int64) error {
	const q = `UPDATE tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()`
	tag, err := s.pool.Exec(ctx, q, tokenID, userID)
	if err != nil {
		return fmt.Errorf("auth: revoke: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("user %d has no live token %d: %w", userID, tokenID, problem.ErrNotFound)
	}
	return s.record(ctx, by, audit.TokenRevoke, target(userID), map[string]any{"token_id": tokenID})
}

// RevokeAll ends every session and token of a user at once and returns how many there were.
func (s *Service) RevokeAll(ctx context.Context, by Actor, userID int64) (int64, error) {
	if _, err := s.UserByID(ctx, userID); err != nil {
		return 0, err
	}
	n, err := s.revokeAll(ctx, userID, 0)
	if err != nil {
		return 0, err
	}
	return n, s.record(ctx, by, audit.TokenRevoke, target(userID), map[string]any{"all": true, "revoked": n})
}

// revokeAll ends every live token of a user except keep (0: none kept).
func (s *Service) revokeAll(ctx context.Context, userID, keep int64) (int64, error) {
	const q = `UPDATE tokens SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL AND expires_at > now()`
	tag, err := s.pool.Exec(ctx, q, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("auth: revoke: %w", err)
	}
	return tag.RowsAffected(), nil
}

// Logout ends the token of the session u signed in with and audits it.
func (s *Service) Logout(ctx context.Context, u *User, ip, token string) error {
	sum := sha256.Sum256([]byte(token))
	if _, err := s.pool.Exec(ctx, `UPDATE tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, sum[:]); err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	if u == nil {
		return nil
	}
	return s.record(ctx, ActorOf(u, ip), audit.Logout, target(u.ID), nil)
}

// noteWriteQ records where the primary's write-ahead log stands now, after a write has committed.
const noteWriteQ = `UPDATE tokens SET write_lsn = pg_current_wal_lsn() WHERE id = $1
RETURNING (write_lsn - '0/0'::pg_lsn)::bigint`

// NoteWrite records, on the token a write was made with, where the primary's write-ahead log
// stands after that write committed, and returns it: Verify hands it back with the token's next
// requests (on any server instance), whose reads then wait for a replica that has replayed it.
func (s *Service) NoteWrite(ctx context.Context, tokenID int64) (int64, error) {
	var lsn int64
	if err := s.pool.QueryRow(ctx, noteWriteQ, tokenID).Scan(&lsn); err != nil {
		return 0, fmt.Errorf("auth: note write: %w", err)
	}
	return lsn, nil
}
