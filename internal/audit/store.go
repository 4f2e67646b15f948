package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onemap/onemap/internal/problem"
)

func (s *Service) record(ctx context.Context, e Entry) error {
	if e.Detail == nil {
		e.Detail = map[string]any{}
	}
	const q = `SELECT audit_append($1, $2, $3, $4, $5, $6)`
	if _, err := s.pool.Exec(ctx, q, e.Actor, e.UserID, e.Action, e.Target, e.Detail, e.IP); err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

func (s *Service) recent(ctx context.Context, action, target string, period time.Duration) (bool, error) {
	const q = `SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = $1 AND target = $2 AND at > now() - $3::float8 * interval '1 microsecond')`
	var seen bool
	if err := s.pool.QueryRow(ctx, q, action, target, period.Microseconds()).Scan(&seen); err != nil {
		return false, fmt.Errorf("audit: recent: %w", err)
	}
	return seen, nil
}

// where builds the WHERE clause of a Query with $n arguments; the clause text is fixed.
func (f Query) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if !f.From.IsZero() {
		add("at >= $%d", f.From)
	}
	if !f.To.IsZero() {
		add("at < $%d", f.To)
	}
	if f.Actor != "" {
		add("actor = $%d", f.Actor)
	}
	if len(f.Actions) > 0 {
		add("action = ANY($%d)", f.Actions)
	}
	if f.Q != "" {
		add("(target || ' ' || detail::text || ' ' || ip) ILIKE '%%' || $%d || '%%'", escapeLike(f.Q))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *Service) count(ctx context.Context, f Query) (int, error) {
	w, args := f.where()
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log`+w, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("audit: count: %w", err)
	}
	return n, nil
}

// each calls fn with every row f selects, newest first, within its limit and offset.
func (s *Service) each(ctx context.Context, f Query, fn func(Row) error) error {
	w, args := f.where()
	args = append(args, f.Limit, f.Offset)
	q := `SELECT id, at, actor, user_id, action, target, detail, ip FROM audit_log` + w +
		fmt.Sprintf(` ORDER BY id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args))
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("audit: search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.Actor, &r.UserID, &r.Action, &r.Target, &r.Detail, &r.IP); err != nil {
			return fmt.Errorf("audit: search: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// firstBreak finds the first row, in id order, whose hash does not match its content or whose
// prev_hash does not match the hash of the row before it. The oldest row's prev_hash is taken as
// the anchor (pruning removes the rows before it).
const firstBreak = `SELECT id, CASE WHEN hash IS DISTINCT FROM audit_row_hash(prev_hash, id, at, actor, user_id, action, target, detail, ip)
    THEN 'content' ELSE 'link' END
FROM (SELECT *, lag(hash) OVER (ORDER BY id) AS before, row_number() OVER (ORDER BY id) AS n FROM audit_log) r
WHERE hash IS DISTINCT FROM audit_row_hash(prev_hash, id, at, actor, user_id, action, target, detail, ip)
   OR (n > 1 AND prev_hash IS DISTINCT FROM before)
ORDER BY id LIMIT 1`

func (s *Service) verify(ctx context.Context) (Report, error) {
	var rep Report
	if err := s.pool.QueryRow(ctx, `SELECT count(*), coalesce(max(id), 0) FROM audit_log`).Scan(&rep.Rows, &rep.LastID); err != nil {
		return rep, fmt.Errorf("audit: verify: %w", err)
	}
	var kind string
	err := s.pool.QueryRow(ctx, firstBreak).Scan(&rep.BrokenID, &kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return rep, nil
	}
	if err != nil {
		return rep, fmt.Errorf("audit: verify: %w", err)
	}
	rep.Reason = "its content does not match its hash: the row was changed"
	if kind == "link" {
		rep.Reason = "its prev_hash does not match the row before it: a row before it was deleted or replaced"
	}
	return rep, nil
}

func (s *Service) prune(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT audit_prune($1)`, before).Scan(&n)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23514" {
		return 0, problem.Unprocessable("before", "audit rows are kept at least 180 days")
	}
	if err != nil {
		return 0, fmt.Errorf("audit: prune: %w", err)
	}
	return n, nil
}
