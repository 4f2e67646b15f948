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

// Standby is one streaming replica that reads may go to: whether it answers and how far it has
// replayed, learnt by probing it. Every change between in service and out of service is logged
// once and counted.
type Standby struct {
	name  string
	pool  *pgxpool.Pool
	log   *slog.Logger
	probe singleflight.Group

	mu       sync.Mutex
	up       bool
	replayed LSN
	changes  uint64
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

// Status tells whether the standby is in service, how far it has replayed and how many times it
// went out of or back into service.
func (s *Standby) Status() (up bool, replayed LSN, changes uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.up, s.replayed, s.changes
}

// Run probes the standby every interval until ctx ends, so that one out of service is found
// back (and one in service keeps its replay position fresh).
func (s *Standby) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.Probe(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Probe asks the standby how far it has replayed; concurrent callers share one query. A
// standby that does not answer is out of service until a probe succeeds.
func (s *Standby) Probe(ctx context.Context) {
	_, _, _ = s.probe.Do("", func() (any, error) {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		var n int64
		err := s.pool.QueryRow(pctx, replaySQL).Scan(&n)
		if err != nil {
			if ctx.Err() == nil {
				s.failed(err)
			}
			return nil, nil
		}
		replayed := LSN(math.MaxUint64) // not in recovery: nothing left to replay
		if n >= 0 {
			replayed = LSN(n)
		}
		s.set(true, replayed, nil)
		return nil, nil
	})
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
	if up == s.up {
		return
	}
	s.up = up
	s.changes++
	if up {
		s.log.Info("db: read replica back in service", "replica", s.name, "replayed", s.replayed.String())
	} else {
		s.log.Warn("db: read replica out of service; its reads go to the other replicas or the primary", "replica", s.name, "err", cause)
	}
}

// caughtUp tells whether the standby is in service and has replayed lsn.
func (s *Standby) caughtUp(lsn LSN) (up, caught bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.up, s.up && s.replayed >= lsn
}
