package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/onemap/onemap/internal/problem"
)

// MaxLimit is the most rows one page (or one CSV export) holds.
const MaxLimit = 100_000

// Query selects audit rows: a time range [From, To), an actor, actions, and text Q found in the
// target, detail or address; newest first.
type Query struct {
	From, To      time.Time
	Actor         string
	Actions       []string
	Q             string
	Limit, Offset int
}

// Page is one page of a search with the total of matching rows.
type Page struct {
	Total int   `json:"total"`
	Items []Row `json:"items"`
}

// Check reports a query that cannot run, naming the parameter.
func (f Query) Check() error {
	switch {
	case f.Limit < 1 || f.Limit > MaxLimit:
		return problem.Invalid("limit", "must lie in 1..%d", MaxLimit)
	case f.Offset < 0:
		return problem.Invalid("offset", "must not be negative")
	case !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From):
		return problem.Invalid("to", "must come after from")
	}
	return nil
}

// Search returns one page of rows f selects.
func (s *Service) Search(ctx context.Context, f Query) (Page, error) {
	if err := f.Check(); err != nil {
		return Page{}, err
	}
	n, err := s.count(ctx, f)
	if err != nil {
		return Page{}, err
	}
	p := Page{Total: n, Items: []Row{}}
	err = s.each(ctx, f, func(r Row) error { p.Items = append(p.Items, r); return nil })
	return p, err
}

// Each calls fn with every row f selects (for exports), newest first.
func (s *Service) Each(ctx context.Context, f Query, fn func(Row) error) error {
	if err := f.Check(); err != nil {
		return err
	}
	return s.each(ctx, f, fn)
}

// Report is the outcome of Verify: BrokenID is 0 when the chain is whole.
type Report struct {
	Rows     int64  `json:"rows"`
	LastID   int64  `json:"last_id"`
	BrokenID int64  `json:"broken_id,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// OK reports whether the chain is whole.
func (r Report) OK() bool { return r.BrokenID == 0 }

// String says what Verify found in one line.
func (r Report) String() string {
	if r.OK() {
		return fmt.Sprintf("audit chain intact: %d rows, last id %d", r.Rows, r.LastID)
	}
	return fmt.Sprintf("audit chain broken at row %d: %s", r.BrokenID, r.Reason)
}

// Verify recomputes the chain and reports the first broken row.
func (s *Service) Verify(ctx context.Context) (Report, error) { return s.verify(ctx) }

// Prune deletes the rows older than before, which must lie at least MinRetention back (422
// otherwise, and the database refuses too); it records the prune and returns how many went.
func (s *Service) Prune(ctx context.Context, actor string, before time.Time) (int64, error) {
	if time.Since(before) < MinRetention {
		return 0, problem.Unprocessable("before", "audit rows are kept at least 180 days; give a time before %s",
			time.Now().Add(-MinRetention).Format(time.DateOnly))
	}
	n, err := s.prune(ctx, before)
	if err != nil {
		return 0, err
	}
	return n, s.record(ctx, Entry{Actor: actor, Action: AuditPrune, Detail: map[string]any{"before": before, "rows": n}})
}
