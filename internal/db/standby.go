package db

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/singleflight"
)

// replaySQL reads how far a standby has replayed the primary's write-ahead log; -1 from a server
// that is not in recovery (a primary, or a promoted standby), which has nothing left to replay.
const replaySQL = `SELECT CASE WHEN pg_is_in_recovery()
    THEN coalesce((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, 0) ELSE -1 END`

// Standby is one streaming replica that reads may go to: whether it answers, how far it has
// replayed and how far it lags behind the primary, learnt by probing it. It is in service when it
// answers and lags no more than its bound; every change of service is logged once and counted.
type Standby struct {
	name  string
	pool  *pgxpool.Pool
	log   *slog.Logger
	probe singleflight.Group

	mu       sync.Mutex
	up       bool // it answers
	behind   bool // it lags past its bound
	replayed LSN
	lag      time.Duration
	trail    trail
	changes  uint64
}

// StandbyStatus is what a probe last learnt of a standby: whether it is in service, how far it
// has replayed, how far it lags behind the primary and how many times it went out of or back
// into service.
type StandbyStatus struct {
	InService bool
	Replayed  LSN
	Lag       time.Duration
	Changes   uint64
}

// NewStandby returns the standby reached through pool, named name in logs and metrics (its host,
// port and database: never its password). It counts as in service until a probe or a read fails.
func NewStandby(name string, pool *pgxpool.Pool, log *slog.Logger) *Standby {
	return &Standby{name: name, pool: pool, log: log, up: true}
}

// StandbyName names the server of a database URL as host:port/database.
func StandbyName(url string) string {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return "unparsed"
	}
	return fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
}

// Name is the standby's name in logs and metrics.
func (s *Standby) Name() string { return s.name }

// Status tells what the probes last learnt of the standby.
func (s *Standby) Status() StandbyStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return StandbyStatus{InService: s.inService(), Replayed: s.replayed, Lag: s.lag, Changes: s.changes}
}

// Run probes the standby every interval until ctx ends, so that one out of service is found
// back (and one in service keeps its replay position fresh); with a primary in bound, each
// probe also measures its lag and takes it out of service past bound.Max.
func (s *Standby) Run(ctx context.Context, every time.Duration, bound LagBound) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.measure(ctx, bound)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// measure probes the standby after reading the primary's position, so that a standby caught up
// with that position has replayed everything written before the probe.
func (s *Standby) measure(ctx context.Context, bound LagBound) {
	if bound.Primary == nil {
		s.Probe(ctx)
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	mark := walMark{at: time.Now()}
	var err error
	if mark.lsn, err = bound.primaryLSN(pctx); err != nil {
		s.Probe(ctx) // the primary's own monitor reports it; the lag stays as last measured
		return
	}
	s.measured(mark, bound, s.replay(ctx))
}

// Probe asks the standby how far it has replayed; concurrent callers share one query. A
// standby that does not answer is out of service until a probe succeeds.
func (s *Standby) Probe(ctx context.Context) {
	_, _, _ = s.probe.Do("", func() (any, error) {
		s.replay(ctx)
		return nil, nil
	})
}

// replay asks the standby how far it has replayed and records it; false when it did not answer.
func (s *Standby) replay(ctx context.Context) bool {
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	var n int64
	if err := s.pool.QueryRow(pctx, replaySQL).Scan(&n); err != nil {
		if ctx.Err() == nil {
			s.failed(err)
		}
		return false
	}
	replayed := LSN(math.MaxUint64) // not in recovery: nothing left to replay
	if n >= 0 {
		replayed = LSN(n)
	}
	s.set(true, replayed, nil)
	return true
}

// measured records the primary's position mark and, when the standby answered, its lag behind
// it, taking it out of or back into service by bound.
func (s *Standby) measured(mark walMark, bound LagBound, answered bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.trail.add(mark)
	if !answered {
		return
	}
	s.lag = s.trail.lag(s.replayed, time.Now())
	was := s.inService()
	s.behind = bound.over(s.lag, s.behind)
	s.logChange(was, fmt.Errorf("db: it lags %s behind the primary, over the bound of %s", s.lag.Round(time.Millisecond), bound.Max))
}

// failed takes the standby out of service after a read or a probe could not reach it.
func (s *Standby) failed(cause error) { s.set(false, 0, cause) }

// set records a probe's outcome, logging a change of service.
func (s *Standby) set(up bool, replayed LSN, cause error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if up {
		s.replayed = max(s.replayed, replayed)
	}
	was := s.inService()
	s.up = up
	s.logChange(was, cause)
}

// inService tells whether reads may go to the standby (s.mu held).
func (s *Standby) inService() bool { return s.up && !s.behind }

// logChange logs and counts a change of service since was (s.mu held); cause says why it went
// out.
func (s *Standby) logChange(was bool, cause error) {
	now := s.inService()
	if now == was {
		return
	}
	s.changes++
	if now {
		s.log.Info("db: read replica back in service", "replica", s.name, "replayed", s.replayed.String(), "lag", s.lag.Round(time.Millisecond).String())
	} else {
		s.log.Warn("db: read replica out of service; its reads go to the other replicas or the primary", "replica", s.name, "err", cause)
	}
}

// caughtUp tells whether the standby is in service and whether it has replayed lsn as well.
func (s *Standby) caughtUp(lsn LSN) (up, caught bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	up = s.inService()
	return up, up && s.replayed >= lsn
}
