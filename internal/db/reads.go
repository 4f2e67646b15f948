package db

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Querier is what a read needs: a pool, or Reads choosing one per query.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Route is a standby and the pool that reads of one kind (requests, tiles) reach it through.
type Route struct {
	Standby *Standby
	Pool    *pgxpool.Pool
}

// Reads sends each read to a streaming replica when its context allows it (ReplicaRead) and a
// replica in service has replayed the LSN the context needs, waiting for one at most Wait; else
// to the primary. A replica that fails before answering is taken out of service and the read
// goes to the next one, then to the primary, so a replica going down costs no request; one that
// lags past its bound (Standby.Run) is out of service as well.
type Reads struct {
	primary *pgxpool.Pool
	routes  []Route
	wait    time.Duration
	next    atomic.Uint32
	counts  [targets]atomic.Uint64
}

// Where reads went: to a replica; to the primary because the context asked for no replica, because
// none had replayed far enough in time (lagging) or none was in service; and how many times a
// replica failed a read, which then went on to the next choice (failover).
const (
	ToReplica = iota
	ToPrimary
	Lagging
	NoReplica
	Failover
	targets
)

// TargetNames label the counts of ReadCounts in metrics.
var TargetNames = [targets]string{"replica", "primary", "lagging", "no_replica", "failover"}

// NewReads returns Reads over primary and the routes to the standbys; without routes every read
// goes to the primary.
func NewReads(primary *pgxpool.Pool, wait time.Duration, routes ...Route) *Reads {
	return &Reads{primary: primary, routes: routes, wait: wait}
}

// Standbys lists the standbys reads may go to.
func (r *Reads) Standbys() []*Standby {
	out := make([]*Standby, len(r.routes))
	for i, rt := range r.routes {
		out[i] = rt.Standby
	}
	return out
}

// ReadCounts tells how many reads went where, indexed as TargetNames.
func (r *Reads) ReadCounts() [targets]uint64 {
	var out [targets]uint64
	for i := range out {
		out[i] = r.counts[i].Load()
	}
	return out
}

// Query runs a read on the pool pick chooses; a replica failing before the first row passes it on.
func (r *Reads) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	w := &rows{r: r, ctx: ctx, sql: sql, args: args}
	w.start(r.pick(ctx))
	return w, w.err
}

// QueryRow is Query for one row, as pgx's QueryRow.
func (r *Reads) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return row{r: r, ctx: ctx, sql: sql, args: args}
}

// pick chooses where a read under ctx goes (nil standby: the primary).
func (r *Reads) pick(ctx context.Context) (*pgxpool.Pool, *Standby) {
	need, ok := ReplicaNeed(ctx)
	if !ok || len(r.routes) == 0 {
		r.counts[ToPrimary].Add(1)
		return r.primary, nil
	}
	deadline := time.Now().Add(r.wait)
	for {
		rt, anyUp := r.caughtUp(need)
		switch {
		case rt != nil:
			r.counts[ToReplica].Add(1)
			return rt.Pool, rt.Standby
		case !anyUp:
			r.counts[NoReplica].Add(1)
			return r.primary, nil
		case !time.Now().Before(deadline) || !r.pause(ctx):
			r.counts[Lagging].Add(1)
			return r.primary, nil
		}
		for _, rt := range r.routes {
			rt.Standby.Probe(ctx)
		}
	}
}

// caughtUp returns the next route (round robin) whose standby has replayed need, and whether any
// standby is in service at all.
func (r *Reads) caughtUp(need LSN) (*Route, bool) {
	start, anyUp := int(r.next.Add(1)), false
	for i := range r.routes {
		rt := &r.routes[(start+i)%len(r.routes)]
		up, caught := rt.Standby.caughtUp(need)
		anyUp = anyUp || up
		if caught {
			return rt, true
		}
	}
	return nil, anyUp
}

// pause waits a moment before asking the standbys again; false when ctx ended.
func (r *Reads) pause(ctx context.Context) bool {
	t := time.NewTimer(5 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// unreachable tells whether err means the replica could not answer at all (down, restarting,
// cut off), as opposed to a fault of the query, or a conflict with replay that cancelled it.
func unreachable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "40001" { // canceling statement due to conflict with recovery
		return true
	}
	return IsUnavailable(err) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// rows are a read's rows; until the first row arrives, a replica's failure re-runs the query
// elsewhere (pgx reports a lost connection only when the rows are read).
type rows struct {
	pgx.Rows
	r       *Reads
	ctx     context.Context
	sql     string
	args    []any
	standby *Standby
	started bool
	err     error
}

// start runs the query on pool; a replica failing at once passes it on.
func (w *rows) start(pool *pgxpool.Pool, st *Standby) {
	for {
		w.Rows, w.err = pool.Query(w.ctx, w.sql, w.args...)
		w.standby = st
		if !w.failover(w.err) {
			return
		}
		pool, st = w.r.pick(w.ctx)
	}
}

// failover takes the standby out of service when err says it cannot answer; true: try again.
func (w *rows) failover(err error) bool {
	if err == nil || w.standby == nil || !unreachable(err) {
		return false
	}
	w.Rows.Close()
	w.standby.failed(err)
	w.r.counts[Failover].Add(1)
	return true
}

// Next advances, re-running the query elsewhere when a replica fails before the first row.
func (w *rows) Next() bool {
	for {
		if w.Rows.Next() {
			w.started = true
			return true
		}
		if w.started || !w.failover(w.Rows.Err()) {
			return false
		}
		w.start(w.r.pick(w.ctx))
	}
}

// row is a QueryRow through Reads.
type row struct {
	r    *Reads
	ctx  context.Context
	sql  string
	args []any
}

// Scan reads the one row as pgx's QueryRow does (pgx.ErrNoRows when there is none).
func (q row) Scan(dest ...any) error {
	rs, err := q.r.Query(q.ctx, q.sql, q.args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	if !rs.Next() {
		if err := rs.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := rs.Scan(dest...); err != nil {
		return err
	}
	rs.Close()
	return rs.Err()
}
